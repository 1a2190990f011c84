/** @jsxImportSource hono/jsx */
// Full-text search over the library's clips with highlighted snippets, filters and paging: reads
// the request (search-request.ts), loads the filters' choices and the hits, renders search-view.tsx.
import { Hono } from 'hono';
import type { Db } from '../../db/schema.ts';
import { searchCases } from '../../search/cases.ts';
import { caseNames } from '../components.tsx';
import type { WebEnv } from '../env.ts';
import { chromeOf, sendPage } from '../layout.tsx';
import { liveObjects } from '../../repos/library-read.ts';
import { memberDirectory } from '../queries.ts';
import { clipFilters, datesBackwards, PAGE_SIZE, readSearchRequest, searchUrls, type SearchRequest } from '../search-request.ts';
import { MAX_COUNTED, searchForWeb } from '../search.ts';
import { CaseResults, ClipResults, DatesBackwards, SearchForm } from '../search-view.tsx';

/** The library's cases, companies and members (the filters' choices), and the hits of the request. */
async function loadSearch(db: Db, libraryId: string, request: SearchRequest) {
  const { q, order, filters, startAt } = request;
  const [caseObjects, directory, companies] = await Promise.all([liveObjects(db, libraryId, 'case'), memberDirectory(db, libraryId), liveObjects(db, libraryId, 'company')]);
  const cases = caseObjects.map((item) => ({ id: item.id, title: String(item.fields.title) }));
  const organisations = [...new Set(directory.members.map((member) => member.organisation).filter(Boolean))].sort();
  const memberIds = filters.org ? new Set(directory.members.filter((member) => member.organisation === filters.org).map((member) => member.id)) : undefined;
  const backwards = datesBackwards(request);
  const result = backwards
    ? { clips: [], total: 0, more: false }
    : await searchForWeb(db, {
        libraryId,
        q,
        ...(filters.case ? { caseId: filters.case } : {}),
        ...(filters.company ? { companyId: filters.company } : {}),
        ...(filters.member ? { memberId: filters.member } : {}),
        ...(filters.kind ? { kind: filters.kind } : {}),
        ...(filters.tag ? { tag: filters.tag } : {}),
        ...(memberIds ? { memberIds } : {}),
        ...(filters.from ? { from: filters.from } : {}),
        ...(filters.to ? { to: filters.to } : {}),
        offset: startAt,
        limit: PAGE_SIZE,
        order,
      });
  // Cases are searched too (title, description, lessons), listed above the clips on the first page.
  const caseHits = q && startAt === 0 && !backwards && !clipFilters(request) ? searchCases(caseObjects.filter((item) => !filters.case || item.id === filters.case), q) : [];
  return {
    choices: { cases, companies: companies.map((company) => ({ id: company.id, name: String(company.fields.name) })), members: directory.members, organisations },
    names: { members: directory.byId, cases: caseNames(cases) },
    result,
    caseHits,
    backwards,
  };
}

export const searchPages = new Hono<WebEnv>().get('/l/:lib/search', async (c) => {
  const libraryId = c.get('libraryId');
  const request = readSearchRequest(c.req.query(), MAX_COUNTED);
  const { choices, names, result, caseHits, backwards } = await loadSearch(c.get('services').db, libraryId, request);
  const urls = searchUrls(libraryId, request);
  return sendPage(
    c,
    chromeOf(c, 'search'),
    request.q ? `Search: ${request.q}` : 'Search',
    <>
      <h1>Search the library</h1>
      <SearchForm libraryId={libraryId} request={request} choices={choices} />
      {backwards && <DatesBackwards request={request} swapped={urls.swapped} />}
      {caseHits.length > 0 && <CaseResults libraryId={libraryId} hits={caseHits} />}
      <ClipResults libraryId={libraryId} request={request} result={result} names={names} urls={urls} caseHits={caseHits.length} backwards={backwards} />
    </>,
  );
});
