// What both stores' indexes share once they have their candidate clips: cursors, the order
// within a window, pages and the clips of a page with their highlighted snippets.
import type { Db } from '../db/schema.ts';
import { makeSnippet } from './snippet.ts';
import { foldedWords, highlightTerms } from './stem.ts';
import { CANDIDATE_WINDOW, type ClipHit, type ClipSearchResult, type Cursor, type QueryTerm, type SearchOrder } from './types.ts';

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * Reads a cursor this service gave out; anything else (not base64url JSON, a negative,
 * fractional or huge number such as 1e300, an offset past the ranking window) is undefined, which
 * the API answers with 400. The numbers go into SQL, so only safe integers in range pass.
 */
export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (!text) return { before: null, offset: 0 };
  if (text.length > 200) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined; // an unreadable cursor is the caller's error
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { before, offset } = value as Record<string, unknown>;
  const beforeOk = before === null || (typeof before === 'number' && Number.isSafeInteger(before) && before >= 0);
  // Cursors given out never go past the end of a ranking window (rankedPage), and pages of the
  // newest clips always start at offset 0.
  const offsetOk = typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 && offset <= CANDIDATE_WINDOW;
  return beforeOk && offsetOk ? { before: before as number | null, offset: offset as number } : undefined;
}

/** Query text no store can search for (a NUL, a lone surrogate) becomes U+FFFD, which matches nothing stored. */
export const searchable = (value: string | undefined) => (value === undefined ? undefined : value.replace(/[\uD800-\uDFFF\u0000]/gu, '\uFFFD'));

/** The page size a request may ask for: 1-100, 20 when not given. */
export const pageLimit = (limit: number | undefined) => Math.min(Math.max(limit ?? 20, 1), 100);

/** A page of the newest clips (no words): `limit + 1` seqs were read to know if more follow. */
export async function newestPage(db: Db, seqs: number[], limit: number): Promise<ClipSearchResult> {
  const page = seqs.slice(0, limit);
  return {
    clips: await hydrate(db, page, []),
    nextCursor: seqs.length > limit ? encodeCursor({ before: page[page.length - 1]!, offset: 0 }) : null,
  };
}

/**
 * A page of a ranked window. Past the window's end the cursor moves on to the next, older
 * window: below the window's oldest clip when the window was full, or below `floor` when the
 * store bounded how far back this request looked.
 */
export async function rankedPage(
  db: Db,
  ranked: Array<{ seq: number }>,
  windowSeqs: number[],
  cursor: Cursor,
  limit: number,
  terms: QueryTerm[],
  floor: number | null = null,
): Promise<ClipSearchResult> {
  const page = ranked.slice(cursor.offset, cursor.offset + limit);
  let nextCursor: string | null = null;
  if (cursor.offset + limit < ranked.length) nextCursor = encodeCursor({ before: cursor.before, offset: cursor.offset + limit });
  else if (windowSeqs.length === CANDIDATE_WINDOW) nextCursor = encodeCursor({ before: Math.min(...windowSeqs), offset: 0 });
  else if (floor !== null) nextCursor = encodeCursor({ before: floor, offset: 0 });
  return { clips: await hydrate(db, page.map((hit) => hit.seq), terms), nextCursor };
}

/** How many of the query's terms a title holds in some word form (accents and case ignored). */
export function titleScore(title: string, terms: QueryTerm[]): number {
  return titleScorer(terms)(title);
}

/**
 * titleScore with the terms' word forms folded once, for scoring a whole window. A title is
 * folded and split into words once, and each form is looked up among them: a word as a whole
 * word, a prefix as the start of one, a phrase as words in a row. (A Unicode, case-insensitive
 * pattern with look-behind a form cost 6 µs a title, 5 ms for a window of 400.)
 */
export function titleScorer(terms: QueryTerm[]): (title: string) => number {
  const groups = highlightTerms(terms).map((forms) => forms.map((form) => ({ words: foldedWords(form.text), prefix: form.prefix === true })).filter((form) => form.words.length > 0));
  const holds = (words: string[], form: { words: string[]; prefix: boolean }) => {
    const last = form.words.length - 1;
    for (let at = 0; at + last < words.length; at++) {
      let all = true;
      for (let i = 0; i <= last && all; i++) all = i === last && form.prefix ? words[at + i]!.startsWith(form.words[i]!) : words[at + i] === form.words[i];
      if (all) return true;
    }
    return false;
  };
  return (title) => {
    const words = foldedWords(title);
    let score = 0;
    for (const forms of groups) if (forms.some((form) => holds(words, form))) score += 1;
    return score;
  };
}

/**
 * Orders a candidate window (newest first as read): by relevance, clips whose title holds more
 * of the query's terms first, newest first among equals; by newest, as read. `score` gives the
 * store's own relevance when it has one.
 */
export function orderWindow<T extends { seq: number; score: number }>(window: T[], order: SearchOrder | undefined): T[] {
  return order === 'newest' ? [...window].sort((a, b) => b.seq - a.seq) : [...window].sort((a, b) => b.score - a.score || b.seq - a.seq);
}

/** Loads the page's clips in order; with query terms, each gets a highlighted snippet. */
export async function hydrate(db: Db, seqs: number[], terms: QueryTerm[]): Promise<ClipHit[]> {
  if (seqs.length === 0) return [];
  const rows = await db.selectFrom('clips').select(['seq', 'id', 'version', 'data']).where('seq', 'in', seqs).where('deleted', '=', 0).execute();
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
  // Snippets mark the words as typed and their word forms (a stem as a prefix: premium* for premiums).
  const marked = highlightTerms(terms).flat();
  const hits: ClipHit[] = [];
  for (const seq of seqs) {
    const row = bySeq.get(seq);
    if (!row) continue;
    const f = JSON.parse(row.data) as Record<string, unknown>;
    const selection = (f.selection as { text?: string } | null)?.text ?? '';
    const snippet = terms.length ? makeSnippet([String(f.text ?? ''), selection, String(f.note ?? ''), String(f.title ?? ''), String(f.excerpt ?? '')], marked) : undefined;
    hits.push({
      id: row.id,
      version: Number(row.version),
      url: String(f.url ?? ''),
      title: String(f.title ?? ''),
      kind: String(f.kind ?? ''),
      siteName: String(f.siteName ?? ''),
      excerpt: String(f.excerpt ?? ''),
      tags: (f.tags as string[]) ?? [],
      caseIds: (f.caseIds as string[]) ?? [],
      companyId: (f.companyId as string | null) ?? null,
      capturedAt: String(f.capturedAt ?? ''),
      capturedBy: String(f.capturedBy ?? ''),
      ...(snippet !== undefined ? { snippet } : {}),
    });
  }
  return hits;
}
