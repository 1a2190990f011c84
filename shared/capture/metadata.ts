// Reads a page's own description of itself (JSON-LD incl. @graph, OpenGraph, meta tags,
// <time>, <html lang>, canonical link) before extraction changes the document.
import { toIsoDate } from './dates.ts';
import { descendantElements, normalizeSpace } from './dom.ts';
import { isJsonLdScript, metaValue, parseJsonLd, readMetaTags, resolve, typesOf } from '../page/structured.ts';
import { cleanUrl } from './urls.ts';

export interface PageMetadata {
  title: string;
  byline: string;
  siteName: string;
  publishedAt: string;
  lang: string;
  canonicalUrl: string;
  description: string;
  leadImage: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ARTICLE_TYPES = /^(Article|NewsArticle|BlogPosting|Blog|Report|ScholarlyArticle|TechArticle|AnalysisNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|BackgroundNewsArticle|LiveBlogPosting|SocialMediaPosting|MedicalScholarlyArticle|Review|Recipe|PressRelease)$/;

/** The elements metadata is read from, by tag, in document order. */
export interface MetadataTags {
  base: Element[];
  link: Element[];
  meta: Element[];
  /** Paragraphs: the first one of prose stands in for a missing description. */
  p: Element[];
  script: Element[];
  time: Element[];
  title: Element[];
}

/**
 * The page's base, link, meta, p, script, time and title elements from one walk: in linkedom each
 * getElementsByTagName is a scan of the whole page that upper-cases every other element's name,
 * and six of them were a few percent of extraction (profiled on Readability's corpus).
 */
export function metadataTags(doc: Document): MetadataTags {
  const tags: MetadataTags = { base: [], link: [], meta: [], p: [], script: [], time: [], title: [] };
  if (!doc.documentElement) return tags;
  for (const element of descendantElements(doc.documentElement)) {
    const name = element.localName.toLowerCase();
    if (Object.hasOwn(tags, name)) tags[name as keyof MetadataTags].push(element);
  }
  return tags;
}

export function readMetadata(doc: Document, url: string, base = baseUrl(doc, url), tags = metadataTags(doc)): PageMetadata {
  const meta = readMetaTags(tags.meta);
  const ld = readJsonLd(tags.script);
  const pick = (...names: string[]) => metaValue(meta, ...names);
  // Tag scans instead of attribute selectors: getElementsByTagName is a plain scan in linkedom,
  // several times cheaper than querySelector's selector matching over the whole page.
  const links = tags.link;
  const linkWithRel = (rel: string) => links.find((link) => (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes(rel))?.getAttribute('href');
  const canonical = cleanUrl(linkWithRel('canonical'), base) || cleanUrl(pick('og:url'), base);
  const lang = normalizeLang(
    doc.documentElement?.getAttribute('lang') || doc.documentElement?.getAttribute('xml:lang') || pick('content-language', 'dc.language', 'language') || ld.lang || pick('og:locale'),
  );
  // A <time> says when the article appeared only if it is not a modification date and not in an
  // author profile, a comment or a sidebar (a "member since" or a comment's date is not it).
  const times = tags.time.filter((time) => !/modified|updated/i.test(`${time.getAttribute('itemprop') ?? ''} ${time.getAttribute('class') ?? ''}`) && !inOtherContext(time));
  const timeElement = times.find((time) => time.hasAttribute('datetime') || time.hasAttribute('pubdate'));
  const published =
    toIsoDate(ld.published) ||
    toIsoDate(pick('article:published_time', 'og:article:published_time', 'datepublished', 'published_time', 'publishdate', 'pubdate', 'date', 'dc.date.issued', 'dc.date', 'dcterms.issued', 'dcterms.created', 'dcterms.date', 'sailthru.date', 'parsely-pub-date', 'article.published', 'citation_publication_date', 'citation_date')) ||
    toIsoDate(itemPublished(times)) ||
    toIsoDate(timeElement?.getAttribute('datetime')) ||
    toIsoDate(times[0]?.textContent);
  const authorMeta = pick('author', 'article:author_name', 'parsely-author', 'sailthru.author', 'dc.creator', 'dcterms.creator', 'citation_author', 'byl', 'twitter:creator:name');
  const metaAuthor = /^https?:\/\//.test(authorMeta) ? '' : authorMeta.replace(/^by\s+/i, '');
  return {
    title: ld.title || pick('og:title', 'twitter:title', 'dc.title', 'citation_title') || normalizeSpace(tags.title[0]?.textContent),
    byline: ld.author || metaAuthor,
    siteName: pick('og:site_name', 'application-name', 'al:ios:app_name') || ld.publisher || ld.siteName,
    publishedAt: published,
    lang,
    canonicalUrl: canonical,
    description: pick('og:description', 'description', 'twitter:description', 'dc.description', 'dcterms.abstract') || ld.description,
    leadImage: cleanUrl(pick('og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src') || ld.image || linkWithRel('image_src'), base),
  };
}

/** itemprop="datePublished" on a <time> (content or datetime), which the meta map does not see. */
function itemPublished(times: Element[]): string {
  const marked = times.find((time) => (time.getAttribute('itemprop') ?? '').split(/\s+/).includes('datePublished'));
  return marked?.getAttribute('content') || marked?.getAttribute('datetime') || '';
}

const OTHER_CONTEXT = /(?:^|[\s_-])(comment|comments|reply|replies|profile|author-?bio|bio|sidebar|widget|related|recommended|footer)(?:$|[\s_-])/i;

function inOtherContext(element: Element): boolean {
  for (let current = element.parentElement; current; current = current.parentElement) {
    const tag = current.localName.toLowerCase();
    // An article's own footer or aside carries its "Posted by … on …" line.
    if (tag === 'article') return false;
    if ((tag === 'aside' || tag === 'footer' || tag === 'nav') && current.closest('article') === null) return true;
    const words = `${current.getAttribute('class') ?? ''} ${current.getAttribute('id') ?? ''}`;
    if (words.length > 1 && OTHER_CONTEXT.test(words)) return true;
  }
  return false;
}

/** The URL relative links resolve against: a <base href> when the page sets one. */
export function baseUrl(doc: Document, url: string, tags?: MetadataTags): string {
  const href = (tags ? tags.base[0] : doc.getElementsByTagName('base')[0])?.getAttribute('href');
  if (!href) return url;
  try {
    return new URL(href, url).href;
  } catch {
    return url;
  }
}

interface LdFacts {
  title: string;
  author: string;
  publisher: string;
  siteName: string;
  published: string;
  description: string;
  image: string;
  lang: string;
}

function readJsonLd(scripts: Element[]): LdFacts {
  const ld = parseJsonLd(scripts.filter(isJsonLdScript).map((script) => script.textContent ?? ''));
  const follow = (value: Json | undefined) => resolve(ld, value) as Json | undefined;
  const nodes = ld.roots as JsonObject[];
  const article = nodes.find((node) => typesOf(node).some((type) => ARTICLE_TYPES.test(type)));
  const page = nodes.find((node) => typesOf(node).some((type) => /WebPage$/.test(type)));
  const site = nodes.find((node) => typesOf(node).includes('WebSite'));
  const main = article ?? page;
  const facts: LdFacts = { title: '', author: '', publisher: '', siteName: '', published: '', description: '', image: '', lang: '' };
  if (site) facts.siteName = text(site.name);
  if (!main) return facts;
  facts.title = text(main.headline) || text(main.name);
  facts.author = names(main.author, follow).join(', ') || names(main.creator, follow).join(', ');
  facts.publisher = names(main.publisher, follow)[0] ?? '';
  facts.published = text(main.datePublished) || text(main.dateCreated) || text(main.uploadDate);
  facts.description = text(main.description);
  facts.image = imageUrl(follow(main.image), follow) || imageUrl(follow(main.thumbnailUrl), follow);
  facts.lang = text(main.inLanguage);
  return facts;
}

function text(value: Json | undefined): string {
  if (typeof value === 'string') return normalizeSpace(decodeEntities(value));
  if (Array.isArray(value)) return text(value[0]);
  if (value && typeof value === 'object' && typeof value['@value'] === 'string') return text(value['@value']);
  return '';
}

function names(value: Json | undefined, resolve: (value: Json | undefined) => Json | undefined): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const item of list.slice(0, 10)) {
    const node = resolve(item);
    const name = typeof node === 'string' ? (/^https?:/.test(node) ? '' : node) : node && typeof node === 'object' && !Array.isArray(node) ? text(node.name) : '';
    const clean = normalizeSpace(name);
    if (clean !== '' && !out.includes(clean)) out.push(clean);
  }
  return out;
}

function imageUrl(value: Json | undefined, resolve: (value: Json | undefined) => Json | undefined): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return imageUrl(resolve(value[0]), resolve);
  if (value && typeof value === 'object') return text(value.url) || text(value.contentUrl);
  return '';
}

/** JSON-LD strings sometimes carry HTML entities (&amp;, &#039;); decode the common ones. */
function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16) || 32);
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)) || 32);
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[lower] ?? '';
  });
}

/** BCP 47 from "nl_NL", "en-us", "EN"; '' when it does not look like a language tag. */
export function normalizeLang(raw: string | null | undefined): string {
  const value = (raw ?? '').trim().replace(/_/g, '-');
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(value)) return '';
  const [language, ...rest] = value.split('-');
  return [(language as string).toLowerCase(), ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part))].join('-');
}
