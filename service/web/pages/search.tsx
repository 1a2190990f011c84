/** @jsxImportSource hono/jsx */
// Full-text search over the library's clips with highlighted snippets, filters and paging.
import { Hono } from 'hono';
import { uuid } from '../../../shared/model.ts';
import { decodeCursor } from '../../search/clips.ts';
import { caseNames, ClipList } from '../components.tsx';
import type { WebEnv } from '../env.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';
import { liveObjects, memberDirectory } from '../queries.ts';
import { searchForWeb } from '../search.ts';

const KINDS = ['article', 'selection', 'link', 'image'] as const;
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
  const { db, dialect } = c.get('services');
  const libraryId = c.get('libraryId');
  const query = c.req.query();
  const q = (query.q ?? '').slice(0, 500);
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
  const cursor = query.cursor && decodeCursor(query.cursor) ? query.cursor : undefined;
  // Case titles only: listCases also counts every case's clips, which a search page does not show.
  const [caseObjects, directory, companies] = await Promise.all([liveObjects(db, libraryId, 'case'), memberDirectory(db, libraryId), liveObjects(db, libraryId, 'company')]);
  const cases = caseObjects.map((item) => ({ id: item.id, title: String(item.fields.title) }));
  const organisations = [...new Set(directory.members.map((member) => member.organisation).filter(Boolean))].sort();
  const memberIds = filters.org ? new Set(directory.members.filter((member) => member.organisation === filters.org).map((member) => member.id)) : undefined;

  const started = performance.now();
  const result = await searchForWeb(db, dialect, {
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
    ...(cursor ? { cursor } : {}),
    limit: 20,
  });
  const elapsed = performance.now() - started;
  c.header('Server-Timing', `search;dur=${elapsed.toFixed(1)}`);

  const params = new URLSearchParams();
  if (q) params.set('q', q);
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const nextUrl = result.nextCursor ? libUrl(libraryId, `search?${new URLSearchParams([...params, ['cursor', result.nextCursor]]).toString()}`) : undefined;
  const firstUrl = cursor ? libUrl(libraryId, `search?${params.toString()}`) : undefined;
  const names = { members: directory.byId, cases: caseNames(cases) };
  const filtered = Object.values(filters).some(Boolean);

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
      <section aria-labelledby="results-h">
        <h2 id="results-h">
          {q ? 'Results' : 'Newest clips'}
          <span class="meta"> · {result.clips.length}{result.nextCursor ? '+' : ''} shown ({Math.max(1, Math.round(elapsed))} ms)</span>
        </h2>
        <ClipList libraryId={libraryId} clips={result.clips} names={names} empty={q || filtered ? 'Nothing matches. Try fewer words or filters.' : 'Nothing clipped yet.'} />
        <nav class="pager" aria-label="Result pages">
          {firstUrl && <a href={firstUrl}>← First page</a>}
          {nextUrl && (
            <a href={nextUrl} rel="next">
              More results →
            </a>
          )}
        </nav>
      </section>
    </>,
  );
});
