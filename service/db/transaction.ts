// Write transactions: one per request. Postgres serialization failures are retried; a SQLite
// write lock held by another process is waited for between requests, never on the event loop,
// and a store that stays locked or is full is reported as such (503), never as a crash.
import { sql } from 'kysely';
import { withoutBusyWait } from './connect.ts';
import type { Db, Dialect } from './schema.ts';

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';

/** How long a write keeps retrying a locked SQLite store before the request gets a 503. */
export const BUSY_RETRY_BUDGET_MS = 1000;
/** What a 503 asks the client to wait, in seconds (the extension honours Retry-After). */
export const BUSY_RETRY_AFTER_S = 2;
export const FULL_RETRY_AFTER_S = 60;

export type StoreTrouble = 'busy' | 'full';

/**
 * What a database error means for the client, when it is the store's state rather than a bug:
 * `busy` (another process holds the write lock, or the server has no connection to spare) or
 * `full` (no disk space: SQLITE_FULL, PostgreSQL's disk_full 53100). Anything else: undefined.
 */
export function storeTrouble(error: unknown): StoreTrouble | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code === 'SQLITE_FULL') return 'full';
  switch (code) {
    case '53100': // disk_full
      return 'full';
    case '55P03': // lock_not_available (lock_timeout)
    case '53300': // too_many_connections
    case '57P03': // cannot_connect_now (starting up, recovering)
      return 'busy';
    default:
      return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * BEGIN IMMEDIATE takes SQLite's write lock before any work is done, so a locked store fails at
 * once (a serving process does not wait for it there at all) instead of half-way, where a
 * deferred transaction that has read cannot wait for the lock anyway. SQLite rolls a transaction back by
 * itself on some errors (SQLITE_FULL among them): the ROLLBACK that follows may find none, and
 * must not hide the error that matters.
 */
async function sqliteWriteTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await withoutBusyWait(db, () => sql`BEGIN IMMEDIATE`.execute(conn));
    try {
      const result = await work(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn).catch(() => {});
      throw error;
    }
  });
}

export async function withWriteTransaction<T>(db: Db, dialect: Dialect, work: (trx: Db) => Promise<T>): Promise<T> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      if (dialect === 'sqlite') return await sqliteWriteTransaction(db, work);
      return await db.transaction().execute(work);
    } catch (error) {
      if (dialect === 'postgres') {
        const code = (error as { code?: string }).code;
        if ((code !== SERIALIZATION_FAILURE && code !== DEADLOCK) || attempt >= 5) throw error;
        await sleep(10 * 2 ** attempt * Math.random());
        continue;
      }
      // The lock is waited for here, between attempts, while the event loop serves others.
      const delay = Math.min(250, 20 * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (storeTrouble(error) !== 'busy' || performance.now() - started + delay > BUSY_RETRY_BUDGET_MS) throw error;
      await sleep(delay);
    }
  }
}

/** A read transaction that sees one snapshot (pull pages, exports). */
export async function withReadTransaction<T>(db: Db, dialect: Dialect, work: (trx: Db) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') return db.transaction().setIsolationLevel('repeatable read').execute(work);
  return db.transaction().execute(work);
}
