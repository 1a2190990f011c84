// The store: a kysely instance plus the few operations where SQLite and PostgreSQL differ, each
// implemented once per dialect (db/sqlite/store.ts, db/postgres/store.ts, as kysely keeps each
// dialect in its own folder). The store is chosen once, when it opens (db/connect.ts); nothing
// above service/db passes a dialect around, it calls the store's methods.
import type { Db, Dialect } from './schema.ts';

/** A query that can lock the rows it reads (kysely's select builders). */
export interface Lockable<Q> {
  forUpdate(): Q;
}

export interface Store {
  readonly db: Db;
  /** Which store this is, for messages and /health only: behaviour goes through the methods. */
  readonly dialect: Dialect;
  /** Where the data lives, for messages (file path or URL without its password). */
  readonly location: string;
  close(): Promise<void>;
  /**
   * Runs `work` in one write transaction, on this store bound to it: PostgreSQL retries
   * serialization failures and deadlocks; SQLite takes its write lock first and waits for
   * another process's lock between attempts, never on the event loop. Inside a transaction
   * `work` runs on the transaction already open.
   */
  writeTransaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /** A read transaction that sees one snapshot (pull pages, exports). */
  readTransaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /** The query, locking the rows it reads until the transaction ends where the store needs it (PostgreSQL; SQLite's write lock covers them). */
  forUpdate<Q extends Lockable<Q>>(query: Q): Q;
  /** The schema this store's tables live in (PostgreSQL), undefined where there is one (SQLite). */
  schemaName(): Promise<string | undefined>;
  /** Refreshes the planner's statistics after a bulk load (PostgreSQL), nothing where it is not needed. */
  analyze(): Promise<void>;
  /**
   * A process that serves requests must never freeze its event loop waiting for a lock held by
   * another process (a long `casebook import`): a SQLite store waits a few milliseconds per attempt.
   */
  useServingBusyTimeout(): void;
}
