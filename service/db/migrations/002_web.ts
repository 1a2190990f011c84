// Migration 2: web-library sessions (cookie sign-in). Landed migrations never change; add a new file instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('web_sessions')
    // sha256 of the cookie secret: a leaked database row cannot be replayed as a cookie.
    .addColumn('secret_hash', 'text', (c) => c.primaryKey())
    // Public id of the session: the sync client id of its edits is `web:<id>`.
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('library_id', 'text')
    .addColumn('csrf', 'text', (c) => c.notNull())
    // Last mutation number handed out for this session's client id (push dedupes on it).
    .addColumn('last_mid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('web_sessions_user').on('web_sessions').column('user_id').execute();
}
