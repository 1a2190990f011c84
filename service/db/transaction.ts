// What a store's trouble means for a request: a SQLite write lock held by another process, a
// PostgreSQL lock timeout or a full disk is reported as such (503), never as a crash. The
// transactions themselves are the store's (Store.writeTransaction, db/sqlite, db/postgres).

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
