// GET /api/v1/libraries/:lib/export?format=markdown|json|csv[&case=ID]: a streamed export
// (Markdown as a .zip of files) for scripts and the extension (DESIGN.md "Other API").
import { Hono } from 'hono';
import { uuid } from '../../shared/model.ts';
import { exportResponse } from '../export/http.ts';
import { badRequest } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';

export const exportRoutes = new Hono<AppEnv>().get('/export', async (c) => {
  const caseId = c.req.query('case') || undefined;
  if (caseId && !uuid.safeParse(caseId).success) throw badRequest('case must be an id');
  return exportResponse(c, c.get('services').db, c.get('libraryId'), c.req.query('format'), caseId);
});
