// Read routes of one library: clips (search), cases, scans, companies, members.
import { Hono } from 'hono';
import { membersOf } from '../repos/accounts.ts';
import { companiesForDomain, getCaseDetail, getScanDetail, listCases } from '../repos/library-read.ts';
import { loadLive, publicObject } from '../repos/objects.ts';
import { decodeCursor, searchClips } from '../search/clips.ts';
import { uuid } from '../../shared/model.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { findUserByEmail } from '../repos/accounts.ts';

function optionalId(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!uuid.safeParse(value).success) throw badRequest(`${name} must be an id`);
  return value;
}

export const libraryRoutes = new Hono<AppEnv>()
  .get('/clips', async (c) => {
    const { db, dialect } = c.get('services');
    const query = c.req.query();
    if (query.cursor && !decodeCursor(query.cursor)) throw badRequest('cursor is not one this service gave out');
    const limit = query.limit ? Number(query.limit) : 20;
    if (!Number.isInteger(limit) || limit < 1) throw badRequest('limit must be a whole number ≥ 1');
    let memberId = query.member;
    if (memberId && memberId.includes('@')) memberId = (await findUserByEmail(db, memberId))?.id ?? '00000000-0000-0000-0000-000000000000';
    if (query.kind && !['article', 'selection', 'link', 'image'].includes(query.kind)) throw badRequest('kind must be article, selection, link or image');
    const result = await searchClips(db, dialect, {
      libraryId: c.get('libraryId'),
      q: query.q ?? '',
      caseId: optionalId(query.case, 'case'),
      companyId: optionalId(query.company, 'company'),
      memberId: optionalId(memberId, 'member'),
      tag: query.tag || undefined,
      kind: query.kind || undefined,
      cursor: query.cursor,
      limit,
    });
    return c.json(result);
  })
  .get('/clips/:id', async (c) => {
    const clip = await loadLive(c.get('services').db, c.get('libraryId'), 'clip', c.req.param('id'));
    if (!clip) throw notFound(`no clip ${c.req.param('id')}`);
    return c.json({ clip: publicObject(clip) });
  })
  .get('/cases', async (c) => c.json({ cases: await listCases(c.get('services').db, c.get('libraryId')) }))
  .get('/cases/:id', async (c) => {
    const detail = await getCaseDetail(c.get('services').db, c.get('libraryId'), c.req.param('id'));
    if (!detail) throw notFound(`no case ${c.req.param('id')}`);
    return c.json(detail);
  })
  .get('/scans/:id', async (c) => {
    const detail = await getScanDetail(c.get('services').db, c.get('libraryId'), c.req.param('id'));
    if (!detail) throw notFound(`no scan ${c.req.param('id')}`);
    return c.json(detail);
  })
  .get('/companies', async (c) => {
    const domain = c.req.query('domain');
    if (!domain) throw badRequest('give ?domain=example.org');
    return c.json({ companies: await companiesForDomain(c.get('services').db, c.get('libraryId'), domain) });
  })
  .get('/members', async (c) => c.json({ members: await membersOf(c.get('services').db, c.get('libraryId')) }));
