/** @jsxImportSource hono/jsx */
// Full-text search over the library's clips with highlighted snippets, filters and paging.
import { Hono } from 'hono';
import { uuid } from '../../../shared/model.ts';
import { CHOSEN_CLIP_KINDS } from '../../../shared/vocabulary.ts';
import { caseNames, ClipList } from '../components.tsx';
import type { WebEnv } from '../env.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';
import { liveObjects, memberDirectory } from '../queries.ts';
import { searchCases } from '../../search/cases.ts';
import { MAX_COUNTED, searchForWeb } from '../search.ts';
import { Badge, SanitizedHtml } from '../ui.tsx';

const KINDS = CHOSEN_CLIP_KINDS;
const id = (value: string | undefined) => (value && uuid.safeParse(value).success ? value : undefined);
const day = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: Array<[string, string]> }) {
  return (
    <div>
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        <option value="">Any</option>
        {options.map(([optionValue, text]) => (
          <option value={optionValue} selected={optionValue === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export const searchPages = new Hono<WebEnv>().get('/l/:lib/search', async (c) => {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const query = c.req.query();
  const q = (query.q ?? '').slice(0, 500);
  // Best matches first (the default) or the newest first; anything else is the default.
  const order = query.order === 'newest' ? 'newest' : 'relevance';
  const filters = {
    case: id(query.case),
    company: id(query.company),
    member: id(query.member),
    org: (query.org ?? '').slice(0, 200),
    kind: KINDS.find((kind) => kind === query.kind),
    tag: (query.tag ?? '').trim().slice(0, 100),
    from: day(query.from),
    to: day(query.to),
  };
  const PAGE_SIZE = 20;
  const startAt = /^\d{1,4}$/.test(query.start ?? '') ? Math.min(Number(query.start), MAX_COUNTED) : 0;
  const [caseObjects, directory, companies] = await Promise.all([liveObjects(db, libraryId, 'case'), memberDirectory(db, libraryId), liveObjects(db, libraryId, 'company')]);
  const cases = caseObjects.map((item) => ({ id: item.id, title: String(item.fields.title) }));
  const organisations = [...new Set(directory.members.map((member) => member.organisation).filter(Boolean))].sort();
  const memberIds = filters.org ? new Set(directory.members.filter((member) => member.organisation === filters.org).map((member) => member.id)) : undefined;
  // A "from" day after the "until" day can match nothing: say so instead of an empty list.
  const backwards = filters.from && filters.to && filters.from > filters.to;

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
  // The clip filters (tag, company, member, organisation, kind, dates) say the person wants clips: no case list then.
  const clipFilters = [filters.company, filters.member, filters.org, filters.kind, filters.tag, filters.from, filters.to].some(Boolean);
  const caseHits = q && startAt === 0 && !backwards && !clipFilters ? searchCases(caseObjects.filter((item) => !filters.case || item.id === filters.case), q) : [];

  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (order === 'newest') params.set('order', order);
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const pageUrl = (at: number) => libUrl(libraryId, `search?${new URLSearchParams([...params, ...(at > 0 ? [['start', String(at)]] : [])]).toString()}`);
  const nextUrl = startAt + PAGE_SIZE < result.total ? pageUrl(startAt + PAGE_SIZE) : undefined;
  const previousUrl = startAt > 0 ? pageUrl(Math.max(0, startAt - PAGE_SIZE)) : undefined;
  // What a clip's "← Search" returns to: this search, on this page.
  const back = new URLSearchParams([...params, ...(startAt > 0 ? [['start', String(startAt)]] : [])]).toString();
  const names = { members: directory.byId, cases: caseNames(cases) };
  const filtered = Object.values(filters).some(Boolean);
  const swapped = backwards ? libUrl(libraryId, `search?${new URLSearchParams([...params].map(([key, value]) => [key === 'from' ? 'to' : key === 'to' ? 'from' : key, value])).toString()}`) : '';
  const shownFrom = result.clips.length ? startAt + 1 : 0;
  const shownTo = startAt + result.clips.length;
  const summary = result.clips.length === 0 ? 'none found' : `${shownFrom}–${shownTo} of ${result.total}${result.more ? '+' : ''}`;

  return sendPage(
    c,
    chromeOf(c, 'search'),
    q ? `Search: ${q}` : 'Search',
    <>
      <h1>Search the library</h1>
      <form method="get" action={libUrl(libraryId, 'search')} role="search">
        <div class="searchline">
          <label for="q" class="skip">
            Words to search for
          </label>
          <input id="q" name="q" type="search" value={q} placeholder="Words, “a phrase”, or a prefix*" />
          <label for="f-order">Order</label>
          <select id="f-order" name="order">
            <option value="relevance" selected={order === 'relevance'}>
              Best match
            </option>
            <option value="newest" selected={order === 'newest'}>
              Newest
            </option>
          </select>
          <button type="submit">Search</button>
        </div>
        <details open={filtered}>
          <summary>Filters{filtered ? ' (active)' : ''}</summary>
          <div class="filters">
            <Select name="case" label="Case" value={filters.case ?? ''} options={cases.map((item) => [item.id, item.title])} />
            <div>
              <label for="f-tag">Tag</label>
              <input id="f-tag" name="tag" type="text" value={filters.tag} />
            </div>
            <Select name="company" label="Company" value={filters.company ?? ''} options={companies.map((company) => [company.id, String(company.fields.name)])} />
            <Select name="member" label="Clipped by" value={filters.member ?? ''} options={directory.members.map((member) => [member.id, member.name])} />
            <Select name="org" label="Organisation" value={filters.org} options={organisations.map((org) => [org, org])} />
            <Select name="kind" label="Kind" value={filters.kind ?? ''} options={KINDS.map((kind) => [kind, kind])} />
            <div>
              <label for="f-from">Clipped from</label>
              <input id="f-from" name="from" type="date" value={filters.from ?? ''} />
            </div>
            <div>
              <label for="f-to">Clipped until</label>
              <input id="f-to" name="to" type="date" value={filters.to ?? ''} />
            </div>
            <div>
              <button type="submit" class="quiet">
                Apply filters
              </button>
            </div>
          </div>
        </details>
      </form>
      {backwards && (
        <p class="warning" role="alert">
          “Clipped from” ({filters.from}) is after “Clipped until” ({filters.to}), so no clip can match. <a href={swapped}>Search from {filters.to} until {filters.from}</a>{' '}
          instead, or change the dates.
        </p>
      )}
      {caseHits.length > 0 && (
        <section aria-labelledby="case-results-h" class="case-results">
          <h2 id="case-results-h">
            Cases <span class="meta">· {caseHits.length} found</span>
          </h2>
          <ul class="items">
            {caseHits.map((hit) => (
              <li>
                <a class="item-title" href={libUrl(libraryId, `cases/${hit.id}`)}>
                  {hit.title}
                </a>{' '}
                <Badge value={hit.status} />
                {/* Escaped by makeSnippet, with only <mark> added. */}
                {hit.snippet && (
                  <p class="snippet">
                    <SanitizedHtml html={hit.snippet} />
                  </p>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="results-h">
        <h2 id="results-h">
          {q ? (caseHits.length ? 'Clips' : 'Results') : 'Newest clips'}
          <span class="meta" data-testid="result-count"> · {summary}</span>
        </h2>
        {!backwards && (
          <ClipList libraryId={libraryId} clips={result.clips} names={names} back={back} empty={q || filtered ? (caseHits.length ? 'No clips match.' : 'Nothing matches. Try fewer words or filters.') : 'Nothing clipped yet.'} />
        )}
        {(previousUrl || nextUrl) && (
          <nav class="pager" aria-label="Result pages">
            {previousUrl && (
              <a href={previousUrl} rel="prev">
                ← Previous {PAGE_SIZE}
              </a>
            )}
            {nextUrl && (
              <a href={nextUrl} rel="next">
                Next {Math.min(PAGE_SIZE, result.total - startAt - PAGE_SIZE)} →
              </a>
            )}
          </nav>
        )}
      </section>
    </>,
  );
});
