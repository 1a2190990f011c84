// A generated library of N clips for the search and load benchmarks, built fast (multi-row
// inserts, 1,000 clips a transaction, the search index written by the same SearchIndex the
// service uses, its bulk form) and cached under bench/.data/ (gitignored) by its parameters:
// a second run with the same clip count, clip size and layout opens the cached store.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../service/db/connect.ts';
import { searchIndexOf } from '../service/search/index.ts';
import { clipSearchDocument } from '../service/search/document.ts';
import { contentHash, type StoredObject } from '../service/repos/objects.ts';
import { siteKey } from '../shared/site.ts';
import { DEFAULTS } from '../shared/model.ts';
import { generateClip, random, SEED_VOCABULARY, vocabulary, type ClipSize } from './generate.ts';

/** Bump when the search rows' layout changes: cached stores of another layout are rebuilt. */
export const LAYOUT = 3;
/** Same seed, same library: both stores get identical clips, ids included. */
export const SEED = SEED_VOCABULARY;
const BATCH = 1_000;

export interface Manifest {
  clips: number;
  size: ClipSize;
  layout: number;
  libraryId: string;
  caseIds: string[];
  memberIds: string[];
  seconds: number;
  /** Clips per case, by case index (the case filter's selectivity). */
  caseCounts?: number[];
}

export interface CorpusOptions {
  clips: number;
  size: ClipSize;
  dir?: string;
  pgUrl?: string;
  rebuild?: boolean;
  /** Stop building after this many seconds, leaving a partial library the next run resumes. */
  maxSeconds?: number;
  log?: (text: string) => void;
}

/** A build stopped by maxSeconds: how far it got. The next run with the same parameters resumes it. */
interface Partial {
  key: string;
  done: number;
  seconds: number;
}

export function seededUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const keyOf = (o: CorpusOptions) => `${o.clips}-${o.size.min}-${o.size.max}-l${LAYOUT}`;
const dirOf = (o: CorpusOptions) => resolve(o.dir ?? 'bench/.data/search');

/** Where the store lives: a SQLite file, or a schema of its own on the PostgreSQL server. */
export function targetOf(storeName: string, o: CorpusOptions): string {
  if (storeName === 'sqlite') return join(dirOf(o), `sqlite-${keyOf(o)}.db`);
  const url = new URL(o.pgUrl!);
  url.searchParams.set('options', `-c search_path=${schemaOf(o)}`);
  return url.toString();
}
const schemaOf = (o: CorpusOptions) => `bench_${keyOf(o).replace(/-/g, '_')}`;
export const manifestPath = (storeName: string, o: CorpusOptions) => join(dirOf(o), `${storeName}-${keyOf(o)}.json`);
const partialPath = (storeName: string, o: CorpusOptions) => join(dirOf(o), `${storeName}-${keyOf(o)}.partial.json`);

export class BuildStopped extends Error {}

/** Opens the cached library of these parameters, building it first when there is none. */
export async function openCorpus(storeName: string, o: CorpusOptions): Promise<{ store: Store; manifest: Manifest }> {
  mkdirSync(dirOf(o), { recursive: true });
  const log = o.log ?? ((text: string) => process.stderr.write(text + '\n'));
  const path = manifestPath(storeName, o);
  const cached = existsSync(path) && !o.rebuild;
  const manifest = cached ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : await build(storeName, o, log);
  if (cached) log(`  ${storeName}: the cached library of ${o.clips} clips (${path}; --rebuild to regenerate)`);
  return { store: await openStore(targetOf(storeName, o)), manifest };
}

async function build(storeName: string, o: CorpusOptions, log: (text: string) => void): Promise<Manifest> {
  const partialFile = partialPath(storeName, o);
  const partial = existsSync(partialFile) && !o.rebuild ? (JSON.parse(readFileSync(partialFile, 'utf8')) as Partial) : undefined;
  if (partial) log(`  ${storeName}: resuming the build of ${o.clips} clips after ${partial.done} (${partial.seconds.toFixed(0)} s so far)`);
  else if (storeName === 'postgres') {
    if (!o.pgUrl) throw new Error('the postgres store needs --pg URL or CASEBOOK_BENCH_PG / CASEBOOK_TEST_PG');
    const admin = new pg.Client({ connectionString: o.pgUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schemaOf(o)} CASCADE`);
    await admin.query(`CREATE SCHEMA ${schemaOf(o)}`);
    await admin.end();
  } else {
    for (const suffix of ['', '-wal', '-shm']) rmSync(targetOf('sqlite', o) + suffix, { force: true });
  }
  const store = await openStore(targetOf(storeName, o));
  const index = searchIndexOf(store.db);
  // Whether fresh or resumed, the generator draws the same sequence: a resumed build replays the
  // clips already stored without writing them.
  const resumeAt = partial ? Number((await sql<{ n: number | string | null }>`SELECT max(seq) AS n FROM clips`.execute(store.db)).rows[0]?.n ?? 0) : 0;
  const rand = random(SEED);
  const vocab = vocabulary(40_000, rand);
  const libraryId = seededUuid(rand);
  const stamp = '2024-01-01T00:00:00.000Z';
  if (!partial) await store.db.insertInto('libraries').values({ id: libraryId, name: 'Bench library', version: 0, created_at: stamp }).execute();
  const memberIds = Array.from({ length: 40 }, () => seededUuid(rand));
  for (const [i, id] of memberIds.entries()) {
    if (partial) break;
    await store.db.insertInto('users').values({ id, email: `member${i}@example.org`, name: `Member ${i}`, organisation: `Org ${i % 8}`, intro: '', password_hash: null, created_at: stamp }).execute();
    await store.db.insertInto('memberships').values({ library_id: libraryId, user_id: id, role: 'member', created_at: stamp }).execute();
  }
  const caseIds = Array.from({ length: 60 }, () => seededUuid(rand));
  const caseCounts = caseIds.map(() => 0);
  let version = 0;
  const object = (type: StoredObject['type'], id: string, fields: Record<string, unknown>, by: string): StoredObject => ({
    type, id, libraryId, version: ++version, deleted: false, fields, fieldVersions: {}, createdBy: by, updatedBy: by, createdAt: stamp, updatedAt: stamp,
  });
  for (const [i, id] of caseIds.entries()) {
    if (partial) {
      version += 1;
      continue;
    }
    const by = memberIds[i % memberIds.length]!;
    const fields = { ...DEFAULTS.case, title: `Case ${i}` };
    await store.db.insertInto('cases').values({ id, library_id: libraryId, version: ++version, deleted: 0, data: JSON.stringify(fields), field_versions: '{}', created_by: by, updated_by: by, created_at: stamp, updated_at: stamp, title: fields.title, status: 'open' }).execute();
  }
  if (!partial) await index.beforeBulkLoad(store.db);
  // Marks the store as a build in progress: a run killed midway resumes from its last batch.
  const mark = (done: number, seconds: number) => writeFileSync(partialFile, JSON.stringify({ key: keyOf(o), done, seconds } satisfies Partial));
  mark(resumeAt, partial?.seconds ?? 0);

  log(`  ${storeName}: building ${o.clips} clips of ${o.size.min}-${o.size.max} bytes…`);
  const started = performance.now();
  const earlier = partial?.seconds ?? 0;
  let lastPrint = 0;
  const elapsed = () => (performance.now() - started) / 1000;
  for (let done = 0; done < o.clips; ) {
    if (done >= resumeAt && o.maxSeconds !== undefined && elapsed() > o.maxSeconds) {
      mark(done, earlier + elapsed());
      await store.close();
      throw new BuildStopped(`${storeName}: stopped after ${done} of ${o.clips} clips (--max-seconds); run again to resume`);
    }
    const count = Math.min(BATCH, o.clips - done);
    const clips: StoredObject[] = [];
    for (let j = 0; j < count; j++) {
      const generated = generateClip(vocab, rand, done + j, caseIds, o.size);
      const by = memberIds[Math.floor(rand() * memberIds.length)]!;
      // The clip's own text only: html would double the stored bytes without touching search.
      const { html: _html, ...fields } = generated.fields;
      for (const id of fields.caseIds) caseCounts[caseIds.indexOf(id)]! += 1;
      clips.push({ ...object('clip', seededUuid(rand), { ...DEFAULTS.clip, ...fields, capturedBy: by, contentHash: contentHash(fields.text) }, by), seq: done + j + 1 });
    }
    if (done + count <= resumeAt) {
      done += count;
      continue;
    }
    await store.db.transaction().execute(async (trx) => {
      const rows = clips.map((clip) => {
        const f = clip.fields as Record<string, string>;
        return {
          seq: clip.seq!, id: clip.id, library_id: libraryId, version: clip.version, deleted: 0, data: JSON.stringify(clip.fields), field_versions: '{}',
          created_by: clip.createdBy, updated_by: clip.updatedBy, created_at: stamp, updated_at: stamp,
          url: f.url!, kind: f.kind!, title: f.title!, company_id: null, captured_by: f.capturedBy!, captured_at: f.capturedAt!, domain: siteKey(f.url!),
        };
      });
      for (let at = 0; at < rows.length; at += 250) await trx.insertInto('clips').values(rows.slice(at, at + 250)).execute();
      const tags = clips.flatMap((clip) => (clip.fields.tags as string[]).map((tag) => ({ library_id: libraryId, clip_id: clip.id, tag })));
      const cases = clips.flatMap((clip) => (clip.fields.caseIds as string[]).map((caseId) => ({ library_id: libraryId, clip_id: clip.id, case_id: caseId })));
      if (tags.length) await trx.insertInto('clip_tags').values(tags).execute();
      if (cases.length) await trx.insertInto('clip_cases').values(cases).execute();
      await index.indexMany(trx, clips.map((clip) => ({ seq: clip.seq!, doc: clipSearchDocument(clip) })));
    });
    done += count;
    const seconds = elapsed();
    if (seconds - lastPrint >= 2 || done === o.clips) {
      lastPrint = seconds;
      const rate = (done - resumeAt) / seconds;
      mark(done, earlier + seconds);
      process.stderr.write(`\r  ${storeName}: ${done}/${o.clips} clips (${rate.toFixed(0)} clips/s, ${seconds.toFixed(0)} s, ~${((o.clips - done) / rate).toFixed(0)} s left)   `);
    }
  }
  process.stderr.write('\n');
  await sql`UPDATE libraries SET version = ${version}`.execute(store.db);
  if (store.dialect === 'postgres') await sql`SELECT setval(pg_get_serial_sequence('clips', 'seq'), ${o.clips})`.execute(store.db);
  log(`  ${storeName}: finishing the index (${store.dialect === 'postgres' ? 'GIN build, VACUUM ANALYZE' : 'FTS5 optimize, checkpoint'})…`);
  await index.afterBulkLoad(store.db);
  const manifest: Manifest = { clips: o.clips, size: o.size, layout: LAYOUT, libraryId, caseIds, memberIds, caseCounts, seconds: earlier + elapsed() };
  await store.close();
  writeFileSync(manifestPath(storeName, o), JSON.stringify(manifest));
  if (existsSync(partialFile)) rmSync(partialFile);
  log(`  ${storeName}: built in ${manifest.seconds.toFixed(0)} s`);
  return manifest;
}
