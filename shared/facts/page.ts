// One walk over a page's DOM that collects everything the fact extractors read: text blocks
// with their zone (header, footer, contact block …), links, images, meta tags, JSON-LD and
// microdata. Extractors then work on these plain records, never on the live DOM again, which
// keeps proposeScanAnswers at a few ms a page and leaves the page untouched.
import { isJsonLdScript, readMetaTags, type MetaMap } from '../page/structured.ts';
import { hostOf, registrableDomain } from '../site.ts';

/** Zones a block or link sits in, as bit flags inherited from its ancestors. */
export const Zone = {
  header: 1,
  footer: 2,
  nav: 4,
  aside: 8,
  main: 16,
  address: 32,
  /** id/class says contact, address, imprint, colofon, vcard … */
  contact: 64,
  /** an <article> element: on news pages, the story about someone else */
  article: 128,
  form: 256,
  heading: 512,
  /** id/class says share/social-share: share buttons, never the company's profiles */
  share: 1024,
} as const;

export interface TextBlock {
  index: number;
  /** Visible text, '\n' where the page has <br>, ' | ' between table cells. */
  text: string;
  zone: number;
  /** The element the block belongs to (nearest block-level ancestor). */
  el: Element;
  /** Set by third-party.ts: the block belongs to someone else (ombudsman, insurer …). */
  thirdParty: boolean;
  /** Set by third-party.ts: character ranges of the text that credit someone else (web designer). */
  cuts: Array<[number, number]>;
}

export interface LinkRef {
  /** Absolute URL, '' when the href does not parse. */
  href: string;
  rawHref: string;
  text: string;
  title: string;
  zone: number;
  block: number;
  /** Offset of the link's text in its block: lets third-party.ts drop links inside a credit. */
  offset: number;
  /** Alt texts of images inside the link (logo links, social icons). */
  imageAlt: string;
  classes: string;
}

export interface ImageRef {
  src: string;
  alt: string;
  title: string;
  /** id and class of the image and of its link/parent, lower case. */
  hints: string;
  zone: number;
  block: number;
  /** Absolute href of the link around the image, '' if none. */
  linkHref: string;
}

export interface MicrodataItem {
  type: string;
  props: Record<string, Array<string | MicrodataItem>>;
}

export interface PageScan {
  url: string;
  /** Host of the page without "www.". */
  host: string;
  /** Registrable domain (tldts), '' for IPs and unknown suffixes. */
  domain: string;
  title: string;
  lang: string;
  canonical: string;
  /** meta name/property/itemprop/http-equiv (lower case) → contents, in page order (shared/page/structured.ts). */
  meta: MetaMap;
  /** Raw text of each application/ld+json script. */
  jsonld: string[];
  microdata: MicrodataItem[];
  blocks: TextBlock[];
  links: LinkRef[];
  images: ImageRef[];
}

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'select', 'object', 'canvas', 'head', 'textarea']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'div', 'dl',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hr', 'html', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'thead', 'tfoot',
  'tr', 'ul', 'option', 'legend', 'details', 'summary',
]);
const TAG_ZONE: Record<string, number> = {
  header: Zone.header, footer: Zone.footer, nav: Zone.nav, aside: Zone.aside, main: Zone.main,
  address: Zone.address, article: Zone.article, form: Zone.form,
  h1: Zone.heading, h2: Zone.heading, h3: Zone.heading, h4: Zone.heading, h5: Zone.heading, h6: Zone.heading,
};
// Class/id words that mark zones on sites without HTML5 elements (most of the 2010s web).
const HINT_ZONES: Array<[RegExp, number]> = [
  [/(?:^|[\s_-])(?:footer|foot|colophon|bottom|site-info|copyright)/, Zone.footer],
  [/(?:^|[\s_-])(?:header|masthead|top-?bar|branding)/, Zone.header],
  [/(?:^|[\s_-])(?:nav|menu|breadcrumb)/, Zone.nav],
  [/(?:contact|adres|address|vcard|h-card|impressum|imprint|colofon|location|kontakt|coordonn)/, Zone.contact],
  [/(?:^|[\s_-])(?:share|sharing|social-?share|sharethis|addthis|a2a|shariff)/, Zone.share],
];

/** Resolves href against the page (or <base>), '' when it is not a URL. */
export function absoluteUrl(href: string, base: string): string {
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return '';
  }
}

function isHidden(el: Element): boolean {
  if (el.hasAttribute('hidden')) return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  return style !== null && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

/** Cloudflare's e-mail protection: hex string whose first byte XORs the rest. */
export function decodeCfEmail(hex: string): string {
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length < 4 || hex.length % 2 !== 0) return '';
  const key = parseInt(hex.slice(0, 2), 16);
  let out = '';
  for (let i = 2; i < hex.length; i += 2) out += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16) ^ key);
  return /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(out) ? out : '';
}

function itemValue(el: Element): string {
  const tag = el.tagName.toLowerCase();
  const content = el.getAttribute('content');
  if (content !== null) return content;
  if (tag === 'a' || tag === 'link' || tag === 'area') return el.getAttribute('href') ?? '';
  if (tag === 'img' || tag === 'source' || tag === 'audio' || tag === 'video') return el.getAttribute('src') ?? '';
  if (tag === 'time') return el.getAttribute('datetime') ?? el.textContent ?? '';
  if (tag === 'data' || tag === 'meter') return el.getAttribute('value') ?? '';
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * A block's visible text with runs of spaces collapsed, no space around line breaks, no empty
 * lines and no outer whitespace; `map[i]` is where raw offset i lands in that text (for i up
 * to raw.length), so offsets taken while walking stay valid after the clean-up.
 */
export function normaliseBlockText(raw: string): { text: string; map: number[] } {
  const map = new Array<number>(raw.length + 1);
  let out = '';
  let pendingSpace = false;
  let pendingBreak = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\n') {
      pendingBreak = true;
      map[i] = out.length;
    } else if (ch === ' ' || ch === '\t' || ch === '\u00a0' || ch === '\u200b') {
      pendingSpace = true;
      map[i] = out.length;
    } else {
      if (out.length > 0) {
        if (pendingBreak) out += '\n';
        else if (pendingSpace) out += ' ';
      }
      pendingBreak = pendingSpace = false;
      map[i] = out.length;
      out += ch;
    }
  }
  map[raw.length] = out.length;
  // Other white space (em spaces, a byte-order mark) at either end goes too, as String.trim does.
  const lead = out.length - out.trimStart().length;
  const text = out.trim();
  for (let i = 0; i <= raw.length; i++) map[i] = Math.max(0, Math.min(text.length, map[i]! - lead));
  return { text, map };
}

/** What the walk gathers besides the text blocks, in page order. */
interface Found {
  /** <meta> elements of the head and the body, read into the meta map at the end. */
  metas: Element[];
  jsonld: string[];
  microdata: MicrodataItem[];
  links: LinkRef[];
  images: ImageRef[];
}

/**
 * Walks the document once; `maxNodes` bounds the work on hostile pages. The head first (meta
 * tags, base, canonical, JSON-LD), then the body: text blocks, links, images, microdata.
 */
export function scanPage(doc: Document, url: string, maxNodes = 200_000): PageScan {
  const found: Found = { metas: [], jsonld: [], microdata: [], links: [], images: [] };
  const { base, canonical } = readHead(doc, url, found);
  const root = walkRoot(doc);
  const blocks = root ? walkBody(root, base, found, maxNodes) : [];
  const meta = readMetaTags(found.metas);
  const titleEl = root ? doc.getElementsByTagName('title')[0] : undefined;
  return {
    url,
    host: hostOf(url, { stripWww: true }),
    domain: registrableDomain(url) ?? '',
    title: (titleEl?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    lang: root ? (doc.documentElement?.getAttribute('lang') ?? meta.get('content-language')?.[0] ?? '').toLowerCase() : '',
    canonical,
    meta,
    jsonld: found.jsonld,
    microdata: found.microdata,
    blocks,
    links: found.links,
    images: found.images,
  };
}

/**
 * The head's meta tags and JSON-LD (into `found`), its <base> and canonical link. Scripts may sit
 * anywhere, so the body walk picks up JSON-LD too.
 */
function readHead(doc: Document, url: string, found: Found): { base: string; canonical: string } {
  let base = url;
  let canonical = '';
  const head = doc.head;
  if (head) {
    for (let el = head.firstElementChild; el; el = el.nextElementSibling) {
      const tag = el.tagName.toLowerCase();
      if (tag === 'meta') {
        found.metas.push(el);
      } else if (tag === 'base') {
        const href = el.getAttribute('href');
        if (href) base = absoluteUrl(href, url) || url;
      } else if (tag === 'link' && /\bcanonical\b/i.test(el.getAttribute('rel') ?? '')) {
        canonical = el.getAttribute('href') ?? '';
      } else if (tag === 'script' && isJsonLdScript(el)) {
        found.jsonld.push(el.textContent ?? '');
      }
    }
  }
  return { base, canonical: canonical ? absoluteUrl(canonical, base) : '' };
}

/**
 * Where the body walk starts. Markup before <body> ("</head><div …><body>") leaves linkedom with
 * an empty body and the page in a sibling of it: then the whole document is walked (its <head>
 * is skipped).
 */
function walkRoot(doc: Document): Element | null {
  const body = doc.body;
  return body?.firstElementChild || !doc.documentElement ? body : doc.documentElement;
}

/** The text blocks as the walk reads them: text goes into the open block until a block element ends it. */
class BlockReader {
  readonly blocks: TextBlock[] = [];
  private current: { text: string; zone: number; el: Element } | null = null;
  // Links opened in the current block: their offsets count in the raw text until flush
  // maps them into the block's normalised text.
  private open: LinkRef[] = [];

  get isOpen(): boolean {
    return this.current !== null;
  }

  /** Whether the open block holds more than white space. */
  hasText(): boolean {
    return this.current !== null && this.current.text.trim() !== '';
  }

  append(text: string, zone: number, el: Element): void {
    if (!this.current) this.current = { text: '', zone, el };
    this.current.text += text;
  }

  /** Ends the open block: its text normalised (empty blocks dropped), its links' offsets mapped into it. */
  flush(): void {
    if (this.current) {
      const { text, map } = normaliseBlockText(this.current.text);
      for (const link of this.open) link.offset = map[Math.min(link.offset, map.length - 1)]!;
      if (text) this.blocks.push({ index: this.blocks.length, text, zone: this.current.zone, el: this.current.el, thirdParty: false, cuts: [] });
    }
    this.open = [];
    this.current = null;
  }

  /** A link starts here, in the open block (opened if need be): answers its offset in the raw text. */
  openLink(link: LinkRef, zone: number, blockEl: Element): number {
    if (!this.current) this.current = { text: '', zone, el: blockEl };
    link.block = this.blocks.length;
    link.offset = this.current.text.length;
    this.open.push(link);
    return link.offset;
  }

  /** The text read since `start` when no block ended since (`blockCount` blocks then); else ''. */
  textSince(start: number, blockCount: number): string {
    const open = this.current;
    return open && this.blocks.length === blockCount && start <= open.text.length ? open.text.slice(start) : '';
  }
}

interface Frame { el: Element; zone: number; blockEl: Element; item: MicrodataItem | null; isBlock: boolean; link: LinkRef | null; linkStart: number; linkBlocks: number }

/** Zone of an element: its parent's, plus its tag's, plus what its id/class say. */
function zoneOf(el: Element, tag: string, parentZone: number): { zone: number; hints: string } {
  let zone = parentZone | (TAG_ZONE[tag] ?? 0);
  const hints = `${el.getAttribute('id') ?? ''} ${el.getAttribute('class') ?? ''}`.toLowerCase();
  if (hints.length > 1) for (const [re, z] of HINT_ZONES) if (re.test(hints)) zone |= z;
  if (el.getAttribute('role') === 'contentinfo') zone |= Zone.footer;
  return { zone, hints };
}

/**
 * Microdata of an element: a new itemscope opens an item (nested into the parent's itemprop if
 * any, else a top-level item); an itemprop adds its value to the parent's item. Answers the item
 * the element's children add to.
 */
function readMicrodata(el: Element, parentItem: MicrodataItem | null, microdata: MicrodataItem[]): MicrodataItem | null {
  const itemprop = el.getAttribute('itemprop');
  if (el.hasAttribute('itemscope')) {
    const created: MicrodataItem = { type: el.getAttribute('itemtype') ?? '', props: {} };
    if (itemprop && parentItem) for (const p of itemprop.trim().split(/\s+/)) (parentItem.props[p] ??= []).push(created);
    else microdata.push(created);
    return created;
  }
  if (itemprop && parentItem) {
    const value = itemValue(el);
    for (const p of itemprop.trim().split(/\s+/)) (parentItem.props[p] ??= []).push(value);
  }
  return parentItem;
}

/** An <a> or <area>: its absolute href (a Cloudflare-protected address decoded), title, image alts. */
function linkOf(el: Element, base: string, zone: number, hints: string, block: number): LinkRef {
  const rawHref = el.getAttribute('href') ?? '';
  let href = rawHref ? absoluteUrl(rawHref, base) : '';
  const cfHash = /\/cdn-cgi\/l\/email-protection#([0-9a-f]+)/i.exec(rawHref);
  if (cfHash?.[1]) {
    const email = decodeCfEmail(cfHash[1]);
    href = email ? `mailto:${email}` : '';
  }
  let imageAlt = '';
  for (const img of el.getElementsByTagName('img')) imageAlt += ` ${img.getAttribute('alt') ?? ''}`;
  return {
    href, rawHref, text: '', title: el.getAttribute('title') ?? el.getAttribute('aria-label') ?? '',
    zone, block, offset: 0, imageAlt: imageAlt.trim(), classes: hints.trim(),
  };
}

/** An <img>: its source (a lazy-loaded one's real image), alt, hints of it and its link or parent. */
function imageOf(el: Element, base: string, zone: number, hints: string, block: number, frames: Frame[]): ImageRef {
  // Lazy loading leaves a placeholder (a data: URI, a blank gif) in src and the image in data-src.
  const lazy = el.getAttribute('data-src') || el.getAttribute('data-lazy-src') || el.getAttribute('data-original') || '';
  const raw = el.getAttribute('src') ?? '';
  const src = lazy && (!raw || /^data:|(?:lazy|placeholder|blank|spacer|pixel|transparent|1x1)[\w-]*\.(?:gif|png|svg)/i.test(raw)) ? lazy : raw || lazy;
  const parentEl = el.parentElement;
  const linkFrame = [...frames].reverse().find((f) => f.link);
  return {
    src: src ? absoluteUrl(src, base) : '', alt: (el.getAttribute('alt') ?? '').trim(), title: el.getAttribute('title') ?? '',
    hints: `${hints} ${parentEl?.getAttribute('id') ?? ''} ${parentEl?.getAttribute('class') ?? ''} ${linkFrame?.link?.classes ?? ''}`.toLowerCase(),
    zone, block, linkHref: linkFrame?.link?.href ?? '',
  };
}

/** The body walk: text blocks (returned), links, images, microdata, meta tags and JSON-LD (into `found`). */
function walkBody(root: Element, base: string, found: Found, maxNodes: number): TextBlock[] {
  const reader = new BlockReader();
  // Iterative walk (a 10,000-deep DOM must not overflow the stack): a node is pushed with
  // an "enter" marker and its frame is popped on "exit".
  type Step = { node: Node; exit: false } | { frame: Frame; exit: true };
  const stack: Step[] = [{ node: root, exit: false }];
  const frames: Frame[] = [{ el: root, zone: 0, blockEl: root, item: null, isBlock: true, link: null, linkStart: 0, linkBlocks: 0 }];
  let seen = 0;
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.exit) {
      const frame = step.frame;
      frames.pop();
      if (frame.link) {
        // Sliced from the block when the link stayed inside one block; else its own text.
        const text = reader.textSince(frame.linkStart, frame.linkBlocks);
        frame.link.text = (text || frame.el.textContent || '').replace(/\s+/g, ' ').trim();
      }
      if (frame.isBlock) reader.flush();
      continue;
    }
    if (++seen > maxNodes) break;
    const node = step.node;
    const parent = frames[frames.length - 1]!;
    if (node.nodeType === 3) {
      const text = node.nodeValue ?? '';
      if (text.trim() || reader.isOpen) reader.append(text.replace(/[\r\n\t]+/g, ' '), parent.zone, parent.blockEl);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    const tag = el.tagName.toLowerCase();
    if (tag === 'script') {
      if (isJsonLdScript(el)) found.jsonld.push(el.textContent ?? '');
      continue;
    }
    if (tag === 'meta' && node !== root) {
      const key = (el.getAttribute('itemprop') ?? '').trim();
      if (key && parent.item) {
        (parent.item.props[key] ??= []).push(el.getAttribute('content') ?? '');
      }
      found.metas.push(el);
      continue;
    }
    if (SKIP.has(tag) || (node !== root && isHidden(el))) continue;

    const { zone, hints } = zoneOf(el, tag, parent.zone);
    const isBlock = BLOCK.has(tag);
    if (isBlock) reader.flush();
    if (tag === 'br') {
      if (reader.isOpen) reader.append('\n', parent.zone, parent.blockEl);
      continue;
    }
    // Table cells and dt/dd pairs read as "label | value" in one block, so a label and its
    // value stay together for the text patterns.
    if (tag === 'td' || tag === 'th' || tag === 'dd') {
      if (reader.hasText()) reader.append(' | ', zone, parent.blockEl);
    } else if (tag === 'dt') {
      if (reader.hasText()) reader.append('\n', zone, parent.blockEl);
    }

    const item = readMicrodata(el, parent.item, found.microdata);

    // Cloudflare-protected e-mail: show the decoded address as the page does once its script ran.
    const cf = el.getAttribute('data-cfemail');
    if (cf !== null) {
      const email = decodeCfEmail(cf);
      if (email) reader.append(email, zone, parent.blockEl);
      continue;
    }

    const blockEl = isBlock ? el : parent.blockEl;
    let link: LinkRef | null = null;
    if (tag === 'a' || tag === 'area') {
      link = linkOf(el, base, zone, hints, reader.blocks.length);
      found.links.push(link);
    } else if (tag === 'img') {
      found.images.push(imageOf(el, base, zone, hints, reader.blocks.length, frames));
    }

    const frame: Frame = { el, zone, blockEl, item, isBlock, link, linkStart: 0, linkBlocks: reader.blocks.length };
    if (link) frame.linkStart = reader.openLink(link, zone, blockEl);
    frames.push(frame);
    stack.push({ frame, exit: true });
    const children = el.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, exit: false });
  }
  reader.flush();
  return reader.blocks;
}
