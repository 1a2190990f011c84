// One-time form tokens (migration 006): the claim a web form's nonce makes on the object it
// creates, and the redirect a repeat of the form gets (web/form-token.ts runs the protocol).
import type { Db } from '../db/schema.ts';

export interface FormTokenRow {
  libraryId: string;
  resultUrl: string | null;
  createdAt: string;
}

/** Claims the nonce for an object id; false when someone (an earlier click) holds it already. */
export async function claimFormToken(db: Db, claim: { userId: string; token: string; libraryId: string; objectId: string }): Promise<boolean> {
  const result = await db
    .insertInto('form_tokens')
    .values({ user_id: claim.userId, token: claim.token, library_id: claim.libraryId, object_id: claim.objectId, result_url: null, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['user_id', 'token']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findFormToken(db: Db, userId: string, token: string): Promise<FormTokenRow | undefined> {
  const row = await db.selectFrom('form_tokens').select(['library_id', 'result_url', 'created_at']).where('user_id', '=', userId).where('token', '=', token).executeTakeFirst();
  return row ? { libraryId: row.library_id, resultUrl: row.result_url, createdAt: row.created_at } : undefined;
}

export async function setFormTokenResult(db: Db, userId: string, token: string, resultUrl: string): Promise<void> {
  await db.updateTable('form_tokens').set({ result_url: resultUrl }).where('user_id', '=', userId).where('token', '=', token).execute();
}

/** Frees a nonce; `onlyPending`: only while it has no result yet (a stale claim of a request that died). */
export async function freeFormToken(db: Db, userId: string, token: string, onlyPending = false): Promise<void> {
  let query = db.deleteFrom('form_tokens').where('user_id', '=', userId).where('token', '=', token);
  if (onlyPending) query = query.where('result_url', 'is', null);
  await query.execute();
}

/** Forgets the nonces claimed before a moment (ISO time). */
export async function forgetFormTokensBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('form_tokens').where('created_at', '<', before).execute();
}
