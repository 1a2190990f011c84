// Migration 14: PostgreSQL phrase search reads a candidate's toasted vector only when the clip
// can hold the phrase (issue 17, item 4: phrases within 20 ms at a million clips). Each search
// row gains `pairs`, a 1 KB signature of the pairs of adjacent words it holds (search/pairs.ts),
// kept in the row (STORAGE MAIN: compressed or moved out of the row only as a last resort) so the
// check costs no read beyond the row the title already comes from. Rows already written are
// given theirs here, from their clips (in batches; the GIN index is dropped meanwhile and built
// again, since an updated row's every word would otherwise be inserted into it anew); a row that
// has none is read as before. SQLite: nothing changes (FTS5 checks positions in its own index).
// Landed migrations never change; add a new file instead.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';
import { clipSearchDocument, MAX_BODY } from '../../search/document.ts';
import { rowPairs } from '../../search/fts-postgres.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

const BATCH = 500;

export async function up(db: AnyDb): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`ALTER TABLE clip_search ADD COLUMN IF NOT EXISTS pairs bytea`.execute(db);
  await sql`ALTER TABLE clip_search ALTER COLUMN pairs SET STORAGE MAIN`.execute(db);
  const first = await sql<{ seq: number }>`SELECT seq FROM clip_search WHERE pairs IS NULL LIMIT 1`.execute(db);
  if (first.rows.length === 0) return;
  await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(db);
  await sql`DROP INDEX IF EXISTS clip_search_terms`.execute(db);
  let after = -1;
  for (;;) {
    const rows = await sql<{ seq: number | string; library_id: string; data: string }>`SELECT clips.seq, clips.library_id, clips.data
      FROM clip_search JOIN clips ON clips.seq = clip_search.seq
      WHERE clip_search.seq > ${after} AND clip_search.pairs IS NULL ORDER BY clip_search.seq LIMIT ${BATCH}`.execute(db);
    if (rows.rows.length === 0) break;
    const values = rows.rows.map((row) => {
      const doc = clipSearchDocument({ libraryId: row.library_id, fields: JSON.parse(row.data) as Record<string, unknown> });
      return sql`(${Number(row.seq)}::bigint, ${rowPairs(doc, doc.body.slice(0, MAX_BODY))}::bytea)`;
    });
    await sql`UPDATE clip_search SET pairs = v.pairs FROM (VALUES ${sql.join(values)}) AS v(seq, pairs) WHERE clip_search.seq = v.seq`.execute(db);
    after = Number(rows.rows[rows.rows.length - 1]!.seq);
  }
  await sql`CREATE INDEX clip_search_terms ON clip_search USING gin (filters, doc, prefixes)`.execute(db);
}

export async function down(): Promise<void> {
  // Search rows are derived data: going back means rebuilding them with the older code.
}
