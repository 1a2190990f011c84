// Migration 3: invitations that an account accepts itself (issue 9, finding 1). An invitation is
// not a membership: the invitee joins only when they accept it, signed in as the invited e-mail
// or by creating that account through the invitation's link. Landed migrations never change.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id'))
    // Normalised e-mail as the inviter typed it; never joined to an account's name for the inviter.
    .addColumn('email', 'text', (c) => c.notNull())
    // Name and organisation the inviter gave: used only if the invitation creates the account.
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text', (c) => c.notNull())
    // sha256 of the link secret; a resend replaces it (the old link stops working).
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('invitations_email').on('invitations').column('email').execute();
  await db.schema.createIndex('invitations_library').on('invitations').column('library_id').execute();
}
