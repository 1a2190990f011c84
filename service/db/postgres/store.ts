// PostgreSQL store (issue 6): opened when --db is a postgres:// URL; same kysely schema and queries as SQLite.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Store } from './connect.ts';
import type { Database } from './schema.ts';

const INT8 = 20;

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
  // Fail at start with a clear message rather than on the first request.
  const client = await pool.connect().catch(async (error: Error) => {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to ${redactUrl(url)}: ${error.message}`);
  });
  client.release();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location: redactUrl(url), close: () => db.destroy() };
}
