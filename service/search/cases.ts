// Matching a library's cases (and anything shaped like one: a question's title and body) against
// a user's query in memory: title matches first, with a snippet of the description or lessons.
// Pure and below both the repositories and the web pages, which both call it.
import { parseUserQuery } from './query.ts';
import { makeSnippet, termsRegex } from './snippet.ts';
import type { QueryTerm } from './types.ts';

export interface CaseHit {
  id: string;
  title: string;
  status: string;
  /** Escaped text with the matched words in <mark> (makeSnippet), from the title or description. */
  snippet: string;
}

/** What the case search reads of an object: a live case, or a question mapped onto these fields. */
export interface CaseSearchable {
  id: string;
  fields: { title?: unknown; description?: unknown; lessons?: unknown; status?: unknown };
}

/** Whether a text holds the query: every term of one of its OR-alternatives (accents and case ignored). */
function matches(text: string, terms: QueryTerm[]): boolean {
  const groups: QueryTerm[][] = [];
  for (const term of terms) {
    if (term.or || groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(term);
  }
  return groups.some((group) => group.every((term) => termsRegex([term])!.test(text)));
}

/** A case's Markdown as the text a snippet shows: no emphasis marks, heading hashes or link targets. */
export function markdownText(markdown: string): string {
  return markdown
    // Character classes that exclude their own delimiters: each scan stops at the next bracket (no backtracking blow-up).
    .replace(/!?\[([^[\]\n]*)\]\([^()\n]*\)/g, '$1')
    .replace(/^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d{1,9}[.)])[ \t]+/gm, '')
    .replace(/(\*\*|__|\*|`+|~~)/g, '')
    .replace(/(^|[\s(])_([^_\n]+)_(?=[\s).,;:!?]|$)/g, '$1$2');
}

/** Cases whose title, description or lessons hold the query; title matches first. */
export function searchCases(cases: readonly CaseSearchable[], q: string): CaseHit[] {
  const terms = parseUserQuery(q);
  if (terms.length === 0) return [];
  const str = (value: unknown) => (typeof value === 'string' ? value : '');
  const hits: Array<CaseHit & { score: number }> = [];
  for (const item of cases) {
    const title = str(item.fields.title);
    const description = str(item.fields.description);
    const lessons = str(item.fields.lessons);
    const inTitle = matches(title, terms);
    if (!inTitle && !matches(`${title}\n${description}\n${lessons}`, terms)) continue;
    hits.push({
      id: item.id,
      title,
      status: str(item.fields.status),
      snippet: makeSnippet([markdownText(description), markdownText(lessons)], terms),
      score: inTitle ? 1 : 0,
    });
  }
  return hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).map(({ score: _score, ...hit }) => hit);
}
