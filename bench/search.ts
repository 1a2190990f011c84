// `npm run bench:search -- --clips 1000000 [--store sqlite|postgres|both]`: search latency per
// query class on a generated library, for each store, side by side with plain full ranking
// (FTS5 `ORDER BY rank`; on Postgres `ORDER BY ts_rank`) on the same data (issue 6). Prints
// figures; asserts nothing about time. Generated stores are cached under .bench/search.
// `--build-only` builds (or keeps) the stores and stops: build both stores at once, then measure
// each alone.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../service/db/connect.ts';
import { contentHash, saveObject, type StoredObject } from '../service/repos/objects.ts';
import { searchClips } from '../service/search/clips.ts';
import { filterQuery, postgresQueryStems, wordsQuery } from '../service/search/fts-postgres.ts';
import { matchExpression, parseUserQuery } from '../service/search/fts-sqlite.ts';
import { DEFAULTS } from '../shared/model.ts';
import { formatTable, generateClip, parseFlags, percentile, random, vocabulary } from './generate.ts';

const flags = parseFlags(process.argv.slice(2));
const TOTAL = Number(flags.clips ?? 100_000);
const QUERIES = Number(flags.queries ?? 100);
/** Plain full ranking of a common word costs seconds at 1M clips: fewer samples of it. */
const PLAIN_QUERIES = Number(flags['plain-queries'] ?? 20);
const PG_URL = flags.pg ?? process.env.CASEBOOK_BENCH_PG ?? process.env.CASEBOOK_TEST_PG;
const STORES = (flags.store ?? (PG_URL ? 'both' : 'sqlite')) === 'both' ? ['sqlite', 'postgres'] : [flags.store ?? 'sqlite'];
const DIR = resolve(flags.dir ?? '.bench/search');
const BATCH = 500;
mkdirSync(DIR, { recursive: true });
if (STORES.includes('postgres') && !PG_URL) throw new Error('--store postgres needs --pg URL or CASEBOOK_BENCH_PG / CASEBOOK_TEST_PG');

const log = (text: string) => process.stderr.write(text + '\n');

/** Same seed, same library: both stores get identical clips, ids included. */
const SEED = 6;
function seededUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface Manifest {
  clips: number;
  libraryId: string;
  caseIds: string[];
  memberIds: string[];
  seconds: number;
}

function targetOf(store: string): string {
  if (store === 'sqlite') return join(DIR, `sqlite-${TOTAL}.db`);
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-c search_path=bench_${TOTAL}`);
  return url.toString();
}
const manifestPath = (store: string) => join(DIR, `${store}-${TOTAL}.json`);

/**
 * Builds the library through the repository (saveObject: the same rows, index rows and search
 * rows a push writes), 500 clips a transaction. On Postgres the GIN index is dropped while
 * loading and built once at the end, as an admin would for a bulk import.
 */
async function build(storeName: string): Promise<Manifest> {
  if (storeName === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS bench_${TOTAL} CASCADE`);
    await admin.query(`CREATE SCHEMA bench_${TOTAL}`);
    await admin.end();
  }
  const store = await openStore(targetOf(storeName));
  const rand = random(SEED);
  const vocab = vocabulary(40_000, rand);
  const libraryId = seededUuid(rand);
  const stamp = '2024-01-01T00:00:00.000Z';
  await store.db.insertInto('libraries').values({ id: libraryId, name: 'Bench library', version: 0, created_at: stamp }).execute();
  const memberIds = Array.from({ length: 40 }, () => seededUuid(rand));
  for (const [i, id] of memberIds.entries()) {
    await store.db.insertInto('users').values({ id, email: `member${i}@example.org`, name: `Member ${i}`, organisation: `Org ${i % 8}`, intro: '', password_hash: null, created_at: stamp }).execute();
    await store.db.insertInto('memberships').values({ library_id: libraryId, user_id: id, role: 'member', created_at: stamp }).execute();
  }
  const caseIds = Array.from({ length: 60 }, () => seededUuid(rand));
  let version = 0;
  const object = (type: StoredObject['type'], id: string, fields: Record<string, unknown>, by: string): StoredObject => ({
    type, id, libraryId, version: ++version, deleted: false, fields, fieldVersions: {}, createdBy: by, updatedBy: by, createdAt: stamp, updatedAt: stamp,
  });
  for (const [i, id] of caseIds.entries()) await saveObject(store.db, store.dialect, object('case', id, { ...DEFAULTS.case, title: `Case ${i}` }, memberIds[i % memberIds.length]!), true);
  if (store.dialect === 'postgres') await sql`DROP INDEX clip_search_terms`.execute(store.db);

  const started = performance.now();
  for (let done = 0; done < TOTAL; ) {
    const count = Math.min(BATCH, TOTAL - done);
    await store.db.transaction().execute(async (trx) => {
      for (let j = 0; j < count; j++) {
        const clip = generateClip(vocab, rand, done + j, caseIds);
        const by = memberIds[Math.floor(rand() * memberIds.length)]!;
        // The clip's own text only: html would double the stored bytes without touching search.
        const { html: _html, ...generated } = clip.fields;
        const fields = { ...DEFAULTS.clip, ...generated, capturedBy: by, contentHash: contentHash(generated.text) };
        await saveObject(trx, store.dialect, object('clip', seededUuid(rand), fields, by), true);
      }
    });
    done += count;
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`\r  ${storeName}: ${done}/${TOTAL} clips (${(done / seconds).toFixed(0)} clips/s, ${seconds.toFixed(0)} s)`);
  }
  process.stderr.write('\n');
  await sql`UPDATE libraries SET version = ${version}`.execute(store.db);
  if (store.dialect === 'postgres') {
    log('  postgres: building the GIN index and statistics…');
    await sql`SET maintenance_work_mem = '1GB'`.execute(store.db);
    await sql`CREATE INDEX clip_search_terms ON clip_search USING gin (filters, doc)`.execute(store.db);
    await sql`VACUUM ANALYZE`.execute(store.db);
  } else {
    log('  sqlite: merging FTS5 segments (optimize) and checkpointing…');
    await sql`INSERT INTO clips_fts (clips_fts) VALUES ('optimize')`.execute(store.db);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
  }
  const manifest = { clips: TOTAL, libraryId, caseIds, memberIds, seconds: (performance.now() - started) / 1000 };
  await store.close();
  writeFileSync(manifestPath(storeName), JSON.stringify(manifest));
  return manifest;
}

async function openBuilt(storeName: string): Promise<{ store: Store; manifest: Manifest }> {
  const cached = existsSync(manifestPath(storeName)) && !flags.rebuild;
  const manifest = cached ? (JSON.parse(readFileSync(manifestPath(storeName), 'utf8')) as Manifest) : await build(storeName);
  if (cached) log(`  ${storeName}: using the cached library (${manifestPath(storeName)}; --rebuild to regenerate)`);
  return { store: await openStore(targetOf(storeName)), manifest };
}

// ---- the queries: the same list for both stores ----
const qrand = random(99);
const qvocab = vocabulary(40_000, random(SEED));
const pick = <T>(items: T[]) => items[Math.floor(qrand() * items.length)]!;
const ranked = (from: number, to: number) => qvocab.words.slice(from, to);
const phraseSource = Array.from({ length: 50 }, (_, i) => generateClip(qvocab, qrand, i, []).fields.text.toLowerCase().split(/[^a-z]+/).filter(Boolean));
const classes: Record<string, () => string> = {
  'rare word': () => pick(ranked(20_000, 40_000)),
  'common word': () => pick(ranked(0, 10)),
  // Two adjacent words of a generated clip: a phrase someone read, so it exists.
  phrase: () => {
    const words = pick(phraseSource);
    const at = Math.floor(qrand() * (words.length - 2));
    return `"${words[at]} ${words[at + 1]}"`;
  },
  prefix: () => pick(ranked(100, 2_000)).slice(0, 3) + '*',
  'common word + case': () => pick(ranked(0, 10)),
};
const queries = Object.fromEntries(Object.entries(classes).map(([name, make]) => [name, Array.from({ length: QUERIES }, () => ({ q: make(), caseIndex: Math.floor(qrand() * 60) }))]));

/** The baseline: every match ranked, no window (FTS5 bm25 rank / ts_rank), top 20. */
async function plainRanking(store: Store, libraryId: string, q: string, caseId: string | undefined): Promise<void> {
  const terms = parseUserQuery(q);
  const filters = { libraryId, ...(caseId ? { caseId } : {}) };
  if (store.dialect === 'sqlite') {
    await sql`SELECT rowid FROM clips_fts WHERE clips_fts MATCH ${matchExpression(filters, terms)} ORDER BY rank LIMIT 20`.execute(store.db);
  } else {
    const words = wordsQuery(terms, await postgresQueryStems(store.db, terms));
    await sql`SELECT seq FROM clip_search WHERE filters @@ ${filterQuery(filters)}::tsquery AND doc @@ to_tsquery('simple', ${words})
      ORDER BY ts_rank('{0.1, 0.25, 0.5, 1.0}', doc, to_tsquery('simple', ${words}), 1) DESC LIMIT 20`.execute(store.db);
  }
}

const rows: Array<Record<string, string | number>> = [];
const built: string[] = [];
for (const storeName of STORES) {
  const { store, manifest } = await openBuilt(storeName);
  if (flags['build-only']) {
    await store.close();
    continue;
  }
  built.push(`${storeName}: ${manifest.clips} clips, built in ${manifest.seconds.toFixed(0)} s`);
  for (const [name, list] of Object.entries(queries)) {
    const caseFor = (i: number) => (name.includes('case') ? manifest.caseIds[i] : undefined);
    // Warm the cache the way a running service is warm.
    for (const { q, caseIndex } of list.slice(0, 5)) await searchClips(store.db, store.dialect, { libraryId: manifest.libraryId, q, caseId: caseFor(caseIndex), limit: 20 });
    const times: number[] = [];
    let hits = 0;
    for (const { q, caseIndex } of list) {
      const started = performance.now();
      const result = await searchClips(store.db, store.dialect, { libraryId: manifest.libraryId, q, caseId: caseFor(caseIndex), limit: 20 });
      times.push(performance.now() - started);
      hits += result.clips.length;
    }
    // The same queries with their words quoted: matched as written only, as search did before
    // word forms (issue 17); the cost of the word forms in the same run.
    const exact: number[] = [];
    const asWritten = (q: string) => (q.startsWith('"') || q.endsWith('*') ? q : `"${q}"`);
    for (const { q, caseIndex } of list) {
      const started = performance.now();
      await searchClips(store.db, store.dialect, { libraryId: manifest.libraryId, q: asWritten(q), caseId: caseFor(caseIndex), limit: 20 });
      exact.push(performance.now() - started);
    }
    const plain: number[] = [];
    for (const { q, caseIndex } of list.slice(0, PLAIN_QUERIES)) {
      const started = performance.now();
      await plainRanking(store, manifest.libraryId, q, caseFor(caseIndex));
      plain.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    exact.sort((a, b) => a - b);
    plain.sort((a, b) => a - b);
    rows.push({
      store: storeName,
      'query class': name,
      'p50 ms': percentile(times, 50).toFixed(1),
      'p95 ms': percentile(times, 95).toFixed(1),
      'as written p50 ms': percentile(exact, 50).toFixed(1),
      'as written p95 ms': percentile(exact, 95).toFixed(1),
      'plain rank p50 ms': percentile(plain, 50).toFixed(1),
      'plain rank p95 ms': percentile(plain, 95).toFixed(1),
      'avg hits': (hits / list.length).toFixed(1),
    });
    log(`  ${storeName} ${name}: p95 ${percentile(times, 95).toFixed(1)} ms`);
  }
  await store.close();
}

if (flags['build-only']) process.exit(0);
console.log(`\nCasebook bench:search — ${TOTAL} clips (text 2-30 KB, Zipf vocabulary of 40,000 words), ${new Date().toISOString()}`);
console.log(built.map((line) => `  ${line}`).join('\n'));
console.log(`\nsearchClips, top 20 with snippets, ${QUERIES} queries a class (window: the ${'newest'} 400 matches, then ranked);`);
console.log('as written: the same queries quoted (no word forms, as before issue 17), same run');
console.log(`plain rank: every match ranked (SQLite FTS5 ORDER BY rank / Postgres ORDER BY ts_rank), ${PLAIN_QUERIES} queries a class\n`);
console.log(formatTable(rows));
