// The store's SearchIndex (service/search/index.ts): chosen once from the store, clips written
// in bulk are found as one written one at a time would be, a removed clip is gone, and paging a
// common word through more than one candidate window gives every match once, newest first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../service/db/store.ts';
import { clipSearchDocument } from '../../service/search/document.ts';
import { searchIndexOf } from '../../service/search/index.ts';
import { CANDIDATE_WINDOW, type ClipSearchParams } from '../../service/search/types.ts';
import { freshStore, TEST_STORE } from '../helpers/store.ts';
import { newId } from '../helpers/world.ts';

let store: Store;
const libraryId = newId();
const otherLibraryId = newId();
const caseId = newId();
const stamp = '2025-01-01T00:00:00.000Z';
/** More clips than one candidate window holds, all with the word "harvest". */
const MANY = CANDIDATE_WINDOW + 60;
const ids: string[] = [];

async function addClips(library: string, fieldsOf: (i: number) => Record<string, unknown>, count: number, firstSeq: number): Promise<void> {
  const clips = Array.from({ length: count }, (_, i) => ({ seq: firstSeq + i, id: newId(), libraryId: library, fields: <Record<string, unknown>>{ kind: 'article', url: `https://example.org/${firstSeq + i}`, capturedBy: '', tags: [], caseIds: [], lang: 'en', ...fieldsOf(i) } }));
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('clips').values(clips.map((clip) => ({
      seq: clip.seq, id: clip.id, library_id: clip.libraryId, version: clip.seq, deleted: 0, data: JSON.stringify(clip.fields), field_versions: '{}',
      created_by: 'x', updated_by: 'x', created_at: stamp, updated_at: stamp, url: String(clip.fields.url), kind: 'article', title: String(clip.fields.title ?? ''),
      company_id: null, captured_by: '', captured_at: stamp, domain: 'example.org',
    }))).execute();
    await searchIndexOf(trx).indexMany(trx, clips.map((clip) => ({ seq: clip.seq, doc: clipSearchDocument(clip) })));
  });
  if (library === libraryId) ids.push(...clips.map((clip) => clip.id));
}

beforeAll(async () => {
  store = await freshStore();
  for (const id of [libraryId, otherLibraryId]) await store.db.insertInto('libraries').values({ id, name: 'Index test', version: 0, created_at: stamp }).execute();
  await addClips(libraryId, (i) => ({ title: `Report ${i}`, text: `The harvest of season ${i} was sold by the cooperative.${i % 3 === 0 ? ' Premiums were paid to farmers.' : ''}`, caseIds: i % 10 === 0 ? [caseId] : [] }), MANY, 1);
  // Another library's clips, newer than all of ours: never shown, and they crowd the window.
  await addClips(otherLibraryId, (i) => ({ title: `Other ${i}`, text: 'The harvest elsewhere.' }), CANDIDATE_WINDOW + 10, MANY + 1);
}, 120_000);

afterAll(async () => {
  await store?.close();
});

const search = (q: string, extra: Partial<ClipSearchParams> = {}) => searchIndexOf(store.db).search(store.db, { libraryId, q, ...extra });

describe('SearchIndex', () => {
  it('is the one of the store, the same for a transaction of it', async () => {
    const index = searchIndexOf(store.db);
    expect(index.kind).toBe(TEST_STORE === 'postgres' ? 'postgres-tsvector' : 'sqlite-fts5');
    await store.db.transaction().execute(async (trx) => {
      expect(searchIndexOf(trx)).toBe(index);
    });
  });

  it('finds clips written in bulk by word form, phrase, prefix and case', async () => {
    const premium = await search('premium', { limit: 100 });
    expect(premium.clips.length).toBeGreaterThan(0);
    for (const clip of premium.clips) expect(clip.snippet).toMatch(/<mark>premiums<\/mark>/i);
    expect((await search('"paid to farmers"', { limit: 5 })).clips).toHaveLength(5);
    expect((await search('"farmers to paid"')).clips).toHaveLength(0);
    expect((await search('cooperat*', { limit: 3 })).clips).toHaveLength(3);
    const inCase = await search('harvest', { caseId, limit: 100 });
    expect(inCase.clips.map((clip) => clip.id).sort()).toEqual(ids.filter((_, i) => i % 10 === 0).sort());
  });

  it('pages a word found in more clips than a window holds: every match once, newest first, none of another library', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 40; page++) {
      const result = await searchIndexOf(store.db).search(store.db, { libraryId, q: 'harvest', order: 'newest', limit: 50, ...(cursor ? { cursor } : {}) });
      seen.push(...result.clips.map((clip) => clip.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toHaveLength(MANY);
    expect(seen).toEqual([...ids].reverse());
  });

  it('counts the matches of the library up to a cap, with the same word forms and filters', async () => {
    const index = searchIndexOf(store.db);
    expect(await index.count(store.db, { libraryId, q: 'harvest' }, 10_000)).toBe(MANY);
    expect(await index.count(store.db, { libraryId, q: 'harvest' }, 25)).toBe(25);
    expect(await index.count(store.db, { libraryId, q: 'premium' }, 10_000)).toBe(Math.ceil(MANY / 3));
    expect(await index.count(store.db, { libraryId, q: 'harvest', caseId }, 10_000)).toBe(Math.ceil(MANY / 10));
    expect(await index.count(store.db, { libraryId, q: '"farmers to paid"' }, 10_000)).toBe(0);
  });

  it('forgets a removed clip', async () => {
    const index = searchIndexOf(store.db);
    const before = await search('"season 7 was"');
    expect(before.clips.map((clip) => clip.id)).toEqual([ids[7]]);
    await index.remove(store.db, 8);
    expect((await search('"season 7 was"')).clips).toHaveLength(0);
    // A clip indexed again (an edit) is found by its new words only.
    await index.index(store.db, 8, clipSearchDocument({ libraryId, fields: { title: 'Report 7', text: 'Rewritten about drought.', kind: 'article', lang: 'en' } }), true);
    expect((await search('drought')).clips.map((clip) => clip.id)).toEqual([ids[7]]);
    await index.index(store.db, 8, clipSearchDocument({ libraryId, fields: { title: 'Report 7', text: 'Rewritten about floods.', kind: 'article', lang: 'en' } }), false);
    expect((await search('drought')).clips).toHaveLength(0);
    expect((await search('floods')).clips.map((clip) => clip.id)).toEqual([ids[7]]);
  });
});
