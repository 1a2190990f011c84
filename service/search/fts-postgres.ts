// PostgreSQL side of clip search (issue 6).
import type { Db } from '../db/schema.ts';
import type { StoredObject } from '../repos/objects.ts';

export async function writePostgresSearch(_db: Db, _clip: StoredObject): Promise<void> {
  throw new Error('PostgreSQL search is not implemented yet');
}

export async function searchClipsPostgres(_db: Db, _params: unknown): Promise<{ clips: never[]; nextCursor: null }> {
  throw new Error('PostgreSQL search is not implemented yet');
}
