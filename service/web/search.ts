// Search for the web page: the service's ranked full-text search plus the filters the web adds
// (organisation, date range), applied to the ranked hits page by page.
import type { Db, Dialect } from '../db/schema.ts';
import { searchClips, type ClipHit, type ClipSearchParams } from '../search/clips.ts';

export interface WebSearchParams extends ClipSearchParams {
  /** Only clips captured by one of these members (an organisation's members). */
  memberIds?: Set<string>;
  /** Inclusive day bounds, YYYY-MM-DD, on the capture date. */
  from?: string;
  to?: string;
}

/** Pages read at most per request when post-filters thin the hits out; the cursor continues from there. */
const MAX_SCANNED_PAGES = 10;

export async function searchForWeb(db: Db, dialect: Dialect, params: WebSearchParams): Promise<{ clips: ClipHit[]; nextCursor: string | null }> {
  const { memberIds, from, to, ...core } = params;
  const postFilter = memberIds !== undefined || from !== undefined || to !== undefined;
  if (!postFilter) return searchClips(db, dialect, core);
  const keep = (clip: ClipHit) => {
    if (memberIds && !memberIds.has(clip.capturedBy)) return false;
    const day = clip.capturedAt.slice(0, 10);
    if (from && day < from) return false;
    if (to && day > to) return false;
    return true;
  };
  const wanted = core.limit ?? 20;
  const found: ClipHit[] = [];
  let cursor = core.cursor;
  for (let page = 0; page < MAX_SCANNED_PAGES; page++) {
    const result = await searchClips(db, dialect, { ...core, limit: 100, ...(cursor ? { cursor } : {}) });
    found.push(...result.clips.filter(keep));
    cursor = result.nextCursor ?? undefined;
    // Whole pages only, so the cursor stays one the search layer gave out.
    if (!cursor || found.length >= wanted) break;
  }
  return { clips: found, nextCursor: cursor ?? null };
}
