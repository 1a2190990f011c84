// Search in a library larger than one span of the index (PostgreSQL looks at spans of seqs, newest
// first; SQLite bounds a phrase of common words per request): a rare word whose clips are the
// oldest is still found, a prefix and a case filter give exactly their clips, a phrase of two
// common words that rarely stand together is found by paging on, and another library's newer
// clips never show. The expected clips are known from how the library was written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../service/db/store.ts';
import { clipSearchDocument } from '../../service/search/document.ts';
import { searchIndexOf } from '../../service/search/index.ts';
import type { ClipSearchParams } from '../../service/search/types.ts';
import { freshStore } from '../helpers/store.ts';
import { newId } from '../helpers/world.ts';

let store: Store;
const libraryId = newId();
const otherLibraryId = newId();
const caseId = newId();
const stamp = '2025-01-01T00:00:00.000Z';
const OURS = 3_000;
const THEIRS = 1_000;
const bySeq = new Map<number, string>();
// A third library: phrases with accents, digits, other scripts and more than two words.
const phraseLibraryId = newId();
const PHRASE_TEXTS = [
  'Les coopératives laitières du Kenya vendent plus.',
  'Молочный кооператив в Кении растёт.',
  'Covid 19 closed the market for two weeks.',
  'The living income reference price was paid in full.',
  'Income was living proof of the price reference.',
];

const rare = (i: number) => i % 1_000 === 7; // seqs 8, 1008, 2008: the oldest at the very bottom
const quinoa = (i: number) => i % 100 === 3;
const inCase = (i: number) => i % 500 === 1;
const fairPrice = (i: number) => i === 10 || i === 20; // "fair price" together, in two old clips only

function text(i: number): string {
  const words = ['The harvest report of the cooperative.', fairPrice(i) ? 'They agreed a fair price.' : 'The price was not fair to everyone.'];
  if (rare(i)) words.push('A shipment went to Zanzibar.');
  if (quinoa(i)) words.push('Quinoa growers joined.');
  return words.join(' ');
}

async function addClips(library: string, count: number, firstSeq: number, textOf: (i: number) => string): Promise<void> {
  for (let at = 0; at < count; at += 1_000) {
    const clips = Array.from({ length: Math.min(1_000, count - at) }, (_, k) => {
      const i = at + k;
      return { seq: firstSeq + i, id: newId(), libraryId: library, fields: <Record<string, unknown>>{ kind: 'article', url: `https://example.org/${firstSeq + i}`, title: `Report ${i}`, text: textOf(i), capturedBy: '', tags: [], caseIds: library === libraryId && inCase(i) ? [caseId] : [], lang: 'en' } };
    });
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('clips').values(clips.map((clip) => ({
        seq: clip.seq, id: clip.id, library_id: clip.libraryId, version: clip.seq, deleted: 0, data: JSON.stringify(clip.fields), field_versions: '{}',
        created_by: 'x', updated_by: 'x', created_at: stamp, updated_at: stamp, url: String(clip.fields.url), kind: 'article', title: String(clip.fields.title),
        company_id: null, captured_by: '', captured_at: stamp, domain: 'example.org',
      }))).execute();
      await searchIndexOf(trx).indexMany(trx, clips.map((clip) => ({ seq: clip.seq, doc: clipSearchDocument(clip) })));
    });
    if (library === libraryId) for (const clip of clips) bySeq.set(clip.seq, clip.id);
  }
}

beforeAll(async () => {
  store = await freshStore();
  for (const id of [libraryId, otherLibraryId]) await store.db.insertInto('libraries').values({ id, name: 'Spans', version: 0, created_at: stamp }).execute();
  await addClips(libraryId, OURS, 1, text);
  // Another library's clips, all newer than ours and holding every word we search for.
  await addClips(otherLibraryId, THEIRS, OURS + 1, () => 'The harvest report. A fair price in Zanzibar. Quinoa growers.');
  await store.db.insertInto('libraries').values({ id: phraseLibraryId, name: 'Phrases', version: 0, created_at: stamp }).execute();
  await addClips(phraseLibraryId, PHRASE_TEXTS.length, OURS + THEIRS + 1, (i) => PHRASE_TEXTS[i]!);
  // Statistics as a running server keeps them: on PostgreSQL they say our library's token is in
  // three rows of four, so the search checks the library on each row instead of through the index.
  await store.analyze();
}, 180_000);

afterAll(async () => {
  await store?.close();
});

const idsWhere = (test: (i: number) => boolean) => Array.from({ length: OURS }, (_, i) => i).filter(test).map((i) => bySeq.get(i + 1)!);

/** Every clip a search finds, page after page (a page may be short while the cursor goes on). */
async function all(q: string, extra: Partial<ClipSearchParams> = {}): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await searchIndexOf(store.db).search(store.db, { libraryId, q, limit: 100, order: 'newest', ...extra, ...(cursor ? { cursor } : {}) });
    ids.push(...page.clips.map((clip) => clip.id));
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 200);
  return { ids, pages };
}

describe('search in a library of many spans', () => {
  it('finds a rare word down to the oldest clip, newest first', async () => {
    const found = await all('zanzibar');
    expect(found.ids).toEqual(idsWhere(rare).reverse());
    expect(await searchIndexOf(store.db).count(store.db, { libraryId, q: 'zanzibar' }, 100)).toBe(3);
  });

  it('finds exactly the clips of a prefix and of a case', async () => {
    expect((await all('qui*')).ids).toEqual(idsWhere(quinoa).reverse());
    expect((await all('harvest', { caseId })).ids).toEqual(idsWhere(inCase).reverse());
  });

  it('pages through every clip of a common word once, newest first', async () => {
    const found = await all('harvest');
    expect(found.ids).toHaveLength(OURS);
    expect(found.ids).toEqual(idsWhere(() => true).reverse());
  });

  it('finds a phrase of common words that rarely stand together by paging on', async () => {
    const found = await all('"fair price"');
    expect(found.ids).toEqual(idsWhere(fairPrice).reverse());
    // The words alone are in every clip.
    const words = await searchIndexOf(store.db).search(store.db, { libraryId, q: 'fair price', limit: 20 });
    expect(words.clips).toHaveLength(20);
  });
});

describe('phrases', () => {
  const titles = async (q: string) => (await searchIndexOf(store.db).search(store.db, { libraryId: phraseLibraryId, q, limit: 20 })).clips.map((clip) => clip.title).sort();

  it('finds phrases whatever their accents, digits or script, and only where the words stand together', async () => {
    expect(await titles('"cooperatives laitieres du kenya"')).toEqual(['Report 0']);
    expect(await titles('"Coopératives Laitières"')).toEqual(['Report 0']);
    expect(await titles('"молочный кооператив"')).toEqual(['Report 1']);
    expect(await titles('"covid 19"')).toEqual(['Report 2']);
    expect(await titles('"living income reference price"')).toEqual(['Report 3']);
    expect(await titles('"income reference"')).toEqual(['Report 3']);
    expect(await titles('"price reference"')).toEqual(['Report 4']);
    expect(await titles('"reference price"')).toEqual(['Report 3']);
    expect(await titles('"living income" "price reference"')).toEqual([]);
    expect(await titles('living income')).toEqual(['Report 3', 'Report 4']);
  });

  it('finds words joined by hyphens as a phrase whose last word is a prefix', async () => {
    expect(await titles('living-income-ref*')).toEqual(['Report 3']);
    expect(await titles('living-proof-of-the-pri*')).toEqual(['Report 4']);
    expect(await titles('income-ref*')).toEqual(['Report 3']);
  });
});
