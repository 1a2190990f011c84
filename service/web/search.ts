// Search for the web page: the service's ranked full-text search plus the filters the web adds
// (organisation, date range), read up to a bound so that pages can say "21–25 of 25". The
// library's cases, which the search box finds too, are matched by search/cases.ts.
import type { Db } from '../db/schema.ts';
import { CANDIDATE_WINDOW, encodeCursor, searchClips, type ClipHit, type ClipSearchParams } from '../search/clips.ts';
import { searchIndexOf } from '../search/index.ts';
import { isPhrase, parseUserQuery } from '../search/query.ts';

export interface WebSearchParams extends Omit<ClipSearchParams, 'cursor' | 'limit'> {
  /** Only clips captured by one of these members (an organisation's members). */
  memberIds?: Set<string>;
  /** Inclusive day bounds, YYYY-MM-DD, on the capture date. */
  from?: string;
  to?: string;
  /** Index of the first hit of the page (0-based) and the page's size. */
  offset?: number;
  limit?: number;
}

export interface WebSearchResult {
  clips: ClipHit[];
  /** Hits counted (at most MAX_COUNTED). */
  total: number;
  /** True when more than MAX_COUNTED clips match: the page says "of 300+". */
  more: boolean;
}

/**
 * Hits read per request at most, in the search layer's ranked order: enough for fifteen pages
 * of twenty, and a count a person can rely on ("of 300+" beyond). The search layer itself stays
 * bounded per page of 100 (its candidate window), so this costs a few of its pages.
 */
export const MAX_COUNTED = 300;
const PAGE = 100;

/**
 * How many clips match, counting at most `cap` (the index alone, no clip is read).
 * The same MATCH the search layer pages through, so the count and the pages agree.
 */
async function countMatches(db: Db, core: Omit<ClipSearchParams, 'cursor' | 'limit'>, cap: number): Promise<number> {
  return searchIndexOf(db).count(db, core, cap);
}

export async function searchForWeb(db: Db, params: WebSearchParams): Promise<WebSearchResult> {
  const { memberIds, from, to, offset = 0, limit = 20, ...core } = params;
  // Without the web's own filters: the page straight from the search layer (an offset in its
  // first ranked window) and the count from the index, instead of reading every hit. Not for a
  // phrase: a request looks at a bounded number of candidates for it, and the pages below read
  // on past them.
  const phrase = parseUserQuery(core.q ?? '').some(isPhrase);
  if (!phrase && !memberIds && !from && !to && offset + limit <= CANDIDATE_WINDOW) {
    const [page, total] = await Promise.all([
      offset < MAX_COUNTED ? searchClips(db, { ...core, limit, ...(offset > 0 ? { cursor: encodeCursor({ before: null, offset }) } : {}) }) : Promise.resolve({ clips: [] }),
      countMatches(db, core, MAX_COUNTED + 1),
    ]);
    const shown = page.clips.slice(0, Math.max(0, Math.min(total, MAX_COUNTED) - offset));
    return { clips: shown, total: Math.min(total, MAX_COUNTED), more: total > MAX_COUNTED };
  }
  const keep = (clip: ClipHit) => {
    if (memberIds && !memberIds.has(clip.capturedBy)) return false;
    const day = clip.capturedAt.slice(0, 10);
    if (from && day < from) return false;
    if (to && day > to) return false;
    return true;
  };
  const found: ClipHit[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  let more = false;
  // Post-filters may thin pages out: read at most this many pages of the search layer.
  for (let page = 0; page < 12; page++) {
    const result = await searchClips(db, { ...core, limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const clip of result.clips) {
      if (seen.has(clip.id) || !keep(clip)) continue;
      seen.add(clip.id);
      found.push(clip);
    }
    cursor = result.nextCursor ?? undefined;
    if (!cursor) break;
    if (found.length > MAX_COUNTED) {
      more = true;
      break;
    }
    if (page === 11) more = true;
  }
  if (found.length > MAX_COUNTED) more = true;
  const counted = found.slice(0, MAX_COUNTED);
  return { clips: counted.slice(offset, offset + limit), total: counted.length, more };
}
