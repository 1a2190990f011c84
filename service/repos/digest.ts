// The rows behind the e-mail digest (migration 008): who wants one, which period was decided or
// sent (digest_sends, one row per member and period: several processes never send twice), the
// one-click unsubscribe, and what changed in a version range.
import type { ObjectType } from '../../shared/model.ts';
import type { ActivitySettingsTable, Db } from '../db/schema.ts';
import { TABLE_OF } from './objects.ts';

export type DigestSubscriber = Pick<ActivitySettingsTable, 'library_id' | 'user_id' | 'digest' | 'digest_since'>;

/** Every member's settings row that asks for a daily or weekly digest. */
export async function digestSubscribers(db: Db): Promise<DigestSubscriber[]> {
  return db.selectFrom('activity_settings').select(['library_id', 'user_id', 'digest', 'digest_since']).where('digest', 'in', ['daily', 'weekly']).execute();
}

export interface DigestKey {
  libraryId: string;
  userId: string;
  period: string;
}

/** Whether this period's digest was decided (sending or sent) already. */
export async function digestDecided(db: Db, key: DigestKey): Promise<boolean> {
  const row = await db.selectFrom('digest_sends').select('status').where('library_id', '=', key.libraryId).where('user_id', '=', key.userId).where('period', '=', key.period).executeTakeFirst();
  return row !== undefined;
}

/** The highest library version an earlier digest of this member told, 0 for none. */
export async function lastDigestVersion(db: Db, libraryId: string, userId: string): Promise<number> {
  const row = await db.selectFrom('digest_sends').select((eb) => eb.fn.max('to_version').as('v')).where('library_id', '=', libraryId).where('user_id', '=', userId).executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Claims the period for one sender: false when another process (or run) claimed it first. */
export async function claimDigest(db: Db, key: DigestKey, send: { from: number; to: number; items: number; unsubscribeHash: string; decidedAt: string }): Promise<boolean> {
  const result = await db
    .insertInto('digest_sends')
    .values({ library_id: key.libraryId, user_id: key.userId, period: key.period, from_version: send.from, to_version: send.to, items: send.items, status: 'sending', unsubscribe_hash: send.unsubscribeHash, decided_at: send.decidedAt, sent_at: null })
    .onConflict((oc) => oc.columns(['library_id', 'user_id', 'period']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Frees a claimed period whose mail failed, so a later run tries again. */
export async function releaseDigest(db: Db, key: DigestKey): Promise<void> {
  await db.deleteFrom('digest_sends').where('library_id', '=', key.libraryId).where('user_id', '=', key.userId).where('period', '=', key.period).execute();
}

export async function markDigestSent(db: Db, key: DigestKey): Promise<void> {
  await db.updateTable('digest_sends').set({ status: 'sent', sent_at: new Date().toISOString() }).where('library_id', '=', key.libraryId).where('user_id', '=', key.userId).where('period', '=', key.period).execute();
}

/** Turns off the digest an unsubscribe hash was sent with; undefined for an unknown hash. */
export async function stopDigestByHash(db: Db, unsubscribeHash: string): Promise<{ libraryId: string; userId: string } | undefined> {
  const row = await db.selectFrom('digest_sends').select(['library_id', 'user_id']).where('unsubscribe_hash', '=', unsubscribeHash).executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable('activity_settings').set({ digest: 'off', updated_at: new Date().toISOString() }).where('library_id', '=', row.library_id).where('user_id', '=', row.user_id).execute();
  return { libraryId: row.library_id, userId: row.user_id };
}

/** Live objects of a type written in (from, to]. */
export async function countChanged(db: Db, type: ObjectType, libraryId: string, from: number, to: number): Promise<number> {
  const row = await db
    .selectFrom(TABLE_OF[type])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('library_id', '=', libraryId)
    .where('deleted', '=', 0)
    .where('version', '>', from)
    .where('version', '<=', to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
