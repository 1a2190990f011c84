// Migration 12: linked libraries (issue 14, item 4). An admin of one library asks to link it with
// another; an admin of that one accepts. Sharing then copies objects across with their provenance
// (`sharedFrom`); nothing else crosses. Landed migrations never change; add a new file instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('library_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_library', 'text', (c) => c.notNull().references('libraries.id'))
    .addColumn('to_library', 'text', (c) => c.notNull().references('libraries.id'))
    // pending until an admin of to_library accepts
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('accepted_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addUniqueConstraint('library_links_pair', ['from_library', 'to_library'])
    .execute();
  await db.schema.createIndex('library_links_to').on('library_links').column('to_library').execute();
}
