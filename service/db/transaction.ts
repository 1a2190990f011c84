// Write transactions: one per request, retried when Postgres reports a serialization failure.
import type { Db, Dialect } from './schema.ts';

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';

export async function withWriteTransaction<T>(db: Db, dialect: Dialect, work: (trx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const retryable = dialect === 'postgres' && (code === SERIALIZATION_FAILURE || code === DEADLOCK);
      if (!retryable || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * Math.random()));
    }
  }
}

/** A read transaction that sees one snapshot (pull pages, exports). */
export async function withReadTransaction<T>(db: Db, dialect: Dialect, work: (trx: Db) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') return db.transaction().setIsolationLevel('repeatable read').execute(work);
  return db.transaction().execute(work);
}
