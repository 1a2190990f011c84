// Linked libraries (issue 14, item 4): an admin asks, an admin of the other library accepts
// (both agree); then a member of both may share a clip, a question or a case summary into the
// other as a copy that keeps its provenance. Each library's access rules stay intact: nothing
// is read across a link, only copies made by someone who belongs to both.
import { randomUUID, createHash } from 'node:crypto';
import type { Db } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import type { Role } from '../../shared/model.ts';
import { pushChanges } from '../sync/push.ts';
import type { ClipHit } from '../search/clips.ts';
import { searchCases, type CaseHit } from '../search/cases.ts';
import { questionsOf } from './discussion.ts';
import { loadLive, rowToObject, type StoredObject } from './objects.ts';


export type { LibraryLinksTable } from '../db/schema.ts';


export interface LinkView {
  id: string;
  /** The other library. */
  libraryId: string;
  name: string;
  status: 'pending' | 'accepted';
  /** Whether this library asked (outgoing) or was asked (incoming). */
  direction: 'outgoing' | 'incoming';
  createdAt: string;
}

export class LinkError extends Error {
  constructor(readonly status: 400 | 403 | 404 | 409, message: string) {
    super(message);
  }
}

export async function linksOf(db: Db, libraryId: string): Promise<LinkView[]> {
  const rows = await db
    .selectFrom('library_links')
    .selectAll()
    .where((eb) => eb.or([eb('from_library', '=', libraryId), eb('to_library', '=', libraryId)]))
    .orderBy('created_at')
    .execute();
  const out: LinkView[] = [];
  for (const row of rows) {
    const other = row.from_library === libraryId ? row.to_library : row.from_library;
    const library = await db.selectFrom('libraries').select(['id', 'name']).where('id', '=', other).executeTakeFirst();
    out.push({ id: row.id, libraryId: other, name: library?.name ?? other, status: row.status as LinkView['status'], direction: row.from_library === libraryId ? 'outgoing' : 'incoming', createdAt: row.created_at });
  }
  return out;
}

/** Asks to link `libraryId` with `otherId` (or accepts the other side's standing request). */
export async function requestLink(db: Db, libraryId: string, otherId: string, userId: string): Promise<LinkView> {
  if (otherId === libraryId) throw new LinkError(400, 'a library cannot be linked with itself');
  const other = /^[0-9a-f-]{36}$/i.test(otherId) ? await db.selectFrom('libraries').select('id').where('id', '=', otherId).executeTakeFirst() : undefined;
  if (!other) throw new LinkError(404, `no library ${otherId.slice(0, 60)}`);
  const existing = await db
    .selectFrom('library_links')
    .selectAll()
    .where((eb) => eb.or([eb.and([eb('from_library', '=', libraryId), eb('to_library', '=', otherId)]), eb.and([eb('from_library', '=', otherId), eb('to_library', '=', libraryId)])]))
    .executeTakeFirst();
  if (existing && existing.status === 'pending' && existing.to_library === libraryId) return acceptLink(db, libraryId, existing.id, userId);
  if (!existing) {
    await db
      .insertInto('library_links')
      .values({ id: randomUUID(), from_library: libraryId, to_library: otherId, status: 'pending', requested_by: userId, accepted_by: null, created_at: new Date().toISOString(), accepted_at: null })
      .execute();
  }
  return (await linksOf(db, libraryId)).find((link) => link.libraryId === otherId)!;
}

/** An admin of the asked library accepts; the asking library cannot accept its own request. */
export async function acceptLink(db: Db, libraryId: string, linkId: string, userId: string): Promise<LinkView> {
  const row = /^[0-9a-f-]{36}$/i.test(linkId) ? await db.selectFrom('library_links').selectAll().where('id', '=', linkId).executeTakeFirst() : undefined;
  if (!row || (row.from_library !== libraryId && row.to_library !== libraryId)) throw new LinkError(404, `no link ${linkId.slice(0, 60)} of this library`);
  if (row.status !== 'accepted') {
    if (row.to_library !== libraryId) throw new LinkError(403, 'the other library’s admins accept a link this library asked for');
    await db.updateTable('library_links').set({ status: 'accepted', accepted_by: userId, accepted_at: new Date().toISOString() }).where('id', '=', linkId).execute();
  }
  return (await linksOf(db, libraryId)).find((link) => link.id === linkId)!;
}

export async function removeLink(db: Db, libraryId: string, linkId: string): Promise<void> {
  const row = await db.selectFrom('library_links').select(['from_library', 'to_library']).where('id', '=', linkId).executeTakeFirst();
  if (!row || (row.from_library !== libraryId && row.to_library !== libraryId)) throw new LinkError(404, `no link ${linkId.slice(0, 60)} of this library`);
  await db.deleteFrom('library_links').where('id', '=', linkId).execute();
}

/** Libraries linked (accepted) with this one in which the user may write: where they can share to. */
export async function shareTargets(db: Db, libraryId: string, userId: string): Promise<Array<{ id: string; name: string }>> {
  const accepted = (await linksOf(db, libraryId)).filter((link) => link.status === 'accepted');
  const out: Array<{ id: string; name: string }> = [];
  for (const link of accepted) {
    const role = await db.selectFrom('memberships').select('role').where('library_id', '=', link.libraryId).where('user_id', '=', userId).executeTakeFirst();
    if (role && role.role !== 'reader') out.push({ id: link.libraryId, name: link.name });
  }
  return out;
}

export const SHAREABLE = ['clip', 'question', 'case'] as const;
export type Shareable = (typeof SHAREABLE)[number];

/** The copy's id: the same source shared into the same library is the same object, so sharing twice makes one copy. */
function copyId(sourceId: string, targetLibrary: string): string {
  const hex = createHash('sha256').update(`share:${sourceId}:${targetLibrary}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Copies one object of `libraryId` into the linked library `targetId`, through push (validated,
 * versioned, as the sharing member). The copy keeps `sharedFrom` (where it came from) and drops
 * what points inside the source library (cases, company, addressed members).
 */
export async function shareObject(store: Store, input: { libraryId: string; role: Role; userId: string; type: Shareable; id: string; targetId: string }): Promise<{ id: string; libraryId: string; type: Shareable }> {
  const { db } = store;
  const { libraryId, userId, type, id, targetId } = input;
  if (input.role === 'reader') throw new LinkError(403, 'readers cannot share');
  if (!(await shareTargets(db, libraryId, userId)).some((target) => target.id === targetId)) {
    throw new LinkError(403, 'share only into a library linked with this one in which you are a member');
  }
  const source = await loadLive(db, libraryId, type, id);
  if (!source) throw new LinkError(404, `no ${type} ${id.slice(0, 60)} in this library`);
  const f = source.fields;
  const sharedFrom = { libraryId, type, id };
  let fields: Record<string, unknown>;
  if (type === 'clip') {
    const { caseIds: _cases, companyId: _company, capturedBy: _by, contentHash: _hash, ...rest } = f;
    fields = { ...rest, sharedFrom };
  } else if (type === 'question') {
    fields = { title: f.title, body: f.body, status: f.status, sharedFrom };
  } else {
    // A case summary: its title, description, status and lessons, not its subgroup.
    fields = { title: f.title, description: f.description, lessons: f.lessons, status: f.status, sharedFrom };
  }
  const copy = copyId(id, targetId);
  const response = await pushChanges(store, { libraryId: targetId, userId, clientId: `share:${randomUUID()}`, mutations: [{ mid: 1, type, id: copy, op: 'put', fields }] });
  const result = response.results[0];
  if (result?.status !== 'applied') throw new LinkError(result?.error?.code === 'forbidden' ? 403 : 400, `not shared: ${result?.error?.message ?? 'refused'}`);
  return { id: copy, libraryId: targetId, type };
}

/** What one library gives a search of linked libraries: its clips, questions and case summaries. */
export interface LinkedSearchResult {
  libraryId: string;
  name: string;
  clips: ClipHit[];
  questions: CaseHit[];
  cases: CaseHit[];
}

/**
 * Search this library and every linked one the user also belongs to (any role), at once: each
 * library's own search, with its own access (the user's membership there), hits tagged by
 * library. A linked library holds only what members shared into it (copies) and its own
 * objects, so a member of one side never finds the other side's originals.
 */
export async function searchLinked(db: Db, libraryId: string, userId: string, q: string, limit = 10): Promise<LinkedSearchResult[]> {
  const { searchClips } = await import('../search/clips.ts');
  // Questions and cases are matched in memory as the web search matches cases (title first, a
  // snippet of the text), over a library's live ones, bounded.
  const accepted = (await linksOf(db, libraryId)).filter((link) => link.status === 'accepted');
  const own = await db.selectFrom('libraries').select(['id', 'name']).where('id', '=', libraryId).executeTakeFirstOrThrow();
  const libraries = [{ id: own.id, name: own.name }];
  for (const link of accepted) {
    const member = await db.selectFrom('memberships').select('role').where('library_id', '=', link.libraryId).where('user_id', '=', userId).executeTakeFirst();
    if (member) libraries.push({ id: link.libraryId, name: link.name });
  }
  const results: LinkedSearchResult[] = [];
  for (const library of libraries) {
    const found = await searchClips(db, { libraryId: library.id, q, limit });
    const questions = (await questionsOf(db, library.id)).map((question) => ({
      ...question,
      fields: { title: question.fields.title, description: question.fields.body, lessons: '', status: question.fields.status },
    }));
    const cases = await liveCases(db, library.id);
    results.push({ libraryId: library.id, name: library.name, clips: found.clips, questions: searchCases(questions, q).slice(0, limit), cases: searchCases(cases, q).slice(0, limit) });
  }
  return results;
}

/** A library's live cases (at most 2,000), for the linked search. */
async function liveCases(db: Db, libraryId: string): Promise<StoredObject<'case'>[]> {
  const rows = await db.selectFrom('cases').selectAll().where('library_id', '=', libraryId).where('deleted', '=', 0).limit(2000).execute();
  return rows.map((row) => rowToObject('case', row));
}
