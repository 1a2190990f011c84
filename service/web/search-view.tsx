/** @jsxImportSource hono/jsx */
// What the search page shows, from what pages/search.tsx read and loaded: the search form with
// its filters, a warning for dates the wrong way round, the cases found and the page of clips.
import type { CaseHit } from '../search/cases.ts';
import type { ClipHit } from '../search/clips.ts';
import { ClipList, type Names } from './components.tsx';
import { libUrl } from './layout.tsx';
import { PAGE_SIZE, SEARCH_KINDS, anyFilter, type SearchRequest, type SearchUrls } from './search-request.ts';
import { Badge, SanitizedHtml } from './ui.tsx';

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

/** The choices of the filters' selects. */
export interface FilterChoices {
  cases: Array<{ id: string; title: string }>;
  companies: Array<{ id: string; name: string }>;
  members: Array<{ id: string; name: string }>;
  organisations: string[];
}

export function SearchForm({ libraryId, request, choices }: { libraryId: string; request: SearchRequest; choices: FilterChoices }) {
  const { q, order, filters } = request;
  const filtered = anyFilter(request);
  return (
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
          <Select name="case" label="Case" value={filters.case ?? ''} options={choices.cases.map((item) => [item.id, item.title])} />
          <div>
            <label for="f-tag">Tag</label>
            <input id="f-tag" name="tag" type="text" value={filters.tag} />
          </div>
          <Select name="company" label="Company" value={filters.company ?? ''} options={choices.companies.map((company) => [company.id, company.name])} />
          <Select name="member" label="Clipped by" value={filters.member ?? ''} options={choices.members.map((member) => [member.id, member.name])} />
          <Select name="org" label="Organisation" value={filters.org} options={choices.organisations.map((org) => [org, org])} />
          <Select name="kind" label="Kind" value={filters.kind ?? ''} options={SEARCH_KINDS.map((kind) => [kind, kind])} />
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
  );
}

export function DatesBackwards({ request, swapped }: { request: SearchRequest; swapped: string }) {
  const { from, to } = request.filters;
  return (
    <p class="warning" role="alert">
      “Clipped from” ({from}) is after “Clipped until” ({to}), so no clip can match. <a href={swapped}>Search from {to} until {from}</a>{' '}
      instead, or change the dates.
    </p>
  );
}

export function CaseResults({ libraryId, hits }: { libraryId: string; hits: CaseHit[] }) {
  return (
    <section aria-labelledby="case-results-h" class="case-results">
      <h2 id="case-results-h">
        Cases <span class="meta">· {hits.length} found</span>
      </h2>
      <ul class="items">
        {hits.map((hit) => (
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
  );
}

export interface ClipPage {
  clips: ClipHit[];
  total: number;
  /** More than the counted clips match ("of 300+"). */
  more: boolean;
}

/** The page of clips with what it shows ("21–25 of 25"), the list and the links to the pages beside it. */
export function ClipResults({ libraryId, request, result, names, urls, caseHits, backwards }: { libraryId: string; request: SearchRequest; result: ClipPage; names: Names; urls: SearchUrls; caseHits: number; backwards: boolean }) {
  const { q, startAt } = request;
  const shownFrom = result.clips.length ? startAt + 1 : 0;
  const shownTo = startAt + result.clips.length;
  const summary = result.clips.length === 0 ? 'none found' : `${shownFrom}–${shownTo} of ${result.total}${result.more ? '+' : ''}`;
  const nextUrl = startAt + PAGE_SIZE < result.total ? urls.page(startAt + PAGE_SIZE) : undefined;
  const previousUrl = startAt > 0 ? urls.page(Math.max(0, startAt - PAGE_SIZE)) : undefined;
  const empty = q || anyFilter(request) ? (caseHits ? 'No clips match.' : 'Nothing matches. Try fewer words or filters.') : 'Nothing clipped yet.';
  return (
    <section aria-labelledby="results-h">
      <h2 id="results-h">
        {q ? (caseHits ? 'Clips' : 'Results') : 'Newest clips'}
        <span class="meta" data-testid="result-count"> · {summary}</span>
      </h2>
      {!backwards && <ClipList libraryId={libraryId} clips={result.clips} names={names} back={urls.back} empty={empty} />}
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
  );
}
