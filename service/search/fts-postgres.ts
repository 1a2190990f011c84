// PostgreSQL side of clip search: tsvector search rows with recency and prefix tokens, tsquery
// text built safely from parseUserQuery's terms, and the newest matches found span by span.
import { sql } from 'kysely';
import type { Db } from '../db/schema.ts';
import { clipSearchDocument, documentTokens, filterTokenList, MAX_BODY } from './document.ts';
import { decodeCursor, newestPage, orderWindow, pageLimit, rankedPage, searchable, titleScorer } from './page.ts';
import { pairSignature, phraseBits } from './pairs.ts';
import { parseUserQuery } from './query.ts';
import { foldWord, STEM_LANGUAGES, stemLanguageOf, stemmable, type StemLanguage } from './stem.ts';
import { CANDIDATE_WINDOW, type SearchIndex, type ClipSearchParams, type ClipSearchResult, type QueryTerm, type SearchDocument, type SearchFilters } from './types.ts';

/**
 * Words as FTS5's `unicode61 remove_diacritics 2` sees them: lower case, accents removed, any
 * run of other characters a separator. Folding here, not in Postgres, keeps results the same on
 * every server whatever its locale and without the `unaccent` extension (which managed and
 * Postgres-wire distributed engines may lack), and it stops Postgres' parser from indexing
 * hosts, e-mails and paths as single compound words that a typed word would never match.
 */
export function foldWords(text: string): string {
  return foldWord(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}


/** A tsquery lexeme in quotes: tsquery's own escaping, so no input changes the query's shape. */
const lexeme = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The scope as tsquery text over the `filters` column: every token must be present. */
export function filterQuery(filters: SearchFilters): string {
  return filterTokenList(filters).map(lexeme).join(' & ');
}

/** Writes (or removes, for a tombstone) the search row of one clip (store migration). */
export async function writePostgresSearch(db: Db, clip: { seq?: number; deleted: boolean; libraryId: string; fields: Record<string, unknown> }): Promise<void> {
  if (clip.seq === undefined) return;
  if (clip.deleted) await deletePostgresRow(db, clip.seq);
  else await writePostgresRow(db, clip.seq, clipSearchDocument(clip));
}

async function writePostgresRow(db: Db, seq: number, doc: SearchDocument): Promise<void> {
  await sql`INSERT INTO clip_search (seq, library_id, filters, doc, prefixes, title, pairs) VALUES (${seq}, ${doc.libraryId}, ${searchRowValues(seq, doc)})
    ON CONFLICT (seq) DO UPDATE SET library_id = excluded.library_id, filters = excluded.filters, doc = excluded.doc, prefixes = excluded.prefixes, title = excluded.title, pairs = excluded.pairs`.execute(db);
}

async function deletePostgresRow(db: Db, seq: number): Promise<void> {
  await sql`DELETE FROM clip_search WHERE seq = ${seq}`.execute(db);
}

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

/** The seqs a search can meet: the oldest and newest search row (null: none). */
interface SeqBounds {
  lo: number | null;
  hi: number | null;
}

/**
 * What a search needs before it asks the index, in one round trip: the marked stems of the
 * query's plain words in each language, from the server's own stemmers (the ones that indexed
 * the clips, remembered per process), and the seqs the search rows span.
 */
export async function searchStart(db: Db, terms: QueryTerm[]): Promise<{ stems: Map<string, string[]>; bounds: SeqBounds }> {
  const words = [...new Set(terms.filter(stemmable).map((term) => foldWords(term.text)).filter((word) => word && !word.includes(' ')))];
  const missing = words.filter((word) => !stemCache.has(word));
  const configs = Object.keys(STEM_LANGUAGES).map((language) => sql`${language}::regconfig`);
  const stemsOf = missing.length === 0 ? sql`NULL::json` : sql`(SELECT json_agg(json_build_array(word, ARRAY(SELECT DISTINCT ${STEM_MARK}::text || x.lexeme
      FROM unnest(ARRAY[${sql.join(configs)}]) AS config, unnest(to_tsvector(config, word)) AS x))) FROM unnest(${missing}::text[]) AS word)`;
  const row = (await sql<{ lo: number | string | null; hi: number | string | null; stems: Array<[string, string[]]> | null }>`SELECT
      (SELECT min(seq) FROM clip_search) AS lo, (SELECT max(seq) FROM clip_search) AS hi, ${stemsOf} AS stems`.execute(db)).rows[0];
  if (stemCache.size > 10_000) stemCache.clear();
  for (const [word, stems] of row?.stems ?? []) stemCache.set(word, stems);
  return {
    stems: new Map(words.map((word) => [word, stemCache.get(word) ?? []])),
    bounds: { lo: row?.lo == null ? null : Number(row.lo), hi: row?.hi == null ? null : Number(row.hi) },
  };
}

/**
 * A weighted tsvector of a clip's words: title A, tags and note B, site C, body D, with their
 * word forms. Migration 011 writes its rows with it too.
 */
export function weightedVector(doc: SearchDocument, body: string) {
  const language = stemLanguageOf(doc.lang);
  return sql`setweight(to_tsvector('simple', ${foldWords(doc.title)}), 'A') ||
    setweight(to_tsvector('simple', ${foldWords(doc.tags.join(' ') + ' ' + doc.note)}), 'B') ||
    setweight(to_tsvector('simple', ${foldWords(doc.site)}), 'C') ||
    setweight(to_tsvector('simple', ${foldWords(body)}), 'D') ||
    ${stemsVector(language, foldWords(doc.title), 'A')} ||
    ${stemsVector(language, foldWords([doc.tags.join(' '), doc.note, body].join(' ')), 'D')}`;
}

/**
 * Recency levels of the `filters` column (migration 013): a clip carries, for each level, the
 * token of the bucket of 2^shift seqs it falls in ('ra3907' holds seqs 999,936-1,000,191). A
 * search names the buckets of the span of seqs it looks at, so the GIN index intersects "this
 * span" with the words and the scope, and no more than the span's matches are ever fetched.
 */
const RECENCY: ReadonlyArray<readonly [string, number]> = [['ra', 8], ['rb', 12], ['rc', 16], ['rd', 20]];

/** The recency tokens of a seq, one a level. */
export function recencyTokens(seq: number): string[] {
  return RECENCY.map(([mark, shift]) => `${mark}${Math.floor(seq / 2 ** shift)}`);
}

/** Most tokens a span is named by; a span that needs more is left to the seq filter. */
const SPAN_TOKENS = 64;

/**
 * The buckets that cover the seqs [lo, hi), the largest that fit first (from hi down: small ones
 * up to a boundary of the next level, then that level's, and back down near lo), so the index
 * returns the span's matches and at most a smallest bucket more at each end. None when that
 * takes more than SPAN_TOKENS.
 */
export function spanTokens(lo: number, hi: number): string[] {
  const smallest = 2 ** RECENCY[0]![1];
  const start = Math.floor(lo / smallest) * smallest;
  let end = Math.ceil(hi / smallest) * smallest;
  const tokens: string[] = [];
  while (end > start) {
    for (let level = RECENCY.length - 1; level >= 0; level--) {
      const [mark, shift] = RECENCY[level]!;
      const size = 2 ** shift;
      if (end % size === 0 && end - size >= start) {
        tokens.push(`${mark}${end / size - 1}`);
        end -= size;
        break;
      }
    }
    if (tokens.length > SPAN_TOKENS) return [];
  }
  return tokens;
}

/** Longest prefix (in characters) indexed in `prefixes`; a longer typed prefix is matched as `word:*` in `doc`. */
const PREFIX_MAX = 4;

/**
 * The `prefixes` column: every 2-4 character start of every word of the clip (as FTS5's
 * `prefix = '2 3 4'`). A GIN match of `dri:*` collects every lexeme starting so into one bitmap
 * before anything else narrows it, 450 ms for a common start at a million clips; one lexeme
 * 'dri' in this column is an ordinary posting list the index intersects like any word.
 */
export function prefixTokens(doc: SearchDocument, body: string): string[] {
  const seen = new Set<string>();
  for (const text of [doc.title, doc.tags.join(' '), doc.note, doc.site, body]) {
    for (const word of foldWords(text).split(' ')) {
      const chars = Array.from(word);
      for (let n = 2; n <= Math.min(PREFIX_MAX, chars.length); n++) seen.add(chars.slice(0, n).join(''));
    }
  }
  return [...seen];
}

/**
 * The pair signature of a search row (pairs.ts): its fields in the order weightedVector
 * concatenates them, so the signature holds every pair of words the vector has side by side.
 */
export const rowPairs = (doc: SearchDocument, body: string) => pairSignature([doc.title, doc.tags.join(' ') + ' ' + doc.note, doc.site, body]);

/** The `filters, doc, prefixes, title, pairs` values of a search row as SQL (see migrations 001, 013 and 014 for the columns). */
export function searchRowValues(seq: number, doc: SearchDocument) {
  const body = doc.body.slice(0, MAX_BODY);
  return sql`array_to_tsvector(${[...documentTokens(doc), ...recencyTokens(seq)]}::text[]), ${weightedVector(doc, body)}, array_to_tsvector(${prefixTokens(doc, body)}::text[]), ${doc.title}, ${rowPairs(doc, body)}`;
}

/** What a query asks of a row: conditions on `doc` and `prefixes`, and for phrases the exact check. */
interface RowMatch {
  /** tsquery texts over `doc`, all required (words, word forms, long prefixes; a phrase's words with `&`). */
  doc: string[];
  /** tsquery texts over `prefixes`, all required (2-4 character prefixes). */
  prefixes: string[];
  /** A phrase's exact check over `doc` (`<->`), run only on the candidates the index gave. */
  phrase: string | null;
  /** Bits a candidate's pair signature must have for the phrase check to be worth reading `doc` (none: always read). */
  pairBits: number[];
}

/**
 * The user's terms as tsquery texts: a word or phrase becomes lexemes joined by `<->` (in order,
 * adjacent), a trailing `*` a prefix, terms AND together and an `OR` starts an alternative,
 * exactly as the FTS5 MATCH expression reads them. Every lexeme is quoted, so operators, colons
 * or quotes in the input are text, never syntax. Null: no words.
 */
export function rowMatch(terms: QueryTerm[], stems: Map<string, string[]> = new Map()): RowMatch | null {
  // `doc`: the term as one tsquery; `words`: the same as separate conditions (a phrase's words each).
  type Part = { doc: string; exact: string; prefix?: string; words?: string[]; bits?: number[] };
  const groups: Part[][] = [[]];
  for (const term of terms) {
    const words = foldWords(term.text).split(' ').filter(Boolean);
    if (words.length === 0) continue;
    if (term.or && groups[groups.length - 1]!.length > 0) groups.push([]);
    const parts = words.map((word, i) => lexeme(word) + (term.prefix && i === words.length - 1 ? ':*' : ''));
    let part: Part;
    if (words.length > 1) {
      // The pairs of a phrase's whole words (a trailing prefix has no pair to look up).
      part = { doc: `(${parts.join(' & ')})`, exact: `(${parts.join(' <-> ')})`, words: parts, bits: phraseBits(term.prefix ? words.slice(0, -1) : words) };
    } else if (term.prefix && Array.from(words[0]!).length <= PREFIX_MAX) {
      part = { doc: parts[0]!, exact: parts[0]!, prefix: lexeme(words[0]!) };
    } else {
      // A plain word also matches its word forms: the marked stems of every language (queryStems).
      const forms = stemmable(term) ? (stems.get(words[0]!) ?? []) : [];
      const single = forms.length ? `(${[parts[0]!, ...forms.map(lexeme)].join(' | ')})` : parts[0]!;
      part = { doc: single, exact: single };
    }
    groups[groups.length - 1]!.push(part);
  }
  const used = groups.filter((group) => group.length > 0);
  if (used.length === 0) return null;
  const phrase = used.some((group) => group.some((part) => part.doc !== part.exact)) ? used.map((group) => `(${group.map((part) => part.exact).join(' & ')})`).join(' | ') : null;
  if (used.length === 1) {
    // One alternative: short prefixes go to their own column, the rest to `doc`.
    const docParts = used[0]!.filter((part) => part.prefix === undefined).flatMap((part) => part.words ?? [part.doc]);
    const prefixParts = used[0]!.filter((part) => part.prefix !== undefined).map((part) => part.prefix!);
    const pairBits = [...new Set(used[0]!.flatMap((part) => part.bits ?? []))];
    return { doc: docParts, prefixes: prefixParts, phrase, pairBits };
  }
  // Alternatives: one query over `doc` (a short prefix as `word:*` there); any alternative may
  // match, so no pair is required of every candidate.
  return { doc: [used.map((group) => `(${group.map((part) => part.doc).join(' & ')})`).join(' | ')], prefixes: [], phrase, pairBits: [] };
}

/**
 * A tsquery the planner does not estimate: given as the value of a one-row subquery, it is a
 * parameter at plan time, so the planner skips the column's 10,000 most common lexemes
 * (migration 013) it would otherwise unpack for each condition, 0.4-0.8 ms a condition and
 * 0.8-1.5 ms a statement against 0.07 ms. The plan is the same: the conditions go to the GIN
 * index as they are, and `seq + 0` leaves the planner no other index to choose.
 */
const asParam = (query: ReturnType<typeof sql>) => sql`(SELECT ${query})`;

/**
 * The SQL condition of the scope and a RowMatch's index part (without the phrase check), one
 * `@@` a token or term. GIN intersects separate conditions by leaping each posting list to the
 * next candidate of the others; given one tsquery `a & b`, PostgreSQL 15 walks the longer list
 * whole (8 ms for the library token and one recency bucket at 100k clips, against 0.3 ms).
 */
function matchCondition(scope: Scope, match: RowMatch) {
  return sql.join([
    ...(scope.libraryId === null ? [] : [sql`library_id = ${scope.libraryId}`]),
    ...scope.tokens.map((token) => sql`filters @@ ${asParam(sql`${lexeme(token)}::tsquery`)}`),
    ...match.doc.map((query) => sql`doc @@ ${asParam(sql`to_tsquery('simple', ${query})`)}`),
    ...match.prefixes.map((query) => sql`prefixes @@ ${asParam(sql`${query}::tsquery`)}`),
  ], sql` AND `);
}

/** Seqs a search looks at first; later spans grow from the density met so far. */
const FIRST_SPAN = 512;

/**
 * A phrase is found in two steps: the index gives the clips holding all its words (cheap, no
 * positions), then each candidate whose pair signature (pairs.ts) allows the phrase has its `doc`
 * read to check the words stand together (10-20 µs a clip from memory, a disk read otherwise: the
 * vector is toasted). A request checks at most this many of the newest candidates; the
 * cursor moves on below them, so a rare phrase of common words pages back through the library
 * instead of one request reading all of it.
 */
const PHRASE_CANDIDATES = 400;

/**
 * The newest `need` seqs (below `before`) whose row holds the scope and the match, newest first.
 * It looks at spans of seqs from the newest back, each named by its recency tokens so that the
 * GIN index only returns the span's matches: a first span of FIRST_SPAN seqs, then a span sized
 * from the matches per seq met so far (two to eight times the last), so a common word stops after
 * one span and a rare one reaches the oldest clip in a few. `seq + 0` keeps the primary key out
 * of the plan: walking it backwards and checking `doc` row by row reads a toasted vector a row.
 * (One UNION ALL of all spans under one LIMIT saves the round trips but costs more to plan than
 * they cost: measured slower at a million clips.)
 */
async function newestMatching(db: Db, bounds: SeqBounds, condition: Bound, need: number, before: number | null, first = FIRST_SPAN, phrase: Pick<RowMatch, 'phrase' | 'pairBits'> | null = null): Promise<Hit[]> {
  if (bounds.lo === null || bounds.hi === null) return [];
  const bottom = bounds.lo;
  const top = before === null ? bounds.hi + 1 : Math.min(before, bounds.hi + 1);
  const found: Hit[] = [];
  let hi = top;
  let span = first;
  while (found.length < need && hi > bottom) {
    const lo = Math.max(hi - span, bottom);
    // Recency tokens narrow a span; one over half of the library is left to the seq filter: a
    // bucket list as long as the library costs the index more than it saves.
    const tokens = lo > bottom && (hi - lo) * 2 <= top - bottom ? spanTokens(lo, hi) : [];
    const within = tokens.length ? sql` AND filters @@ ${asParam(sql`${tokens.map(lexeme).join(' | ')}::tsquery`)}` : sql``;
    const newest = sql`SELECT seq, title${phrase?.phrase == null ? sql`` : sql`, doc, pairs`} FROM clip_search
      WHERE ${condition}${within} AND seq + 0 >= ${lo} AND seq + 0 < ${hi}
      ORDER BY seq + 0 DESC LIMIT ${need - found.length}`;
    // A phrase's exact check reads each candidate's `doc` in the same statement, once the span's
    // newest are chosen (the vector passes the sort as a pointer): no second lookup of each row.
    // A candidate whose pair signature lacks one of the phrase's pairs is not read at all (rows
    // written before migration 014 have none and are always read).
    const worth = phrase?.pairBits.length ? sql`pairs IS NULL OR (${sql.join(phrase.pairBits.map((bit) => sql`get_bit(pairs, ${bit}) = 1`), sql` AND `)})` : sql`true`;
    const query = phrase?.phrase == null ? newest : sql`SELECT seq, title, CASE WHEN ${worth} THEN doc @@ to_tsquery('simple', ${phrase.phrase}) ELSE false END AS exact FROM (${newest}) AS candidates`;
    const rows = await sql<{ seq: number | string; title: string; exact?: boolean }>`${query}`.execute(db);
    for (const match of rows.rows) found.push({ seq: Number(match.seq), title: match.title, ...(match.exact === undefined ? {} : { exact: match.exact }) });
    hi = lo;
    const density = (found.length + 1) / (top - hi);
    span = Math.min(span * 8, Math.max(span * 2, Math.ceil(((need - found.length) / density) * 1.5)));
  }
  return found;
}

/** The newest candidates of a query and, for a phrase, those that hold it; `floor`: where the next request goes on. */
async function windowOf(db: Db, bounds: SeqBounds, scope: Scope, match: RowMatch, need: number, before: number | null): Promise<{ hits: Hit[]; floor: number | null }> {
  if (match.phrase === null) return { hits: await newestMatching(db, bounds, matchCondition(scope, match), need, before, firstSpan(scope, match, need)), floor: null };
  const candidates = await newestMatching(db, bounds, matchCondition(scope, match), PHRASE_CANDIDATES, before, firstSpan(scope, match, PHRASE_CANDIDATES), match);
  const hits = candidates.filter((hit) => hit.exact).slice(0, need);
  return { hits, floor: candidates.length === PHRASE_CANDIDATES ? candidates[candidates.length - 1]!.seq : null };
}

/** A column's most common elements (lexemes, tokens) with the share of rows holding each. */
interface ColumnStats {
  freq: Map<string, number>;
  /** The least share among them: any element not listed is in at most this share of rows. */
  floor: number;
}

/** What ANALYZE knows of the search rows' columns (pg_stats). */
type SearchStats = Record<'filters' | 'doc' | 'prefixes', ColumnStats>;

/** How long statistics are used before they are read again (ANALYZE runs as rows change). */
const STATS_FRESH_MS = 300_000;

/**
 * The statistics each store's search reads, by its `Db` (the service has one for all its
 * libraries; the lists are the store's, not a library's): about 10,000 lexemes, read in 30-50 ms.
 * Once they are older than STATS_FRESH_MS the search goes on with them while they are read again
 * beside it, so no search waits for that after the first.
 */
const statsCache = new WeakMap<Db, { stats: SearchStats | null; at: number; reading: boolean }>();

async function searchStats(db: Db): Promise<SearchStats | null> {
  const known = statsCache.get(db);
  if (known) {
    if (Date.now() - known.at >= STATS_FRESH_MS && !known.reading) {
      known.reading = true;
      // A failed read (the store closing) keeps the old statistics for another while.
      readStats(db).then((stats) => statsCache.set(db, { stats, at: Date.now(), reading: false }), () => statsCache.set(db, { ...known, at: Date.now(), reading: false }));
    }
    return known.stats;
  }
  const stats = await readStats(db);
  statsCache.set(db, { stats, at: Date.now(), reading: false });
  return stats;
}

async function readStats(db: Db): Promise<SearchStats | null> {
  const rows = await sql<{ attname: string; elems: string[] | null; freqs: number[] | null }>`SELECT attname,
      most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs
    FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'clip_search' AND attname IN ('filters', 'doc', 'prefixes')`.execute(db);
  const columns = new Map<string, ColumnStats>();
  for (const row of rows.rows) {
    if (!row.elems || !row.freqs || row.freqs.length < row.elems.length + 1) continue;
    const freqs = row.freqs.map(Number);
    // most_common_elem_freqs ends with the least and the greatest share and the null share.
    columns.set(row.attname, { freq: new Map(row.elems.map((elem, i) => [elem, freqs[i]!])), floor: freqs[row.elems.length]! });
  }
  return columns.size === 3 ? (Object.fromEntries(columns) as SearchStats) : null;
}

/** The share of rows a tsquery text's lexemes reach at most (their shares added; a `:*` prefix: unknown, 1). */
function shareOf(query: string, column: ColumnStats): number {
  let share = 0;
  let forms = 0;
  for (const [, quoted, prefix] of query.matchAll(/'((?:[^'\\]|''|\\.)*)'(:\*)?/g)) {
    if (prefix) return 1;
    const text = quoted!.replace(/''/g, "'").replace(/\\(.)/g, '$1');
    const found = column.freq.get(text) ?? column.floor;
    // A word's marked stems are in the rows that hold the word or its other forms: counted once
    // (the largest), not added to the word's share as if they were other words.
    if (text.startsWith(STEM_MARK)) forms = Math.max(forms, found);
    else share += found;
  }
  return Math.min(1, Math.max(share, forms));
}

/**
 * The scope as conditions: its tokens, and the library's as a row check when ANALYZE's
 * statistics say its token is in a third or more of the search rows. GIN skips through a posting
 * list a page at a time, so a token held by nearly every row costs several milliseconds to
 * intersect with even a rare word at a million clips; such a library is checked on the rows the
 * index gives instead (`library_id`), which are then almost all its own. A small library keeps
 * its token: it is what makes its matches cheap to find among other libraries' clips.
 */
async function scopeOf(db: Db, params: SearchFilters): Promise<Scope> {
  const tokens = filterTokenList(params);
  const stats = await searchStats(db);
  const libraryShare = stats?.filters.freq.get(tokens[0]!) ?? 0;
  if (!stats || libraryShare < 1 / 3) return { tokens, libraryId: null, stats, libraryShare: 1 };
  return { tokens: tokens.slice(1), libraryId: params.libraryId, stats, libraryShare };
}

interface Scope {
  tokens: string[];
  /** Checked on the row instead of through its token. */
  libraryId: string | null;
  stats: SearchStats | null;
  /** The share of rows the row-checked library holds (1 when its token is a condition). */
  libraryShare: number;
}

/**
 * The first span a search looks at: one that should hold `need` matches if the conditions'
 * shares (upper bounds, multiplied as if independent) were exact, so a rare word does not climb
 * through the small spans one round trip each. Never less than FIRST_SPAN.
 */
function firstSpan(scope: Scope, match: RowMatch, need: number): number {
  const stats = scope.stats;
  if (!stats) return FIRST_SPAN;
  let share = scope.libraryShare;
  for (const token of scope.tokens) share *= stats.filters.freq.get(token) ?? stats.filters.floor;
  for (const query of match.doc) share *= shareOf(query, stats.doc);
  for (const query of match.prefixes) share *= shareOf(query, stats.prefixes);
  return Math.max(FIRST_SPAN, Math.ceil((need * 1.2) / Math.max(share, 1e-9)));
}

/** A matching clip's seq and title (ranking scores the title, as on SQLite). */
interface Hit {
  seq: number;
  title: string;
  /** For a phrase's candidate: whether its words stand together. */
  exact?: boolean;
}

type Bound = ReturnType<typeof sql>;

/**
 * Same result shape and cursor semantics as the FTS5 path: without words, the newest clips in
 * scope; with words, the CANDIDATE_WINDOW newest matches (newestMatching), ordered by relevance
 * (how many of the query's terms the title holds, then newest) or newest; paging past the window
 * moves to the next, older window. Snippets come from hydrate(), as on SQLite.
 */
export async function searchClipsPostgres(db: Db, rawParams: ClipSearchParams): Promise<ClipSearchResult> {
  // A hostile query never fails (nor makes PostgreSQL fail on a NUL): it finds nothing.
  const params: ClipSearchParams = { ...rawParams, q: searchable(rawParams.q), tag: searchable(rawParams.tag) };
  const limit = pageLimit(params.limit);
  const cursor = decodeCursor(params.cursor) ?? { before: null, offset: 0 };
  const terms = parseUserQuery(params.q ?? '');
  const scope = filterQuery(params);
  const start = terms.length ? await searchStart(db, terms) : null;
  const match = start && rowMatch(terms, start.stems);

  if (!start || match === null) {
    // The primary key walked newest first, each row's small inline `filters` checked.
    const before = cursor.before === null ? sql`` : sql` AND seq < ${cursor.before}`;
    const rows = await sql<{ seq: number }>`SELECT seq FROM clip_search WHERE filters @@ ${scope}::tsquery${before}
      ORDER BY seq DESC LIMIT ${limit + 1} OFFSET ${cursor.offset}`.execute(db);
    return newestPage(db, rows.rows.map((row) => Number(row.seq)), limit);
  }

  const { hits, floor } = await windowOf(db, start.bounds, await scopeOf(db, params), match, CANDIDATE_WINDOW, cursor.before);
  const score = titleScorer(terms);
  const order = orderWindow(hits.map((hit) => ({ seq: hit.seq, score: params.order === 'newest' ? 0 : score(hit.title) })), params.order);
  return rankedPage(db, order, hits.map((hit) => hit.seq), cursor, limit, terms, floor);
}

export const postgresSearchIndex: SearchIndex = {
  kind: 'postgres-tsvector',
  index: (db, seq, doc) => writePostgresRow(db, seq, doc),
  async indexMany(db, rows) {
    for (let at = 0; at < rows.length; at += 200) {
      const values = rows.slice(at, at + 200).map(({ seq, doc }) => sql`(${seq}, ${doc.libraryId}, ${searchRowValues(seq, doc)})`);
      await sql`INSERT INTO clip_search (seq, library_id, filters, doc, prefixes, title, pairs) VALUES ${sql.join(values)}`.execute(db);
    }
  },
  remove: deletePostgresRow,
  search: searchClipsPostgres,
  async count(db, rawParams, cap) {
    const params = { ...rawParams, q: searchable(rawParams.q), tag: searchable(rawParams.tag) };
    const terms = parseUserQuery(params.q ?? '');
    const scope = filterQuery(params);
    const start = terms.length ? await searchStart(db, terms) : null;
    const match = start && rowMatch(terms, start.stems);
    if (!start || match === null) {
      const row = await sql<{ n: number | string }>`SELECT count(*) AS n FROM (SELECT 1 FROM clip_search WHERE filters @@ ${scope}::tsquery ORDER BY seq DESC LIMIT ${cap}) AS found`.execute(db);
      return Number(row.rows[0]?.n ?? 0);
    }
    // The same bounded walk as a search: a phrase counts among the candidates one request checks.
    return (await windowOf(db, start.bounds, await scopeOf(db, params), match, cap, null)).hits.length;
  },
  async beforeBulkLoad(db) {
    await sql`DROP INDEX IF EXISTS clip_search_terms`.execute(db);
  },
  async afterBulkLoad(db) {
    await sql`SET maintenance_work_mem = '1GB'`.execute(db);
    await sql`CREATE INDEX IF NOT EXISTS clip_search_terms ON clip_search USING gin (filters, doc, prefixes)`.execute(db);
    await sql`VACUUM ANALYZE`.execute(db);
  },
};
