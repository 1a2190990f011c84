// Clip listing and full-text search for a library: ranked, highlighted, filtered, paged.
import { sql } from 'kysely';
import type { Db, Dialect } from '../db/schema.ts';
import { matchExpression, parseUserQuery, type QueryTerm, type SearchFilters } from './fts-sqlite.ts';
import { makeSnippet, termsRegex } from './snippet.ts';
import { highlightTerms } from './stem.ts';

/** How matches are ordered: best first (title matches, then newest), or simply newest first. */
export const SEARCH_ORDERS = ['relevance', 'newest'] as const;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];

export interface ClipSearchParams extends SearchFilters {
  q?: string;
  cursor?: string;
  limit?: number;
  /** relevance (the default) or newest. */
  order?: SearchOrder;
}

export interface ClipHit {
  id: string;
  version: number;
  url: string;
  title: string;
  kind: string;
  siteName: string;
  excerpt: string;
  tags: string[];
  caseIds: string[];
  companyId: string | null;
  capturedAt: string;
  capturedBy: string;
  /** HTML-escaped text with the matched words in <mark>; present for searches. */
  snippet?: string;
}

export interface ClipSearchResult {
  clips: ClipHit[];
  nextCursor: string | null;
}

/**
 * Ranking reads at most this many of the newest matching clips. Ordering every match of a
 * common word by bm25 costs seconds at a million clips (TOOLCHAIN.md); a library's readers
 * want recent material anyway, and the newest window is walked straight off the FTS doclist.
 * Older matches stay reachable: paging past the window moves on to the next one.
 */
export const CANDIDATE_WINDOW = 400;

export interface Cursor {
  /** Only clips with a smaller seq belong to this window (null: the newest). */
  before: number | null;
  offset: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * Reads a cursor this service gave out; anything else (not base64url JSON, a negative,
 * fractional or huge number such as 1e300, an offset past the ranking window) is undefined, which
 * the API answers with 400. The numbers go into SQL, so only safe integers in range pass.
 */
export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (!text) return { before: null, offset: 0 };
  if (text.length > 200) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined; // an unreadable cursor is the caller's error
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { before, offset } = value as Record<string, unknown>;
  const beforeOk = before === null || (typeof before === 'number' && Number.isSafeInteger(before) && before >= 0);
  // Cursors given out never go past the end of a ranking window (rankedPage), and pages of the
  // newest clips always start at offset 0.
  const offsetOk = typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 && offset <= CANDIDATE_WINDOW;
  return beforeOk && offsetOk ? { before: before as number | null, offset: offset as number } : undefined;
}

async function windowOf(db: Db, match: string, before: ReturnType<typeof sql>): Promise<number[]> {
  const rows = await sql<{ seq: number }>`SELECT rowid AS seq FROM clips_fts
    WHERE clips_fts MATCH ${match}${before} ORDER BY rowid DESC LIMIT ${CANDIDATE_WINDOW}`.execute(db);
  return rows.rows.map((row) => Number(row.seq));
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
async function candidateWindow(db: Db, params: SearchFilters, terms: QueryTerm[], scoped: string, before: ReturnType<typeof sql>): Promise<Head[]> {
  const unscoped = matchExpression(params, terms, undefined, false);
  let window = await windowOf(db, unscoped, before);
  let heads = await headsOf(db, window);
  const ours = (seq: number) => heads.get(seq)?.libraryId === params.libraryId;
  const crowded = window.length === CANDIDATE_WINDOW && !window.every(ours);
  if (crowded) {
    window = await windowOf(db, scoped, before);
    heads = await headsOf(db, window);
  }
  return window.filter(ours).map((seq) => heads.get(seq)!);
}

/** A page of the newest clips (no words): `limit + 1` seqs were read to know if more follow. */
export async function newestPage(db: Db, seqs: number[], limit: number): Promise<ClipSearchResult> {
  const page = seqs.slice(0, limit);
  return {
    clips: await hydrate(db, page, []),
    nextCursor: seqs.length > limit ? encodeCursor({ before: page[page.length - 1]!, offset: 0 }) : null,
  };
}

/**
 * A page of a ranked window. Past the window's end the cursor moves on to the next, older
 * window: below the window's oldest clip when the window was full, or below `floor` when the
 * store bounded how far back this request looked.
 */
export async function rankedPage(
  db: Db,
  ranked: Array<{ seq: number }>,
  windowSeqs: number[],
  cursor: Cursor,
  limit: number,
  terms: QueryTerm[],
  floor: number | null = null,
): Promise<ClipSearchResult> {
  const page = ranked.slice(cursor.offset, cursor.offset + limit);
  let nextCursor: string | null = null;
  if (cursor.offset + limit < ranked.length) nextCursor = encodeCursor({ before: cursor.before, offset: cursor.offset + limit });
  else if (windowSeqs.length === CANDIDATE_WINDOW) nextCursor = encodeCursor({ before: Math.min(...windowSeqs), offset: 0 });
  else if (floor !== null) nextCursor = encodeCursor({ before: floor, offset: 0 });
  return { clips: await hydrate(db, page.map((hit) => hit.seq), terms), nextCursor };
}

/** How many of the query's terms a title holds in some word form (accents and case ignored). */
export function titleScore(title: string, terms: QueryTerm[]): number {
  let score = 0;
  for (const forms of highlightTerms(terms)) if (termsRegex(forms)!.test(title)) score += 1;
  return score;
}

/**
 * Orders a candidate window (newest first as read): by relevance, clips whose title holds more
 * of the query's terms first, newest first among equals; by newest, as read. `score` gives the
 * store's own relevance when it has one.
 */
export function orderWindow<T extends { seq: number; score: number }>(window: T[], order: SearchOrder | undefined): T[] {
  return order === 'newest' ? [...window].sort((a, b) => b.seq - a.seq) : [...window].sort((a, b) => b.score - a.score || b.seq - a.seq);
}

/** Loads the page's clips in order; with query terms, each gets a highlighted snippet. */
export async function hydrate(db: Db, seqs: number[], terms: QueryTerm[]): Promise<ClipHit[]> {
  if (seqs.length === 0) return [];
  const rows = await db.selectFrom('clips').select(['seq', 'id', 'version', 'data']).where('seq', 'in', seqs).where('deleted', '=', 0).execute();
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
  // Snippets mark the words as typed and their word forms (a stem as a prefix: premium* for premiums).
  const marked = highlightTerms(terms).flat();
  const hits: ClipHit[] = [];
  for (const seq of seqs) {
    const row = bySeq.get(seq);
    if (!row) continue;
    const f = JSON.parse(row.data) as Record<string, unknown>;
    const selection = (f.selection as { text?: string } | null)?.text ?? '';
    const snippet = terms.length ? makeSnippet([String(f.text ?? ''), selection, String(f.note ?? ''), String(f.title ?? ''), String(f.excerpt ?? '')], marked) : undefined;
    hits.push({
      id: row.id,
      version: Number(row.version),
      url: String(f.url ?? ''),
      title: String(f.title ?? ''),
      kind: String(f.kind ?? ''),
      siteName: String(f.siteName ?? ''),
      excerpt: String(f.excerpt ?? ''),
      tags: (f.tags as string[]) ?? [],
      caseIds: (f.caseIds as string[]) ?? [],
      companyId: (f.companyId as string | null) ?? null,
      capturedAt: String(f.capturedAt ?? ''),
      capturedBy: String(f.capturedBy ?? ''),
      ...(snippet !== undefined ? { snippet } : {}),
    });
  }
  return hits;
}

/** Query text no store can search for (a NUL, a lone surrogate) becomes U+FFFD, which matches nothing stored. */
const searchable = (value: string | undefined) => (value === undefined ? undefined : value.replace(/[\uD800-\uDFFF\u0000]/gu, '\uFFFD'));

export async function searchClips(db: Db, dialect: Dialect, rawParams: ClipSearchParams): Promise<ClipSearchResult> {
  // A hostile query never fails (nor makes PostgreSQL fail on a NUL): it finds nothing.
  const params: ClipSearchParams = { ...rawParams, q: searchable(rawParams.q), tag: searchable(rawParams.tag) };
  if (dialect === 'postgres') {
    const { searchClipsPostgres } = await import('./fts-postgres.ts');
    return searchClipsPostgres(db, params);
  }
  const limit = Math.min(Math.max(params.limit ?? 20, 1), 100);
  const cursor = decodeCursor(params.cursor) ?? { before: null, offset: 0 };
  const terms = parseUserQuery(params.q ?? '');
  // A query with no usable words and no filter beyond the library lists the newest clips.
  const match = matchExpression(params, terms);
  const before = cursor.before === null ? sql`` : sql` AND rowid < ${cursor.before}`;

  if (terms.length === 0) {
    const rows = await sql<{ seq: number }>`SELECT rowid AS seq FROM clips_fts WHERE clips_fts MATCH ${match}${before}
      ORDER BY rowid DESC LIMIT ${limit + 1} OFFSET ${cursor.offset}`.execute(db);
    return newestPage(db, rows.rows.map((row) => Number(row.seq)), limit);
  }

  const window = await candidateWindow(db, params, terms, match, before);
  // Ranking inside the window: clips whose title holds more of the query's terms come first,
  // newest first among equals. FTS5's bm25() is not used: it computes each phrase's document
  // frequency over the whole index, which for a common word or a phrase costs 50-500 ms at
  // 100k clips whatever the window (measured with npm run bench:sync); a second FTS query
  // with a column filter costs as much.
  const ranked = orderWindow(
    window.map((head) => ({ seq: head.seq, score: params.order === 'newest' ? 0 : titleScore(head.title, terms) })),
    params.order,
  );
  return rankedPage(db, ranked, window.map((head) => head.seq), cursor, limit, terms);
}
