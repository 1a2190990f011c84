/** @jsxImportSource hono/jsx */
// Lists several pages show the same way: clips (with snippet, tags, cases) and scans with progress.
import type { ClipHit } from '../search/clips.ts';
import type { StoredObject } from '../repos/objects.ts';
import { libUrl } from './layout.tsx';
import type { ScanProgress } from './queries.ts';
import { hostOf } from '../../shared/site.ts';
import { Badge, DateText, Meter, SanitizedHtml, Tags } from './ui.tsx';

export interface Names {
  members: Map<string, { name: string; organisation: string }>;
  cases: Map<string, string>;
}

/**
 * `back` is the query string of the search a clip was found with: the clip page's "← Search"
 * returns to it (query, filters and page), not to an empty search.
 */
export function ClipItem({ libraryId, clip, names, noteHtml, back }: { libraryId: string; clip: ClipHit; names: Names; noteHtml?: string; back?: string }) {
  const member = names.members.get(clip.capturedBy);
  const site = clip.siteName || hostOf(clip.url, { stripWww: true });
  return (
    <li>
      <a class="item-title" href={libUrl(libraryId, `clips/${clip.id}${back ? `?back=${encodeURIComponent(back)}` : ''}`)}>
        {clip.title || clip.url}
      </a>
      {/* The snippet is escaped by the search layer (searchClips → highlight) with only <mark> added. */}
      {clip.snippet ? (
        <p class="snippet">
          <SanitizedHtml html={clip.snippet} />
        </p>
      ) : (
        clip.excerpt && <p class="snippet">{clip.excerpt.length > 240 ? `${clip.excerpt.slice(0, 240)}…` : clip.excerpt}</p>
      )}
      <div class="meta">
        {clip.kind !== 'article' && (
          <>
            <Badge value={clip.kind} />{' '}
          </>
        )}
        {site && <>{site} · </>}
        <DateText iso={clip.capturedAt} />
        {member && <> · {member.name}</>}
        {clip.caseIds.map((id) =>
          names.cases.has(id) ? (
            <>
              {' · '}
              <a href={libUrl(libraryId, `cases/${id}`)}>{names.cases.get(id)}</a>
            </>
          ) : (
            <></>
          ),
        )}
      </div>
      {clip.tags.length > 0 && (
        <div>
          <Tags libraryId={libraryId} tags={clip.tags} />
        </div>
      )}
      {noteHtml && (
        <blockquote class="markdown">
          <SanitizedHtml html={noteHtml} />
        </blockquote>
      )}
    </li>
  );
}

export function ClipList({ libraryId, clips, names, empty, back }: { libraryId: string; clips: ClipHit[]; names: Names; empty: string; back?: string }) {
  if (clips.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ul class="items">
      {clips.map((clip) => (
        <ClipItem libraryId={libraryId} clip={clip} names={names} {...(back ? { back } : {})} />
      ))}
    </ul>
  );
}

/** `named: false` where the company is already the heading (the companies list): the scan is "Company scan". */
export function ScanList({ libraryId, scans, cases, named = true }: { libraryId: string; scans: ScanProgress[]; cases: Map<string, string>; named?: boolean }) {
  if (scans.length === 0) return <p class="muted">No company scans yet.</p>;
  return (
    <ul class="items">
      {scans.map(({ scan, company, answered, total }) => (
        <li>
          <a class="item-title" href={libUrl(libraryId, `companies/${String(scan.fields.companyId)}#scan-${scan.id}`)}>
            {named ? (company ? String(company.fields.name) : 'Unknown company') : 'Company scan'}
          </a>{' '}
          <Badge value={String(scan.fields.status)} />
          <div class="meta section-head">
            <span>
              {answered} of {total} questions answered
              {typeof scan.fields.caseId === 'string' && cases.has(scan.fields.caseId) && <> · {cases.get(scan.fields.caseId)}</>}
            </span>
            <Meter done={answered} total={total} label="Scan completeness" />
          </div>
        </li>
      ))}
    </ul>
  );
}

export const caseNames = (cases: Array<{ id: string; title?: unknown } | StoredObject>) =>
  new Map(cases.map((item) => [item.id, String('fields' in item ? item.fields.title : item.title)]));

/** The search parameters a "← Search" link may carry back (anything else in `back` is dropped). */
const BACK_KEYS = ['q', 'case', 'company', 'member', 'org', 'kind', 'tag', 'from', 'to', 'start'];

/** The search URL a clip page links back to, from its `back` parameter: known keys, bounded values. */
export function searchBackUrl(libraryId: string, back: string | undefined): string {
  const kept = new URLSearchParams();
  if (back && back.length <= 2000) {
    for (const [key, value] of new URLSearchParams(back)) if (BACK_KEYS.includes(key) && !kept.has(key) && value.length <= 500) kept.set(key, value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
  }
  const query = kept.toString();
  return libUrl(libraryId, query ? `search?${query}` : 'search');
}
