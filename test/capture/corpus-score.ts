// Scores an extraction against Readability's test corpus (../shared/fixtures/readability):
// body agreement by word 5-gram shingle F1, metadata agreement per field. Shared by the corpus
// suite and `npm run bench:capture` so both report the same numbers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockText } from '../../shared/capture/dom.ts';
import { parseHtml as parseHtmlNode } from '../../shared/page/node.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedFixtures = path.resolve(projectRoot, '..', 'shared', 'fixtures');
export const readabilityCorpus = path.join(sharedFixtures, 'readability');
/** The address Readability's own tests give every page. */
export const CORPUS_URL = 'http://fakehost/test/page.html';

export interface CorpusPage {
  name: string;
  source: string;
  expectedHtml: string;
  expectedMeta: Record<string, string | null | boolean>;
}

export function loadCorpus(): CorpusPage[] {
  if (!existsSync(readabilityCorpus)) return [];
  return readdirSync(readabilityCorpus, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(readabilityCorpus, entry.name, 'source.html')))
    .map((entry) => {
      const dir = path.join(readabilityCorpus, entry.name);
      const metaFile = path.join(dir, 'expected-metadata.json');
      return {
        name: entry.name,
        source: readFileSync(path.join(dir, 'source.html'), 'utf8'),
        expectedHtml: existsSync(path.join(dir, 'expected.html')) ? readFileSync(path.join(dir, 'expected.html'), 'utf8') : '',
        expectedMeta: existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as Record<string, string | null | boolean>) : {},
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Visible words of an HTML fragment, lower-cased; blocks end words (textContent would glue "</p><p>"). */
export function htmlWords(html: string): string[] {
  const doc = parseHtmlNode(`<!doctype html><html><body>${html}</body></html>`);
  return doc.body ? textWords(blockText(doc.body)) : [];
}

/**
 * Parses and prints again with sorted attributes and merged text nodes, so two serializers'
 * spellings of one tree compare equal. Empty attributes are left out: sanitize-html drops them
 * (title=""), and an empty value carries nothing either way.
 */
export function canonicalHtml(html: string): string {
  const doc = parseHtmlNode(`<!doctype html><html><body><div id="canonical-root">${html}</div></body></html>`);
  const root = doc.getElementById('canonical-root');
  return root ? printChildren(root) : '';
}

function printChildren(node: Node): string {
  let out = '';
  let text = '';
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3) {
      text += child.nodeValue ?? '';
      continue;
    }
    if (text !== '') out += JSON.stringify(text);
    text = '';
    if (child.nodeType === 1) {
      const element = child as Element;
      const names = element.getAttributeNames().filter((name) => element.getAttribute(name) !== '').sort();
      const attributes = names.map((name) => ` ${name}=${JSON.stringify(element.getAttribute(name))}`).join('');
      out += `<${element.localName.toLowerCase()}${attributes}>${printChildren(element)}</>`;
    } else out += `<?${child.nodeType}>`;
  }
  return text !== '' ? out + JSON.stringify(text) : out;
}

export function textWords(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

/** F1 of the multisets of word 5-grams (shorter texts fall back to single words). */
export function shingleF1(actual: string[], expected: string[], size = 5): number {
  if (actual.length === 0 && expected.length === 0) return 1;
  const n = Math.min(size, actual.length, expected.length) || 1;
  const bag = (words: string[]) => {
    const counts = new Map<string, number>();
    for (let index = 0; index + n <= words.length; index++) {
      const key = words.slice(index, index + n).join(' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const a = bag(actual);
  const e = bag(expected);
  let overlap = 0;
  for (const [key, count] of a) overlap += Math.min(count, e.get(key) ?? 0);
  const actualTotal = Math.max(0, actual.length - n + 1);
  const expectedTotal = Math.max(0, expected.length - n + 1);
  if (overlap === 0 || actualTotal === 0 || expectedTotal === 0) return 0;
  const precision = overlap / actualTotal;
  const recall = overlap / expectedTotal;
  return (2 * precision * recall) / (precision + recall);
}

export const META_FIELDS = ['title', 'byline', 'excerpt', 'siteName', 'publishedTime'] as const;
export type MetaField = (typeof META_FIELDS)[number];

/** A byline compared by the name it states: case, spacing and a leading "By"/"Door"/"Von"/"Par" aside. */
function bylineKey(value: string): string {
  return value.replace(/\s+/g, ' ').trim().toLowerCase().replace(/^(?:(?:written|posted)\s+)?(?:by|door|von|par)\s*:?\s*/, '');
}

/**
 * The expected value of a field, or '' when Readability's output for it is no value of that kind:
 * a "byline" that is only a date stamp ("April 28, 2019 at 6:01 am Updated …", "Last Updated: …").
 * Such pages count as expecting nothing, for both engines alike.
 */
export function expectedValue(field: MetaField, expected: unknown): string {
  const want = typeof expected === 'string' ? expected.trim() : '';
  if (field === 'byline' && /^(?:(?:last\s+)?(?:updated|published)\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d)/i.test(bylineKey(want))) return '';
  return want;
}

/**
 * Whether an extracted value agrees with the expected one: equal after collapsing whitespace and
 * case; an expected null agrees with ''. Dates agree when they name the same instant or day.
 */
export function metaAgrees(field: MetaField, actual: string | null | undefined, expected: unknown): boolean {
  const want = expectedValue(field, expected);
  const got = actual ?? '';
  const norm = (value: string) => value.replace(/\s+/g, ' ').trim().toLowerCase();
  if (field === 'publishedTime') {
    if (want === '' || got === '') return want === got;
    const a = Date.parse(got);
    const b = Date.parse(want);
    return (Number.isFinite(a) && a === b) || got.slice(0, 10) === want.slice(0, 10) || norm(got) === norm(want);
  }
  if (field === 'byline') {
    // Readability keeps the line as printed ("By Nathan Willis March 25, 2015"); the same name
    // followed only by a date or counters agrees.
    const a = bylineKey(got);
    const b = bylineKey(want);
    if (a === b) return true;
    const rest = b.startsWith(a) && a !== '' ? b.slice(a.length) : '';
    return rest !== '' && !/^\p{L}/u.test(rest) && /\d/.test(rest);
  }
  return norm(got) === norm(want);
}

/** Per field: agreement where a value is expected, and how often a value is filled where none is. */
export type MetaTally = { expected: number; agreeExpected: number; nullExpected: number; filledNull: number };

/**
 * The fair metadata split. expected-metadata.json is Readability's own output, so its nulls are
 * Readability's gaps, not proof that a page has no author or date: filling one is counted apart.
 */
export class MetaSplit {
  readonly tallies: Record<MetaField, MetaTally> = Object.fromEntries(META_FIELDS.map((field) => [field, { expected: 0, agreeExpected: 0, nullExpected: 0, filledNull: 0 }])) as Record<MetaField, MetaTally>;

  add(actual: Partial<Record<MetaField, string | null | undefined>>, expectedMeta: Record<string, unknown>): void {
    for (const field of META_FIELDS) {
      const entry = this.tallies[field];
      const value = actual[field] ?? '';
      if (expectedValue(field, expectedMeta[field]) !== '') {
        entry.expected++;
        if (metaAgrees(field, value, expectedMeta[field])) entry.agreeExpected++;
      } else {
        entry.nullExpected++;
        if (value.trim() !== '') entry.filledNull++;
      }
    }
  }
}

export function share(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((part / whole) * 100).toFixed(1)}% (${part}/${whole})`;
}

/** One row per field for console.table, the engines side by side. */
export function splitTable(engines: Record<string, MetaSplit>): Record<string, Record<string, string>> {
  return Object.fromEntries(META_FIELDS.map((field) => {
    const row: Record<string, string> = {};
    for (const [name, split] of Object.entries(engines)) row[`${name}: agree (expected)`] = share(split.tallies[field].agreeExpected, split.tallies[field].expected);
    for (const [name, split] of Object.entries(engines)) row[`${name}: filled (null expected)`] = share(split.tallies[field].filledNull, split.tallies[field].nullExpected);
    return [field, row];
  }));
}
