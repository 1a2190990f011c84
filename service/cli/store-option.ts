// The --db option every library command shares (DESIGN.md "Command line").
import { DEFAULT_DB_FILE, openStore, type Store } from '../db/connect.ts';
import { CliError } from './cli-kit.ts';

export const DB_OPTION = { db: { type: 'string' } } as const;
export const DB_USAGE = `  --db FILE|URL   SQLite file or postgres:// URL (default: $CASEBOOK_DB or ${DEFAULT_DB_FILE})`;

export async function openStoreFromOption(db: string | undefined): Promise<Store> {
  const target = db || process.env.CASEBOOK_DB || DEFAULT_DB_FILE;
  try {
    return await openStore(target);
  } catch (error) {
    throw new CliError(`cannot open the database ${target.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}: ${(error as Error).message}`);
  }
}

/** Runs `work` on the store and always closes it, so the command exits promptly. */
export async function withStore<T>(db: string | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStoreFromOption(db);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
