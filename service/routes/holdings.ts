// What a library holds for one site (by registrable domain): counts of clips and scans, the
// companies with their scans, recent clips. The extension's badge and side panel ask this
// (issue 10); only the registrable domain travels, never the page's URL.
import { Hono } from 'hono';
import { holdingsForDomain } from '../repos/library-read.ts';
import { badRequest } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import type { HoldingsResponse } from '../../shared/api.ts';

/** A host name is at most 253 characters (RFC 1035). */
const MAX_DOMAIN = 253;

export const holdingsRoutes = new Hono<AppEnv>().get('/holdings', async (c) => {
  const domain = c.req.query('domain') ?? '';
  if (!domain || domain.length > MAX_DOMAIN) throw badRequest('give ?domain=example.org (a host name, at most 253 characters)');
  const holdings = await holdingsForDomain(c.get('services').db, c.get('libraryId'), domain);
  if (!holdings) throw badRequest('domain must be a host name such as example.org');
  return c.json(holdings satisfies HoldingsResponse);
});
