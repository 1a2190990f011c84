// extractArticle: the readable article of a page (sanitized HTML, Markdown, text) with its
// metadata, built on Readability and cleaned further; a link clip when a page has no article.
import { Readability } from '@mozilla/readability';
import { cleanArticleContent, linkDensity, removePageChrome } from './boilerplate.ts';
import { toIsoDate } from './dates.ts';
import { blockText, flattenDeepNesting, normalizeSpace, parseHtml } from './dom.ts';
import { toMarkdown } from './markdown.ts';
import { baseUrl, normalizeLang, readMetadata, type PageMetadata } from './metadata.ts';
import { sanitizeDom } from './sanitize-dom.ts';
import { cleanUrl, stripTracking } from './urls.ts';

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

/** Ceilings under the clip schema's (shared/model.ts LIMITS), leaving room for the envelope. */
export const CLIP_LIMITS = { html: 500_000, markdown: 190_000, text: 190_000, excerpt: 600, short: 500 } as const;

/** Below this much text an extraction is not an article (a nav list, a teaser, an error page). */
const MIN_ARTICLE_CHARS = 140;

/**
 * Extracts the article of a page. `input` is a live Document (content script: it is cloned,
 * never changed) or an HTML string (parsed with DOMParser, or linkedom once ./dom-node.ts is
 * imported in Node). `url` is the page's address; relative links resolve against it.
 */
export function extractArticle(input: Document | string, url: string): ArticleClip {
  const doc = typeof input === 'string' ? parseHtml(input) : (input.cloneNode(true) as Document);
  if (doc.documentElement) flattenDeepNesting(doc.documentElement);
  const base = baseUrl(doc, url);
  const meta = readMetadata(doc, url, base);
  const firstParagraph = firstProse(doc);
  removePageChrome(doc);
  // Before Readability: it resolves relative URLs against document.baseURI, which for a cloned
  // or parsed document is not necessarily the page's address.
  if (doc.body) absolutizeUrls(doc.body, base);
  const parsed = runReadability(doc);

  const title = limit(normalizeSpace(parsed?.title) || meta.title || hostOf(url), CLIP_LIMITS.short);
  const common = {
    title,
    byline: limit(chooseByline(parsed?.byline, meta.byline), CLIP_LIMITS.short),
    siteName: limit(normalizeSpace(parsed?.siteName) || meta.siteName, CLIP_LIMITS.short),
    publishedAt: toIsoDate(parsed?.publishedTime) || meta.publishedAt,
    lang: meta.lang || normalizeLang(parsed?.lang),
    canonicalUrl: meta.canonicalUrl,
  };

  const root = parsed?.content;
  if (root) {
    cleanArticleContent(root);
    const contentText = normalizeSpace(root.textContent);
    const looksLikeArticle = contentText.length >= MIN_ARTICLE_CHARS && !(contentText.length < 600 && linkDensity(root) > 0.5);
    if (looksLikeArticle) {
      boundSize(root);
      // Markdown first: it reads code languages from classes the sanitizer drops. It converts
      // the tree in place (whitespace only), which the HTML and text below do not mind.
      const markdown = limitBlocks(toMarkdown(root, { consume: true }), CLIP_LIMITS.markdown);
      // The one sanitizing pass (sanitize-dom.ts); the service sanitizes again at ingest.
      sanitizeDom(root);
      const html = root.innerHTML;
      const text = limitBlocks(blockText(root), CLIP_LIMITS.text);
      return {
        ...common,
        excerpt: limit(normalizeSpace(parsed?.excerpt) || meta.description || firstParagraph, CLIP_LIMITS.excerpt),
        leadImage: meta.leadImage || firstImage(root),
        html: html.length > CLIP_LIMITS.html ? html.slice(0, html.lastIndexOf('<', CLIP_LIMITS.html)) : html,
        markdown,
        text,
      };
    }
  }
  return linkClip(common, meta, firstParagraph, url);
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

function runReadability(doc: Document): ReadabilityResult | null {
  if (!doc.body) return null;
  // The serializer returns the article element itself, which saves a serialize + reparse.
  const reader = new Readability<Element>(doc, { keepClasses: true, serializer: (element) => element as Element });
  try {
    return reader.parse() as ReadabilityResult | null;
  } catch {
    // Readability can throw on odd DOMs (e.g. a document without <head>); fall back to a link clip.
    return null;
  }
}

/** A page without an article still makes a useful clip: its title, description and address. */
function linkClip(common: Omit<ArticleClip, 'excerpt' | 'leadImage' | 'html' | 'markdown' | 'text'>, meta: PageMetadata, firstParagraph: string, url: string): ArticleClip {
  const title = common.title || meta.title || hostOf(url);
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
function absolutizeUrls(root: Element, base: string): void {
  for (const link of Array.from(root.querySelectorAll('a[href]'))) {
    const href = link.getAttribute('href') ?? '';
    if (href.startsWith('#')) continue;
    const clean = cleanUrl(href, base);
    if (clean === '' || /^javascript:/i.test(clean)) link.removeAttribute('href');
    else link.setAttribute('href', clean);
  }
  for (const image of Array.from(root.querySelectorAll('img'))) {
    // Lazy-loading pages keep the real address in data-* until scripts run.
    const src = image.getAttribute('src');
    const lazy = image.getAttribute('data-src') ?? image.getAttribute('data-lazy-src') ?? image.getAttribute('data-original');
    const chosen = lazy && (!src || src.startsWith('data:')) ? lazy : src ?? firstSrcsetUrl(image.getAttribute('srcset'));
    const clean = cleanUrl(chosen, base);
    if (clean === '' || !/^https?:/i.test(clean)) image.remove();
    else image.setAttribute('src', clean);
  }
  for (const source of Array.from(root.querySelectorAll('source[srcset]'))) {
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
}

function firstSrcsetUrl(srcset: string | null): string {
  return srcset?.trim().split(/\s+/)[0] ?? '';
}

function firstImage(root: Element): string {
  return root.querySelector('img[src]')?.getAttribute('src') ?? '';
}

/** First paragraph that reads like prose: the description of a page without meta description. */
function firstProse(doc: Document): string {
  const paragraphs = doc.body ? doc.body.getElementsByTagName('p') : [];
  for (let index = 0; index < paragraphs.length && index < 200; index++) {
    const text = normalizeSpace(paragraphs[index]?.textContent);
    if (text.length >= 80 && linkDensity(paragraphs[index] as Element) < 0.3) return text;
  }
  return '';
}

/**
 * Readability's byline comes from the page text and often carries a date ("Ann Lee · 4 March");
 * when the page's structured author is part of it, the structured name is the cleaner answer.
 */
function chooseByline(fromContent: string | null | undefined, fromMetadata: string): string {
  const content = cleanByline(fromContent);
  const metadata = cleanByline(fromMetadata);
  if (metadata !== '' && (content === '' || content.toLowerCase().includes(metadata.toLowerCase()))) return metadata;
  return content || metadata;
}

function cleanByline(raw: string | null | undefined): string {
  const segments = normalizeSpace(raw)
    .replace(/^(by|door|von|par)\s+/i, '')
    .split(/\s+[·•|]\s+/)
    .filter((segment) => toIsoDate(segment) === '' && !/^(updated|published|bijgewerkt|gepubliceerd)\b/i.test(segment));
  const text = segments.join(' · ');
  return text.length > 200 ? '' : text;
}

/** Keeps huge articles within the clip limits by dropping trailing blocks (never cutting a tag). */
function boundSize(root: Element): void {
  let container: Element = root;
  while (container.children.length === 1 && container.firstElementChild) container = container.firstElementChild;
  let total = 0;
  for (const child of Array.from(container.children)) {
    total += child.outerHTML.length;
    if (total > CLIP_LIMITS.html) child.remove();
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

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}
