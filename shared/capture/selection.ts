// captureSelection: the quoted text of a selection, its surrounding context, and a link back to
// exactly that passage with a text fragment (https://wicg.github.io/scroll-to-text-fragment/).
import { withoutFragment } from './urls.ts';

export interface SelectionClip {
  text: string;
  context: { before: string; after: string };
  /** Page URL (its own fragment removed) + `#:~:text=[prefix-,]start[,end][,-suffix]`. */
  quoteUrl: string;
}

/** Longer selections are linked with the start,end form: short URLs, and robust to small edits inside. */
const EXACT_MAX_CHARS = 80;
const EDGE_WORDS = 4;
const MAX_CONTEXT_WORDS = 8;
const CONTEXT_CHARS = 200;
const QUOTE_MAX_CHARS = 20_000;

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'textarea', 'select', 'option', 'svg', 'iframe', 'object']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer',
  'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'td', 'th',
  'tr', 'ul', 'body', 'html', 'caption', 'tbody', 'thead', 'tfoot', 'img', 'button', 'input',
]);

/**
 * Captures a selection. `url` defaults to the document's own URL (a content script's page);
 * Node hosts pass it. Returns null for an empty selection.
 */
export function captureSelection(doc: Document, selection: Selection | Range, url: string = doc.URL): SelectionClip | null {
  const range = toRange(selection);
  if (!range || !doc.body) return null;
  const page = pageText(doc);
  let start = page.position(range.startContainer, range.startOffset);
  let end = page.position(range.endContainer, range.endOffset);
  const text = page.text;
  while (start < end && /\s/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  if (start >= end) return null;
  const quote = text.slice(start, end).replace(/ *\n */g, '\n\n').slice(0, QUOTE_MAX_CHARS);
  // Text fragments match whole words only: widen a partial-word selection for the link.
  while (start > 0 && isWordChar(text[start - 1]) && isWordChar(text[start])) start--;
  while (end < text.length && isWordChar(text[end]) && isWordChar(text[end - 1])) end++;
  return {
    text: quote,
    context: {
      before: clipWords(text.slice(Math.max(0, start - CONTEXT_CHARS - 40), start), 'end'),
      after: clipWords(text.slice(end, end + CONTEXT_CHARS + 40), 'start'),
    },
    quoteUrl: `${withoutFragment(url)}#:~:text=${textDirective(text, start, end)}`,
  };
}

function toRange(selection: Selection | Range): Range | null {
  if ('getRangeAt' in selection) return selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
  return selection;
}

interface PageText {
  /** Rendered-ish text: whitespace collapsed, '\n' at every block boundary. */
  text: string;
  position: (container: Node, offset: number) => number;
}

/** The page's text as a text-fragment matcher sees it, with a map from DOM points to offsets. */
export function pageText(doc: Document): PageText {
  const textStarts = new Map<Node, number[]>();
  const elementStarts = new Map<Node, number>();
  const elementEnds = new Map<Node, number>();
  let out = '';
  // 'none' at the start so leading whitespace is dropped; a boundary wins over a space.
  let pending: 'none' | 'space' | 'break' = 'none';
  const flushGap = () => {
    if (pending === 'break' && out !== '') out += '\n';
    else if (pending === 'space' && out !== '') out += ' ';
    pending = 'none';
  };
  type Step = { node: Node; exit: boolean };
  const stack: Step[] = [{ node: doc.body as Node, exit: false }];
  while (stack.length > 0) {
    const { node, exit } = stack.pop() as Step;
    if (node.nodeType === 3) {
      const value = node.nodeValue ?? '';
      // Offset in the output for each offset in the node (length + 1 entries).
      const offsets: number[] = [];
      for (const char of value) {
        const shift = pending !== 'none' && out !== '' && !/[\s\u00a0]/.test(char) ? 1 : 0;
        for (let unit = 0; unit < char.length; unit++) offsets.push(out.length + shift);
        if (/[\s\u00a0]/.test(char)) {
          if (pending === 'none') pending = 'space';
        } else {
          flushGap();
          out += char;
        }
      }
      offsets.push(out.length);
      textStarts.set(node, offsets);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const tag = (node as Element).localName.toLowerCase();
    if (SKIP.has(tag)) {
      elementStarts.set(node, out.length);
      elementEnds.set(node, out.length);
      continue;
    }
    const block = BLOCK.has(tag);
    if (exit) {
      if (block) pending = 'break';
      elementEnds.set(node, out.length);
      continue;
    }
    if (block) pending = 'break';
    elementStarts.set(node, out.length);
    stack.push({ node, exit: true });
    for (let child = node.lastChild; child; child = child.previousSibling) stack.push({ node: child, exit: false });
  }
  const position = (container: Node, offset: number): number => {
    const offsets = textStarts.get(container);
    if (offsets) return offsets[Math.min(offset, offsets.length - 1)] ?? out.length;
    const child = container.childNodes[offset];
    if (child) return firstPosition(child) ?? elementEnds.get(container) ?? out.length;
    return elementEnds.get(container) ?? out.length;
  };
  const firstPosition = (node: Node): number | undefined => (node.nodeType === 3 ? textStarts.get(node)?.[0] : elementStarts.get(node));
  return { text: out, position };
}

/** Builds `[prefix-,]start[,end][,-suffix]` that matches only text[start, end). */
export function textDirective(text: string, start: number, end: number): string {
  const lower = text.toLowerCase();
  const passage = text.slice(start, end);
  const exact = passage.length <= EXACT_MAX_CHARS && !passage.includes('\n');
  const before = words(text.slice(Math.max(0, start - 400), start).split('\n').pop() ?? '');
  const after = words(text.slice(end, end + 400).split('\n')[0] ?? '');
  const firstBlock = passage.split('\n')[0] as string;
  const lastBlock = passage.split('\n').pop() as string;
  const firstWords = words(firstBlock);
  const lastWords = words(lastBlock);

  let best: Directive | undefined;
  const edgeCounts = exact ? [0] : [EDGE_WORDS, EDGE_WORDS + 3, EDGE_WORDS + 8];
  for (const edge of edgeCounts) {
    const startTerm = exact ? passage : firstWords.slice(0, edge).join(' ');
    const endTerm = exact ? '' : lastWords.slice(-edge).join(' ');
    // Start and end terms must not overlap inside one short block.
    if (!exact && firstBlock === lastBlock && firstWords.length < 2 * edge) {
      const candidate: Directive = { prefix: '', start: passage, end: '', suffix: '' };
      if (matches(lower, candidate, start, end)) return encodeDirective(candidate);
    }
    for (let contextWords = 0; contextWords <= MAX_CONTEXT_WORDS; contextWords++) {
      const variants: Directive[] = [
        { prefix: before.slice(before.length - contextWords).join(' '), start: startTerm, end: endTerm, suffix: '' },
        { prefix: '', start: startTerm, end: endTerm, suffix: after.slice(0, contextWords).join(' ') },
        { prefix: before.slice(before.length - contextWords).join(' '), start: startTerm, end: endTerm, suffix: after.slice(0, contextWords).join(' ') },
      ];
      for (const candidate of variants) {
        if (contextWords === 0 && candidate !== variants[0]) continue;
        if (contextWords > 0 && candidate.prefix === '' && candidate.suffix === '') continue;
        best = candidate;
        if (matches(lower, candidate, start, end)) return encodeDirective(candidate);
      }
    }
  }
  // Identical repeated passages with identical surroundings cannot be told apart: the widest try.
  return encodeDirective(best ?? { prefix: '', start: passage, end: '', suffix: '' });
}

interface Directive {
  prefix: string;
  start: string;
  end: string;
  suffix: string;
}

/** True when the directive's only match in `lower` (lower-cased page text) is [start, end). */
function matches(lower: string, directive: Directive, start: number, end: number): boolean {
  const found = findAll(lower, directive, 2);
  return found.length === 1 && found[0]?.[0] === start && found[0]?.[1] === end;
}

/** A spec-shaped matcher: case-insensitive, whole words, context separated by whitespace only. */
export function findAll(lower: string, directive: Directive, limit: number): Array<[number, number]> {
  const startTerm = directive.start.toLowerCase();
  const endTerm = directive.end.toLowerCase();
  const prefix = directive.prefix.toLowerCase();
  const suffix = directive.suffix.toLowerCase();
  const results: Array<[number, number]> = [];
  if (startTerm === '') return results;
  for (let from = 0; results.length < limit; ) {
    const at = nextWord(lower, startTerm, from);
    if (at === -1) break;
    from = at + 1;
    if (prefix !== '') {
      let gap = at;
      while (gap > 0 && /\s/.test(lower[gap - 1] as string)) gap--;
      if (gap === at || !lower.slice(0, gap).endsWith(prefix) || !isBoundary(lower, gap - prefix.length)) continue;
    }
    let matchEnd = at + startTerm.length;
    if (endTerm === '') {
      if (suffix === '' || followedBy(lower, matchEnd, suffix)) results.push([at, matchEnd]);
      continue;
    }
    for (let search = matchEnd; ; ) {
      const endAt = nextWord(lower, endTerm, search);
      if (endAt === -1) break;
      matchEnd = endAt + endTerm.length;
      if (suffix === '' || followedBy(lower, matchEnd, suffix)) {
        results.push([at, matchEnd]);
        break;
      }
      search = endAt + 1;
    }
  }
  return results;
}

function followedBy(lower: string, position: number, suffix: string): boolean {
  let next = position;
  while (next < lower.length && /\s/.test(lower[next] as string)) next++;
  return next > position && lower.startsWith(suffix, next) && isBoundary(lower, next + suffix.length);
}

function nextWord(lower: string, term: string, from: number): number {
  for (let at = lower.indexOf(term, from); at !== -1; at = lower.indexOf(term, at + 1)) {
    if (isBoundary(lower, at) && isBoundary(lower, at + term.length)) return at;
  }
  return -1;
}

function isBoundary(text: string, index: number): boolean {
  return !(isWordChar(text[index - 1]) && isWordChar(text[index]));
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}_]/u.test(char);
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

/** Percent-encodes a term; `-`, `,` and `&` have meaning in the directive syntax. */
export function encodeTerm(term: string): string {
  return encodeURIComponent(term).replace(/-/g, '%2D');
}

function encodeDirective(directive: Directive): string {
  const parts = [directive.start, directive.end].filter((part) => part !== '').map(encodeTerm);
  if (directive.prefix !== '') parts.unshift(`${encodeTerm(directive.prefix)}-`);
  if (directive.suffix !== '') parts.push(`-${encodeTerm(directive.suffix)}`);
  return parts.join(',');
}

function clipWords(text: string, keep: 'start' | 'end'): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= CONTEXT_CHARS) return flat;
  if (keep === 'start') return flat.slice(0, flat.lastIndexOf(' ', CONTEXT_CHARS)).trim();
  return flat.slice(flat.indexOf(' ', flat.length - CONTEXT_CHARS)).trim();
}
