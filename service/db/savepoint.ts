// A savepoint inside the open transaction: the same statements on SQLite and PostgreSQL.
import { sql } from 'kysely';
import type { Db } from './schema.ts';

/**
 * Runs `work` in a savepoint: when it throws, what it wrote is rolled back and `onError`
 * decides (return a value to go on, or throw); the transaction stays usable either way.
 */
export async function withSavepoint<T>(trx: Db, name: string, work: () => Promise<T>, onError: (error: unknown) => T): Promise<T> {
  const point = sql.id(name);
  await sql`SAVEPOINT ${point}`.execute(trx);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT ${point}`.execute(trx);
    result = onError(error);
  }
  await sql`RELEASE SAVEPOINT ${point}`.execute(trx);
  return result;
}
