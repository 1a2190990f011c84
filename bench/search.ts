// `npm run bench:search -- --clips 1000000 [--store sqlite|postgres|both] [--baseline 100000]`:
// search latency per query class on a generated library, for each store, through the store's
// SearchIndex (the code the service runs), beside the same classes on a smaller library
// (--baseline, 100k by default; 0: none) measured in the same run. Prints p50/p95/p99 and hits;
// asserts nothing about time. Libraries are built once and cached under bench/.data/search
// (bench/corpus.ts); `--build-only` builds them and stops, so a busy machine can build early
// and measure late; `--max-seconds N` stops a build after N seconds and the next run resumes it
// (so does a killed build). `--warm N` (100) other queries of each class run first, so the
// store's shared pages are in memory as in a running service; no measured query runs twice. Clip text is 400-4,000 bytes by default (--text-min/--text-max): a million
// 2-30 KB articles would take 70 GB per store.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Store } from '../service/db/store.ts';
import { searchIndexOf } from '../service/search/index.ts';
import { BuildStopped, openCorpus, type CorpusOptions, type Manifest } from './corpus.ts';
import { formatTable, generateClip, parseFlags, percentile, random, SEED_VOCABULARY, vocabulary } from './generate.ts';

const flags = parseFlags(process.argv.slice(2));
const TOTAL = Number(flags.clips ?? 100_000);
const BASELINE = Number(flags.baseline ?? (TOTAL > 100_000 ? 100_000 : 0));
const QUERIES = Number(flags.queries ?? 100);
const PG_URL = flags.pg ?? process.env.CASEBOOK_BENCH_PG ?? process.env.CASEBOOK_TEST_PG;
const STORES = (flags.store ?? (PG_URL ? 'both' : 'sqlite')) === 'both' ? ['sqlite', 'postgres'] : [flags.store ?? 'sqlite'];
const size = { min: Number(flags['text-min'] ?? 400), max: Number(flags['text-max'] ?? 4_000) };
if (!Number.isSafeInteger(TOTAL) || TOTAL < 1000) throw new Error('--clips: at least 1000');
if (STORES.includes('postgres') && !PG_URL) throw new Error('--store postgres needs --pg URL or CASEBOOK_BENCH_PG / CASEBOOK_TEST_PG');
const log = (text: string) => process.stderr.write(text + '\n');
// One PostgreSQL connection: its server process is the one whose CPU time a query costs.
process.env.CASEBOOK_PG_POOL = '1';
const options = (clips: number): CorpusOptions => ({ clips, size, ...(flags.dir ? { dir: flags.dir } : {}), ...(PG_URL ? { pgUrl: PG_URL } : {}), rebuild: flags.rebuild === 'true', ...(flags['max-seconds'] ? { maxSeconds: Number(flags['max-seconds']) } : {}), log });

// ---- the queries: the same list for every store and size ----
const qrand = random(99);
const qvocab = vocabulary(40_000, random(SEED_VOCABULARY));
const pick = <T>(items: T[]) => items[Math.floor(qrand() * items.length)]!;
const ranked = (from: number, to: number) => qvocab.words.slice(from, to);
const phraseSource = Array.from({ length: 50 }, (_, i) => generateClip(qvocab, qrand, i, []).fields.text.toLowerCase().split(/[^a-z]+/).filter(Boolean));
const classes: Record<string, () => string> = {
  'rare word': () => pick(ranked(20_000, 40_000)),
  'common word': () => pick(ranked(0, 10)),
  // Two adjacent words of a text drawn from the same vocabulary: common pairs exist, rarer ones
  // may not (the search must then give up quickly, not walk the library).
  phrase: () => {
    const words = pick(phraseSource);
    const at = Math.floor(qrand() * (words.length - 2));
    return `"${words[at]} ${words[at + 1]}"`;
  },
  prefix: () => pick(ranked(100, 2_000)).slice(0, 3) + '*',
  'two words': () => `${pick(ranked(0, 200))} ${pick(ranked(200, 5_000))}`,
  'common word + case': () => pick(ranked(0, 10)),
  'rare word + case': () => pick(ranked(2_000, 20_000)),
  'newest (no words)': () => '',
  'newest in a case': () => '',
};
const queries = Object.fromEntries(Object.entries(classes).map(([name, make]) => [name, Array.from({ length: QUERIES }, () => ({ q: make(), caseIndex: Math.floor(qrand() * 60) }))]));
// Warm-up queries: other queries of the same classes (drawn after the measured ones), so the
// store's shared pages (index roots, common words' lists) are in memory as in a running service,
// while no measured query has been answered before.
const WARM = Number(flags.warm ?? 100);
const warmups = Object.fromEntries(Object.entries(classes).map(([name, make]) => [name, Array.from({ length: WARM }, () => ({ q: make(), caseIndex: Math.floor(qrand() * 60) }))]));

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  /** CPU time of the query (this process plus, on PostgreSQL, its server process): what it costs whatever else the machine runs. */
  cpu50: number;
  cpu95: number;
  cpu99: number;
  hits: number;
}

/**
 * CPU time (ms) this process and the PostgreSQL server process of its one connection have used.
 * SQLite runs inside this process (better-sqlite3), so its work is in process.cpuUsage(); the
 * server's comes from /proc/<pid>/schedstat (ns on CPU), readable when the server runs on this
 * machine. On a machine shared with other work, wall time also counts the time a query waited
 * for a core; CPU time does not.
 */
function cpuClock(serverPid: number | undefined): () => number {
  const server = () => {
    if (serverPid === undefined) return 0;
    try {
      return Number(readFileSync(`/proc/${serverPid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      return 0;
    }
  };
  return () => {
    const own = process.cpuUsage();
    return (own.user + own.system) / 1000 + server();
  };
}

async function measure(store: Store, manifest: Manifest): Promise<Map<string, Figures>> {
  const index = searchIndexOf(store.db);
  const figures = new Map<string, Figures>();
  for (const [name, list] of Object.entries(queries)) {
    const caseFor = (i: number) => (name.includes('case') ? { caseId: manifest.caseIds[i]! } : {});
    const search = (q: string, caseIndex: number) => index.search(store.db, { libraryId: manifest.libraryId, q, ...caseFor(caseIndex), limit: 20 });
    // Warm the cache the way a running service is warm.
    for (const { q, caseIndex } of warmups[name]!) await search(q, caseIndex);
    const serverPid = store.dialect === 'postgres' ? (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db)).rows[0]!.pid : undefined;
    const cpu = cpuClock(serverPid);
    const times: number[] = [];
    const cpus: number[] = [];
    let hits = 0;
    for (const { q, caseIndex } of list) {
      const cpuBefore = cpu();
      const started = performance.now();
      const result = await search(q, caseIndex);
      times.push(performance.now() - started);
      cpus.push(cpu() - cpuBefore);
      hits += result.clips.length;
    }
    times.sort((a, b) => a - b);
    cpus.sort((a, b) => a - b);
    figures.set(name, {
      p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99),
      cpu50: percentile(cpus, 50), cpu95: percentile(cpus, 95), cpu99: percentile(cpus, 99),
      hits: hits / list.length,
    });
    log(`  ${index.kind} ${manifest.clips} ${name}: p95 ${percentile(times, 95).toFixed(1)} ms, CPU p95 ${percentile(cpus, 95).toFixed(1)} ms`);
  }
  return figures;
}

const sizes = BASELINE > 0 ? [BASELINE, TOTAL] : [TOTAL];
const results = new Map<string, Map<number, { figures: Map<string, Figures>; manifest: Manifest }>>();
for (const storeName of STORES) {
  for (const clips of sizes) {
    let opened;
    try {
      opened = await openCorpus(storeName, options(clips));
    } catch (error) {
      if (!(error instanceof BuildStopped)) throw error;
      log(`  ${error.message}`);
      continue;
    }
    const { store, manifest } = opened;
    if (flags['build-only'] !== 'true') {
      if (!results.has(storeName)) results.set(storeName, new Map());
      results.get(storeName)!.set(clips, { figures: await measure(store, manifest), manifest });
    }
    await store.close();
  }
}
if (flags['build-only'] === 'true') process.exit(0);

const f = (n: number) => n.toFixed(1);
console.log(`\nCasebook bench:search, ${new Date().toISOString()}: clips of ${size.min}-${size.max} bytes of text, Zipf vocabulary of 40,000 words, one library, 60 cases (30% of clips in one);`);
console.log(`SearchIndex.search, top 20 with snippets, ${QUERIES} queries a class after ${WARM} other warm-up queries of the class; ms of wall time, and of CPU time (this process + its PostgreSQL server process);`);
console.log(`hits: clips on the first page. Load average at the end: ${(await import('node:os')).loadavg().map((n) => n.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
for (const [storeName, bySize] of results) {
  const big = bySize.get(TOTAL);
  if (!big) continue;
  const base = BASELINE > 0 ? bySize.get(BASELINE) : undefined;
  console.log(`\n${storeName}: ${TOTAL} clips (built in ${big.manifest.seconds.toFixed(0)} s)${base ? `, beside ${BASELINE} clips measured in the same run` : ''}\n`);
  const rows = Object.keys(queries).map((name) => {
    const at = big.figures.get(name)!;
    const row: Record<string, string> = { 'query class': name, p50: f(at.p50), p95: f(at.p95), p99: f(at.p99), 'cpu p50': f(at.cpu50), 'cpu p95': f(at.cpu95), 'cpu p99': f(at.cpu99), hits: f(at.hits) };
    if (base) {
      const b = base.figures.get(name)!;
      const k = `@${BASELINE / 1000}k`;
      Object.assign(row, { [`p50 ${k}`]: f(b.p50), [`p95 ${k}`]: f(b.p95), [`p99 ${k}`]: f(b.p99), [`cpu p95 ${k}`]: f(b.cpu95), [`hits ${k}`]: f(b.hits) });
    }
    row['p95 ≤ 20'] = at.p95 <= 20 ? 'yes' : 'NO';
    return row;
  });
  console.log(formatTable(rows));
}
