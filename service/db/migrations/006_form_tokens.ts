// Migration 6: one-time form tokens (issue 13, item 6). Every web form that creates something
// carries a nonce; the first POST with it records the object it created, and a second POST with
// the same nonce (a double click, a resent request on a slow link) answers with that result
// instead of creating another. Landed migrations never change; add a new file instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('form_tokens')
    // Scoped by account: one person's nonce never answers with another's result.
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('library_id', 'text', (c) => c.notNull())
    // The id of the object the submission creates, chosen when the nonce is first claimed.
    .addColumn('object_id', 'text', (c) => c.notNull())
    // Where the first submission sent the browser; null while it is still being handled.
    .addColumn('result_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('form_tokens_pk', ['user_id', 'token'])
    .execute();
  await db.schema.createIndex('form_tokens_created').on('form_tokens').column('created_at').execute();
}
