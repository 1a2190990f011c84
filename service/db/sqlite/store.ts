// The SQLite store: one better-sqlite3 file (or :memory:), WAL, a write lock waited for between
// requests, never on the event loop.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import type { Database, Db } from '../schema.ts';
import type { Lockable, Store } from '../store.ts';
import { BUSY_RETRY_BUDGET_MS, storeTrouble } from '../transaction.ts';

/**
 * How long one SQLite statement may wait for another process's write lock. better-sqlite3 is
 * synchronous: SQLite's busy handler sleeps on the event loop's thread, so a command-line run
 * (nothing else to serve) may wait seconds, while a serving process waits only a few
 * milliseconds per attempt and retries between requests (writeTransaction), then answers 503.
 */
export const CLI_BUSY_TIMEOUT_MS = 5000;
export const SERVING_BUSY_TIMEOUT_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Handle {
  sqlite: SQLite.Database;
  serving: boolean;
}

/**
 * Runs `begin` (the statement that takes the write lock) without waiting on the event loop at
 * all when the store serves requests: its caller waits between attempts instead, so many
 * writers queued behind a long import never add up to a frozen loop.
 */
async function withoutBusyWait<T>(handle: Handle, begin: () => Promise<T>): Promise<T> {
  if (!handle.serving) return begin();
  handle.sqlite.pragma('busy_timeout = 0');
  try {
    return await begin();
  } finally {
    handle.sqlite.pragma(`busy_timeout = ${SERVING_BUSY_TIMEOUT_MS}`);
  }
}

/**
 * BEGIN IMMEDIATE takes SQLite's write lock before any work is done, so a locked store fails at
 * once (a serving process does not wait for it there at all) instead of half-way, where a
 * deferred transaction that has read cannot wait for the lock anyway. SQLite rolls a transaction back by
 * itself on some errors (SQLITE_FULL among them): the ROLLBACK that follows may find none, and
 * must not hide the error that matters.
 */
async function writeOnce<T>(db: Db, handle: Handle, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await withoutBusyWait(handle, () => sql`BEGIN IMMEDIATE`.execute(conn));
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

class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;

  constructor(
    readonly db: Db,
    readonly location: string,
    private readonly handle: Handle,
    /** Set on the store bound to an open transaction. */
    private readonly inTransaction = false,
  ) {}

  close(): Promise<void> {
    if (this.inTransaction) throw new Error('a transaction does not close its store');
    return this.db.destroy();
  }

  private bound(trx: Db): Store {
    return new SqliteStore(trx, this.location, this.handle, true);
  }

  async writeTransaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeOnce(this.db, this.handle, (trx) => work(this.bound(trx)));
      } catch (error) {
        // The lock is waited for here, between attempts, while the event loop serves others.
        const delay = Math.min(250, 20 * 2 ** attempt) * (0.5 + Math.random() / 2);
        if (storeTrouble(error) !== 'busy' || performance.now() - started + delay > BUSY_RETRY_BUDGET_MS) throw error;
        await sleep(delay);
      }
    }
  }

  readTransaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(this.bound(trx)));
  }

  forUpdate<Q extends Lockable<Q>>(query: Q): Q {
    return query;
  }

  async schemaName(): Promise<string | undefined> {
    return undefined;
  }

  async analyze(): Promise<void> {}

  useServingBusyTimeout(): void {
    this.handle.sqlite.pragma(`busy_timeout = ${SERVING_BUSY_TIMEOUT_MS}`);
    this.handle.serving = true;
  }
}

export function openSqlite(file: string): Store {
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
  return new SqliteStore(db, file, { sqlite, serving: false });
}
