// SQLite FTS5 side of clip search: index rows and build match expressions that never fail
// on user syntax (issue 2, item 7).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/schema.ts';
import { queryStems, stemLanguageOf, stemmable, stemTokens } from './stem.ts';

export interface SearchDocument {
  libraryId: string;
  caseIds: string[];
  tags: string[];
  capturedBy: string;
  companyId: string | null;
  kind: string;
  title: string;
  body: string;
  note: string;
  site: string;
  /** The clip's language (BCP 47): picks the stemmer of the `stems` column (stem.ts). */
  lang?: string;
}

export interface SearchFilters {
  libraryId: string;
  caseId?: string;
  tag?: string;
  memberId?: string;
  companyId?: string;
  kind?: string;
}

/** Longest body indexed per clip: enough for any article, bounded for hostile pages. */
const MAX_BODY = 100_000;

const hex = (id: string) => id.replace(/-/g, '').toLowerCase();
const tagToken = (tag: string) => 't' + createHash('sha256').update(tag.trim().toLowerCase()).digest('hex').slice(0, 20);

/**
 * Opaque one-word tokens for the `filters` column: scoping and filters then run inside the
 * FTS index (an intersection of doclists walked newest first) instead of a join afterwards.
 */
export function filterTokens(doc: Pick<SearchDocument, 'libraryId' | 'caseIds' | 'tags' | 'capturedBy' | 'companyId' | 'kind'>): string {
  const tokens = [`l${hex(doc.libraryId)}`, `k${doc.kind}`];
  if (doc.capturedBy) tokens.push(`m${hex(doc.capturedBy)}`);
  if (doc.companyId) tokens.push(`o${hex(doc.companyId)}`);
  for (const id of doc.caseIds) tokens.push(`c${hex(id)}`);
  for (const tag of doc.tags) tokens.push(tagToken(tag));
  return tokens.join(' ');
}

/** Adds a clip's search row; an updated clip's old row is deleted first by the caller. */
export async function writeSearchRow(db: Db, seq: number, doc: SearchDocument): Promise<void> {
  const body = doc.body.slice(0, MAX_BODY);
  const stems = stemTokens(stemLanguageOf(doc.lang), [doc.title, body, doc.note, doc.tags.join(' ')]);
  await sql`INSERT INTO clips_fts (rowid, filters, title, body, note, tags, site, stems)
    VALUES (${seq}, ${filterTokens(doc)}, ${doc.title}, ${body}, ${doc.note}, ${doc.tags.join(' ')}, ${doc.site}, ${stems})`.execute(db);
}

export async function deleteSearchRow(db: Db, seq: number): Promise<void> {
  await sql`DELETE FROM clips_fts WHERE rowid = ${seq}`.execute(db);
}

/** A term of a user's query: a word, a prefix (`coc*`) or a quoted phrase. */
export interface QueryTerm {
  text: string;
  prefix: boolean;
  /** Starts an alternative: `cocoa OR coffee`. */
  or?: boolean;
  /** Written in quotes: matched as written, no other word forms (a one-word phrase too). */
  exact?: boolean;
}

/**
 * Reads a user's query as plain words, "quoted phrases" and trailing-* prefixes. Everything
 * else (AND, NEAR, parentheses, column names, emoji) is just text, so no input is a syntax error.
 */
export function parseUserQuery(input: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const pattern = /"([^"]*)"?|(\S+)/g;
  let or = false;
  for (const match of input.slice(0, 500).matchAll(pattern)) {
    const phrase = match[1];
    const word = match[2];
    const raw = phrase ?? word ?? '';
    const prefix = word !== undefined && /\*+$/.test(word);
    const text = raw.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    // Upper-case AND (also written `AND(`) is what the words already mean; OR starts an alternative.
    if (word !== undefined && text === 'AND') continue;
    if (word !== undefined && text === 'OR') {
      or = terms.length > 0;
      continue;
    }
    // A term with no letters or digits would produce an empty FTS phrase: drop it.
    if (!text) continue;
    if (prefix && text.length < 2) continue;
    terms.push({ text, prefix, ...(or ? { or } : {}), ...(phrase !== undefined ? { exact: true } : {}) });
    or = false;
    if (terms.length >= 12) break;
  }
  return terms;
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The filters column's part of a MATCH; `library: false` leaves the library token out. */
export function filterExpression(filters: SearchFilters, library = true): string {
  const tokens = library ? [`l${hex(filters.libraryId)}`] : [];
  if (filters.caseId) tokens.push(`c${hex(filters.caseId)}`);
  if (filters.memberId) tokens.push(`m${hex(filters.memberId)}`);
  if (filters.companyId) tokens.push(`o${hex(filters.companyId)}`);
  if (filters.kind) tokens.push(`k${filters.kind.replace(/[^a-z]/g, '')}`);
  if (filters.tag) tokens.push(tagToken(filters.tag));
  return tokens.length ? `filters : (${tokens.map(quote).join(' AND ')})` : '';
}

const TEXT_COLUMNS = ['title', 'body', 'note', 'tags', 'site'];

/** The full MATCH expression: filter tokens AND the user's terms within the text columns. */
export function matchExpression(filters: SearchFilters, terms: QueryTerm[], columns: string[] = TEXT_COLUMNS, library = true): string {
  const scope = filterExpression(filters, library);
  if (terms.length === 0) return scope;
  const groups: string[][] = [[]];
  const within = `{${columns.join(' ')}} : `;
  for (const term of terms) {
    if (term.or) groups.push([]);
    const written = within + (term.prefix ? `${quote(term.text)} *` : quote(term.text));
    // A plain word also matches its word forms: its stem in each language, in the stems column.
    const stems = stemmable(term) ? queryStems(term.text) : [];
    groups[groups.length - 1]!.push(stems.length ? `(${written} OR stems : (${stems.map(quote).join(' OR ')}))` : written);
  }
  const text = groups.map((group) => `(${group.join(' AND ')})`).join(' OR ');
  return scope ? `${scope} AND (${text})` : text;
}
