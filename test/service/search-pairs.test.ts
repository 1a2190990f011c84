// Phrases on both stores against what the texts say: clips of words drawn from a small vocabulary
// (so most phrases have all their words in many clips, and stand together in few), every phrase
// searched and compared with the clips whose title or text holds it word for word. On PostgreSQL
// a candidate's pair signature (search/pairs.ts) decides whether its vector is read at all: the
// comparison shows it never hides a clip, a zeroed signature shows it is consulted, and a row
// without one (written before migration 014) is read as before until the migration gives it one.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as pairsMigration } from '../../service/db/migrations/014_phrase_pairs.ts';
import type { Store } from '../../service/db/store.ts';
import { clipSearchDocument } from '../../service/search/document.ts';
import { searchIndexOf } from '../../service/search/index.ts';
import { pairBits, pairSignature, pairWords, phraseBits, PAIR_BITS } from '../../service/search/pairs.ts';
import { freshStore } from '../helpers/store.ts';
import { newId } from '../helpers/world.ts';

const isSet = (signature: Buffer, bit: number) => (signature[bit >> 3]! & (1 << (bit & 7))) !== 0;

describe('pair signatures', () => {
  it('hold every pair of adjacent words, across fields too, folded as search folds them', () => {
    const signature = pairSignature(['Coopératives Laitières', 'kenya, dairy', 'Price-reference report']);
    for (const [a, b] of [['cooperatives', 'laitieres'], ['laitieres', 'kenya'], ['kenya', 'dairy'], ['dairy', 'price'], ['price', 'reference'], ['reference', 'report']]) {
      expect(pairBits(a!, b!).every((bit) => isSet(signature, bit)), `${a} ${b}`).toBe(true);
    }
    expect(phraseBits(['cooperatives', 'laitieres', 'kenya']).every((bit) => isSet(signature, bit))).toBe(true);
    expect(signature.length * 8).toBe(PAIR_BITS);
  });

  it('lack most pairs a text does not have', () => {
    const words = Array.from({ length: 600 }, (_, i) => `w${(i * 7919) % 2003}`);
    const signature = pairSignature([words.join(' ')]);
    let maybe = 0;
    for (let i = 0; i < 1_000; i++) if (phraseBits([`x${i}`, `y${i}`]).every((bit) => isSet(signature, bit))) maybe++;
    // About 2% for 600 words in 8,192 bits with two bits a pair.
    expect(maybe).toBeLessThan(60);
  });

  it('leave out words PostgreSQL cannot index, so their neighbours meet as the vector has them', () => {
    expect(pairWords(`a ${'x'.repeat(3_000)} b`)).toEqual(['a', 'b']);
  });
});

let store: Store;
const libraryId = newId();
const stamp = '2025-01-01T00:00:00.000Z';
const VOCABULARY = ['cocoa', 'price', 'fair', 'farmers', 'living', 'income', 'premium', 'cooperative', 'women', 'trade', 'école', 'prix', 'markt', 'eerlijk'];
const CLIPS = 300;
const texts: Array<{ seq: number; id: string; title: string; text: string }> = [];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const rand = random(17);
const draw = (n: number) => Array.from({ length: n }, () => VOCABULARY[Math.floor(rand() * VOCABULARY.length)]!).join(' ');

beforeAll(async () => {
  store = await freshStore();
  await store.db.insertInto('libraries').values({ id: libraryId, name: 'Pairs', version: 0, created_at: stamp }).execute();
  for (let i = 0; i < CLIPS; i++) texts.push({ seq: i + 1, id: newId(), title: draw(3), text: draw(20 + Math.floor(rand() * 40)) });
  const clips = texts.map((clip) => ({ ...clip, libraryId, fields: <Record<string, unknown>>{ kind: 'article', url: `https://example.org/${clip.seq}`, title: clip.title, text: clip.text, capturedBy: '', tags: [], caseIds: [], lang: 'en' } }));
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('clips').values(clips.map((clip) => ({
      seq: clip.seq, id: clip.id, library_id: libraryId, version: clip.seq, deleted: 0, data: JSON.stringify(clip.fields), field_versions: '{}',
      created_by: 'x', updated_by: 'x', created_at: stamp, updated_at: stamp, url: String(clip.fields.url), kind: 'article', title: clip.title,
      company_id: null, captured_by: '', captured_at: stamp, domain: 'example.org',
    }))).execute();
    await searchIndexOf(trx).indexMany(trx, clips.map((clip) => ({ seq: clip.seq, doc: clipSearchDocument(clip) })));
  });
  await store.analyze();
}, 120_000);

afterAll(async () => {
  await store?.close();
});

/** Every clip a search finds, page after page. */
async function found(q: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await searchIndexOf(store.db).search(store.db, { libraryId, q, limit: 100, order: 'newest', ...(cursor ? { cursor } : {}) });
    ids.push(...page.clips.map((clip) => clip.id));
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return ids.sort();
}

/** The clips whose title or text holds the words side by side (the site stands between them in a search row). */
function holding(words: string[]): string[] {
  const has = (text: string) => ` ${pairWords(text).join(' ')} `.includes(` ${words.join(' ')} `);
  return texts.filter((clip) => has(clip.title) || has(clip.text)).map((clip) => clip.id).sort();
}

const phrases = Array.from({ length: 40 }, (_, i) => pairWords(draw(2 + (i % 3))));

describe('phrases in clips of a small vocabulary', () => {
  it('finds exactly the clips that hold each phrase word for word', async () => {
    let some = 0;
    for (const words of phrases) {
      const expected = holding(words);
      if (expected.length > 0) some++;
      expect(await found(`"${words.join(' ')}"`), words.join(' ')).toEqual(expected);
    }
    // The draw gives phrases found in some clips and phrases found in none.
    expect(some).toBeGreaterThan(5);
    expect(some).toBeLessThan(phrases.length);
  });

  it.runIf(process.env.CASEBOOK_TEST_STORE === 'postgres')('reads a clip only when its signature allows the phrase, and a row without one as before', async () => {
    const words = phrases.find((candidate) => holding(candidate).length >= 2)!;
    const [first] = holding(words);
    const seq = texts.find((clip) => clip.id === first)!.seq;
    await sql`UPDATE clip_search SET pairs = ${Buffer.alloc(PAIR_BITS / 8)} WHERE seq = ${seq}`.execute(store.db);
    expect(await found(`"${words.join(' ')}"`)).toEqual(holding(words).filter((id) => id !== first));
    // Rows as written before migration 014: no signature, the vector decides.
    await sql`UPDATE clip_search SET pairs = NULL`.execute(store.db);
    for (const phrase of phrases.slice(0, 10)) expect(await found(`"${phrase.join(' ')}"`)).toEqual(holding(phrase));
    // The migration gives every row its signature again.
    await store.db.transaction().execute((trx) => pairsMigration(trx));
    const missing = await sql<{ n: string }>`SELECT count(*) AS n FROM clip_search WHERE pairs IS NULL`.execute(store.db);
    expect(Number(missing.rows[0]!.n)).toBe(0);
    const index = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'clip_search_terms'`.execute(store.db);
    expect(Number(index.rows[0]!.n)).toBe(1);
    for (const phrase of phrases) expect(await found(`"${phrase.join(' ')}"`)).toEqual(holding(phrase));
  });
});
