// Migration 8: activity, inbox, feeds and the e-mail digest (issue 15). The activity itself is
// read from the objects' versions; these tables hold only what each member chose or was sent:
// an inbox read marker, settings, a revocable feed token, and one row per digest decision.
// Landed migrations never change; add a new file instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Per member of a library: what the inbox shows, how often a digest goes out, what is read.
  await db.schema
    .createTable('activity_settings')
    .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('inbox_kinds', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull().defaultTo('off'))
    /** Library version when the digest was turned on: the first digest tells only what came after. */
    .addColumn('digest_since', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('read_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_settings_pk', ['library_id', 'user_id'])
    .execute();
  await db.schema.createIndex('activity_settings_digest').on('activity_settings').columns(['digest']).execute();

  // One feed token per account, stored as a hash; revoking or renewing replaces the row.
  await db.schema
    .createTable('feed_tokens')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // A digest decision: the primary key makes "once per member and period" a property of the
  // store, whatever number of processes decide at the same time.
  await db.schema
    .createTable('digest_sends')
    .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('from_version', 'bigint', (c) => c.notNull())
    .addColumn('to_version', 'bigint', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    /** `sending` while the mail is out, `sent`, or `empty` (nothing to tell: no mail). */
    .addColumn('status', 'text', (c) => c.notNull())
    /** sha256 of the one-click unsubscribe secret this mail carries. */
    .addColumn('unsubscribe_hash', 'text', (c) => c.unique())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('digest_sends_pk', ['library_id', 'user_id', 'period'])
    .execute();
}
