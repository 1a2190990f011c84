// Read routes of one library: clips (search), cases, scans, companies, members.
import { Hono } from 'hono';
import { membersOf } from '../repos/accounts.ts';
import { companiesForDomain, getCaseDetail, getScanDetail, listCases } from '../repos/library-read.ts';
import { loadLive, publicObject } from '../repos/objects.ts';
import { decodeCursor, searchClips, SEARCH_ORDERS, type SearchOrder } from '../search/clips.ts';
import { textProblem, uuid } from '../../shared/model.ts';
import { CHOSEN_CLIP_KINDS, isOneOf } from '../../shared/vocabulary.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { findUserByEmail } from '../repos/accounts.ts';
import type { CaseDetailResponse } from '../../shared/api.ts';

function optionalId(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!uuid.safeParse(value).success) throw badRequest(`${name} must be an id`);
  return value;
}

/**
 * Text from the query string, checked like every other text (shared/model.ts textProblem): a
 * NUL byte would make PostgreSQL fail the query, a lone surrogate cannot be searched for.
 */
function queryText(value: string | undefined, name: string, max = 1_000): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > max) throw badRequest(`${name} may be at most ${max} characters`);
  const problem = textProblem(value);
  if (problem) throw badRequest(`${name} ${problem}`);
  return value;
}

export const libraryRoutes = new Hono<AppEnv>()
  .get('/clips', async (c) => {
    const { db } = c.get('services');
    const query = c.req.query();
    // Words and tags with a NUL or a lone surrogate are searched for as U+FFFD and match nothing
    // (searchClips): a hostile query never fails. The rest name things and must be well-formed.
    for (const name of ['member', 'case', 'company', 'kind', 'cursor', 'limit', 'order']) queryText(query[name], name);
    if ((query.q ?? '').length > 10_000) throw badRequest('q may be at most 10000 characters');
    if ((query.tag ?? '').length > 1_000) throw badRequest('tag may be at most 1000 characters');
    if (query.cursor && !decodeCursor(query.cursor)) throw badRequest('cursor is not one this service gave out; start again without cursor, then follow nextCursor');
    const limit = query.limit ? Number(query.limit) : 20;
    // Safe integers only: 1e300 is an integer to JavaScript but no store's.
    if (!Number.isSafeInteger(limit) || limit < 1) throw badRequest('limit must be a whole number ≥ 1');
    let memberId = query.member;
    if (memberId && memberId.includes('@')) memberId = (await findUserByEmail(db, memberId))?.id ?? '00000000-0000-0000-0000-000000000000';
    if (query.kind && !isOneOf(CHOSEN_CLIP_KINDS, query.kind)) throw badRequest(`kind must be ${CHOSEN_CLIP_KINDS.join(', ')}`);
    if (query.order && !(SEARCH_ORDERS as readonly string[]).includes(query.order)) throw badRequest('order must be relevance or newest');
    const result = await searchClips(db, {
      libraryId: c.get('libraryId'),
      q: query.q ?? '',
      caseId: optionalId(query.case, 'case'),
      companyId: optionalId(query.company, 'company'),
      memberId: optionalId(memberId, 'member'),
      tag: query.tag || undefined,
      kind: query.kind || undefined,
      cursor: query.cursor,
      limit,
      order: (query.order || undefined) as SearchOrder | undefined,
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
    const libraryId = c.get('libraryId');
    const detail = await getCaseDetail(c.get('services').db, libraryId, c.req.param('id'));
    if (!detail) throw notFound(`no case ${c.req.param('id')}`);
    // Past the newest clips shown, the clip list of the case (GET /clips above) pages through all of them.
    const more = detail.clipsTotal > detail.clips.length ? { clipsMore: `/api/v1/libraries/${libraryId}/clips?case=${detail.case.id}&order=newest` } : {};
    return c.json({ ...detail, ...more } satisfies CaseDetailResponse);
  })
  .get('/scans/:id', async (c) => {
    const detail = await getScanDetail(c.get('services').db, c.get('libraryId'), c.req.param('id'));
    if (!detail) throw notFound(`no scan ${c.req.param('id')}`);
    return c.json(detail);
  })
  .get('/companies', async (c) => {
    const domain = queryText(c.req.query('domain'), 'domain', 253);
    if (!domain) throw badRequest('give ?domain=example.org');
    return c.json({ companies: await companiesForDomain(c.get('services').db, c.get('libraryId'), domain) });
  })
  .get('/members', async (c) => c.json({ members: await membersOf(c.get('services').db, c.get('libraryId')) }));
