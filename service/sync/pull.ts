// Pull: every object of a library changed since a version (tombstones included), in version
// order, paged, read in one transaction (DESIGN.md "Sync protocol").
import { OBJECT_TYPES } from '../../shared/model.ts';
import type { Change, PullResponse } from '../../shared/protocol.ts';
import type { Db, Dialect } from '../db/schema.ts';
import { withReadTransaction } from '../db/transaction.ts';
import { TABLE_OF } from '../repos/objects.ts';

export async function pullChanges(db: Db, dialect: Dialect, libraryId: string, since: number, limit: number): Promise<PullResponse> {
  return withReadTransaction(db, dialect, async (trx) => {
    const library = await trx.selectFrom('libraries').select('version').where('id', '=', libraryId).executeTakeFirstOrThrow();
    const changes: Change[] = [];
    // Each object has its own version (one per applied change), so the newest `limit + 1` of
    // each table are enough to find the first `limit` overall.
    for (const type of OBJECT_TYPES) {
      const rows = await trx
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
    const page = changes.slice(0, limit);
    const version = more ? page[page.length - 1]!.version : Number(library.version);
    return { changes: page, version, more };
  });
}
