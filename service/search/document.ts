// A clip as its search row sees it, and the opaque scoping tokens both stores index. Lower than
// the repositories and the indexes: both import it, it imports neither.
import { createHash } from 'node:crypto';
import { hostOf } from '../../shared/site.ts';
import type { SearchDocument, SearchFilters } from './types.ts';

/** Longest body indexed per clip: enough for any article, bounded for hostile pages (a tsvector must also stay under 1 MB). */
export const MAX_BODY = 100_000;

/** An id as a token: the UUID's hex digits. */
export const hex = (id: string) => id.replace(/-/g, '').toLowerCase();
export const tagToken = (tag: string) => 't' + createHash('sha256').update(tag.trim().toLowerCase()).digest('hex').slice(0, 20);

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? (value as unknown[]).filter((item): item is string => typeof item === 'string') : []);

/** What a clip's search row holds, the same on both stores. */
export function clipSearchDocument(clip: { libraryId: string; fields: Record<string, unknown> }): SearchDocument {
  const { libraryId, fields } = clip;
  const selection = fields.selection as { text?: unknown } | null | undefined;
  return {
    libraryId,
    caseIds: list(fields.caseIds),
    tags: list(fields.tags),
    capturedBy: str(fields.capturedBy),
    companyId: typeof fields.companyId === 'string' ? fields.companyId : null,
    kind: str(fields.kind),
    title: str(fields.title),
    body: [str(fields.text) || str(fields.excerpt), str(selection?.text)].filter(Boolean).join('\n'),
    note: str(fields.note),
    site: [str(fields.siteName), hostOf(str(fields.url)), str(fields.byline)].filter(Boolean).join(' '),
    lang: str(fields.lang),
  };
}

/**
 * Opaque one-word tokens of a clip's scope (library, kind, member, company, cases, tags): both
 * stores index them beside the words, so scoping and filters run inside the text index (an
 * intersection of posting lists) instead of a join afterwards.
 */
export function documentTokens(doc: Pick<SearchDocument, 'libraryId' | 'caseIds' | 'tags' | 'capturedBy' | 'companyId' | 'kind'>): string[] {
  const tokens = [`l${hex(doc.libraryId)}`, `k${doc.kind}`];
  if (doc.capturedBy) tokens.push(`m${hex(doc.capturedBy)}`);
  if (doc.companyId) tokens.push(`o${hex(doc.companyId)}`);
  for (const id of doc.caseIds) tokens.push(`c${hex(id)}`);
  for (const tag of doc.tags) tokens.push(tagToken(tag));
  return [...new Set(tokens.filter(Boolean))];
}

/** The tokens a search's filters require (`library: false` leaves the library token out). */
export function filterTokenList(filters: SearchFilters, library = true): string[] {
  const tokens = library ? [`l${hex(filters.libraryId)}`] : [];
  if (filters.caseId) tokens.push(`c${hex(filters.caseId)}`);
  if (filters.memberId) tokens.push(`m${hex(filters.memberId)}`);
  if (filters.companyId) tokens.push(`o${hex(filters.companyId)}`);
  if (filters.kind) tokens.push(`k${filters.kind.replace(/[^a-z]/g, '')}`);
  if (filters.tag) tokens.push(tagToken(filters.tag));
  return tokens;
}
