// The PostgreSQL store (issue 6): opened when --db is a postgres:// URL; same kysely schema and
// queries as SQLite, with its own transactions (serialization failures retried) and row locks.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database, Db } from '../schema.ts';
import type { Lockable, Store } from '../store.ts';

const INT8 = 20;
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';

/**
 * Type parsers for this pool only (not pg's global registry, which other code may share).
 * Versions, seqs and counts are bigint columns; pg hands them over as strings because they may
 * pass 2^53. Library versions and clip seqs never come near that, and the repositories compare
 * them as numbers, so they are parsed as numbers here, exactly as better-sqlite3 returns them.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;

  constructor(
    readonly db: Db,
    readonly location: string,
    /** Set on the store bound to an open transaction. */
    private readonly inTransaction = false,
  ) {}

  close(): Promise<void> {
    if (this.inTransaction) throw new Error('a transaction does not close its store');
    return this.db.destroy();
  }

  private bound(trx: Db): Store {
    return new PostgresStore(trx, this.location, true);
  }

  async writeTransaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute((trx) => work(this.bound(trx)));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if ((code !== SERIALIZATION_FAILURE && code !== DEADLOCK) || attempt >= 5) throw error;
        await sleep(10 * 2 ** attempt * Math.random());
      }
    }
  }

  readTransaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.db.transaction().setIsolationLevel('repeatable read').execute((trx) => work(this.bound(trx)));
  }

  forUpdate<Q extends Lockable<Q>>(query: Q): Q {
    return query.forUpdate();
  }

  /** The schema unqualified names resolve to (the first of the search_path). */
  async schemaName(): Promise<string> {
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(this.db);
    return rows[0]?.schema ?? 'public';
  }

  /** This store's tables only: a bare ANALYZE reads every schema of the database (other stores, other services). */
  async analyze(): Promise<void> {
    const { rows } = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(this.db);
    for (const { name } of rows) await sql`ANALYZE ${sql.table(name)}`.execute(this.db);
  }

  useServingBusyTimeout(): void {}
}

export async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    // A request holds one connection for its transaction; ten cover a busy community and stay
    // well under Postgres' default max_connections (100) with several service processes.
    max: Number(process.env.CASEBOOK_PG_POOL ?? 10),
    connectionTimeoutMillis: 10_000,
    // A write that waits this long for a row lock (another process's long transaction) gives
    // up with lock_not_available: the request answers 503 + Retry-After instead of holding one
    // of the pool's few connections while everyone else queues behind it.
    lock_timeout: Number(process.env.CASEBOOK_PG_LOCK_TIMEOUT_MS ?? 5000),
    // Collation- and time-zone-independent results: all timestamps are ISO text written by the app.
    application_name: 'casebook',
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool discards it and the next query opens a new one.
  pool.on('error', () => {});
  // The service's statements are short: compiling one with JIT (which PostgreSQL starts once a
  // plan's estimated cost passes jit_above_cost, as a search's unrun later spans do) or starting
  // parallel workers costs 5-30 ms, more than the statement itself.
  pool.on('connect', (client) => {
    client.query('SET jit = off; SET max_parallel_workers_per_gather = 0').catch(() => {});
  });
  // Fail at start with a clear message rather than on the first request.
  const client = await pool.connect().catch(async (error: Error) => {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to ${redactUrl(url)}: ${error.message}`);
  });
  client.release();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new PostgresStore(db, redactUrl(url));
}
