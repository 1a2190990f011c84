// Sanitizes clipped HTML: page content is hostile (DESIGN.md "Web library"). Used at ingest
// by the service and by the capture engine in Node; the policy itself lives in
// shared/capture/sanitize-policy.ts so the browser's DOM-based pass applies the same one.
//
// sanitize-html's parser (htmlparser2's Parser) keeps its open-element stack with unshift and
// looks up every end tag with indexOf, so its time grows with the square of the nesting depth:
// 600 KB of nested <b> took 31 s. A linear pre-pass over htmlparser2's streaming Tokenizer
// first re-writes the markup with at most MAX_DEPTH open elements (deeper tags are flattened,
// their text kept) and only end tags that close an open element, so the parser never sees a
// deep stack or a stray end tag. Its output parses exactly like its input whenever the input
// stays within the depth, so ordinary pages sanitize as before.
import { createHash } from 'node:crypto';
import { Tokenizer } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, NON_TEXT_TAGS, SAFE_HREF, SAFE_SRC } from './capture/sanitize-policy.ts';

/** Deeper elements lose their tags (not their text): no real article nests this deep. */
export const MAX_DEPTH = 128;
/** Elements past this many lose their tags too (an article has a few thousand). */
export const MAX_ELEMENTS = 10_000;
/** A tag with more attributes than this keeps none of them (the policy allows six at most). */
const MAX_ATTRIBUTES = 32;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, [...names]])),
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside these is dropped with the element, not kept as loose text.
  nonTextTags: [...NON_TEXT_TAGS],
  transformTags: {
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      const keep = href !== undefined && SAFE_HREF.test(href.trim());
      return { tagName, attribs: { ...rest, ...(keep ? { href: href.trim() } : {}), rel: LINK_REL } };
    },
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      const keep = src !== undefined && SAFE_SRC.test(src.trim());
      return { tagName, attribs: keep ? { ...rest, src: src.trim() } : rest };
    },
  },
  // An image without a usable source is dropped rather than shown broken.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

// htmlparser2's void elements (its Parser.ts, the version sanitize-html uses): they never open
// a scope, in its parse or ours.
const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const NON_TEXT = new Set(NON_TEXT_TAGS);
// htmlparser2's implied end tags (its openImpliesClose): opening the key closes open elements
// of these names first. Mirrored so that our stack is the parser's, element for element.
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p'];
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['a', new Set(['a'])],
  ['li', new Set(['li'])],
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((tag): [string, ReadonlySet<string>] => [tag, new Set(HEADINGS)]),
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((tag): [string, ReadonlySet<string>] => [tag, new Set(FORM)]),
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ...['p', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map(
    (tag): [string, ReadonlySet<string>] => [tag, new Set(['p'])],
  ),
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
]);

interface Open {
  name: string;
  /** Whether its tags were written (false: flattened for depth). */
  kept: boolean;
  /** Whether its content is dropped (a flattened element whose text is never content). */
  mute: boolean;
}

/**
 * Re-writes `html` in one pass, in time linear in its length: at most `maxDepth` elements
 * open at once and `maxElements` in all (further start and end tags are dropped, their text
 * kept, except inside elements whose text is never content), end tags only for open
 * elements, tags with too many attributes bare, no comments,
 * CDATA, doctypes or processing instructions. Text keeps its entities; a `<` that ends a
 * text is written as `&lt;` so that dropped tags cannot join the text around them into tags.
 */
export function boundNesting(html: string, maxDepth = MAX_DEPTH, maxElements = MAX_ELEMENTS): string {
  const out: string[] = [];
  const stack: Open[] = [];
  // How many elements of each name are open, so an end tag with nothing to close costs O(1).
  const openCount = new Map<string, number>();
  let kept = 0;
  let muted = 0;
  let tagStart = 0;
  let tagName = '';
  let attributes = 0;
  let elements = 0;
  // Pops the top element; `write` says whether to write its end tag (an implied end is the
  // parser's to make, as it was in the input).
  const pop = (write: boolean): Open => {
    const top = stack.pop() as Open;
    openCount.set(top.name, (openCount.get(top.name) as number) - 1);
    if (top.mute) muted--;
    if (top.kept) {
      kept--;
      if (write && !muted) out.push(`</${top.name}>`);
    }
    return top;
  };
  const push = (name: string, keep: boolean, raw: string) => {
    const mute = !keep && NON_TEXT.has(name);
    stack.push({ name, kept: keep, mute });
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
    if (keep) {
      kept++;
      if (!muted) out.push(raw);
    }
    if (mute) muted++;
  };
  const openTag = (endIndex: number, selfClosing: boolean) => {
    const name = tagName;
    let raw = attributes > MAX_ATTRIBUTES ? `<${name}>` : html.slice(tagStart, endIndex + 1);
    const implied = IMPLIES_CLOSE.get(name);
    if (implied) while (stack.length > 0 && implied.has((stack.at(-1) as Open).name)) pop(false);
    elements++;
    if (VOID.has(name)) {
      if (!muted && elements <= maxElements) out.push(raw);
      return;
    }
    // The parser closes `<b/>` (or `<b/ >`) at once inside <svg> or <math> only; without the
    // slash it opens an element everywhere, as it does on our stack.
    if (selfClosing && attributes <= MAX_ATTRIBUTES) {
      let slash = raw.length - 2;
      while (slash > 0 && raw[slash] !== '/') slash--;
      raw = `${raw.slice(0, slash)} >`;
    }
    push(name, kept < maxDepth && elements <= maxElements, raw);
  };
  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      ontext(start, endIndex) {
        if (muted) return;
        // The tokenizer found no tag here; a `<` at the end could start one with what follows
        // a dropped tag, so it is written as `&lt;`.
        const text = html.slice(start, endIndex);
        out.push(text.endsWith('<') ? `${text.slice(0, -1)}&lt;` : text);
      },
      ontextentity() {},
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      onattribname() {
        attributes++;
      },
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onopentagname(start, endIndex) {
        tagStart = start - 1;
        tagName = html.slice(start, endIndex).toLowerCase();
        attributes = 0;
      },
      onopentagend(endIndex) {
        openTag(endIndex, false);
      },
      onselfclosingtag(endIndex) {
        openTag(endIndex, true);
      },
      onclosetag(start, endIndex) {
        const name = html.slice(start, endIndex).toLowerCase();
        if (!openCount.get(name)) {
          // The parser makes an element of these two stray end tags; anything else it ignores.
          if ((name === 'p' || name === 'br') && !muted && ++elements <= maxElements) out.push(`</${name}>`);
          return;
        }
        // Closes every element up to the nearest open one of that name, as the parser does;
        // each element is popped once, so all end tags together cost linear time.
        while (pop(true).name !== name);
      },
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return out.join('');
}

/**
 * Returns HTML with only the content tags kept: no script, handlers, frames, forms or js: URLs.
 * Its output is remembered as clean (by hash, see sanitizeClipHtmlOnce).
 */
export function sanitizeClipHtml(html: string): string {
  if (!html) return '';
  const clean = sanitizeHtml(boundNesting(html), OPTIONS);
  remember(digest(clean), null);
  return clean;
}

// Hashes of HTML known to be sanitizer output, and what other HTML sanitized to, so that the
// clip page does no sanitizing on a view: the service sanitizes at ingest, and what it stored
// is recognised here by its hash. Bounded in bytes; least recently used first out.
const CLEAN_CACHE_BYTES = 64 * 1024 * 1024;
const cleanCache = new Map<string, { html: string | null; bytes: number }>();
let cleanCacheBytes = 0;

const digest = (html: string) => createHash('sha256').update(html).digest('base64');

function remember(key: string, html: string | null): void {
  const bytes = 100 + (html === null ? 0 : html.length * 2);
  const old = cleanCache.get(key);
  if (old) {
    cleanCacheBytes -= old.bytes;
    cleanCache.delete(key);
  }
  cleanCache.set(key, { html, bytes });
  cleanCacheBytes += bytes;
  // Oldest first: a Map iterates in insertion order, and every use re-inserts its entry.
  for (const [oldest, entry] of cleanCache) {
    if (cleanCacheBytes <= CLEAN_CACHE_BYTES) break;
    cleanCache.delete(oldest);
    cleanCacheBytes -= entry.bytes;
  }
}

/**
 * sanitizeClipHtml, done once per distinct HTML in this process: HTML that the sanitizer
 * made (at ingest) or was given before is answered from the cache by its SHA-256.
 */
export function sanitizeClipHtmlOnce(html: string): string {
  if (!html) return '';
  const key = digest(html);
  const hit = cleanCache.get(key);
  if (hit) {
    remember(key, hit.html);
    return hit.html ?? html;
  }
  const clean = sanitizeClipHtml(html);
  if (clean !== html) remember(key, clean);
  return clean;
}
