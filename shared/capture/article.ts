// extractArticle: the readable article of a page (sanitized HTML, Markdown, text) with its
// metadata, built on Readability and cleaned further; a link clip when a page has no article.
import { Readability } from '@mozilla/readability';
import { cleanArticleContent, linkDensity, removePageChrome } from './boilerplate.ts';
import { chooseByline, cleanByline, findVisibleBylines } from './byline.ts';
import { toIsoDate } from './dates.ts';
import { blockText, containsTag, descendantElements, iterativeText, normalizeSpace, reduceHtml } from './dom.ts';
import { toMarkdown } from './markdown.ts';
import { baseUrl, metadataTags, normalizeLang, readMetadata, type PageMetadata } from './metadata.ts';
import { sanitizeDom } from './sanitize-dom.ts';
import { NO_HOST, type PageHost } from '../page/host.ts';
import { hostOf } from '../site.ts';
import { cleanUrl, stripTracking } from './urls.ts';
import { CLIP_LIMITS } from '../vocabulary.ts';

export interface ArticleClip {
  title: string;
  byline: string;
  siteName: string;
  /** ISO 8601, '' when unknown. */
  publishedAt: string;
  lang: string;
  canonicalUrl: string;
  excerpt: string;
  leadImage: string;
  /** Sanitized article HTML. */
  html: string;
  markdown: string;
  text: string;
}

export { CLIP_LIMITS };

/** Below this much text an extraction is not an article (a nav list, a teaser, an error page)... */
const MIN_ARTICLE_CHARS = 140;
/** ...unless it is at least this share of what the page shows: a short note is still an article. */
const MAIN_CONTENT_SHARE = 0.5;
/** Text kept in a clip, under CLIP_LIMITS.text so that text and Markdown come from the same tree. */
const TEXT_BUDGET = 180_000;

/** An HTML string with the host that parses it (each attempt parses it afresh). */
interface HtmlSource {
  html: string;
  host: PageHost;
}

/**
 * Extracts the article of a page. `input` is a live Document (content script: it is cloned,
 * never changed) or an HTML string parsed by `host` (shared/page/node.ts gives linkedom's and
 * a Node entry point). `url` is the page's address; relative links resolve against it.
 *
 * Never throws and never returns an empty clip: the article when it can, else Readability's
 * plain result, else a link clip with the page's title and description, else a link clip with
 * the address alone.
 */
export function extractArticle(input: Document, url: string): ArticleClip;
export function extractArticle(input: Document | string, url: string, host: PageHost): ArticleClip;
export function extractArticle(page: Document | string, url: string, host?: PageHost): ArticleClip {
  // A string without a parser is the caller's mistake, not the page's: said at once.
  if (typeof page === 'string' && !host) throw new TypeError(NO_HOST);
  const input: Document | HtmlSource = typeof page === 'string' ? { html: page, host: host as PageHost } : page;
  try {
    return extractCleanArticle(input, url);
  } catch {
    // A page that defeats one step of the cleaned extraction still deserves a clip.
  }
  try {
    const plain = extractPlainArticle(input, url);
    if (plain) return plain;
  } catch {
    // Readability alone failed too: fall through to the page's metadata.
  }
  try {
    const doc = loadDocument(input);
    const tags = metadataTags(doc);
    const meta = readMetadata(doc, url, baseUrl(doc, url, tags), tags);
    return linkClip(commonOfMeta(meta, url), meta, '', url);
  } catch {
    return addressClip(url);
  }
}

function extractCleanArticle(input: Document | HtmlSource, url: string): ArticleClip {
  const doc = loadDocument(input);
  const tags = metadataTags(doc);
  const base = baseUrl(doc, url, tags);
  const meta = readMetadata(doc, url, base, tags);
  const firstParagraph = firstProse(tags.p);
  // Before chrome removal: bylines often sit in headers and meta bars that cleanup drops.
  const bylines = findVisibleBylines(doc);
  const absolute = prepareForReadability(doc, base, readabilityDropsFirst);
  // The body Readability works on, held here: Readability may detach it from the document.
  const page = doc.body as HTMLElement | null;
  const parsed = runReadability(doc, absolute, () => {
    // Readability asks for the page as it was only when a first attempt came out short; its
    // later attempts keep what the first one drops.
    const again = loadDocument(input);
    prepareForReadability(again, base);
    return readabilityPreparedBody(again);
  });

  const title = limit(normalizeSpace(parsed?.title) || meta.title || hostOf(url) || url, CLIP_LIMITS.short);
  // A "By …"/"Door …"/"Von …"/"Par …" line at the top of the body is the byline, not content.
  const bylineLine = parsed?.content ? takeBylineLine(parsed.content) : { name: '', date: '', line: '' };
  // Readability takes the first byline-like text anywhere; a name that is an author only in a
  // menu or another article's teaser is not this article's.
  const readabilityByline = bylines.name !== '' && bylines.elsewhere.has(cleanByline(parsed?.byline).toLowerCase()) ? '' : parsed?.byline;
  const common = {
    title,
    byline: limit(chooseByline([readabilityByline, bylines.name, bylineLine.name], meta.byline), CLIP_LIMITS.short),
    siteName: limit(normalizeSpace(parsed?.siteName) || meta.siteName, CLIP_LIMITS.short),
    publishedAt: toIsoDate(parsed?.publishedTime) || meta.publishedAt || bylineLine.date,
    lang: meta.lang || normalizeLang(parsed?.lang),
    canonicalUrl: meta.canonicalUrl,
  };

  const root = parsed?.content;
  if (root && page) {
    cleanArticleContent(root, url);
    if (looksLikeArticle(root, page, [title, bylineLine.line])) {
      boundText(root, TEXT_BUDGET);
      const body = renderBody(root);
      // A page whose content is all markup and no text (or images) still gets a non-empty clip.
      if (body.text !== '' || body.html.includes('<img')) {
        return {
          ...common,
          excerpt: limit(normalizeSpace(parsed?.excerpt) || meta.description || firstParagraph, CLIP_LIMITS.excerpt),
          leadImage: meta.leadImage || firstImage(root),
          ...body,
        };
      }
    }
  }
  return linkClip(common, meta, firstParagraph, url);
}

/** A document of our own: extraction changes it. */
function loadDocument(input: Document | HtmlSource): Document {
  return typeof (input as Partial<HtmlSource>).html === 'string' ? (input as HtmlSource).host.parseHtml(reduceHtml((input as HtmlSource).html)) : ((input as Document).cloneNode(true) as Document);
}

/**
 * What the page becomes before Readability chooses the article in it. Returns the absolute URLs
 * written into it.
 */
function prepareForReadability(doc: Document, base: string, alsoDrop?: (element: Element) => boolean): Set<string> {
  // Also flattens pathologically deep nesting before Readability's recursion sees it.
  const bodyElements = removePageChrome(doc, alsoDrop);
  // Before Readability: it resolves relative URLs against document.baseURI, which for a cloned
  // or parsed document is not necessarily the page's address.
  const absolute = absolutizeUrls(bodyElements, base);
  // Before Readability too: on linkedom it drops MathML (namespaced) elements altogether.
  keepMathAsText(bodyElements.filter((element) => element.localName.toLowerCase() === 'math'));
  return absolute;
}

/** Readability's own vocabulary (0.6), read from it so the two cannot drift apart. */
const READABILITY_RULES = Readability.prototype as unknown as {
  REGEXPS: { unlikelyCandidates: RegExp; okMaybeItsACandidate: RegExp; byline: RegExp };
  UNLIKELY_ROLES: string[];
};
/** Read from the whole page before Readability's first attempt drops anything: title headings, JSON-LD, meta. */
const READ_BEFORE_DROPPING = new Set(['h1', 'h2', 'script', 'meta']);

/**
 * An element Readability's first attempt removes unseen ("unlikely candidates" by class, id and
 * role), removed in our own walk instead, so that Readability's whole-page passes before that
 * attempt (noscript images, JSON-LD, scripts, <br> runs, fonts, metadata) do not walk it. Only
 * where the outcome is the same: not a byline Readability would take from the element itself,
 * nor anything it reads from the whole page first.
 */
function readabilityDropsFirst(element: Element): boolean {
  const tag = element.localName.toLowerCase();
  if (tag === 'a' || tag === 'h1' || tag === 'h2' || !element.hasAttributes()) return false;
  const match = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
  const { REGEXPS, UNLIKELY_ROLES } = READABILITY_RULES;
  const unlikely = REGEXPS.unlikelyCandidates.test(match) && !REGEXPS.okMaybeItsACandidate.test(match) && !nearTableOrCode(element);
  const role = element.getAttribute('role');
  if (!unlikely && !(role !== null && UNLIKELY_ROLES.includes(role))) return false;
  if (element.getAttribute('rel') === 'author' || (element.getAttribute('itemprop') ?? '').includes('author') || REGEXPS.byline.test(match)) return false;
  return !containsTag(element, READ_BEFORE_DROPPING);
}

/** Readability's _hasAncestorTag(node, 'table' | 'code'): its four nearest ancestors. */
function nearTableOrCode(element: Element): boolean {
  let current = element.parentElement;
  for (let depth = 0; current && depth <= 3; depth++, current = current.parentElement) {
    const tag = current.localName.toLowerCase();
    if (tag === 'table' || tag === 'code') return true;
  }
  return false;
}

/**
 * Whether Readability's pick is an article: enough prose that is not a list of links, or, on a
 * short page (a note, a few lines, a picture with a caption), most of what the page shows. After
 * Readability ran, the document holds what it did not take, so that is the rest of the page.
 */
function looksLikeArticle(root: Element, body: HTMLElement, ownLines: string[]): boolean {
  const text = normalizeSpace(root.textContent);
  const dense = text.length < 600 && linkDensity(root) > 0.5;
  if (dense) return false;
  if (text.length >= MIN_ARTICLE_CHARS) return true;
  if (text === '' && root.getElementsByTagName('img').length === 0) return false;
  // When every attempt came out short, Readability restores the page, article included.
  const page = normalizeSpace(body.textContent);
  let rest = page.length;
  // The article's own title and byline line are not "the rest of the page" either.
  for (const part of [text, ...ownLines]) if (part !== '' && page.includes(part)) rest -= part.length;
  return text.length >= MAIN_CONTENT_SHARE * (text.length + rest);
}

/**
 * HTML, Markdown and text of the cleaned article, all from the same tree. Markdown first: it
 * reads code languages from classes the sanitizer drops, and it converts the tree in place
 * (whitespace only), which the HTML and text do not mind.
 */
function renderBody(root: Element): { html: string; markdown: string; text: string } {
  let markdown = toMarkdown(root, { consume: true });
  // The one sanitizing pass (sanitize-dom.ts); the service sanitizes again at ingest.
  sanitizeDom(root);
  let html = root.innerHTML;
  if (html.length > CLIP_LIMITS.html) {
    // Markup-heavy pages: drop trailing blocks until the HTML fits, then convert again.
    dropTrailingBlocks(root, CLIP_LIMITS.html);
    html = root.innerHTML;
    markdown = toMarkdown(root, { consume: true });
  }
  return { html, markdown: limitBlocks(markdown, CLIP_LIMITS.markdown), text: limitBlocks(blockText(root), CLIP_LIMITS.text) };
}

/** MathML is dropped by the sanitizer; its text form (TeX annotation, alttext or content) is kept. */
function keepMathAsText(maths: Element[]): void {
  for (const math of maths) {
    if (!math.parentNode) continue;
    const tex = Array.from(math.getElementsByTagName('annotation')).find((note) => /tex/i.test(note.getAttribute('encoding') ?? ''));
    const text = normalizeSpace(tex?.textContent) || normalizeSpace(math.getAttribute('alttext')) || normalizeSpace(descendantElements(math).map((element) => (element.children.length === 0 ? element.textContent : '')).join(' '));
    const span = math.ownerDocument.createElement(math.getAttribute('display') === 'block' ? 'p' : 'span');
    span.textContent = text;
    math.replaceWith(span);
  }
}

interface ReadabilityResult {
  title: string | null | undefined;
  byline: string | null | undefined;
  excerpt: string | null | undefined;
  siteName: string | null | undefined;
  publishedTime: string | null | undefined;
  lang: string | null | undefined;
  content: Element | null | undefined;
}

/**
 * Runs Readability on the prepared document. `pristineBody` gives the body's HTML as it was
 * before Readability changed it, for a second attempt.
 */
function runReadability(doc: Document, absolute: ReadonlySet<string>, pristineBody: () => string): ReadabilityResult | null {
  const body = doc.body;
  if (!body) return null;
  keepPageElementsInPlay(doc);
  // The serializer returns the article element itself, which saves a serialize + reparse.
  const reader = newReadability(doc, absolute);
  // A page with less text than an attempt needs will be retried: its cache is cheaper made as usual.
  const restoreBody = hasTextLength(body, READABILITY_CHAR_THRESHOLD) ? deferPageCache(body, pristineBody) : () => {};
  try {
    // A throw goes to extractArticle, which tries plain Readability next.
    return reader.parse() as ReadabilityResult | null;
  } finally {
    restoreBody();
  }
}

/** Attributes by which Readability's node walk removes an element: class/id words, role, byline marks, hiding. */
const REMOVAL_TRIGGERS = ['class', 'id', 'role', 'rel', 'itemprop', 'style', 'hidden', 'aria-hidden', 'aria-modal'];

/**
 * Readability's node walk starts at <html> and removes whatever its class or id calls "unlikely"
 * (header, banner, skyscraper, menu…), whatever is hidden, and a byline, sparing only <body>
 * from the first rule. A template that writes layout flags on <html> ("header--big",
 * "avada-html-header-position-top") or hides <body> until scripts run lost its whole document:
 * the body left detached, every later `document.body` threw in linkedom, and Readability's retries
 * walked nothing. Those attributes on the two root elements describe no content; they go.
 */
function keepPageElementsInPlay(doc: Document): void {
  for (const element of [doc.documentElement, doc.body]) {
    if (!element) continue;
    for (const name of REMOVAL_TRIGGERS) if (element.hasAttribute(name)) element.removeAttribute(name);
  }
}

/**
 * Readability alone (with the root elements kept in play and nesting bounded), for a page on
 * which the cleaned extraction failed: its article, sanitized, or null when it finds none.
 */
function extractPlainArticle(input: Document | HtmlSource, url: string): ArticleClip | null {
  const doc = loadDocument(input);
  let meta: PageMetadata | undefined;
  try {
    const tags = metadataTags(doc);
    meta = readMetadata(doc, url, baseUrl(doc, url, tags), tags);
  } catch {
    meta = undefined;
  }
  if (!doc.documentElement || !doc.body) return null;
  boundDepth(doc.body);
  keepPageElementsInPlay(doc);
  const parsed = new Readability<Element>(doc, READABILITY_OPTIONS).parse() as ReadabilityResult | null;
  const root = parsed?.content;
  if (!root) return null;
  boundText(root, TEXT_BUDGET);
  const body = renderBody(root);
  if (body.text === '' && !body.html.includes('<img')) return null;
  const common = meta ? commonOfMeta(meta, url) : commonOfMeta(undefined, url);
  return {
    ...common,
    title: limit(normalizeSpace(parsed?.title) || common.title, CLIP_LIMITS.short),
    byline: common.byline || limit(normalizeSpace(parsed?.byline), CLIP_LIMITS.short),
    excerpt: limit(normalizeSpace(parsed?.excerpt) || meta?.description || '', CLIP_LIMITS.excerpt),
    leadImage: meta?.leadImage || firstImage(root),
    ...body,
  };
}

/** Replaces whatever is nested deeper than `max` below `root` by its text (Readability recurses). */
function boundDepth(root: Element, max = 256): void {
  const stack: Array<[Element, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop() as [Element, number];
    for (let child = element.firstElementChild; child; ) {
      const next = child.nextElementSibling;
      if (depth + 1 >= max) child.replaceWith(element.ownerDocument.createTextNode(iterativeText(child)));
      else stack.push([child, depth + 1]);
      child = next;
    }
  }
}

const READABILITY_OPTIONS = { keepClasses: true, serializer: (node: Node) => node as Element };

/** Readability internals used here: its document preparation (which parse() runs before it caches the body) and its tag query. */
interface ReadabilityInternals {
  _unwrapNoscriptImages(doc: Document): void;
  _removeScripts(doc: Document): void;
  _prepDocument(): void;
  _getAllNodesWithTag(node: Document | Element, tagNames: string[]): ArrayLike<Element>;
  _isProbablyVisible(node: Element): boolean;
  _fixRelativeUris(content: Element): void;
}

/**
 * A Readability whose tag queries are plain walks. Readability asks querySelectorAll('a,b,…')
 * some twenty times a page, and linkedom compiles the selector on every call and upper-cases
 * each name it compares: about a sixth of Readability's time (profiled on its corpus). Same
 * elements, same (document) order.
 */
function newReadability(doc: Document, absolute: ReadonlySet<string> = new Set()): Readability<Element> {
  const reader = new Readability<Element>(doc, READABILITY_OPTIONS);
  const internals = reader as unknown as ReadabilityInternals;
  // Readability resolves every link and image of the article again (a URL parse and a
  // setAttribute each); those whose URLs we wrote ourselves are absolute already, and it is
  // not shown them. Only its tag query inside _fixRelativeUris is filtered.
  let fixingUris = false;
  const fixRelativeUris = internals._fixRelativeUris;
  internals._fixRelativeUris = function (this: ReadabilityInternals, content: Element) {
    fixingUris = true;
    try {
      fixRelativeUris.call(this, content);
    } finally {
      fixingUris = false;
    }
  };
  internals._getAllNodesWithTag = (node, tagNames) => {
    const found = elementsWithTags(node, tagNames);
    return fixingUris ? found.filter((element) => !urlsAlreadyAbsolute(element, absolute)) : found;
  };
  internals._isProbablyVisible = isProbablyVisible;
  return reader;
}

/** Whether every URL attribute _fixRelativeUris reads from `element` holds a URL we wrote. */
function urlsAlreadyAbsolute(element: Element, absolute: ReadonlySet<string>): boolean {
  for (const name of URL_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value && !absolute.has(value)) return false;
  }
  return true;
}

const URL_ATTRIBUTES = ['href', 'src', 'poster', 'srcset'];

/**
 * Readability's _isProbablyVisible, reading `style` only from elements that have the attribute:
 * in linkedom every `node.style` builds a CSSStyleDeclaration, and Readability asks it of every
 * element of the page.
 */
function isProbablyVisible(node: Element): boolean {
  const style = node.hasAttribute('style') ? (node as HTMLElement).style : undefined;
  return (
    (!style || (style.display !== 'none' && style.visibility !== 'hidden')) &&
    !node.hasAttribute('hidden') &&
    (!node.hasAttribute('aria-hidden') || node.getAttribute('aria-hidden') !== 'true' || (node.getAttribute('class') ?? '').includes('fallback-image'))
  );
}

function elementsWithTags(node: Document | Element, tagNames: string[]): Element[] {
  const root = node.nodeType === 9 ? (node as Document).documentElement : (node as Element);
  if (!root) return [];
  const wanted = new Set(tagNames.map((name) => name.toLowerCase()));
  const found = node.nodeType === 9 && wanted.has(root.localName.toLowerCase()) ? [root] : [];
  for (const element of descendantElements(root)) if (wanted.has(element.localName.toLowerCase())) found.push(element);
  return found;
}

/** The body's HTML as Readability's page cache would hold it: after its own preparation steps. */
function readabilityPreparedBody(doc: Document): string {
  const reader = newReadability(doc) as unknown as ReadabilityInternals;
  reader._unwrapNoscriptImages(doc);
  reader._removeScripts(doc);
  reader._prepDocument();
  return doc.body?.innerHTML ?? '';
}

/** Readability's default charThreshold: an attempt with less article text is retried. */
const READABILITY_CHAR_THRESHOLD = 500;

/** Whether `root` holds at least `length` characters of text; stops counting there. */
function hasTextLength(root: Node, length: number): boolean {
  let total = 0;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.nodeType === 3) {
      total += (node.nodeValue ?? '').length;
      if (total >= length) return true;
    } else for (let child = node.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  return false;
}

/** Stands for the body's HTML in Readability's page cache until an attempt needs it. */
const PAGE_CACHE_TOKEN = '\u0000casebook:page-cache';

/**
 * Readability 0.6 starts by reading `body.innerHTML` (its cache for a second attempt, which it
 * writes back when an attempt finds too little text) and most pages never need it: serializing
 * the whole page cost about a tenth of extraction (profiled on Readability's corpus). The body
 * answers with a token instead, and writing the token back loads the pristine body. Returns the
 * function that removes this override.
 */
function deferPageCache(body: HTMLElement, pristineBody: () => string): () => void {
  const inherited = innerHtmlDescriptor(body);
  if (!inherited?.get || !inherited.set) return () => {};
  const { get, set } = inherited;
  // Only the first read is Readability's cache; anything later sees the real markup.
  let tokenGiven = false;
  // Built once: Readability retries up to three times.
  let pristine: string | undefined;
  Object.defineProperty(body, 'innerHTML', {
    configurable: true,
    get: () => {
      if (tokenGiven) return get.call(body) as string;
      tokenGiven = true;
      return PAGE_CACHE_TOKEN;
    },
    set: (html: string) => set.call(body, html === PAGE_CACHE_TOKEN ? (pristine ??= pristineBody()) : html),
  });
  return () => {
    delete (body as { innerHTML?: string }).innerHTML;
  };
}

function innerHtmlDescriptor(element: Element): PropertyDescriptor | undefined {
  for (let proto: object | null = Object.getPrototypeOf(element); proto; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'innerHTML');
    if (descriptor) return descriptor;
  }
  return undefined;
}

type ClipHead = Omit<ArticleClip, 'excerpt' | 'leadImage' | 'html' | 'markdown' | 'text'>;

/** The clip's head fields from the page's metadata alone. */
function commonOfMeta(meta: PageMetadata | undefined, url: string): ClipHead {
  return {
    title: limit(meta?.title || hostOf(url) || url, CLIP_LIMITS.short),
    byline: limit(meta?.byline ?? '', CLIP_LIMITS.short),
    siteName: limit(meta?.siteName ?? '', CLIP_LIMITS.short),
    publishedAt: meta?.publishedAt ?? '',
    lang: meta?.lang ?? '',
    canonicalUrl: meta?.canonicalUrl ?? '',
  };
}

/** The last resort: a clip that names and links the address. */
function addressClip(url: string): ArticleClip {
  const title = limit(hostOf(url) || url || 'Untitled page', CLIP_LIMITS.short);
  let link = url;
  try {
    link = stripTracking(url);
  } catch {
    link = url;
  }
  return {
    title, byline: '', siteName: '', publishedAt: '', lang: '', canonicalUrl: '', excerpt: '', leadImage: '',
    html: `<p><a href="${escapeHtml(link)}" rel="noopener noreferrer nofollow">${escapeHtml(title)}</a></p>`,
    markdown: `[${title.replace(/([[\]\\])/g, '\\$1')}](${link.replace(/[()]/g, encodeURIComponent)})`,
    text: title,
  };
}

/** A page without an article still makes a useful clip: its title, description and address. */
function linkClip(common: ClipHead, meta: PageMetadata, firstParagraph: string, url: string): ArticleClip {
  const title = common.title || meta.title || hostOf(url) || url;
  const description = limit(meta.description || firstParagraph, CLIP_LIMITS.excerpt);
  const link = stripTracking(common.canonicalUrl || url);
  const html = `<p><a href="${escapeHtml(link)}" rel="noopener noreferrer nofollow">${escapeHtml(title)}</a></p>` + (description ? `<p>${escapeHtml(description)}</p>` : '');
  const markdown = `[${title.replace(/([[\]\\])/g, '\\$1')}](${link.replace(/[()]/g, encodeURIComponent)})` + (description ? `\n\n${description}` : '');
  return {
    ...common,
    title,
    excerpt: description,
    leadImage: meta.leadImage,
    html,
    markdown,
    text: description ? `${title}\n\n${description}` : title,
  };
}

/** Links and images must work from the library: absolute, without tracking parameters. */
/** Makes the URLs absolute; returns the values it wrote, which Readability need not resolve again. */
function absolutizeUrls(elements: Element[], base: string): Set<string> {
  const written = new Set<string>();
  // In-page (#) links stay relative; Readability decides about those.
  const note = (value: string | null) => value !== null && /^(https?|mailto):/i.test(value) && written.add(value);
  for (const element of elements) {
    const tag = element.localName.toLowerCase();
    if (tag === 'a') {
      absolutizeLink(element, base);
      note(element.getAttribute('href'));
    } else if (tag === 'img') {
      absolutizeImage(element, base);
      note(element.getAttribute('src'));
    } else if (tag === 'source') {
      absolutizeSource(element, base);
      note(element.getAttribute('srcset'));
    }
  }
  return written;
}

function absolutizeLink(link: Element, base: string): void {
  const href = link.getAttribute('href');
  if (href === null || href.startsWith('#')) return;
  const clean = cleanUrl(href, base);
  if (clean === '' || /^javascript:/i.test(clean)) link.removeAttribute('href');
  else link.setAttribute('href', clean);
}

function absolutizeImage(image: Element, base: string): void {
  // Lazy-loading pages keep the real address in data-* until scripts run.
  const src = image.getAttribute('src');
  const lazy = image.getAttribute('data-src') ?? image.getAttribute('data-lazy-src') ?? image.getAttribute('data-original');
  const chosen = lazy && (!src || src.startsWith('data:')) ? lazy : src ?? firstSrcsetUrl(image.getAttribute('srcset'));
  const clean = cleanUrl(chosen, base);
  if (clean === '' || !/^https?:/i.test(clean)) image.remove();
  else image.setAttribute('src', clean);
}

function absolutizeSource(source: Element, base: string): void {
  if (!source.hasAttribute('srcset')) return;
  const srcset = (source.getAttribute('srcset') ?? '')
    .split(',')
    .map((candidate) => {
      const [address = '', ...descriptor] = candidate.trim().split(/\s+/);
      const clean = cleanUrl(address, base);
      return clean === '' ? '' : [clean, ...descriptor].join(' ');
    })
    .filter((candidate) => candidate !== '');
  source.setAttribute('srcset', srcset.join(', '));
}

function firstSrcsetUrl(srcset: string | null): string {
  return srcset?.trim().split(/\s+/)[0] ?? '';
}

function firstImage(root: Element): string {
  for (const element of descendantElements(root)) if (element.localName.toLowerCase() === 'img' && element.hasAttribute('src')) return element.getAttribute('src') ?? '';
  return '';
}

/** First paragraph that reads like prose: the description of a page without meta description. */
function firstProse(paragraphs: Element[]): string {
  for (let index = 0; index < paragraphs.length && index < 200; index++) {
    const text = normalizeSpace(paragraphs[index]?.textContent);
    if (text.length >= 80 && linkDensity(paragraphs[index] as Element) < 0.3) return text;
  }
  return '';
}

/** Name particles that stay lower-case inside a name (de Vries, van der Berg, von Weizsäcker). */
const NAME = "\\p{Lu}[\\p{L}'’.-]*(?:\\s+(?:(?:de|van|der|den|ter|te|von|zu|du|la|le|di|da|dos|bin|al)\\s+)*\\p{Lu}[\\p{L}'’.-]*){0,4}";
const BYLINE_LINE = new RegExp(`^(?:[Bb]y|BY|[Dd]oor|DOOR|[Vv]on|VON|[Pp]ar|PAR|[Tt]ext|[Tt]ekst|[Tt]exte)\\s*:?\\s+(${NAME}(?:\\s*(?:,|&|and|en|und|et)\\s*${NAME}){0,3})\\s*(?:$|[,·•|–—(]|\\b(?:on|op|am|le|for|voor|für|pour)\\b)`, 'u');

/** A byline line holds none of these. */
const BLOCKS_BELOW_BYLINE = new Set(['p', 'div', 'h1', 'h2', 'h3', 'img', 'table', 'ul', 'ol']);

/**
 * Finds a byline line among the first blocks of the article ("Door Sanne de Vries, 5 maart 2024"),
 * removes it from the body and returns the names and the date it states; '' when there is none.
 */
function takeBylineLine(root: Element): { name: string; date: string; line: string } {
  let prose = 0;
  for (const element of descendantElements(root)) {
    const tag = element.localName.toLowerCase();
    if (!/^(p|div|span|address|small|strong|em|b)$/.test(tag) || containsTag(element, BLOCKS_BELOW_BYLINE)) continue;
    const text = normalizeSpace(element.textContent);
    if (text === '') continue;
    if (text.length > 140) {
      // Past the first paragraphs of prose a "By …" line is part of the story.
      if (++prose >= 2) break;
      continue;
    }
    const match = BYLINE_LINE.exec(text);
    if (!match) continue;
    element.remove();
    return { name: normalizeSpace(match[1]), date: toIsoDate(text.slice(match[0].length)), line: text };
  }
  return { name: '', date: '', line: '' };
}

/** Keeps huge articles within the text budget: text after it goes, the last text node is cut at a word. */
function boundText(root: Element, budget: number): void {
  if ((root.textContent ?? '').length <= budget) return;
  let used = 0;
  const stack: Node[] = [root];
  const cut: Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (used >= budget) {
      cut.push(node);
      continue;
    }
    if (node.nodeType === 3) {
      const value = node.nodeValue ?? '';
      if (used + value.length > budget) {
        const end = value.lastIndexOf(' ', budget - used);
        node.nodeValue = value.slice(0, end > 0 ? end : budget - used) + ' …';
      }
      used += value.length;
      continue;
    }
    for (let child = node.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  for (const node of cut) node.parentNode?.removeChild(node);
}

/** Removes trailing blocks of the innermost single-child wrapper until the HTML is under `max`. */
function dropTrailingBlocks(root: Element, max: number): void {
  let container: Element = root;
  while (container.children.length === 1 && container.firstElementChild) container = container.firstElementChild;
  let total = 0;
  for (const child of Array.from(container.children)) {
    total += child.outerHTML.length;
    if (total > max * 0.95) child.remove();
  }
}

/** Cuts text at a paragraph boundary below `max`, marking the cut. */
function limitBlocks(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n\n', max - 2);
  return (cut > max / 2 ? text.slice(0, cut) : text.slice(0, max - 1)) + '\n\n…';
}

function limit(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max - 1);
  return text.slice(0, cut > max / 2 ? cut : max - 1) + '…';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}
