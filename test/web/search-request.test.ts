// The search page's reading of its query string: what a person (or a crafted link) puts in the
// address bar becomes bounded filters, never an error, and the page's links keep the search.
import { describe, expect, it } from 'vitest';
import { anyFilter, clipFilters, datesBackwards, readSearchRequest, searchUrls } from '../../service/web/search-request.ts';

const LIB = '11111111-1111-4111-8111-111111111111';
const CASE = '22222222-2222-4222-8222-222222222222';

describe('reading a search request', () => {
  it('drops what is not an id, a day, a kind or a page number, and bounds the texts', () => {
    const request = readSearchRequest(
      { q: 'x'.repeat(900), case: "' OR 1=1 --", company: CASE.toUpperCase().replace(/-/g, ''), member: '', kind: 'script', from: '2025-1-1', to: '2025-02-30x', start: '99999', order: 'random', org: 'o'.repeat(300), tag: `  ${'t'.repeat(150)}  ` },
      300,
    );
    expect(request.q).toHaveLength(500);
    expect(request.order).toBe('relevance');
    expect(request.filters).toEqual({ case: undefined, company: undefined, member: undefined, org: 'o'.repeat(200), kind: undefined, tag: 't'.repeat(100), from: undefined, to: undefined });
    expect(request.startAt).toBe(0);
  });

  it('keeps a valid case, kind, days, order and page, the page at most the counted bound', () => {
    const request = readSearchRequest({ q: 'cocoa', case: CASE, kind: 'selection', from: '2025-01-01', to: '2025-03-31', order: 'newest', start: '9999' }, 300);
    expect(request).toMatchObject({ q: 'cocoa', order: 'newest', startAt: 300, filters: { case: CASE, kind: 'selection', from: '2025-01-01', to: '2025-03-31' } });
    expect(anyFilter(request)).toBe(true);
    expect(clipFilters(request)).toBe(true);
    expect(datesBackwards(request)).toBe(false);
    expect(clipFilters(readSearchRequest({ q: 'cocoa', case: CASE }, 300))).toBe(false);
    expect(anyFilter(readSearchRequest({ q: 'cocoa' }, 300))).toBe(false);
  });

  it('links the pages of the same search, a clip back to this page, and the dates swapped when they run backwards', () => {
    const request = readSearchRequest({ q: 'living income', tag: 'lesson', from: '2025-12-01', to: '2025-01-01', order: 'newest', start: '40' }, 300);
    expect(datesBackwards(request)).toBe(true);
    const urls = searchUrls(LIB, request);
    expect(urls.page(0)).toBe(`/l/${LIB}/search?q=living+income&order=newest&tag=lesson&from=2025-12-01&to=2025-01-01`);
    expect(urls.page(60)).toBe(`/l/${LIB}/search?q=living+income&order=newest&tag=lesson&from=2025-12-01&to=2025-01-01&start=60`);
    expect(urls.back).toBe('q=living+income&order=newest&tag=lesson&from=2025-12-01&to=2025-01-01&start=40');
    expect(urls.swapped).toBe(`/l/${LIB}/search?q=living+income&order=newest&tag=lesson&to=2025-12-01&from=2025-01-01`);
  });
});
