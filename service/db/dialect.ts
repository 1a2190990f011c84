// The few places where SQLite and PostgreSQL differ, each behind one small function.
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Dialect } from './schema.ts';

/** Which store a kysely instance talks to. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works for any schema
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
