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

function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL: readers never wait for the writer; NORMAL sync keeps committed transactions across a
  // killed process (only a power loss can take the last ones); busy_timeout for the CLI
  // writing while the server runs.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
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
