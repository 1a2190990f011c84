// Opens the store named by --db / CASEBOOK_DB and brings its schema up to date.
import { Migrator } from 'kysely';
import { currentSchema, dialectOf } from './dialect.ts';
import { migrationProvider } from './migrations/index.ts';
import { openSqlite } from './sqlite/store.ts';
import type { Db } from './schema.ts';
import type { Store } from './store.ts';

export type { Store } from './store.ts';

export const DEFAULT_DB_FILE = './data/casebook.db';

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** Opens (and migrates) the store: a SQLite file path, ':memory:', or a postgres:// URL. */
export async function openStore(target: string = DEFAULT_DB_FILE): Promise<Store> {
  let store: Store;
  if (isPostgresUrl(target)) {
    // pg is loaded only by a process that uses PostgreSQL.
    const { openPostgres } = await import('./postgres/store.ts');
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
