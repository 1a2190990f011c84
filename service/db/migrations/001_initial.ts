// Migration 1: libraries, users, memberships, tokens, the synced objects, their indexes and
// the stored outcomes of mutations. Landed migrations never change; add a new file instead.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

function objectTable(db: AnyDb, name: string) {
  return db.schema
    .createTable(name)
    .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id'))
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull());
}

type TableBuilder = ReturnType<typeof objectTable>;

/**
 * The fields as JSON and the long-text versions come last: SQLite stores a row's columns in
 * order and a 30 KB `data` value spills into overflow pages, so any column after it (title,
 * library_id…) would cost reading the whole chain.
 */
function withPayload(table: TableBuilder): TableBuilder {
  return table
    .addColumn('field_versions', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('data', 'text', (c) => c.notNull());
}

export async function up(db: AnyDb): Promise<void> {
  const dialect = dialectOf(db);

  await db.schema
    .createTable('libraries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('intro', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['library_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('signin_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await withPayload(
    objectTable(db, 'cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()),
  ).execute();

  // clips carry an integer key: SQLite's FTS5 rows and Postgres' search rows point at it.
  await withPayload(
    objectTable(db, 'clips')
      .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text')
      .addColumn('captured_by', 'text', (c) => c.notNull())
      .addColumn('captured_at', 'text', (c) => c.notNull()),
  ).execute();

  await withPayload(
    objectTable(db, 'companies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull()),
  ).execute();

  await withPayload(
    objectTable(db, 'scans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull()),
  ).execute();

  await withPayload(
    objectTable(db, 'answers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('scan_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull()),
  ).execute();

  for (const table of ['cases', 'clips', 'companies', 'scans', 'answers']) {
    // Pull reads "version > since" per library in version order.
    await db.schema.createIndex(`${table}_library_version`).on(table).columns(['library_id', 'version']).execute();
  }
  // Search reads the library and title of its candidate window from this index alone.
  await db.schema.createIndex('clips_head').on('clips').columns(['seq', 'library_id', 'title']).execute();
  await db.schema.createIndex('clips_library_captured').on('clips').columns(['library_id', 'deleted', 'captured_at']).execute();
  await db.schema.createIndex('clips_library_company').on('clips').columns(['library_id', 'company_id']).execute();
  await db.schema.createIndex('clips_library_member').on('clips').columns(['library_id', 'captured_by']).execute();
  await db.schema.createIndex('scans_library_company').on('scans').columns(['library_id', 'company_id']).execute();
  await db.schema.createIndex('answers_scan').on('answers').columns(['scan_id', 'field']).execute();

  await db.schema
    .createTable('clip_tags')
    .addColumn('library_id', 'text', (c) => c.notNull())
    .addColumn('clip_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('clip_tags_pk', ['clip_id', 'tag'])
    .execute();
  await db.schema.createIndex('clip_tags_library_tag').on('clip_tags').columns(['library_id', 'tag']).execute();

  await db.schema
    .createTable('clip_cases')
    .addColumn('library_id', 'text', (c) => c.notNull())
    .addColumn('clip_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('clip_cases_pk', ['clip_id', 'case_id'])
    .execute();
  await db.schema.createIndex('clip_cases_library_case').on('clip_cases').columns(['library_id', 'case_id']).execute();

  await db.schema
    .createTable('company_domains')
    .addColumn('library_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('company_domains_pk', ['company_id', 'domain'])
    .execute();
  await db.schema.createIndex('company_domains_library_domain').on('company_domains').columns(['library_id', 'domain']).execute();

  await db.schema
    .createTable('mutations')
    .addColumn('library_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('mid', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mutations_pk', ['library_id', 'client_id', 'mid'])
    .execute();

  if (dialect === 'sqlite') {
    // One full-text row per live clip. `filters` holds opaque tokens (library, cases, tags,
    // member, company, kind) so that scoping and filtering happen inside the FTS index itself.
    await sql`CREATE VIRTUAL TABLE clips_fts USING fts5(
      filters, title, body, note, tags, site,
      tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
    )`.execute(db);
  } else {
    // Postgres: one search row per live clip (service/search/fts-postgres.ts writes it).
    // `filters` holds the same opaque scoping tokens as the FTS5 `filters` column, in a tsvector
    // of its own so that a user's words can never match them; `doc` holds the folded words of
    // title (weight A), tags and note (B), site (C) and body (D) for matching. `head` is the
    // same without all but the start of the body: small enough to stay inline, so ts_rank on a
    // candidate window costs microseconds a row instead of a toast fetch of the whole `doc`.
    // One GIN index over filters and doc lets one index scan intersect scope, filters and
    // words, as FTS5 does.
    await sql`CREATE TABLE clip_search (
      seq bigint PRIMARY KEY REFERENCES clips (seq) ON DELETE CASCADE,
      library_id text NOT NULL,
      filters tsvector NOT NULL,
      doc tsvector NOT NULL,
      head tsvector NOT NULL
    )`.execute(db);
    await sql`CREATE INDEX clip_search_terms ON clip_search USING gin (filters, doc)`.execute(db);
    // Checking a candidate that the index walk meets reads its whole `doc` (toasted: 5-20 KB
    // for an article) and ranking reads `head`; lz4 unpacks both several times faster than the
    // default pglz. Servers built without lz4 keep pglz.
    const lz4 = await sql<{ ok: number }>`SELECT 1 AS ok FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`.execute(db);
    if (lz4.rows.length > 0) await sql`ALTER TABLE clip_search ALTER COLUMN doc SET COMPRESSION lz4, ALTER COLUMN head SET COMPRESSION lz4`.execute(db);
  }
}
