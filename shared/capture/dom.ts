// DOM plumbing the capture modules share: bounding hostile pages before they are parsed (the
// parser itself is the caller's, shared/page/host.ts) and reading text the way a reader sees it.

/** Hard ceiling on what is parsed at all. */
const PARSE_LIMIT = 8_000_000;

/**
 * Comments, scripts (but JSON-LD), styles, inline SVG and <noscript> without an image, matched left to right in one pass so a
 * "<script" inside a comment cannot swallow the content after the comment.
 */
const NON_CONTENT = /<!--[\s\S]*?(?:-->|$)|<script\b([^>]*)>[\s\S]*?(?:<\/script\s*>|$)|<style\b[^>]*>[\s\S]*?(?:<\/style\s*>|$)|<svg\b[^>]*>[\s\S]*?(?:<\/svg\s*>|$)|<noscript\b[^>]*>([\s\S]*?)(?:<\/noscript\s*>|$)/gi;

/** Text in a <noscript> (with paragraphs) from which it is the page's content, not a "turn on JavaScript" note. */
const NOSCRIPT_ARTICLE_CHARS = 500;
const SCRIPT_NOTE = /javascript|browser|cookies/i;

/** A <noscript> holding an article: several paragraphs of text that do not speak of JavaScript. */
function isArticleInNoscript(body: string): boolean {
  if ((body.match(/<p\b/gi)?.length ?? 0) < 2) return false;
  const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length >= NOSCRIPT_ARTICLE_CHARS && !SCRIPT_NOTE.test(text.slice(0, 400));
}

/**
 * Drops what never becomes clip content before parsing: on real pages scripts, styles and SVG
 * are about half the bytes, and every node they would make costs parsing, Readability's scoring
 * and garbage collection (profiled on Readability's corpus). Caps the size of what is parsed.
 */
export function reduceHtml(html: string): string {
  const reduced = html.replace(NON_CONTENT, (match, scriptAttributes: string | undefined, noscriptBody: string | undefined) => {
    if (scriptAttributes !== undefined) return /application\/ld\+json/i.test(scriptAttributes) ? match : '';
    // <noscript> matters for the image a lazy-loading page hides in it (Readability swaps it in),
    // and for the article itself on pages that render it by script (Blogger's dynamic views
    // keep the post in a script template and again in <noscript>): that becomes a plain block.
    if (noscriptBody !== undefined) {
      if (/<img\b/i.test(noscriptBody)) return match;
      return isArticleInNoscript(noscriptBody) ? `<div>${noscriptBody}</div>` : '';
    }
    return '';
  });
  const compact = reduced.replace(SPACE_BETWEEN_BLOCKS, (match, pre: string | undefined, tag: string | undefined) => pre ?? tag ?? match);
  return compact.length <= PARSE_LIMIT ? compact : compact.slice(0, PARSE_LIMIT);
}

const BLOCK_TAG_NAMES = 'html|head|body|meta|link|title|base|div|p|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption|colgroup|col|section|article|header|footer|nav|aside|main|h[1-6]|figure|figcaption|blockquote|form|fieldset|hr|address|details|summary|picture|source|noscript';

/**
 * Whitespace between two block-level tags (pretty-printing) renders as nothing, and a quarter of
 * the nodes of a parsed page were such text nodes, each costing parsing, every later walk and
 * garbage collection (profiled on Readability's corpus). <pre> keeps its whitespace.
 */
const SPACE_BETWEEN_BLOCKS = new RegExp(`(<pre\\b[\\s\\S]*?<\\/pre\\s*>)|(<\\/?(?:${BLOCK_TAG_NAMES})\\b[^>]*>)\\s+(?=<\\/?(?:${BLOCK_TAG_NAMES})\\b)`, 'gi');

/** textContent without recursion (safe on a 10,000-deep tree in any DOM). */
export function iterativeText(node: Node): string {
  const parts: string[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as Node;
    if (current.nodeType === 3) parts.push(current.nodeValue ?? '');
    else for (let child = current.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  return parts.join('');
}

/**
 * Every element below `root` in document order, as a static array. One walk serves passes that
 * would otherwise each run querySelectorAll with compound selectors (slow in linkedom, whose
 * getElementsByTagName does not take '*').
 */
export function descendantElements(root: Element): Element[] {
  const out: Element[] = [];
  const stack: Element[] = [];
  for (let child = root.lastElementChild; child; child = child.previousElementSibling) stack.push(child);
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    out.push(element);
    for (let child = element.lastElementChild; child; child = child.previousElementSibling) stack.push(child);
  }
  return out;
}

/**
 * Whether some element below `root` has one of `tags` (lower-case names): querySelector with a
 * tag list, without linkedom's selector parsing and its upper-casing of every name it compares.
 */
export function containsTag(root: Element, tags: ReadonlySet<string>): boolean {
  const stack: Element[] = [];
  for (let child = root.firstElementChild; child; child = child.nextElementSibling) stack.push(child);
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    if (tags.has(element.localName.toLowerCase())) return true;
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) stack.push(child);
  }
  return false;
}

/** Elements below `root` named `tag` (lower-case), in document order. */
export function elementsNamed(root: Element, tag: string): Element[] {
  const out: Element[] = [];
  for (const element of descendantElements(root)) if (element.localName.toLowerCase() === tag) out.push(element);
  return out;
}

/** Collapses runs of whitespace the way rendering does. */
export function normalizeSpace(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure',
  'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tr', 'ul',
]);

/** Plain text of a subtree with one paragraph per block, cells separated by tabs, code kept verbatim. */
export function blockText(root: Node): string {
  const paragraphs: string[] = [];
  let current = '';
  const flush = () => {
    const text = current.replace(/[ \t\n\r\f\u00a0\u200b]+/g, ' ').trim();
    if (text !== '') paragraphs.push(text);
    current = '';
  };
  const BREAK = 0;
  const stack: Array<Node | typeof BREAK> = [root];
  while (stack.length > 0) {
    const item = stack.pop() as Node | typeof BREAK;
    if (item === BREAK) {
      flush();
      continue;
    }
    if (item.nodeType === 3) {
      current += item.nodeValue ?? '';
      continue;
    }
    if (item.nodeType !== 1 && item.nodeType !== 9 && item.nodeType !== 11) continue;
    const tag = item.nodeType === 1 ? (item as Element).localName.toLowerCase() : '';
    if (tag === 'pre') {
      flush();
      const code = (item.textContent ?? '').replace(/^\n+|\s+$/g, '');
      if (code !== '') paragraphs.push(code);
      continue;
    }
    if (tag === 'td' || tag === 'th') current += ' \u0001 ';
    if (BLOCK_TAGS.has(tag)) {
      flush();
      stack.push(BREAK);
    }
    for (let child = item.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  flush();
  // Table cells: a tab between cells, none before the first.
  return paragraphs.map((text) => text.replace(/^\u0001 ?/, '').replace(/ ?\u0001 ?/g, '\t')).join('\n\n');
}
