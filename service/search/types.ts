// The vocabulary of clip search, shared by both stores' indexes and their callers: types and
// constants only, so every search module (and the repositories) can depend on it without a cycle.
import type { Db } from '../db/schema.ts';

/** A term of a user's query: a word, a prefix (`coc*`) or a quoted phrase. */
export interface QueryTerm {
  text: string;
  prefix: boolean;
  /** Starts an alternative: `cocoa OR coffee`. */
  or?: boolean;
  /** Written in quotes: matched as written, no other word forms (a one-word phrase too). */
  exact?: boolean;
}

/** What a search is scoped to: always one library, optionally a case, tag, member, company or kind. */
export interface SearchFilters {
  libraryId: string;
  caseId?: string;
  tag?: string;
  memberId?: string;
  companyId?: string;
  kind?: string;
}

/** What a clip's search row holds, the same on both stores (document.ts builds it from a clip). */
export interface SearchDocument {
  libraryId: string;
  caseIds: string[];
  tags: string[];
  capturedBy: string;
  companyId: string | null;
  kind: string;
  title: string;
  body: string;
  note: string;
  site: string;
  /** The clip's language (BCP 47): picks the stemmer of its word forms (stem.ts). */
  lang?: string;
}

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
 * want recent material anyway, and the newest window is walked straight off the index.
 * Older matches stay reachable: paging past the window moves on to the next one.
 */
export const CANDIDATE_WINDOW = 400;

export interface Cursor {
  /** Only clips with a smaller seq belong to this window (null: the newest). */
  before: number | null;
  offset: number;
}

/** The search index of a store (index.ts chooses the implementation once per store). */
export interface SearchIndex {
  /** Which implementation: for messages and benchmarks. */
  readonly kind: 'sqlite-fts5' | 'postgres-tsvector';
  /** Writes the search row of a live clip; `isNew`: the clip had no row before (skips the delete). */
  index(db: Db, seq: number, doc: SearchDocument, isNew: boolean): Promise<void>;
  /** Writes many new clips' rows at once (imports, store migration, generated benchmark libraries). */
  indexMany(db: Db, rows: Array<{ seq: number; doc: SearchDocument }>): Promise<void>;
  /** Removes a clip's row (a tombstone). */
  remove(db: Db, seq: number): Promise<void>;
  /**
   * A page of a library's clips: with words, the newest CANDIDATE_WINDOW matches ordered by
   * relevance or newest; without, the newest clips in scope. Query classes: plain words (their
   * word forms too), prefixes (`coc*`), "phrases", OR, and the case/tag/member/company/kind
   * filters. Never fails on what the user typed.
   */
  search(db: Db, params: ClipSearchParams): Promise<ClipSearchResult>;
  /** How many clips the search matches, counting at most `cap` (the same terms and filters as search). */
  count(db: Db, params: Omit<ClipSearchParams, 'cursor' | 'limit' | 'order'>, cap: number): Promise<number>;
  /** Before a bulk load into an empty store: drop what is cheaper to build once at the end. */
  beforeBulkLoad(db: Db): Promise<void>;
  /** After a bulk load: build what beforeBulkLoad dropped, merge segments, gather statistics. */
  afterBulkLoad(db: Db): Promise<void>;
}
