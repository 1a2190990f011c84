// Row locks for code that holds a kysely handle (a transaction) rather than the Store: the same
// choice as Store.forUpdate, made from the handle's adapter (a transaction of the store has it too).
import { dialectOf } from './dialect.ts';
import type { Db } from './schema.ts';
import type { Lockable } from './store.ts';

/** The query, locking the rows it reads until the transaction ends where the store needs it (PostgreSQL FOR UPDATE; SQLite's write lock covers them). */
export function forUpdate<Q extends Lockable<Q>>(db: Db, query: Q): Q {
  return dialectOf(db) === 'postgres' ? query.forUpdate() : query;
}
