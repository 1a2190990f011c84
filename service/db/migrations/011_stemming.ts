// Migration 11: search finds word forms (issue 17, item 4). SQLite: the FTS5 table gains a
// `stems` column (the marked stems of a clip in its language, service/search/stem.ts), which an
// FTS5 table cannot add in place, so the table is made anew and every live clip indexed again.
// PostgreSQL: the columns stay; each clip's `doc` and `head` vectors are written again with the
// word forms from the server's text search configuration of the clip's language.
// Landed migrations never change; add a new file instead.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';
import { clipSearchDocument, rowToObject } from '../../repos/objects.ts';
import { documentTokens, MAX_BODY } from '../../search/document.ts';
import { weightedVector } from '../../search/fts-postgres.ts';
import { writeSearchRow } from '../../search/fts-sqlite.ts';
import type { SearchDocument } from '../../search/types.ts';
import type { Db } from '../schema.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

const BATCH = 500;

/**
 * A PostgreSQL search row with the columns of this migration's time (filters, doc, head), which
 * later migrations change (013): the service's own writer writes today's columns.
 */
async function writePostgresRow011(db: AnyDb, seq: number, doc: SearchDocument): Promise<void> {
  const filters = sql`array_to_tsvector(${documentTokens(doc)}::text[])`;
  const full = weightedVector(doc, doc.body.slice(0, MAX_BODY));
  const head = weightedVector(doc, doc.body.slice(0, 800));
  await sql`INSERT INTO clip_search (seq, library_id, filters, doc, head) VALUES (${seq}, ${doc.libraryId}, ${filters}, ${full}, ${head})
    ON CONFLICT (seq) DO UPDATE SET library_id = excluded.library_id, filters = excluded.filters, doc = excluded.doc, head = excluded.head`.execute(db);
}

export async function up(db: AnyDb): Promise<void> {
  const dialect = dialectOf(db);
  if (dialect === 'sqlite') {
    await sql`DROP TABLE IF EXISTS clips_fts`.execute(db);
    await sql`CREATE VIRTUAL TABLE clips_fts USING fts5(
      filters, title, body, note, tags, site, stems,
      tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
    )`.execute(db);
  }
  // Every live clip, oldest first, a batch at a time (a library may hold a million).
  for (let after = -1; ; ) {
    const rows = await db.selectFrom('clips').selectAll().where('deleted', '=', 0).where('seq', '>', after).orderBy('seq').limit(BATCH).execute();
    const write = async (trx: AnyDb) => {
      for (const row of rows) {
        const clip = rowToObject('clip', row as Parameters<typeof rowToObject>[1]);
        if (dialect === 'sqlite') await writeSearchRow(trx as unknown as Db, Number(row.seq), clipSearchDocument(clip));
        else await writePostgresRow011(trx, Number(row.seq), clipSearchDocument(clip));
      }
    };
    // One commit a batch where the migrator runs outside a transaction (SQLite), not one a clip.
    if (db.isTransaction) await write(db);
    else await db.transaction().execute(write);
    if (rows.length < BATCH) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function down(): Promise<void> {
  // Search rows are derived data: going back means rebuilding them with the older code.
}
