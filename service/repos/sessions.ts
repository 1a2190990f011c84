// Web-library sessions in the database: create, look up, switch library, hand out mutation numbers, end.
import type { Db } from '../db/schema.ts';
import { hashSecret, newId, newSecret } from '../auth/secrets.ts';


export type { WebSessionsTable } from '../db/schema.ts';


/** Sessions last two weeks; signing in again starts a new one. */
export const SESSION_DAYS = 14;

export interface WebSession {
  id: string;
  userId: string;
  libraryId: string | null;
  csrf: string;
}

export async function createSession(db: Db, userId: string, libraryId: string | null): Promise<{ secret: string; session: WebSession }> {
  const secret = newSecret('cbs');
  const session = { id: newId(), userId, libraryId, csrf: newSecret('csrf') };
  const now = new Date();
  await db
    .insertInto('web_sessions')
    .values({
      secret_hash: hashSecret(secret),
      id: session.id,
      user_id: userId,
      library_id: libraryId,
      csrf: session.csrf,
      last_mid: 0,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    })
    .execute();
  return { secret, session };
}

export async function findSession(db: Db, secret: string): Promise<WebSession | undefined> {
  const row = await db
    .selectFrom('web_sessions')
    .select(['id', 'user_id', 'library_id', 'csrf', 'expires_at'])
    .where('secret_hash', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!row || Date.parse(row.expires_at) < Date.now()) return undefined;
  return { id: row.id, userId: row.user_id, libraryId: row.library_id, csrf: row.csrf };
}

export async function setSessionLibrary(db: Db, sessionId: string, libraryId: string): Promise<void> {
  await db.updateTable('web_sessions').set({ library_id: libraryId }).where('id', '=', sessionId).execute();
}

/**
 * Reserves `count` mutation numbers for the session's sync client id. An UPDATE … RETURNING is
 * atomic on SQLite and Postgres, so two tabs of one session never reuse a number (a reused
 * number would make push return the earlier outcome and drop the edit).
 */
export async function reserveMids(db: Db, sessionId: string, count: number): Promise<number[]> {
  const row = await db
    .updateTable('web_sessions')
    .set((eb) => ({ last_mid: eb('last_mid', '+', count) }))
    .where('id', '=', sessionId)
    .returning('last_mid')
    .executeTakeFirstOrThrow();
  const last = Number(row.last_mid);
  return Array.from({ length: count }, (_, i) => last - count + 1 + i);
}

export async function endSession(db: Db, secret: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('secret_hash', '=', hashSecret(secret)).execute();
}

/** Ends every session of a user (after a password change through a sign-in link). */
export async function endSessionsOf(db: Db, userId: string, except?: string): Promise<void> {
  let query = db.deleteFrom('web_sessions').where('user_id', '=', userId);
  if (except) query = query.where('id', '!=', except);
  await query.execute();
}
