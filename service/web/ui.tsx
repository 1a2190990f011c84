/** @jsxImportSource hono/jsx */
// Small pieces several pages share: dates, tags, status badges, completeness meters, trusted HTML.
import { raw } from 'hono/html';
import { libUrl } from './layout.tsx';

/**
 * Inserts HTML that was sanitized on the server (clip content at ingest, Markdown by
 * renderMarkdown). The only place pages insert unescaped markup, so it is easy to audit.
 */
export const SanitizedHtml = ({ html }: { html: string }) => <>{raw(html)}</>;

// The helpers below take `unknown`: they also render what was stored before validation was
// complete (issue 9: a wrong-typed field from an import made whole pages fail).

export function formatDate(iso: unknown): string {
  if (!iso || (typeof iso !== 'string' && typeof iso !== 'number')) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export const DateText = ({ iso }: { iso: unknown }) => (formatDate(iso) ? <time datetime={String(iso)}>{formatDate(iso)}</time> : <></>);

/**
 * A value for a URL's query string. encodeURIComponent throws on a lone surrogate, and text
 * stored before validation refused them (issue 9) must not make a page fail: it becomes U+FFFD.
 */
export function queryValue(value: unknown): string {
  return encodeURIComponent(String(value ?? '').replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
}

export const Tags = ({ libraryId, tags }: { libraryId: string; tags: unknown }) => (
  <>
    {(Array.isArray(tags) ? tags : []).filter((tag): tag is string => typeof tag === 'string').map((tag) => (
      <a class="tag" href={libUrl(libraryId, `search?tag=${queryValue(tag)}`)}>
        {tag}
      </a>
    ))}
  </>
);

export const Badge = ({ value }: { value: unknown }) => {
  const label = typeof value === 'string' ? value : String(value ?? '');
  return <span class={`badge ${label.replace(/[^a-z]/g, '')}`}>{label}</span>;
};

/** Completeness as a bar in steps of ten (classes, not inline styles: the CSP forbids them). */
export const Meter = ({ done, total, label }: { done: number; total: number; label: string }) => {
  const share = total === 0 ? 0 : done / total;
  const step = Math.round(share * 10) * 10;
  return (
    <span class="meter" role="img" aria-label={`${label}: ${done} of ${total} answered`}>
      <span class={`m${step}`} />
    </span>
  );
};

/** Only http(s) links are ever put in an href (a javascript: URL in data would otherwise run on click). */
export function safeHref(url: unknown): string | undefined {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined;
}
