// Pull: every object of a library changed since a version (tombstones included), in version
// order, paged, read in one transaction (DESIGN.md "Sync protocol").
import type { PullResponse } from '../../shared/protocol.ts';
import type { Store } from '../db/store.ts';
import { changesSince, libraryVersion } from '../repos/sync.ts';

export async function pullChanges(store: Store, libraryId: string, since: number, limit: number): Promise<PullResponse> {
  return store.readTransaction(async (tx) => {
    const current = await libraryVersion(tx.db, libraryId);
    const { changes, more } = await changesSince(tx.db, libraryId, since, limit);
    const version = more ? changes[changes.length - 1]!.version : current;
    return { changes, version, more };
  });
}
