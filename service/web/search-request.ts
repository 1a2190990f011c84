// What a search page request asks for, read from its query string: every value checked and
// bounded (a bad id, day or page number is dropped, not an error), and the URLs the page links
// to (other pages of the same search, the search with its dates swapped, the clip's way back).
import { uuid } from '../../shared/model.ts';
import { CHOSEN_CLIP_KINDS } from '../../shared/vocabulary.ts';
import type { SearchOrder } from '../search/types.ts';
import { libUrl } from './layout.tsx';

/** Clips a search page shows. */
export const PAGE_SIZE = 20;

export const SEARCH_KINDS = CHOSEN_CLIP_KINDS;

export interface SearchFiltersShown {
  case: string | undefined;
  company: string | undefined;
  member: string | undefined;
  org: string;
  kind: (typeof SEARCH_KINDS)[number] | undefined;
  tag: string;
  from: string | undefined;
  to: string | undefined;
}

export interface SearchRequest {
  q: string;
  order: SearchOrder;
  filters: SearchFiltersShown;
  /** Index of the page's first hit, at most `maxStart`. */
  startAt: number;
}

const id = (value: string | undefined) => (value && uuid.safeParse(value).success ? value : undefined);
const day = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);

export function readSearchRequest(query: Record<string, string | undefined>, maxStart: number): SearchRequest {
  return {
    q: (query.q ?? '').slice(0, 500),
    // Best matches first (the default) or the newest first; anything else is the default.
    order: query.order === 'newest' ? 'newest' : 'relevance',
    filters: {
      case: id(query.case),
      company: id(query.company),
      member: id(query.member),
      org: (query.org ?? '').slice(0, 200),
      kind: SEARCH_KINDS.find((kind) => kind === query.kind),
      tag: (query.tag ?? '').trim().slice(0, 100),
      from: day(query.from),
      to: day(query.to),
    },
    startAt: /^\d{1,4}$/.test(query.start ?? '') ? Math.min(Number(query.start), maxStart) : 0,
  };
}

/** Whether any filter is set (the filters panel opens then). */
export const anyFilter = (request: SearchRequest) => Object.values(request.filters).some(Boolean);

/**
 * The clip filters (tag, company, member, organisation, kind, dates) say the person wants clips:
 * no case list then.
 */
export const clipFilters = ({ filters }: SearchRequest) => [filters.company, filters.member, filters.org, filters.kind, filters.tag, filters.from, filters.to].some(Boolean);

/** A "from" day after the "until" day can match nothing: the page says so instead of an empty list. */
export const datesBackwards = ({ filters }: SearchRequest) => Boolean(filters.from && filters.to && filters.from > filters.to);

export interface SearchUrls {
  /** The page of this search that starts at hit `at`. */
  page: (at: number) => string;
  /** What a clip's "← Search" returns to: this search, on this page. */
  back: string;
  /** This search with its from and until days swapped. */
  swapped: string;
}

export function searchUrls(libraryId: string, request: SearchRequest): SearchUrls {
  const params = new URLSearchParams();
  if (request.q) params.set('q', request.q);
  if (request.order === 'newest') params.set('order', request.order);
  for (const [key, value] of Object.entries(request.filters)) if (value) params.set(key, value);
  const startParam = (at: number) => (at > 0 ? [['start', String(at)]] : []);
  return {
    page: (at) => libUrl(libraryId, `search?${new URLSearchParams([...params, ...startParam(at)]).toString()}`),
    back: new URLSearchParams([...params, ...startParam(request.startAt)]).toString(),
    swapped: libUrl(libraryId, `search?${new URLSearchParams([...params].map(([key, value]) => [key === 'from' ? 'to' : key === 'to' ? 'from' : key, value])).toString()}`),
  };
}
