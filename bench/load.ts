// `npm run bench:load [-- --seconds 20 --clips 100000 --store sqlite|postgres|both --pg URL]`:
// runs the real service (`casebook serve`, its own process) and drives it over loopback with
// autocannon as 50 members searching and browsing while 10 others push clips, for a fixed time.
// Reports per route: requests a second, p50/p95/p99 latency, errors; and the service's memory
// (resident set, sampled). SQLite: one service process; PostgreSQL: two processes on one
// database, the members and pushers split between them. Each store is measured twice: on an
// (almost) empty library and on the library bench:search generated (--clips, built first by
// `npm run bench:search -- --clips N --build-only`). Prints figures; asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openStore } from '../service/db/connect.ts';
import { createLibrary, createToken, createUser, setMembership } from '../service/repos/accounts.ts';
import { manifestPath, targetOf, type CorpusOptions } from './corpus.ts';
import { formatTable, parseFlags, percentile, random, vocabulary } from './generate.ts';

const flags = parseFlags(process.argv.slice(2));
const SECONDS = Math.min(Number(flags.seconds ?? 20), 120);
const CLIPS = Number(flags.clips ?? 100_000);
const PG_URL = flags.pg ?? process.env.CASEBOOK_BENCH_PG ?? process.env.CASEBOOK_TEST_PG;
const STORES = (flags.store ?? (PG_URL ? 'both' : 'sqlite')) === 'both' ? ['sqlite', 'postgres'] : [flags.store ?? 'sqlite'];
const CORPUS: CorpusOptions = { clips: CLIPS, size: { min: Number(flags['text-min'] ?? 400), max: Number(flags['text-max'] ?? 4_000) }, ...(flags.dir ? { dir: flags.dir } : {}), ...(PG_URL ? { pgUrl: PG_URL } : {}) };
const DIR = resolve('bench/.data/load');
const BASE_PORT = Number(flags.port ?? 18700);
if (STORES.includes('postgres') && !PG_URL) throw new Error('--store postgres needs --pg URL or CASEBOOK_BENCH_PG / CASEBOOK_TEST_PG');
mkdirSync(DIR, { recursive: true });
const log = (text: string) => process.stderr.write(text + '\n');

/** Who does what: 50 members reading (split over the read routes), 10 pushing. */
const READERS = { search: 20, newest: 10, 'case filter': 8, 'clip by id': 8, cases: 4 } as const;
const PUSHERS = 10;

interface Target {
  name: string;
  /** --db of the service. */
  db: string;
  libraryId: string;
  caseIds: string[];
}

// ---- stores ----

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

async function freshSchema(schema: string): Promise<string> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return withSchema(PG_URL!, schema);
}

/** The empty library: a new store with one library and its cases. */
async function emptyTarget(storeName: string): Promise<Target> {
  let db: string;
  if (storeName === 'sqlite') {
    db = join(DIR, 'empty.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  } else db = await freshSchema('load_empty');
  const store = await openStore(db);
  const library = await createLibrary(store.db, 'Load library');
  await store.close();
  return { name: 'empty', db, libraryId: library.id, caseIds: [] };
}

/** The generated library of bench:search (SQLite: a copy, so its cached store stays as built). */
function fullTarget(storeName: string): Target | undefined {
  const path = manifestPath(storeName, CORPUS);
  if (!existsSync(path)) return undefined;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { libraryId: string; caseIds: string[] };
  let db: string;
  if (storeName === 'sqlite') {
    db = join(DIR, `full-${CLIPS}.db`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
    copyFileSync(targetOf('sqlite', CORPUS), db);
  } else db = targetOf('postgres', CORPUS);
  return { name: `${CLIPS} clips`, db, libraryId: manifest.libraryId, caseIds: manifest.caseIds };
}

/** 60 members with API tokens (no password: no scrypt cost, none is needed for the API). */
async function addMembers(db: string, libraryId: string): Promise<string[]> {
  const store = await openStore(db);
  const run = randomUUID().slice(0, 8);
  const tokens: string[] = [];
  for (let i = 0; i < 50 + PUSHERS; i++) {
    const user = await createUser(store.db, { email: `load-${run}-${i}@example.org`, name: `Load ${i}`, organisation: `Org ${i % 6}` });
    await setMembership(store.db, libraryId, user.id, 'member');
    tokens.push((await createToken(store.db, user.id, 'load')).token);
  }
  await store.close();
  return tokens;
}

// ---- the service ----

interface Service {
  child: ChildProcess;
  url: string;
  peakRss: number;
  samples: number[];
  timer?: NodeJS.Timeout;
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** `casebook serve` on a loopback port, as its own Node process (tsx loader, no wrapper process). */
async function startService(db: string, port: number): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/cli/main.ts', 'serve', '--db', db, '--port', String(port), '--host', '127.0.0.1', '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CASEBOOK_PUBLIC_URL: `http://127.0.0.1:${port}` },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((done, fail) => {
    const timeout = setTimeout(() => fail(new Error(`service did not start in 120 s:\n${output}`)), 120_000);
    const check = setInterval(() => {
      if (output.includes('is running at')) {
        clearInterval(check);
        clearTimeout(timeout);
        done();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timeout);
      fail(new Error(`service exited (${code}):\n${output}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, peakRss: 0, samples: [] };
}

function sample(services: Service[]) {
  for (const service of services) {
    service.samples = [];
    service.peakRss = 0;
    service.timer = setInterval(() => {
      const rss = rssOf(service.child.pid!);
      service.samples.push(rss);
      service.peakRss = Math.max(service.peakRss, rss);
    }, 250);
  }
}

async function stopService(service: Service): Promise<void> {
  clearInterval(service.timer);
  if (service.child.exitCode !== null) return;
  const exited = new Promise((done) => service.child.once('exit', done));
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// ---- the load ----

const qrand = random(17);
const qvocab = vocabulary(40_000, random(6));
const pick = <T>(items: T[]) => items[Math.floor(qrand() * items.length)]!;
/** Rare and common words, their plural forms, prefixes and phrases of two common words. */
function searchQuery(): string {
  const roll = qrand();
  if (roll < 0.3) return pick(qvocab.words.slice(20_000, 40_000));
  if (roll < 0.55) return pick(qvocab.words.slice(0, 200));
  if (roll < 0.7) return pick(qvocab.words.slice(0, 2_000)) + 's';
  if (roll < 0.85) return pick(qvocab.words.slice(100, 2_000)).slice(0, 3) + '*';
  return `"${pick(qvocab.words.slice(0, 50))} ${pick(qvocab.words.slice(0, 50))}"`;
}

function clipBody(i: number) {
  const words = Array.from({ length: 400 }, () => pick(qvocab.words.slice(0, 5_000)));
  return {
    url: `https://news.example.org/load/${i}`,
    kind: 'article',
    title: words.slice(0, 6).join(' '),
    text: words.join(' ') + '.',
    tags: ['load'],
    lang: 'en',
  };
}

interface RouteResult {
  times: number[];
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  rejected: number;
}

type RouteRequests = (api: string, ids: string[], caseIds: string[]) => autocannon.Request[];

const ROUTES: Record<string, RouteRequests> = {
  search: (api) => [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `${api}/clips?q=${encodeURIComponent(searchQuery())}` }) }],
  newest: (api) => [{ method: 'GET', path: `${api}/clips` }],
  'case filter': (api, _ids, caseIds) => [{ method: 'GET', setupRequest: (req) => ({ ...req, path: caseIds.length ? `${api}/clips?case=${pick(caseIds)}` : `${api}/clips?kind=article` }) }],
  'clip by id': (api, ids) => [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `${api}/clips/${pick(ids)}` }) }],
  cases: (api) => [{ method: 'GET', path: `${api}/cases` }],
};

let pushed = 0;
function pushRequests(api: string, result: RouteResult): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: `${api}/sync/push`,
      setupRequest: (req, context) => {
        const ctx = context as { clientId?: string; mid?: number };
        ctx.clientId ??= `load-${randomUUID()}`;
        ctx.mid = (ctx.mid ?? 0) + 1;
        const body = { clientId: ctx.clientId, mutations: [{ mid: ctx.mid, type: 'clip', id: randomUUID(), op: 'put', fields: clipBody(pushed++) }] };
        return { ...req, body: JSON.stringify(body), headers: { ...req.headers, 'content-type': 'application/json' } };
      },
      onResponse: (status, body) => {
        if (status !== 200) return;
        try {
          const parsed = JSON.parse(body) as { results?: Array<{ status: string }> };
          result.rejected += (parsed.results ?? []).filter((r) => r.status !== 'applied').length;
        } catch {
          result.rejected += 1;
        }
      },
    },
  ];
}

function drive(url: string, connections: number, token: string, requests: autocannon.Request[], result: RouteResult): Promise<void> {
  return new Promise((done, fail) => {
    const instance = autocannon(
      { url, connections, duration: SECONDS, timeout: 10, headers: { authorization: `Bearer ${token}` }, requests },
      (error, summary) => {
        if (error) return fail(error);
        if (process.env.LOAD_DEBUG) log(`    ${url} ${JSON.stringify(requests[0]?.path)} total=${summary.requests.total} sent=${summary.requests.sent} errors=${summary.errors} timeouts=${summary.timeouts} non2xx=${summary.non2xx} codes=${JSON.stringify(summary.statusCodeStats)}`);
        result.requests += summary.requests.total;
        result.errors += Math.max(0, summary.errors - summary.timeouts); // autocannon counts timeouts among errors
        result.timeouts += summary.timeouts;
        result.non2xx += summary.non2xx;
        done();
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 400) result.times.push(responseTime);
    });
  });
}

async function measure(storeName: string, target: Target, processes: number): Promise<Array<Record<string, string | number>>> {
  const tokens = await addMembers(target.db, target.libraryId);
  const services: Service[] = [];
  try {
    for (let i = 0; i < processes; i++) services.push(await startService(target.db, BASE_PORT + i));
    const api = `/api/v1/libraries/${target.libraryId}`;
    // Clips to open by id: the newest of the library, after a warm-up push so an empty library has some.
    const warm: RouteResult = { times: [], requests: 0, errors: 0, timeouts: 0, non2xx: 0, rejected: 0 };
    for (let i = 0; i < 20; i++) {
      await fetch(`${services[0]!.url}${api}/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: `warm-${randomUUID()}`, mutations: [{ mid: 1, type: 'clip', id: randomUUID(), op: 'put', fields: clipBody(pushed++) }] }),
      });
    }
    const listed = (await (await fetch(`${services[0]!.url}${api}/clips?limit=100`, { headers: { authorization: `Bearer ${tokens[0]}` } })).json()) as { clips: Array<{ id: string }> };
    const ids = listed.clips.map((clip) => clip.id);
    void warm;

    const results = new Map<string, RouteResult>();
    const runs: Array<Promise<void>> = [];
    let member = 0;
    const split = (connections: number) => services.map((service, i) => ({ service, connections: Math.floor(connections / services.length) + (i < connections % services.length ? 1 : 0) })).filter((part) => part.connections > 0);
    sample(services);
    for (const [route, connections] of Object.entries(READERS)) {
      const result: RouteResult = { times: [], requests: 0, errors: 0, timeouts: 0, non2xx: 0, rejected: 0 };
      results.set(route, result);
      for (const { service, connections: n } of split(connections)) {
        runs.push(drive(service.url, n, tokens[member++ % 50]!, ROUTES[route]!(api, ids, target.caseIds), result));
      }
    }
    const pushResult: RouteResult = { times: [], requests: 0, errors: 0, timeouts: 0, non2xx: 0, rejected: 0 };
    results.set('push (1 clip)', pushResult);
    for (const [i, { service, connections }] of split(PUSHERS).entries()) {
      runs.push(drive(service.url, connections, tokens[50 + i]!, pushRequests(api, pushResult), pushResult));
    }
    const idleRss = services.map((service) => rssOf(service.child.pid!));
    await Promise.all(runs);
    const memory = services.map((service, i) => `${(idleRss[i]! / 2 ** 20).toFixed(0)}→${(service.peakRss / 2 ** 20).toFixed(0)} MB`).join(', ');
    return [...results].map(([route, result]) => {
      const times = result.times.sort((a, b) => a - b);
      return {
        store: `${storeName} ×${processes}`,
        library: target.name,
        route,
        'req/s': (result.requests / SECONDS).toFixed(1),
        'p50 ms': percentile(times, 50).toFixed(0),
        'p95 ms': percentile(times, 95).toFixed(0),
        'p99 ms': percentile(times, 99).toFixed(0),
        'errors (conn/timeout/non-2xx/rejected)': [result.errors, result.timeouts, result.non2xx, result.rejected].join('/'),
        'service RSS start→peak': memory,
      };
    });
  } finally {
    for (const service of services) await stopService(service);
  }
}

const rows: Array<Record<string, string | number>> = [];
for (const storeName of STORES) {
  const processes = storeName === 'postgres' ? 2 : 1;
  const full = fullTarget(storeName);
  if (!full) log(`  ${storeName}: no generated library of ${CLIPS} clips (${manifestPath(storeName, CORPUS)}); run npm run bench:search -- --clips ${CLIPS} --store ${storeName} --build-only first. Measuring the empty library only.`);
  for (const target of [await emptyTarget(storeName), ...(full ? [full] : [])]) {
    log(`  ${storeName}: ${target.name}, ${processes} process(es), ${SECONDS} s…`);
    rows.push(...(await measure(storeName, target, processes)));
  }
}

console.log(`\nCasebook bench:load — ${new Date().toISOString()}, ${SECONDS} s a run, loopback only`);
console.log(`members: ${Object.entries(READERS).map(([route, n]) => `${n} ${route}`).join(', ')}; ${PUSHERS} pushing one clip a request (400 words)`);
console.log('latency of answered requests; errors: connection errors, timeouts (10 s), non-2xx answers, rejected pushes\n');
console.log(formatTable(rows));
