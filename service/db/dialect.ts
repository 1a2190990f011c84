// The few places where SQLite and PostgreSQL differ, each behind one small function.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Dialect } from './schema.ts';

/** Which store a kysely instance talks to. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works for any schema
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** The schema unqualified names resolve to on Postgres (the first of the search_path). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works for any schema
export async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}
