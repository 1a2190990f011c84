// Opens the store named by --db / CASEBOOK_DB and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { currentSchema, dialectOf } from './dialect.ts';
import SQLite from 'better-sqlite3';
import { migrationProvider } from './migrations/index.ts';
import type { Database, Db, Dialect } from './schema.ts';

export const DEFAULT_DB_FILE = './data/casebook.db';

export interface Store {
  db: Db;
  dialect: Dialect;
  /** Where the data lives, for messages (file path or URL without its password). */
  location: string;
  close: () => Promise<void>;
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * How long one SQLite statement may wait for another process's write lock. better-sqlite3 is
 * synchronous: SQLite's busy handler sleeps on the event loop's thread, so a command-line run
 * (nothing else to serve) may wait seconds, while a serving process waits only a few
 * milliseconds per attempt and retries between requests (db/transaction.ts), then answers 503.
 */
export const CLI_BUSY_TIMEOUT_MS = 5000;
export const SERVING_BUSY_TIMEOUT_MS = 20;

/** The better-sqlite3 handle behind each SQLite store's kysely instance. */
const sqliteHandles = new WeakMap<Db, SQLite.Database>();

export function sqliteHandleOf(db: Db): SQLite.Database | undefined {
  return sqliteHandles.get(db);
}

/**
 * A process that serves requests must never freeze its event loop waiting for a lock held by
 * another process (a long `casebook import`): it waits a few milliseconds per attempt.
 */
export function useServingBusyTimeout(db: Db): void {
  const sqlite = sqliteHandles.get(db);
  if (!sqlite) return;
  sqlite.pragma(`busy_timeout = ${SERVING_BUSY_TIMEOUT_MS}`);
  servingStores.add(db);
}

const servingStores = new WeakSet<Db>();

/**
 * Runs `begin` (the statement that takes the write lock) without waiting on the event loop at
 * all when the store serves requests: its caller waits between attempts instead (transaction.ts),
 * so many writers queued behind a long import never add up to a frozen loop.
 */
export async function withoutBusyWait<T>(db: Db, begin: () => Promise<T>): Promise<T> {
  const sqlite = servingStores.has(db) ? sqliteHandles.get(db) : undefined;
  if (!sqlite) return begin();
  sqlite.pragma('busy_timeout = 0');
  try {
    return await begin();
  } finally {
    sqlite.pragma(`busy_timeout = ${SERVING_BUSY_TIMEOUT_MS}`);
  }
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL: readers never wait for the writer; NORMAL sync keeps committed transactions across a
  // killed process (only a power loss can take the last ones); busy_timeout for the CLI
  // writing while the server runs (the server shortens it: useServingBusyTimeout).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${CLI_BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  sqliteHandles.set(db, sqlite);
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

/** Opens (and migrates) the store: a SQLite file path, ':memory:', or a postgres:// URL. */
export async function openStore(target: string = DEFAULT_DB_FILE): Promise<Store> {
  let store: Store;
  if (isPostgresUrl(target)) {
    const { openPostgres } = await import('./postgres.ts');
    store = await openPostgres(target);
  } else {
    store = openSqlite(target);
  }
  await migrate(store.db);
  return store;
}

export async function migrate(db: Db): Promise<void> {
  // On Postgres, kysely looks for its migration tables in every schema of the database: name the
  // connection's own schema, or a second store in another schema of the same database (tests,
  // several services on one server) would skip creating them and fail.
  const schema = dialectOf(db) === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}
