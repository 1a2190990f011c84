// The rows behind push and pull: the library's version counter, the stored outcome of each
// mutation (client, mid), and the objects changed since a version.
import { OBJECT_TYPES } from '../../shared/model.ts';
import type { Change } from '../../shared/protocol.ts';
import type { Db } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import { TABLE_OF } from './objects.ts';

/** The library's version; reading it locks the library's row until the transaction ends (PostgreSQL: one push at a time per library). */
export async function lockLibraryVersion(tx: Store, libraryId: string): Promise<number> {
  const row = await tx.forUpdate(tx.db.selectFrom('libraries').select('version').where('id', '=', libraryId)).executeTakeFirst();
  return Number(row?.version ?? 0);
}

export async function setLibraryVersion(db: Db, libraryId: string, version: number): Promise<void> {
  await db.updateTable('libraries').set({ version }).where('id', '=', libraryId).execute();
}

export async function libraryVersion(db: Db, libraryId: string): Promise<number> {
  const library = await db.selectFrom('libraries').select('version').where('id', '=', libraryId).executeTakeFirstOrThrow();
  return Number(library.version);
}

export async function isMember(db: Db, libraryId: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('memberships').select('role').where('library_id', '=', libraryId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** The outcomes stored for these mids of one client (its key is user/client), as the JSON they were stored as. */
export async function storedOutcomes(db: Db, libraryId: string, clientKey: string, mids: number[]): Promise<Map<number, string>> {
  if (mids.length === 0) return new Map();
  const rows = await db.selectFrom('mutations').select(['mid', 'result']).where('library_id', '=', libraryId).where('client_id', '=', clientKey).where('mid', 'in', mids).execute();
  return new Map(rows.map((row) => [Number(row.mid), row.result]));
}

export async function keepOutcome(db: Db, outcome: { libraryId: string; clientKey: string; mid: number; userId: string; result: string }): Promise<void> {
  await db
    .insertInto('mutations')
    .values({ library_id: outcome.libraryId, client_id: outcome.clientKey, mid: outcome.mid, user_id: outcome.userId, result: outcome.result, created_at: new Date().toISOString() })
    .execute();
}

/**
 * Every object of a library changed since a version (tombstones included), in version order:
 * the first `limit`, and whether there are more. Each object has its own version (one per
 * applied change), so the newest `limit + 1` of each table are enough to find the first `limit`.
 */
export async function changesSince(db: Db, libraryId: string, since: number, limit: number): Promise<{ changes: Change[]; more: boolean }> {
  const changes: Change[] = [];
  for (const type of OBJECT_TYPES) {
    const rows = await db
      .selectFrom(TABLE_OF[type])
      .select(['id', 'version', 'deleted', 'data'])
      .where('library_id', '=', libraryId)
      .where('version', '>', since)
      .orderBy('version')
      .limit(limit + 1)
      .execute();
    for (const row of rows) {
      const deleted = Number(row.deleted) === 1;
      changes.push({ type, id: row.id, version: Number(row.version), deleted, fields: deleted ? {} : (JSON.parse(row.data) as Record<string, unknown>) });
    }
  }
  changes.sort((a, b) => a.version - b.version);
  const more = changes.length > limit;
  return { changes: changes.slice(0, limit), more };
}
