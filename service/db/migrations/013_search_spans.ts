// Migration 13: PostgreSQL search finds the newest matches through the GIN index alone (issue 17,
// item 4: p95 within 20 ms at a million clips). Each search row gains
// - recency tokens in `filters` (fts-postgres.ts recencyTokens: the bucket of 2^8, 2^12, 2^16
//   and 2^20 seqs the clip falls in), so a search can ask the index for "these words in this
//   span of seqs" and never fetch more than the span's matches;
// - a `prefixes` column holding every 2-4 character start of the clip's words, so `coc*` is one
//   posting list instead of a bitmap of every word that starts so;
// - the clip's `title`, and loses `head`: ranking scores titles, as on SQLite, which the window's
//   own index scan now reads instead of a toasted vector (or a clip row) a clip. The GIN index is built again over (filters, doc, prefixes). SQLite: nothing changes (FTS5
// bounds a search by rowid and keeps its own prefix index).
// Landed migrations never change; add a new file instead.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(db);
  await sql`DROP INDEX IF EXISTS clip_search_terms`.execute(db);
  await sql`ALTER TABLE clip_search DROP COLUMN IF EXISTS head`.execute(db);
  await sql`ALTER TABLE clip_search ADD COLUMN IF NOT EXISTS prefixes tsvector, ADD COLUMN IF NOT EXISTS title text`.execute(db);
  // The words of `doc` are its lexemes with positions; the marked stems have none.
  await sql`UPDATE clip_search SET
    filters = filters || array_to_tsvector(ARRAY['ra' || (seq >> 8), 'rb' || (seq >> 12), 'rc' || (seq >> 16), 'rd' || (seq >> 20)]),
    prefixes = array_to_tsvector(ARRAY(SELECT DISTINCT left(word.lexeme, n)
      FROM unnest(doc) AS word, generate_series(2, 4) AS n
      WHERE word.positions IS NOT NULL AND char_length(word.lexeme) >= n)),
    title = coalesce((SELECT clips.title FROM clips WHERE clips.seq = clip_search.seq), '')`.execute(db);
  await sql`ALTER TABLE clip_search ALTER COLUMN prefixes SET NOT NULL, ALTER COLUMN title SET NOT NULL`.execute(db);
  await sql`CREATE INDEX clip_search_terms ON clip_search USING gin (filters, doc, prefixes)`.execute(db);
  // A search sizes its first span from how common its words are (fts-postgres.ts firstSpan): with
  // the default target ANALYZE lists the 1,000 most common lexemes (5% of clips or more at a
  // million); 10,000 reach down to about 0.4%. ANALYZE of a million clips then takes about 50 s.
  await sql`ALTER TABLE clip_search ALTER COLUMN doc SET STATISTICS 1000`.execute(db);
}

export async function down(): Promise<void> {
  // Search rows are derived data: going back means rebuilding them with the older code.
}
