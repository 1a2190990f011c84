// Copies libraries with everything they hold from one store to another (casebook migrate-store):
// every row as it is (versions, tombstones, field_versions, JSON), users and their tokens once,
// clips with the target's own seq and search rows, a clip's files one at a time; then counts
// per table on both sides for the command to compare.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import { searchIndexOf } from '../search/index.ts';
import { clipSearchDocument, rowToObject } from './objects.ts';

/** A copy refused before anything was written (unknown library, one already there, an e-mail clash). */
export class CopyRefused extends Error {}

type Row = Record<string, unknown>;

/** Object tables and the per-library index rows, copied as they are (versions, tombstones, field_versions, JSON). */
const OBJECT_TABLES = ['cases', 'companies', 'scans', 'answers', 'questions', 'replies', 'comments', 'common_issues'] as const;
const LIBRARY_ROW_TABLES = ['memberships', 'invitations', 'clip_tags', 'clip_cases', 'company_domains', 'mutations', 'activity_settings', 'digest_sends'] as const;
/** A clip's files (migration 9): the bytes moved one file at a time, then the clip links. */
const ATTACHMENT_TABLES = ['attachments', 'clip_attachments'] as const;
/** Tables this command knows; any other table in the target is reported, never silently skipped. */
const KNOWN_TABLES = new Set<string>(['libraries', 'users', 'api_tokens', 'signin_links', 'web_sessions', 'feed_tokens', 'clips', ...OBJECT_TABLES, ...LIBRARY_ROW_TABLES, ...ATTACHMENT_TABLES]);
/** Derived or bookkeeping tables: rebuilt (search) or written by the migrator itself. */
const DERIVED_TABLE = /^(kysely_migration.*|clips_fts.*|clip_search|form_tokens)$/;

/** Rows per INSERT: well under SQLite's 32,766 and Postgres' 65,535 bound parameters. */
const PARAMETERS_PER_INSERT = 8000;
const CLIP_PAGE = 500;

const inList = (values: readonly unknown[]) => sql.join(values.map((value) => sql`${value}`));

async function selectRows(db: Db, table: string, where: RawBuilder<unknown>, order: string): Promise<Row[]> {
  return (await sql<Row>`SELECT * FROM ${sql.table(table)} WHERE ${where} ORDER BY ${sql.raw(order)}`.execute(db)).rows;
}

async function insertRows(db: Db, table: string, rows: Row[], ifNew = false): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const perInsert = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / columns.length));
  for (let start = 0; start < rows.length; start += perInsert) {
    const values = rows.slice(start, start + perInsert).map((row) => sql`(${sql.join(columns.map((column) => sql`${row[column] ?? null}`))})`);
    // ON CONFLICT DO NOTHING: a user (and their tokens) already moved with another library.
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) VALUES ${sql.join(values)}${ifNew ? sql` ON CONFLICT DO NOTHING` : sql``}`.execute(db);
  }
}

async function tableNames(store: Store): Promise<Set<string>> {
  const schema = await store.schemaName();
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  return new Set(tables.filter((table) => schema === undefined || table.schema === schema).map((table) => table.name));
}

async function chunked<T>(items: T[], size: number, work: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await work(items.slice(start, start + size));
}

/** Everyone a library's rows point at: members, authors of objects and of mutations. */
async function usersOf(db: Db, libraries: string[]): Promise<string[]> {
  const ids = new Set<string>();
  const add = async (query: RawBuilder<{ id: string }>) => {
    for (const row of (await query.execute(db)).rows) ids.add(row.id);
  };
  await add(sql`SELECT user_id AS id FROM memberships WHERE library_id IN (${inList(libraries)})`);
  await add(sql`SELECT user_id AS id FROM mutations WHERE library_id IN (${inList(libraries)})`);
  for (const table of ['clips', ...OBJECT_TABLES]) {
    await add(sql`SELECT created_by AS id FROM ${sql.table(table)} WHERE library_id IN (${inList(libraries)})`);
    await add(sql`SELECT updated_by AS id FROM ${sql.table(table)} WHERE library_id IN (${inList(libraries)})`);
  }
  await add(sql`SELECT captured_by AS id FROM clips WHERE library_id IN (${inList(libraries)})`);
  return [...ids].sort();
}

/** Row counts per table for the libraries, on any store: what verification compares. */
export async function countsOf(store: Store, libraries: string[]): Promise<Record<string, number>> {
  const tables = await tableNames(store);
  const counts: Record<string, number> = {};
  for (const table of ['clips', ...OBJECT_TABLES, ...LIBRARY_ROW_TABLES]) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE library_id IN (${inList(libraries)})`.execute(store.db);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  // The search index's own table: clip_search (tsvector) or clips_fts (FTS5).
  const search = tables.has('clip_search')
    ? sql<{ n: number }>`SELECT count(*) AS n FROM clip_search WHERE library_id IN (${inList(libraries)})`
    : sql<{ n: number }>`SELECT count(*) AS n FROM clips_fts WHERE rowid IN (SELECT seq FROM clips WHERE library_id IN (${inList(libraries)}) AND deleted = 0)`;
  if (tables.has('attachments')) {
    for (const table of ATTACHMENT_TABLES) {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE library_id IN (${inList(libraries)})`.execute(store.db);
      counts[table] = Number(rows[0]?.n ?? 0);
    }
    const { rows } = await sql<{ n: number }>`SELECT coalesce(sum(bytes), 0) AS n FROM attachments WHERE library_id IN (${inList(libraries)})`.execute(store.db);
    counts['attachment bytes'] = Number(rows[0]?.n ?? 0);
  }
  counts['search rows'] = Number((await search.execute(store.db)).rows[0]?.n ?? 0);
  const versions = await sql<{ id: string; version: number }>`SELECT id, version FROM libraries WHERE id IN (${inList(libraries)}) ORDER BY id`.execute(store.db);
  counts['sum of library versions'] = versions.rows.reduce((sum, row) => sum + Number(row.version), 0);
  return counts;
}

interface MoveOptions {
  libraries: string[];
  progress: (text: string) => void;
}

/** Copies the libraries from `source` into `target` in one target transaction. */
export async function moveLibraries(source: Store, target: Store, options: MoveOptions): Promise<void> {
  const { libraries, progress } = options;
  const sourceTables = await tableNames(source);
  const targetTables = await tableNames(target);
  for (const table of targetTables) {
    if (!KNOWN_TABLES.has(table) && !DERIVED_TABLE.test(table)) progress(`warning: table ${table} is not moved by this version of migrate-store`);
  }
  const withSessions = sourceTables.has('web_sessions') && targetTables.has('web_sessions');
  const withFeedTokens = sourceTables.has('feed_tokens') && targetTables.has('feed_tokens');

  await source.readTransaction(async ({ db: from }) => {
    const libraryRows = await selectRows(from, 'libraries', sql`id IN (${inList(libraries)})`, 'id');
    const missing = libraries.filter((id) => !libraryRows.some((row) => row.id === id));
    if (missing.length) throw new CopyRefused(`no library ${missing.join(', ')} in the source store`);
    const present = await sql<{ id: string }>`SELECT id FROM libraries WHERE id IN (${inList(libraries)})`.execute(target.db);
    if (present.rows.length) throw new CopyRefused(`library ${present.rows.map((row) => row.id).join(', ')} exists already in the target store; nothing was moved`);

    const userIds = await usersOf(from, libraries);
    const users: Row[] = [];
    await chunked(userIds, 500, async (ids) => void users.push(...(await selectRows(from, 'users', sql`id IN (${inList(ids)})`, 'id'))));
    // The same person may be in the target already (moved with another library): same id and
    // e-mail is fine; the same e-mail under another id would merge two accounts, so stop.
    for (const user of users) {
      const clash = await sql<{ id: string }>`SELECT id FROM users WHERE email = ${user.email} AND id <> ${user.id}`.execute(target.db);
      if (clash.rows.length) throw new CopyRefused(`user ${String(user.email)} exists in the target store under another id; nothing was moved`);
    }

    await target.db.transaction().execute(async (to) => {
      await insertRows(to, 'libraries', libraryRows);
      await insertRows(to, 'users', users, true);
      progress(`libraries ${libraryRows.length}, users ${users.length}`);
      await chunked(userIds, 500, async (ids) => {
        await insertRows(to, 'api_tokens', await selectRows(from, 'api_tokens', sql`user_id IN (${inList(ids)})`, 'id'), true);
        await insertRows(to, 'signin_links', await selectRows(from, 'signin_links', sql`user_id IN (${inList(ids)})`, 'token_hash'), true);
        if (withSessions) await insertRows(to, 'web_sessions', await selectRows(from, 'web_sessions', sql`user_id IN (${inList(ids)})`, 'id'), true);
        if (withFeedTokens) await insertRows(to, 'feed_tokens', await selectRows(from, 'feed_tokens', sql`user_id IN (${inList(ids)})`, 'user_id'), true);
      });

      for (const table of OBJECT_TABLES) {
        const rows = await selectRows(from, table, sql`library_id IN (${inList(libraries)})`, 'version, id');
        await insertRows(to, table, rows);
        progress(`${table} ${rows.length}`);
      }
      await moveClips(from, to, libraries, progress);
      for (const table of LIBRARY_ROW_TABLES) {
        const order = table === 'mutations' ? 'client_id, mid' : table === 'memberships' ? 'user_id' : '1, 2, 3';
        const rows = await selectRows(from, table, sql`library_id IN (${inList(libraries)})`, order);
        await insertRows(to, table, rows);
        progress(`${table} ${rows.length}`);
      }
      if (sourceTables.has('attachments') && targetTables.has('attachments')) await moveAttachments(from, to, libraries, progress);
    });
  });
  // Fresh planner statistics: the search plan (index walk vs GIN) is chosen from them.
  await target.analyze();
}

/** A clip's files: one file per statement (a PDF may be 50 MB), then the links to the clips. */
async function moveAttachments(from: Db, to: Db, libraries: string[], progress: (text: string) => void) {
  const keys = await sql<{ library_id: string; sha256: string }>`SELECT library_id, sha256 FROM attachments WHERE library_id IN (${inList(libraries)}) ORDER BY library_id, sha256`.execute(from);
  let bytes = 0;
  for (const key of keys.rows) {
    const rows = await selectRows(from, 'attachments', sql`library_id = ${key.library_id} AND sha256 = ${key.sha256}`, 'sha256');
    bytes += rows.reduce((sum, row) => sum + Number(row.bytes), 0);
    await insertRows(to, 'attachments', rows);
  }
  const links = await selectRows(from, 'clip_attachments', sql`library_id IN (${inList(libraries)})`, 'library_id, clip_id, sha256');
  await insertRows(to, 'clip_attachments', links);
  progress(`attachments ${keys.rows.length} (${bytes} bytes), clip links ${links.length}`);
}

/**
 * Clips keep every column but `seq`, which the target hands out (another library may hold
 * those numbers there). Inserting in the source's seq order keeps newest-first order, which is
 * all search and listing read from seq. Search rows are rebuilt with the target's own writer.
 */
async function moveClips(from: Db, to: Db, libraries: string[], progress: (text: string) => void) {
  const search = searchIndexOf(to);
  const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM clips WHERE library_id IN (${inList(libraries)})`.execute(from)).rows[0]?.n ?? 0);
  let after = -1;
  let moved = 0;
  let lastReport = Date.now();
  for (;;) {
    const rows = await sql<Row>`SELECT * FROM clips WHERE library_id IN (${inList(libraries)}) AND seq > ${after} ORDER BY seq LIMIT ${CLIP_PAGE}`.execute(from);
    if (rows.rows.length === 0) break;
    after = Number(rows.rows[rows.rows.length - 1]!.seq);
    for (const row of rows.rows) {
      const { seq: _sourceSeq, ...columns } = row;
      const names = Object.keys(columns);
      const inserted = await sql<{ seq: number }>`INSERT INTO clips (${sql.join(names.map((name) => sql.ref(name)))})
        VALUES (${sql.join(names.map((name) => sql`${columns[name] ?? null}`))}) RETURNING seq`.execute(to);
      const seq = Number(inserted.rows[0]!.seq);
      const clip = { ...rowToObject('clip', columns as unknown as Parameters<typeof rowToObject>[1]), seq };
      if (clip.deleted) continue;
      await search.index(to, seq, clipSearchDocument(clip), true);
    }
    moved += rows.rows.length;
    if (Date.now() - lastReport > 1000 || moved === total) {
      progress(`clips ${moved}/${total}`);
      lastReport = Date.now();
    }
  }
  if (total === 0) progress('clips 0');
}


/** Every library of a store, by id. */
export async function libraryIdsOf(db: Db): Promise<string[]> {
  return (await db.selectFrom('libraries').select('id').orderBy('id').execute()).map((row) => row.id);
}
