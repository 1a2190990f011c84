// Scores an extraction against Readability's test corpus (../shared/fixtures/readability):
// body agreement by word 5-gram shingle F1, metadata agreement per field. Shared by the corpus
// suite and `npm run bench:capture` so both report the same numbers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockText } from '../../shared/capture/dom.ts';
import { parseHtmlNode } from '../../shared/capture/dom-node.ts';

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

/**
 * Whether an extracted value agrees with the expected one: equal after collapsing whitespace and
 * case; an expected null agrees with ''. Dates agree when they name the same instant or day.
 */
export function metaAgrees(field: MetaField, actual: string | null | undefined, expected: unknown): boolean {
  const want = typeof expected === 'string' ? expected : '';
  const got = actual ?? '';
  const norm = (value: string) => value.replace(/\s+/g, ' ').trim().toLowerCase();
  if (field === 'publishedTime') {
    if (want === '' || got === '') return want === got;
    const a = Date.parse(got);
    const b = Date.parse(want);
    return (Number.isFinite(a) && a === b) || got.slice(0, 10) === want.slice(0, 10) || norm(got) === norm(want);
  }
  return norm(got) === norm(want);
}
