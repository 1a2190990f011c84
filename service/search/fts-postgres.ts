// PostgreSQL side of clip search (issue 6): tsvector search rows, tsquery text built safely from
// parseUserQuery's terms, and the same bounded newest-first candidate window as the FTS5 path.
import { sql } from 'kysely';
import type { Db } from '../db/schema.ts';
import { clipSearchDocument, documentTokens, filterTokenList, MAX_BODY } from './document.ts';
import { decodeCursor, newestPage, orderWindow, pageLimit, rankedPage, searchable } from './page.ts';
import { parseUserQuery } from './query.ts';
import { STEM_LANGUAGES, stemLanguageOf, stemmable, type StemLanguage } from './stem.ts';
import { CANDIDATE_WINDOW, type SearchIndex, type ClipSearchParams, type ClipSearchResult, type QueryTerm, type SearchDocument, type SearchFilters } from './types.ts';

/**
 * Words as FTS5's `unicode61 remove_diacritics 2` sees them: lower case, accents removed, any
 * run of other characters a separator. Folding here, not in Postgres, keeps results the same on
 * every server whatever its locale and without the `unaccent` extension (which managed and
 * Postgres-wire distributed engines may lack), and it stops Postgres' parser from indexing
 * hosts, e-mails and paths as single compound words that a typed word would never match.
 */
export function foldWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}


/** A tsquery lexeme in quotes: tsquery's own escaping, so no input changes the query's shape. */
const lexeme = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The scope as tsquery text over the `filters` column: every token must be present. */
export function filterQuery(filters: SearchFilters): string {
  return filterTokenList(filters).map(lexeme).join(' & ');
}

/**
 * The user's terms as to_tsquery text: a word or phrase becomes lexemes joined by `<->` (in
 * order, adjacent), a trailing `*` becomes `:*` on the last lexeme, terms AND together and an
 * `OR` starts an alternative, exactly as the FTS5 MATCH expression reads them. Every lexeme is
 * quoted, so operators, colons or quotes in the input are text, never syntax. Null: no words.
 */
export function wordsQuery(terms: QueryTerm[], stems: Map<string, string[]> = new Map()): string | null {
  const groups: string[][] = [[]];
  for (const term of terms) {
    const words = foldWords(term.text).split(' ').filter(Boolean);
    if (words.length === 0) continue;
    if (term.or && groups[groups.length - 1]!.length > 0) groups.push([]);
    const parts = words.map((word, i) => lexeme(word) + (term.prefix && i === words.length - 1 ? ':*' : ''));
    // A plain word also matches its word forms: the marked stems of every language (queryStems).
    const forms = stemmable(term) && words.length === 1 ? (stems.get(words[0]!) ?? []) : [];
    const single = forms.length ? `(${[parts[0]!, ...forms.map(lexeme)].join(' | ')})` : parts[0]!;
    groups[groups.length - 1]!.push(parts.length > 1 ? `(${parts.join(' <-> ')})` : single);
  }
  const used = groups.filter((group) => group.length > 0);
  if (used.length === 0) return null;
  return used.map((group) => `(${group.join(' & ')})`).join(' | ');
}

/** Writes (or removes, for a tombstone) the search row of one clip (store migration, migration 011). */
export async function writePostgresSearch(db: Db, clip: { seq?: number; deleted: boolean; libraryId: string; fields: Record<string, unknown> }): Promise<void> {
  if (clip.seq === undefined) return;
  if (clip.deleted) await deletePostgresRow(db, clip.seq);
  else await writePostgresRow(db, clip.seq, clipSearchDocument(clip));
}

async function writePostgresRow(db: Db, seq: number, doc: SearchDocument): Promise<void> {
  await sql`INSERT INTO clip_search (seq, library_id, filters, doc, head) VALUES (${seq}, ${doc.libraryId}, ${searchRowValues(doc)})
    ON CONFLICT (seq) DO UPDATE SET library_id = excluded.library_id, filters = excluded.filters, doc = excluded.doc, head = excluded.head`.execute(db);
}

async function deletePostgresRow(db: Db, seq: number): Promise<void> {
  await sql`DELETE FROM clip_search WHERE seq = ${seq}`.execute(db);
}

/** Characters of the body that `head` keeps: the lead of an article, where its subject is named. */
const HEAD_BODY = 800;

/** Marks a stem in a search vector: a stem never meets a typed word, a prefix or a phrase. */
const STEM_MARK = '0';

/**
 * The word forms of a text: PostgreSQL's own text search configuration of the clip's language
 * (english, dutch, german, french) stems the folded words; each stem is marked ('0premium') and
 * has no positions, and one GIN index serves every language. Clips in other languages (simple)
 * have none: their words match as typed.
 */
function stemsVector(language: StemLanguage | undefined, text: string, weight: 'A' | 'D') {
  if (!language) return sql`''::tsvector`;
  return sql`setweight(array_to_tsvector(ARRAY(SELECT DISTINCT ${STEM_MARK}::text || lexeme
    FROM unnest(to_tsvector(${language}::regconfig, ${text})))), ${sql.raw(`'${weight}'`)})`;
}

/** Query words already stemmed by this process: words repeat, and a round trip is saved. */
const stemCache = new Map<string, string[]>();

/**
 * Marked stems of the query's plain words in each language, from the server's own stemmers (the
 * ones that indexed the clips), remembered per process.
 */
export async function postgresQueryStems(db: Db, terms: QueryTerm[]): Promise<Map<string, string[]>> {
  const words = [...new Set(terms.filter(stemmable).map((term) => foldWords(term.text)).filter((word) => word && !word.includes(' ')))];
  const missing = words.filter((word) => !stemCache.has(word));
  if (missing.length > 0) {
    const configs = Object.keys(STEM_LANGUAGES).map((language) => sql`${language}::regconfig`);
    const rows = await sql<{ word: string; stems: string[] }>`SELECT word, ARRAY(SELECT DISTINCT ${STEM_MARK}::text || x.lexeme
        FROM unnest(ARRAY[${sql.join(configs)}]) AS config, unnest(to_tsvector(config, word)) AS x) AS stems
      FROM unnest(${missing}::text[]) AS word`.execute(db);
    if (stemCache.size > 10_000) stemCache.clear();
    for (const row of rows.rows) stemCache.set(row.word, row.stems);
  }
  return new Map(words.map((word) => [word, stemCache.get(word) ?? []]));
}

/** A weighted tsvector of a clip's words: title A, tags and note B, site C, body D, with their word forms. */
function weighted(doc: SearchDocument, body: string) {
  const language = stemLanguageOf(doc.lang);
  return sql`setweight(to_tsvector('simple', ${foldWords(doc.title)}), 'A') ||
    setweight(to_tsvector('simple', ${foldWords(doc.tags.join(' ') + ' ' + doc.note)}), 'B') ||
    setweight(to_tsvector('simple', ${foldWords(doc.site)}), 'C') ||
    setweight(to_tsvector('simple', ${foldWords(body)}), 'D') ||
    ${stemsVector(language, foldWords(doc.title), 'A')} ||
    ${stemsVector(language, foldWords([doc.tags.join(' '), doc.note, body].join(' ')), 'D')}`;
}

/** The `filters, doc, head` values of a search row as SQL (see migration 001 for the columns). */
export function searchRowValues(doc: SearchDocument) {
  return sql`array_to_tsvector(${documentTokens(doc)}::text[]), ${weighted(doc, doc.body.slice(0, MAX_BODY))}, ${searchHeadValue(doc)}`;
}

/** The `head` value alone: ranking's small tsvector (also used to backfill a bench store). */
export function searchHeadValue(doc: SearchDocument) {
  return weighted(doc, doc.body.slice(0, HEAD_BODY));
}

/**
 * {D, C, B, A} weights for ts_rank, in the spirit of the FTS5 bm25 weights (title 8, tags 5,
 * note 3, site 2, body 1); normalization 1 divides by 1 + log(length), as bm25 damps long texts.
 * Ranking reads `head` (title, tags, note, site, the body's lead), not the whole body: what a
 * clip is about is named there, and it keeps ranking a window cheap. Matches deeper in the body
 * score low and fall back on recency, which is the window's order.
 */
export const RANK_WEIGHTS = '{0.1, 0.25, 0.5, 1.0}';

/**
 * Phrases: the GIN index finds clips with all the words, but word order lives only in each
 * row's full tsvector, so every candidate is fetched and checked; two common words that rarely
 * stand together would walk the whole library. A phrase search therefore looks at the newest
 * PHRASE_SPAN clips in scope per request; the cursor moves on to the next, older span (a page
 * may come back short, with a cursor, when the phrase is rare).
 */
const PHRASE_SPAN = 2_000;

/** Clips a word search first walks newest first, before it asks the GIN index (searchClipsPostgres). */
const WALK = 1_000;

type Bound = ReturnType<typeof sql>;

/**
 * Same result shape and cursor semantics as the FTS5 path in clips.ts: without words, the newest
 * clips in scope; with words, the CANDIDATE_WINDOW newest matches (seq order, walked backwards
 * on the primary key when the words are common, or taken from the GIN index when they are
 * rare: the planner picks by the lexeme statistics), ranked by ts_rank on that window only
 * (phrases: within PHRASE_SPAN clips a request);
 * paging past the window moves to the next, older window. Snippets come from hydrate(), which
 * highlights the page in the same way on both stores.
 */
export async function searchClipsPostgres(db: Db, rawParams: ClipSearchParams): Promise<ClipSearchResult> {
  // A hostile query never fails (nor makes PostgreSQL fail on a NUL): it finds nothing.
  const params: ClipSearchParams = { ...rawParams, q: searchable(rawParams.q), tag: searchable(rawParams.tag) };
  const limit = pageLimit(params.limit);
  const cursor = decodeCursor(params.cursor) ?? { before: null, offset: 0 };
  const terms = parseUserQuery(params.q ?? '');
  const scope = filterQuery(params);
  const words = wordsQuery(terms, await postgresQueryStems(db, terms));
  const before = cursor.before === null ? sql`` : sql` AND seq < ${cursor.before}`;

  if (words === null) {
    const rows = await sql<{ seq: number }>`SELECT seq FROM clip_search WHERE filters @@ ${scope}::tsquery${before}
      ORDER BY seq DESC LIMIT ${limit + 1} OFFSET ${cursor.offset}`.execute(db);
    return newestPage(db, rows.rows.map((row) => Number(row.seq)), limit);
  }

  let floor: number | null = null;
  const phrase = terms.some((term) => foldWords(term.text).includes(' '));
  if (phrase) {
    // Reads only the small inline `filters` column, newest first.
    const span = await sql<{ seq: number }>`SELECT seq FROM clip_search WHERE filters @@ ${scope}::tsquery${before}
      ORDER BY seq DESC OFFSET ${PHRASE_SPAN - 1} LIMIT 1`.execute(db);
    floor = span.rows[0] ? Number(span.rows[0].seq) : null;
  }
  // The window is chosen by recency alone; ts_rank runs on the window only, over the small `head`
  // vectors. A single `ORDER BY seq DESC LIMIT 400` leaves the planner to guess how far back the
  // 400 newest matches lie: it guesses from lexeme statistics that know nothing of a word outside
  // the most common ones, and a rare word with its word forms (three lexemes, each priced at the
  // default frequency) sent it walking the primary key through all 100k clips (3.1 s, where the
  // GIN index answers in 5 ms). So the window is read in two steps whose plans the query's shape
  // fixes, without switching planner methods off:
  // 1. the newest WALK clips (a phrase: its span), a range of the primary key walked newest first
  //    and checked row by row (`IS TRUE` keeps `doc` out of the index), stopping at 400 matches:
  //    a common word, prefix or phrase fills the window here;
  // 2. when it did not, the words are rarer than 400 in WALK clips: the GIN index gives all their
  //    matches below that range and the newest are sorted out (`seq + 0` is no index order, so no
  //    walk of the primary key).
  const query = sql`to_tsquery('simple', ${words})`;
  const ranked = (rows: Bound) => sql<{ seq: number; score: number }>`SELECT seq, ts_rank(${RANK_WEIGHTS}::float4[], head, query, 1) AS score
    FROM (${rows}) AS candidates, ${query} AS query`;
  let walkFloor = floor;
  if (!phrase) {
    const walk = await sql<{ seq: number }>`SELECT seq FROM clip_search WHERE TRUE${before} ORDER BY seq DESC OFFSET ${WALK - 1} LIMIT 1`.execute(db);
    walkFloor = walk.rows[0] ? Number(walk.rows[0].seq) : null;
  }
  const range = walkFloor === null ? sql`` : sql` AND seq >= ${walkFloor}`;
  const recent = await ranked(sql`SELECT seq, head FROM clip_search
      WHERE filters @@ ${scope}::tsquery AND (doc @@ ${query}) IS TRUE${before}${range}
      ORDER BY seq DESC LIMIT ${CANDIDATE_WINDOW}`).execute(db);
  let candidates = recent.rows;
  if (!phrase && walkFloor !== null && candidates.length < CANDIDATE_WINDOW) {
    const rest = await ranked(sql`SELECT seq, head FROM clip_search
      WHERE filters @@ ${scope}::tsquery AND doc @@ ${query} AND seq < ${walkFloor}
      ORDER BY seq + 0 DESC LIMIT ${CANDIDATE_WINDOW - candidates.length}`).execute(db);
    candidates = [...candidates, ...rest.rows];
  }
  const order = orderWindow(candidates.map((row) => ({ seq: Number(row.seq), score: Number(row.score) })), params.order);
  return rankedPage(db, order, candidates.map((row) => Number(row.seq)), cursor, limit, terms, floor);
}

export const postgresSearchIndex: SearchIndex = {
  kind: 'postgres-tsvector',
  index: (db, seq, doc) => writePostgresRow(db, seq, doc),
  async indexMany(db, rows) {
    for (let at = 0; at < rows.length; at += 200) {
      const values = rows.slice(at, at + 200).map(({ seq, doc }) => sql`(${seq}, ${doc.libraryId}, ${searchRowValues(doc)})`);
      await sql`INSERT INTO clip_search (seq, library_id, filters, doc, head) VALUES ${sql.join(values)}`.execute(db);
    }
  },
  remove: deletePostgresRow,
  search: searchClipsPostgres,
  async count(db, rawParams, cap) {
    const params = { ...rawParams, q: searchable(rawParams.q), tag: searchable(rawParams.tag) };
    const terms = parseUserQuery(params.q ?? '');
    const words = wordsQuery(terms, await postgresQueryStems(db, terms));
    const match = words === null ? sql`` : sql` AND doc @@ to_tsquery('simple', ${words})`;
    const row = await sql<{ n: number | string }>`SELECT count(*) AS n FROM (SELECT 1 FROM clip_search WHERE filters @@ ${filterQuery(params)}::tsquery${match} LIMIT ${cap}) AS found`.execute(db);
    return Number(row.rows[0]?.n ?? 0);
  },
  async beforeBulkLoad(db) {
    await sql`DROP INDEX IF EXISTS clip_search_terms`.execute(db);
  },
  async afterBulkLoad(db) {
    await sql`SET maintenance_work_mem = '1GB'`.execute(db);
    await sql`CREATE INDEX IF NOT EXISTS clip_search_terms ON clip_search USING gin (filters, doc)`.execute(db);
    await sql`VACUUM ANALYZE`.execute(db);
  },
};
