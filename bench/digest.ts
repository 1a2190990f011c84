// `npx tsx bench/digest.ts [--clips 100000] [--dir .bench/digest]`: how long one member's e-mail
// digest takes to build on a library of N clips (issue 15), for a day's changes and for the
// worst case (every clip new since the last digest), beside the plain reads it is made of (the
// activity page, the counts) as a baseline from the same run. Prints figures; asserts nothing.
// The generated SQLite store is cached under --dir.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { inboxItems } from '../service/activity/inbox.ts';
import { saveSettings } from '../service/activity/settings.ts';
import { activityPage } from '../service/activity/stream.ts';
import { openStore } from '../service/db/connect.ts';
import { buildDigest, renderDigest } from '../service/digest/build.ts';
import { runDigests } from '../service/digest/run.ts';
import { contentHash, saveObject, type StoredObject } from '../service/repos/objects.ts';
import { DEFAULTS } from '../shared/model.ts';
import { formatTable, parseFlags, percentile, random, vocabulary } from './generate.ts';

const flags = parseFlags(process.argv.slice(2));
const TOTAL = Number(flags.clips ?? 100_000);
const RUNS = Number(flags.runs ?? 20);
const DIR = resolve(flags.dir ?? '.bench/digest');
mkdirSync(DIR, { recursive: true });
const target = join(DIR, `sqlite-${TOTAL}.db`);
const manifestPath = join(DIR, `sqlite-${TOTAL}.json`);
const log = (text: string) => process.stderr.write(text + '\n');

function seededUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface Manifest {
  libraryId: string;
  memberIds: string[];
  version: number;
}

/** 40 members, 60 cases (the first five members in every subgroup), N clips of ~1.5 kB text, comments on every 50th. */
async function build(): Promise<Manifest> {
  const store = await openStore(target);
  const rand = random(15);
  const vocab = vocabulary(20_000, rand);
  const libraryId = seededUuid(rand);
  const stamp = '2026-11-01T00:00:00.000Z';
  await store.db.insertInto('libraries').values({ id: libraryId, name: 'Bench library', version: 0, created_at: stamp }).execute();
  const memberIds = Array.from({ length: 40 }, () => seededUuid(rand));
  for (const [i, id] of memberIds.entries()) {
    await store.db.insertInto('users').values({ id, email: `member${i}@example.org`, name: `Member ${i}`, organisation: `Org ${i % 8}`, intro: '', password_hash: null, created_at: stamp }).execute();
    await store.db.insertInto('memberships').values({ library_id: libraryId, user_id: id, role: 'member', created_at: stamp }).execute();
  }
  let version = 0;
  const object = (type: StoredObject['type'], id: string, fields: Record<string, unknown>, by: string): StoredObject => ({
    type, id, libraryId, version: ++version, deleted: false, fields, fieldVersions: {}, createdBy: by, updatedBy: by, createdAt: stamp, updatedAt: stamp,
  });
  const caseIds = Array.from({ length: 60 }, () => seededUuid(rand));
  for (const [i, id] of caseIds.entries()) {
    await saveObject(store.db, object('case', id, { ...DEFAULTS.case, title: `Case ${i}`, members: memberIds.slice(0, 5) }, memberIds[i % 40]!), true);
  }
  const words = (n: number) => Array.from({ length: n }, () => vocab.words[vocab.draw()]!).join(' ');
  const started = performance.now();
  for (let done = 0; done < TOTAL; ) {
    const count = Math.min(500, TOTAL - done);
    await store.db.transaction().execute(async (trx) => {
      for (let j = 0; j < count; j++) {
        const by = memberIds[Math.floor(rand() * 40)]!;
        const text = words(220);
        const clipId = seededUuid(rand);
        const fields = { ...DEFAULTS.clip, url: `https://site${(done + j) % 500}.example.org/a/${done + j}`, kind: 'article', title: words(6), text, tags: [words(1)], caseIds: [caseIds[Math.floor(rand() * 60)]!], capturedBy: by, contentHash: contentHash(text) };
        await saveObject(trx, object('clip', clipId, fields, by), true);
        if ((done + j) % 50 === 0) {
          const author = memberIds[Math.floor(rand() * 40)]!;
          await saveObject(trx, object('comment', seededUuid(rand), { ...DEFAULTS.comment, targetType: 'clip', targetId: clipId, body: words(30), mentions: [memberIds[0]!], author }, author), true);
        }
      }
    });
    done += count;
    process.stderr.write(`\r  ${done}/${TOTAL} clips (${(done / ((performance.now() - started) / 1000)).toFixed(0)} clips/s)`);
  }
  process.stderr.write('\n');
  await sql`UPDATE libraries SET version = ${version}`.execute(store.db);
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
  await store.close();
  const manifest = { libraryId, memberIds, version };
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return manifest;
}

async function timed(label: string, work: () => Promise<unknown>) {
  await work(); // warm the page cache and statements
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { measure: label, 'median ms': percentile(times, 50).toFixed(1), 'p95 ms': percentile(times, 95).toFixed(1), runs: RUNS };
}

const manifest = existsSync(manifestPath) && !flags.rebuild ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest) : await build();
const store = await openStore(target);
const { libraryId, memberIds, version } = manifest;
const reader = memberIds[0]!; // in every subgroup and mentioned on every 50th clip: the busiest inbox
const day = Math.max(0, version - 500); // about a busy day's changes
const links = { base: 'http://casebook.test', unsubscribe: 'http://casebook.test/digest/unsubscribe/x', settings: 'http://casebook.test/s' };
const digestOf = (from: number) => async () => {
  const digest = await buildDigest(store.db, { libraryId, libraryName: 'Bench library', userId: reader, role: 'member', from, to: version });
  return renderDigest(digest, links, 'daily');
};
const rows = [
  await timed('baseline: activity page (20 lines)', () => activityPage(store.db, { libraryId, role: 'member', since: day, limit: 20 })),
  await timed('baseline: inbox page (20 items)', () => inboxItems(store.db, libraryId, reader, 'member', { after: day, limit: 20 })),
  await timed('digest, a day (500 changes)', digestOf(day)),
  await timed(`digest, everything new (${version} changes)`, digestOf(0)),
];
// The whole run: every member subscribed, dry run (build and render, no mail).
for (const id of memberIds) await saveSettings(store.db, libraryId, id, { digest: 'daily' });
await sql`UPDATE activity_settings SET digest_since = ${day}`.execute(store.db);
rows.push({ ...(await timed(`dry run for all ${memberIds.length} members (a day)`, () => runDigests({ store: store, config: { publicUrl: 'http://casebook.test' }, dryRun: true }))), runs: Math.min(RUNS, 5) });
await sql`DELETE FROM activity_settings`.execute(store.db);
console.log(`digest build, SQLite, ${TOTAL} clips (${version} versions), ${RUNS} runs each after one warm-up\n`);
console.log(formatTable(rows));
await store.close();
