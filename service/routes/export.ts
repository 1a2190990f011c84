// GET /api/v1/libraries/:lib/export?format=markdown|json|csv|csl-json|ris|bibtex[&case=ID|&clips=ID,ID]:
// a streamed export (Markdown as a .zip of files; citations for Zotero) for scripts and the
// extension (DESIGN.md "Other API"). POST /cases/:id/import-csl: CSL-JSON items into a case.
import { Hono } from 'hono';
import { uuid } from '../../shared/model.ts';
import { cslItemsOf, importCsl, parseClipSelection } from '../export/citations.ts';
import { exportResponse } from '../export/http.ts';
import { assertCanWrite } from '../http/auth.ts';
import { badRequest, notFound, readJson } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { loadLive } from '../repos/objects.ts';

export const exportRoutes = new Hono<AppEnv>()
  .get('/export', async (c) => {
    const caseId = c.req.query('case') || undefined;
    if (caseId && !uuid.safeParse(caseId).success) throw badRequest('case must be an id');
    const selection = parseClipSelection(c.req.query('clips'));
    if ('error' in selection) throw badRequest(selection.error);
    return exportResponse(c, c.get('services').db, c.get('libraryId'), c.req.query('format'), caseId, selection.clipIds);
  })
  .post('/cases/:id/import-csl', async (c) => {
    assertCanWrite(c.get('role'));
    const caseId = c.req.param('id');
    const { db, store } = c.get('services');
    if (!uuid.safeParse(caseId).success || !(await loadLive(db, c.get('libraryId'), 'case', caseId))) throw notFound(`no case ${caseId}`);
    const read = cslItemsOf(await readJson(c));
    if ('error' in read) throw badRequest(read.error);
    const report = await importCsl(store, { libraryId: c.get('libraryId'), userId: c.get('user').id, caseId, items: read.items });
    return c.json(report);
  });
