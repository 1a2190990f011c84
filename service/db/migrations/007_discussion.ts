// Migration 7: learning together (issue 14). Questions, their replies, comments on clips, cases,
// scans and questions, and the plenary's common issues are synced objects like cases and clips:
// one row each with the fields as JSON, a few columns derived from them for the pages' lookups.
// Landed migrations never change; add a new file instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

function objectTable(db: AnyDb, name: string) {
  return db.schema
    .createTable(name)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id'))
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull());
}

type TableBuilder = ReturnType<typeof objectTable>;

/** The JSON fields come last, as in migration 1: a long body spills into overflow pages. */
function withPayload(table: TableBuilder): TableBuilder {
  return table.addColumn('field_versions', 'text', (c) => c.notNull().defaultTo('{}')).addColumn('data', 'text', (c) => c.notNull());
}

export async function up(db: AnyDb): Promise<void> {
  await withPayload(objectTable(db, 'questions').addColumn('case_id', 'text').addColumn('status', 'text', (c) => c.notNull())).execute();
  await withPayload(objectTable(db, 'replies').addColumn('question_id', 'text', (c) => c.notNull())).execute();
  await withPayload(
    objectTable(db, 'comments')
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull()),
  ).execute();
  await withPayload(objectTable(db, 'common_issues').addColumn('title', 'text', (c) => c.notNull())).execute();
  for (const table of ['questions', 'replies', 'comments', 'common_issues']) {
    // Pull reads "version > since" per library in version order.
    await db.schema.createIndex(`${table}_library_version`).on(table).columns(['library_id', 'version']).execute();
  }
  await db.schema.createIndex('questions_library_case').on('questions').columns(['library_id', 'case_id']).execute();
  await db.schema.createIndex('replies_question').on('replies').columns(['question_id']).execute();
  await db.schema.createIndex('comments_target').on('comments').columns(['target_id', 'target_type']).execute();
}
