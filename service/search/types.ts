// The vocabulary of clip search, shared by both stores' indexes and their callers: no code, no
// imports, so every search module (and the repositories) can depend on it without a cycle.

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
