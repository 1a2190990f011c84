// Feed tokens: one per account, for the private Atom URLs a feed reader polls. Never the API
// token (a feed URL ends up in readers' settings and connector logs): it can only read feeds,
// is stored as a hash, shown once, and revoked or renewed from the account page.
import type { Db } from '../db/schema.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';

/** Prefix `cbf_`: request logs redact `cb?_…` secrets in paths (app.ts redactSecrets). */
const PREFIX = 'cbf';

/** Makes a new feed token for the account, replacing any earlier one (which stops working). */
export async function renewFeedToken(db: Db, userId: string): Promise<string> {
  const token = newSecret(PREFIX);
  const values = { user_id: userId, token_hash: hashSecret(token), created_at: new Date().toISOString() };
  await db
    .insertInto('feed_tokens')
    .values(values)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: values.token_hash, created_at: values.created_at }))
    .execute();
  return token;
}

export async function revokeFeedToken(db: Db, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('feed_tokens').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function feedTokenCreatedAt(db: Db, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('feed_tokens').select('created_at').where('user_id', '=', userId).executeTakeFirst();
  return row?.created_at;
}

/** The account a feed token belongs to, or undefined for an unknown or revoked one. */
export async function userForFeedToken(db: Db, token: string): Promise<string | undefined> {
  if (typeof token !== 'string' || !token.startsWith(`${PREFIX}_`) || token.length > 200) return undefined;
  const row = await db.selectFrom('feed_tokens').select('user_id').where('token_hash', '=', hashSecret(token)).executeTakeFirst();
  return row?.user_id;
}
