// `npm run bench:sync`: push throughput over HTTP side by side with a raw better-sqlite3 insert
// of the same rows with the same FTS index, pull of all changes, and search latency per query
// class on a generated library (issue 2). Prints figures; asserts nothing about time.
import { rmSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore } from '../service/db/connect.ts';
import { createLibrary, createToken, createUser, setMembership } from '../service/repos/accounts.ts';
import { contentHash } from '../service/repos/objects.ts';
import { searchClips } from '../service/search/clips.ts';
import { filterTokens } from '../service/search/fts-sqlite.ts';
import { pushChanges } from '../service/sync/push.ts';
import { DEFAULTS } from '../shared/model.ts';
import type { PullResponse, PushResponse } from '../shared/protocol.ts';
import { startServer } from '../test/helpers/processes.ts';
import { formatTable, generateClip, parseFlags, percentile, random, vocabulary, type GeneratedClip } from './generate.ts';

const flags = parseFlags(process.argv.slice(2));
const TOTAL = Number(flags.clips ?? 100_000);
const PUSHED = Math.min(TOTAL, Number(flags.push ?? 5_000));
const QUERIES = Number(flags.queries ?? 100);
const dir = resolve(flags.dir ?? '.bench/sync');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const log = (text: string) => process.stderr.write(text + '\n');
const rand = random(42);
const vocab = vocabulary(40_000, rand);

// ---- setup: a library, a member, a token, some cases ----
const servicePath = join(dir, 'service.db');
const store = await openStore(servicePath);
const library = await createLibrary(store.db, 'Bench library');
const user = await createUser(store.db, { email: 'bench@example.org', name: 'Bench', password: 'bench password 1' });
await setMembership(store.db, library.id, user.id, 'member');
const { token } = await createToken(store.db, user.id, 'bench');
const caseIds = Array.from({ length: 20 }, () => crypto.randomUUID());
await pushChanges(store, {
  libraryId: library.id,
  userId: user.id,
  clientId: 'bench-setup',
  mutations: caseIds.map((id, i) => ({ mid: i + 1, type: 'case', id, op: 'put', fields: { title: `Case ${i}` } })),
});
await store.close();

log(`generating ${PUSHED} clips for the push comparison…`);
const pushClips: GeneratedClip[] = Array.from({ length: PUSHED }, (_, i) => generateClip(vocab, rand, i, caseIds));
const avgHtml = pushClips.reduce((sum, clip) => sum + clip.fields.html.length, 0) / PUSHED;

// ---- push over HTTP, 50 mutations a request, against a real server process ----
const server = await startServer(servicePath);
const pushUrl = `${server.url}/api/v1/libraries/${library.id}/sync/push`;
let mid = 0;
let requests = 0;
/** Batches as a real client sends them: at most 50 mutations and 1 MiB a request. */
function* batches(clips: GeneratedClip[]) {
  let batch: object[] = [];
  let bytes = 100;
  for (const clip of clips) {
    const mutation = { mid: ++mid, type: 'clip', id: clip.id, op: 'put', fields: clip.fields };
    const size = JSON.stringify(mutation).length + 1;
    if (batch.length === 50 || (batch.length > 0 && bytes + size > 1024 * 1024 - 1024)) {
      yield batch;
      batch = [];
      bytes = 100;
    }
    batch.push(mutation);
    bytes += size;
  }
  if (batch.length) yield batch;
}
const httpStart = performance.now();
let sent = 0;
for (const mutations of batches(pushClips)) {
  const response = await fetch(pushUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'bench-http', mutations }) });
  const body = (await response.json()) as PushResponse;
  if (!response.ok || body.results.some((r) => r.status !== 'applied')) throw new Error(`push failed: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  requests += 1;
  sent += mutations.length;
  if (requests % 20 === 0) process.stderr.write(`\r  HTTP push ${sent}/${PUSHED}`);
}
const httpSeconds = (performance.now() - httpStart) / 1000;
process.stderr.write('\n');
await server.stop();

// ---- the same rows, raw: better-sqlite3 prepared inserts, same schema and FTS index ----
const rawPath = join(dir, 'raw.db');
const rawStore = await openStore(rawPath);
await rawStore.db.insertInto('libraries').values({ id: library.id, name: 'raw', version: 0, created_at: new Date().toISOString() }).execute();
await rawStore.close();
const raw = new SQLite(rawPath);
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
const insertClip = raw.prepare(`INSERT INTO clips (id, library_id, version, deleted, data, field_versions, created_by, updated_by, created_at, updated_at, url, kind, title, company_id, captured_by, captured_at)
  VALUES (?, ?, ?, 0, ?, '{}', ?, ?, ?, ?, ?, 'article', ?, NULL, ?, ?)`);
const insertFts = raw.prepare('INSERT INTO clips_fts (rowid, filters, title, body, note, tags, site) VALUES (?, ?, ?, ?, ?, ?, ?)');
const insertTag = raw.prepare('INSERT INTO clip_tags (library_id, clip_id, tag) VALUES (?, ?, ?)');
const insertBatch = raw.transaction((batch: GeneratedClip[], firstVersion: number) => {
  batch.forEach((clip, j) => {
    const now = new Date().toISOString();
    const fields = { ...DEFAULTS.clip, ...clip.fields, capturedBy: user.id, contentHash: contentHash(clip.fields.text) };
    const info = insertClip.run(clip.id, library.id, firstVersion + j, JSON.stringify(fields), user.id, user.id, now, now, fields.url, fields.title, user.id, fields.capturedAt);
    for (const tag of fields.tags) insertTag.run(library.id, clip.id, tag);
    insertFts.run(info.lastInsertRowid, filterTokens({ libraryId: library.id, caseIds: fields.caseIds, tags: fields.tags, capturedBy: user.id, companyId: null, kind: 'article' }), fields.title, fields.text, '', fields.tags.join(' '), fields.siteName);
  });
});
const rawStart = performance.now();
for (let i = 0; i < PUSHED; i += 50) insertBatch(pushClips.slice(i, i + 50), i + 1);
const rawSeconds = (performance.now() - rawStart) / 1000;
raw.close();

// ---- fill the library up to TOTAL through the same push code, in process ----
const filled = await openStore(servicePath);
if (TOTAL > PUSHED) {
  log(`filling the library to ${TOTAL} clips through pushChanges (in process)…`);
  const fillStart = performance.now();
  for (let i = PUSHED; i < TOTAL; i += 200) {
    const count = Math.min(200, TOTAL - i);
    const mutations = Array.from({ length: count }, (_, j) => {
      const clip = generateClip(vocab, rand, i + j, caseIds);
      return { mid: ++mid, type: 'clip', id: clip.id, op: 'put', fields: clip.fields };
    });
    await pushChanges(filled, { libraryId: library.id, userId: user.id, clientId: 'bench-http', mutations });
    if ((i / 200) % 25 === 0) process.stderr.write(`\r  ${i + count}/${TOTAL} (${((i + count - PUSHED) / ((performance.now() - fillStart) / 1000)).toFixed(0)} clips/s)`);
  }
  process.stderr.write('\n');
}
await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(filled.db);

// ---- pull everything over HTTP ----
const server2 = await startServer(servicePath);
let since = 0;
let pulled = 0;
const pullStart = performance.now();
for (;;) {
  const response = await fetch(`${server2.url}/api/v1/libraries/${library.id}/sync/pull?since=${since}&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
  const page = (await response.json()) as PullResponse;
  pulled += page.changes.length;
  since = page.version;
  if (!page.more) break;
}
const pullSeconds = (performance.now() - pullStart) / 1000;
await server2.stop();

// ---- search latency per query class, through the API's search function ----
const rank = (from: number, to: number) => vocab.words.slice(from, to);
const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)]!;
const sample = pushClips.slice(0, 200).map((clip) => clip.fields.text.split(/\s+/).map((w) => w.replace(/[^a-z]/gi, '').toLowerCase()));
const classes: Record<string, () => string> = {
  'rare word': () => pick(rank(20_000, 40_000)),
  'common word': () => pick(rank(0, 10)),
  phrase: () => {
    const words = pick(sample);
    const at = Math.floor(rand() * (words.length - 2));
    return `"${words[at]} ${words[at + 1]}"`;
  },
  prefix: () => pick(rank(100, 2_000)).slice(0, 3) + '*',
  'common word + case': () => pick(rank(0, 10)),
};
const rows: Array<Record<string, string | number>> = [];
for (const [name, makeQuery] of Object.entries(classes)) {
  const times: number[] = [];
  const plain: number[] = [];
  let hits = 0;
  for (let i = 0; i < QUERIES; i++) {
    const q = makeQuery();
    const caseId = name.includes('case') ? pick(caseIds) : undefined;
    const started = performance.now();
    const result = await searchClips(filled.db, { libraryId: library.id, q, caseId, limit: 20 });
    times.push(performance.now() - started);
    hits += result.clips.length;
    // Baseline: plain FTS5 ranking of every match on the same text.
    const text = q.endsWith('*') ? `"${q.slice(0, -1)}" *` : q.startsWith('"') ? q : `"${q}"`;
    const plainStart = performance.now();
    await sql`SELECT rowid FROM clips_fts WHERE clips_fts MATCH ${'{title body note tags site} : ' + text} ORDER BY rank LIMIT 20`.execute(filled.db);
    plain.push(performance.now() - plainStart);
  }
  times.sort((a, b) => a - b);
  plain.sort((a, b) => a - b);
  rows.push({
    'query class': name,
    'p50 ms': percentile(times, 50).toFixed(2),
    'p95 ms': percentile(times, 95).toFixed(2),
    'plain FTS5 rank p50': percentile(plain, 50).toFixed(2),
    'plain FTS5 rank p95': percentile(plain, 95).toFixed(2),
    'avg hits': (hits / QUERIES).toFixed(1),
  });
}
await filled.close();

console.log(`\nCasebook bench:sync — ${TOTAL} clips (avg HTML ${(avgHtml / 1024).toFixed(1)} KB), SQLite, ${new Date().toISOString()}\n`);
console.log(formatTable([
  { measure: `push over HTTP (${PUSHED} clips in ${requests} requests of ≤50 mutations, ≤1 MiB)`, 'clips/s': (PUSHED / httpSeconds).toFixed(0), seconds: httpSeconds.toFixed(2) },
  { measure: `raw better-sqlite3 insert, same rows + FTS (50 a transaction)`, 'clips/s': (PUSHED / rawSeconds).toFixed(0), seconds: rawSeconds.toFixed(2) },
  { measure: 'ratio push / raw', 'clips/s': (rawSeconds / httpSeconds).toFixed(2), seconds: '' },
  { measure: `pull all ${pulled} changes over HTTP (1000 a page)`, 'clips/s': (pulled / pullSeconds).toFixed(0), seconds: pullSeconds.toFixed(2) },
]));
console.log(`\nsearch, ${QUERIES} queries a class, top 20 (searchClips in process; baseline: FTS5 ORDER BY rank)\n`);
console.log(formatTable(rows));
