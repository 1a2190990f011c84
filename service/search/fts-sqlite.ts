// SQLite side of clip search: the FTS5 table `clips_fts` (migration 011), its rows, match
// expressions that never fail on user syntax, and the newest-first candidate window.
import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/schema.ts';
import { documentTokens, filterTokenList, MAX_BODY } from './document.ts';
import { decodeCursor, newestPage, orderWindow, pageLimit, rankedPage, searchable, titleScorer } from './page.ts';
import { isPhrase, parseUserQuery } from './query.ts';
import { queryStems, stemLanguageOf, stemmable, stemTokens } from './stem.ts';
import { CANDIDATE_WINDOW, type SearchIndex, type ClipSearchParams, type ClipSearchResult, type QueryTerm, type SearchDocument, type SearchFilters } from './types.ts';

export { parseUserQuery } from './query.ts';
export type { QueryTerm, SearchDocument, SearchFilters } from './types.ts';

/** The `filters` column: the clip's scoping tokens (document.ts) as one text. */
export function filterTokens(doc: Pick<SearchDocument, 'libraryId' | 'caseIds' | 'tags' | 'capturedBy' | 'companyId' | 'kind'>): string {
  return documentTokens(doc).join(' ');
}

/** Adds a clip's search row; an updated clip's old row is deleted first by the caller. */
export async function writeSearchRow(db: Db, seq: number, doc: SearchDocument): Promise<void> {
  const body = doc.body.slice(0, MAX_BODY);
  const stems = stemTokens(stemLanguageOf(doc.lang), [doc.title, body, doc.note, doc.tags.join(' ')]);
  await sql`INSERT INTO clips_fts (rowid, filters, title, body, note, tags, site, stems)
    VALUES (${seq}, ${filterTokens(doc)}, ${doc.title}, ${body}, ${doc.note}, ${doc.tags.join(' ')}, ${doc.site}, ${stems})`.execute(db);
}

export async function deleteSearchRow(db: Db, seq: number): Promise<void> {
  await sql`DELETE FROM clips_fts WHERE rowid = ${seq}`.execute(db);
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The filters column's part of a MATCH; `library: false` leaves the library token out. */
export function filterExpression(filters: SearchFilters, library = true): string {
  const tokens = filterTokenList(filters, library);
  return tokens.length ? `filters : (${tokens.map(quote).join(' AND ')})` : '';
}

const TEXT_COLUMNS = ['title', 'body', 'note', 'tags', 'site'];

/** The full MATCH expression: filter tokens AND the user's terms within the text columns. */
export function matchExpression(filters: SearchFilters, terms: QueryTerm[], columns: string[] = TEXT_COLUMNS, library = true): string {
  const scope = filterExpression(filters, library);
  if (terms.length === 0) return scope;
  const groups: string[][] = [[]];
  const within = `{${columns.join(' ')}} : `;
  for (const term of terms) {
    if (term.or) groups.push([]);
    const written = within + (term.prefix ? `${quote(term.text)} *` : quote(term.text));
    // A plain word also matches its word forms: its stem in each language, in the stems column.
    const stems = stemmable(term) ? queryStems(term.text) : [];
    groups[groups.length - 1]!.push(stems.length ? `(${written} OR stems : (${stems.map(quote).join(' OR ')}))` : written);
  }
  const text = groups.map((group) => `(${group.join(' AND ')})`).join(' OR ');
  return scope ? `${scope} AND (${text})` : text;
}

type Bound = ReturnType<typeof sql>;

/**
 * A superset of a query's matches that FTS5 answers from its doclists alone: no column filter
 * and a phrase's words with AND, so no position list is read.
 */
export function looseExpression(terms: QueryTerm[]): string {
  const groups: string[][] = [[]];
  for (const term of terms) {
    if (term.or) groups.push([]);
    const words = term.text.split(/\s+/).filter(Boolean);
    const written = words.map((word, i) => (term.prefix && i === words.length - 1 ? `${quote(word)} *` : quote(word))).join(' AND ');
    const stems = stemmable(term) ? queryStems(term.text) : [];
    groups[groups.length - 1]!.push(stems.length ? `(${written} OR ${stems.map(quote).join(' OR ')})` : `(${written})`);
  }
  return groups.map((group) => `(${group.join(' AND ')})`).join(' OR ');
}

/**
 * Phrases: FTS5 checks word positions in every clip that holds all of a phrase's words, about a
 * microsecond each; two common words that rarely stand together would have it read every such
 * clip of the library (150 ms at a million clips). A request therefore looks at the newest
 * PHRASE_CANDIDATES of them at most: this is the oldest seq it reaches (null: it reaches them
 * all). The cursor goes on below it, so an older match is a page further, never lost.
 */
export const PHRASE_CANDIDATES = 3_000;

async function phraseFloor(db: Db, terms: QueryTerm[], bound: Bound): Promise<number | null> {
  const rows = await sql<{ seq: number }>`SELECT rowid AS seq FROM clips_fts WHERE clips_fts MATCH ${looseExpression(terms)}${bound}
    ORDER BY rowid DESC LIMIT 1 OFFSET ${PHRASE_CANDIDATES - 1}`.execute(db);
  return rows.rows[0] ? Number(rows.rows[0].seq) : null;
}

/** Where a request's window may lie: below `before` (a cursor) and, for a phrase, from `floor` up. */
interface Range {
  before: number | null;
  floor: number | null;
}

async function windowOf(db: Db, match: string, range: Range, phrase: RarePhrase): Promise<number[]> {
  const before = range.before === null ? sql`` : sql` AND rowid < ${range.before}`;
  if (phrase === 'rare') {
    // A word of the phrase is rare: all the phrase's matches, read oldest first (FTS5 leaps
    // through the common words' lists by their doclist index only in that direction).
    const rows = await sql<{ seq: number }>`SELECT rowid AS seq FROM clips_fts
      WHERE clips_fts MATCH ${match}${before} ORDER BY rowid ASC`.execute(db);
    return rows.rows.map((row) => Number(row.seq)).reverse().slice(0, CANDIDATE_WINDOW);
  }
  if (phrase === 'common') return phraseWindowOf(db, match, range);
  const rows = await sql<{ seq: number }>`SELECT rowid AS seq FROM clips_fts
    WHERE clips_fts MATCH ${match}${before} ORDER BY rowid DESC LIMIT ${CANDIDATE_WINDOW}`.execute(db);
  return rows.rows.map((row) => Number(row.seq));
}

/** No phrase; a phrase with a rare word (RARE_WORD); a phrase of common words only. */
type RarePhrase = 'none' | 'rare' | 'common';

/** Clips (below the cursor) a phrase word may be in and still count as rare. */
const RARE_WORD = 15_000;

/**
 * Whether some word of the query's phrases is rare below the cursor: one short read of each
 * word's list, newest first, which stops after RARE_WORD clips.
 */
async function phraseKind(db: Db, terms: QueryTerm[], before: Bound): Promise<RarePhrase> {
  const phrases = terms.filter(isPhrase);
  if (phrases.length === 0) return 'none';
  if (terms.some((term) => term.or)) return 'common';
  const words = [...new Set(phrases.flatMap((term) => term.text.split(/\s+/).filter(Boolean)))];
  for (const word of words) {
    // The word's list alone, without a column filter, so no position list is read: a rarity test.
    const row = await sql<{ seq: number }>`SELECT rowid AS seq FROM clips_fts WHERE clips_fts MATCH ${quote(word)}${before}
      ORDER BY rowid DESC LIMIT 1 OFFSET ${RARE_WORD - 1}`.execute(db);
    if (row.rows.length === 0) return 'rare';
  }
  return 'common';
}

/**
 * A phrase's window, read newest first and stopped by hand. Given a rowid bound, FTS5 checks the
 * phrase's positions in every clip past the bound as well (170-200 ms at a million clips for a
 * window that takes 5 ms unbounded), so the bounds are applied here, row by row.
 */
async function phraseWindowOf(db: Db, match: string, range: Range, limit = CANDIDATE_WINDOW): Promise<number[]> {
  const query = (db as unknown as Kysely<Record<string, { seq: number }>>)
    .selectFrom(sql`clips_fts`.as('clips_fts'))
    .select(sql<number>`rowid`.as('seq'))
    .where(sql<boolean>`clips_fts MATCH ${match}`)
    .orderBy(sql`rowid`, 'desc');
  const seqs: number[] = [];
  for await (const row of query.stream()) {
    const seq = Number(row.seq);
    if (range.before !== null && seq >= range.before) continue;
    if (range.floor !== null && seq < range.floor) break;
    seqs.push(seq);
    if (seqs.length === limit) break;
  }
  return seqs;
}

interface Head {
  seq: number;
  libraryId: string;
  title: string;
}

/**
 * Library and title of the window's clips, read from the covering index `clips_head`: a clip
 * row holds its 30 KB payload, so reading rows would touch a page (or more) per clip.
 */
async function headsOf(db: Db, seqs: number[]): Promise<Map<number, Head>> {
  if (seqs.length === 0) return new Map();
  const rows = await sql<{ seq: number; library_id: string; title: string }>`SELECT seq, library_id, title
    FROM clips INDEXED BY clips_head WHERE seq IN (${sql.join(seqs)})`.execute(db);
  return new Map(rows.rows.map((row) => [Number(row.seq), { seq: Number(row.seq), libraryId: row.library_id, title: row.title }]));
}

/**
 * The newest matching clips of the library. The library token matches every clip of the
 * library, and intersecting the query with that doclist newest-first costs 5-15 ms at 100k
 * clips, against 0.3 ms for the query alone. So the query runs alone first and its window is
 * checked against the clips' library; only when other libraries' clips crowd the window does
 * the scoped query run. Either way nothing outside the library is returned.
 */
async function candidateWindow(db: Db, params: SearchFilters, terms: QueryTerm[], range: Range, phrase: RarePhrase): Promise<Head[]> {
  const unscoped = matchExpression(params, terms, undefined, false);
  let window = await windowOf(db, unscoped, range, phrase);
  let heads = await headsOf(db, window);
  const ours = (seq: number) => heads.get(seq)?.libraryId === params.libraryId;
  const crowded = window.length === CANDIDATE_WINDOW && !window.every(ours);
  if (crowded) {
    window = await windowOf(db, matchExpression(params, terms), range, phrase);
    heads = await headsOf(db, window);
  }
  return window.filter(ours).map((seq) => heads.get(seq)!);
}

async function searchSqlite(db: Db, rawParams: ClipSearchParams): Promise<ClipSearchResult> {
  // A hostile query never fails: it finds nothing.
  const params: ClipSearchParams = { ...rawParams, q: searchable(rawParams.q), tag: searchable(rawParams.tag) };
  const limit = pageLimit(params.limit);
  const cursor = decodeCursor(params.cursor) ?? { before: null, offset: 0 };
  const terms = parseUserQuery(params.q ?? '');
  const before = cursor.before === null ? sql`` : sql` AND rowid < ${cursor.before}`;

  if (terms.length === 0) {
    // No usable words: the newest clips in scope.
    const rows = await sql<{ seq: number }>`SELECT rowid AS seq FROM clips_fts WHERE clips_fts MATCH ${matchExpression(params, terms)}${before}
      ORDER BY rowid DESC LIMIT ${limit + 1} OFFSET ${cursor.offset}`.execute(db);
    return newestPage(db, rows.rows.map((row) => Number(row.seq)), limit);
  }

  const phrase = await phraseKind(db, terms, before);
  const floor = phrase === 'common' ? await phraseFloor(db, terms, before) : null;
  const window = await candidateWindow(db, params, terms, { before: cursor.before, floor }, phrase);
  // Ranking inside the window: clips whose title holds more of the query's terms come first,
  // newest first among equals. FTS5's bm25() is not used: it computes each phrase's document
  // frequency over the whole index, which for a common word or a phrase costs 50-500 ms at
  // 100k clips whatever the window; a second FTS query with a column filter costs as much.
  const score = titleScorer(terms);
  const ranked = orderWindow(
    window.map((head) => ({ seq: head.seq, score: params.order === 'newest' ? 0 : score(head.title) })),
    params.order,
  );
  return rankedPage(db, ranked, window.map((head) => head.seq), cursor, limit, terms, floor);
}

export const sqliteSearchIndex: SearchIndex = {
  kind: 'sqlite-fts5',
  async index(db, seq, doc, isNew) {
    if (!isNew) await deleteSearchRow(db, seq);
    await writeSearchRow(db, seq, doc);
  },
  async indexMany(db, rows) {
    for (const { seq, doc } of rows) await writeSearchRow(db, seq, doc);
  },
  remove: deleteSearchRow,
  search: searchSqlite,
  async count(db, rawParams, cap) {
    // The FTS index alone: no clip row is read.
    const params = { ...rawParams, q: searchable(rawParams.q), tag: searchable(rawParams.tag) };
    const terms = parseUserQuery(params.q ?? '');
    const match = matchExpression(params, terms);
    // A phrase counts where a search's first page looks (phraseFloor), as its pages do.
    if (terms.some(isPhrase)) return (await phraseWindowOf(db, match, { before: null, floor: await phraseFloor(db, terms, sql``) }, cap)).length;
    const row = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM clips_fts WHERE clips_fts MATCH ${match} LIMIT ${cap})`.execute(db);
    return Number(row.rows[0]?.n ?? 0);
  },
  async beforeBulkLoad() {},
  async afterBulkLoad(db) {
    // Merges the segments a bulk load leaves into one b-tree per term.
    await sql`INSERT INTO clips_fts (clips_fts) VALUES ('optimize')`.execute(db);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  },
};
