// Clip listing and full-text search for a library: ranked, highlighted, filtered, paged. The
// store's SearchIndex (index.ts) does the work; this module is what pages and routes import.
import type { Db, Dialect } from '../db/schema.ts';
import { searchIndexOf } from './index.ts';
import type { ClipSearchParams, ClipSearchResult } from './types.ts';

export { CANDIDATE_WINDOW, SEARCH_ORDERS, type ClipHit, type ClipSearchParams, type ClipSearchResult, type Cursor, type SearchOrder } from './types.ts';
export { decodeCursor, encodeCursor, hydrate, newestPage, orderWindow, rankedPage, titleScore } from './page.ts';

/**
 * A page of a library's clips through the store's search index. The store is known from `db`
 * (searchIndexOf); the older form with a dialect between is still read while callers move over.
 */
export function searchClips(db: Db, params: ClipSearchParams): Promise<ClipSearchResult>;
/** @deprecated the dialect is known from `db`: call searchClips(db, params). */
export function searchClips(db: Db, dialect: Dialect, params: ClipSearchParams): Promise<ClipSearchResult>;
export function searchClips(db: Db, second: Dialect | ClipSearchParams, third?: ClipSearchParams): Promise<ClipSearchResult> {
  const params = typeof second === 'string' ? third! : second;
  return searchIndexOf(db).search(db, params);
}
