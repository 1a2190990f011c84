// Migration 9: a clip's files (issue 16, item 2). Attachments are content-addressed per library:
// one row per (library, sha256) holding the bytes, and a link table saying which clip keeps which
// file in which role (the PDF itself, an article image). Bytes live in the database by default so
// a library is still one file (SQLite) or one database (Postgres) to back up and move.
// Landed migrations never change; add a new file instead.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const blob = dialectOf(db) === 'postgres' ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('attachments')
    .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The bytes come last: a large file spills into overflow pages without slowing row lookups.
    .addColumn('data', blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('attachments_pk', ['library_id', 'sha256'])
    .execute();
  await db.schema
    .createTable('clip_attachments')
    .addColumn('library_id', 'text', (c) => c.notNull())
    .addColumn('clip_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('clip_attachments_pk', ['clip_id', 'sha256'])
    .execute();
  await db.schema.createIndex('clip_attachments_library_sha').on('clip_attachments').columns(['library_id', 'sha256']).execute();
}
