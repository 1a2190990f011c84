// Migration 11: search finds word forms (issue 17, item 4). SQLite: the FTS5 table gains a
// `stems` column (the marked stems of a clip in its language, service/search/stem.ts), which an
// FTS5 table cannot add in place, so the table is made anew and every live clip indexed again.
// PostgreSQL: the columns stay; each clip's `doc` and `head` vectors are written again with the
// word forms from the server's text search configuration of the clip's language.
// Landed migrations never change; add a new file instead.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';
import { clipSearchDocument, rowToObject } from '../../repos/objects.ts';
import { writePostgresSearch } from '../../search/fts-postgres.ts';
import { writeSearchRow } from '../../search/fts-sqlite.ts';
import type { Db } from '../schema.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

const BATCH = 500;

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
        else await writePostgresSearch(trx as unknown as Db, clip);
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
