// Strips what readers skip from a page and from an extracted article: share and follow bars,
// related-article lists, newsletter and cookie prompts, ads, repeated photo credits. Rules are
// about roles, class vocabularies and short stock phrases (en/nl/de/fr), never about one site.
import { containsTag, descendantElements, elementsNamed, iterativeText, normalizeSpace } from './dom.ts';
import { findLead, restoreLead } from './lead.ts';
import { trimMetaEdges } from './trim.ts';

/**
 * The lead found on each page before Readability chose its article (removePageChrome), put
 * back by cleanArticleContent: Readability builds the article with the page's own document, so
 * the article's ownerDocument finds it.
 */
const leads = new WeakMap<Document, string>();

/** Class/id vocabulary of page chrome. Matched as whole words inside class and id values. */
const CHROME_WORDS =
  /(?:^|[\s_-])(share|shares|sharing|sharebar|social-?(?:share|links|media|icons|bar|buttons|follow)|addthis|sharethis|shariff|follow-?us|newsletter|newsletters|subscribe|subscription|signup|sign-up|cookie|cookies|cookiebar|consent|gdpr|related|recommended|recommendations|read-?more|readmore|more-?stories|more-?articles|trending|most-?read|most-?popular|most-?viewed|popular-?posts|promo|promoted|sponsor|sponsored|advert|adverts|advertisement|advertising|ad-?slot|ad-?unit|ad-?container|ad-?wrapper|ad-?banner|adsbygoogle|gpt-?ad|dfp|taboola|outbrain|breadcrumb|breadcrumbs|paywall|skip-?link|skip-?to-?content|sr-only|visually-?hidden|screen-?reader-?text|print-?only|toolbar)(?:$|[\s_-])/i;
/** A lone "ad"/"ads" token: too short to match inside words, so it must be the whole word. */
const AD_TOKEN = /(?:^|\s)(ad|ads|adv|ad-\w+|adv-\w+|advertisement)(?:$|\s)/i;

/** Elements that are controls or overlays, never article text. */
const CHROME_TAGS = new Set(['nav', 'dialog', 'form', 'button', 'select', 'input', 'textarea', 'template']);
const CHROME_ROLES = new Set(['navigation', 'dialog', 'alertdialog']);

/** Deeper than this, nesting is never layout a reader sees; it only threatens recursive code. */
const MAX_DEPTH = 256;

/**
 * Removes page chrome before the article is chosen, so that scoring does not pick a share bar or a
 * related list as content. A candidate holding several real paragraphs is kept: on many sites a
 * "sidebar" or "share" word also appears on the wrapper of the whole article.
 *
 * One iterative walk does it all (a removed subtree is never visited), and it also replaces
 * whatever is nested deeper than MAX_DEPTH by its text, so a 10,000-deep page cannot overflow
 * the stack in Readability's recursion later. Returns the body's remaining elements in
 * document order, for the passes that follow. `alsoDrop` removes more in the same walk.
 */
export function removePageChrome(doc: Document, alsoDrop?: (element: Element) => boolean): Element[] {
  const body = doc.body;
  if (!body) return [];
  const kept: Element[] = [];
  const stack: Array<[Element, number]> = [];
  const pushChildren = (parent: Element, depth: number) => {
    for (let child = parent.lastElementChild; child; ) {
      const previous = child.previousElementSibling;
      if (depth >= MAX_DEPTH) child.replaceWith(doc.createTextNode(iterativeText(child)));
      else stack.push([child, depth]);
      child = previous;
    }
  };
  pushChildren(body, 1);
  while (stack.length > 0) {
    const [element, depth] = stack.pop() as [Element, number];
    if ((isChrome(element) && !isStructural(element) && !holdsProse(element)) || alsoDrop?.(element)) {
      element.remove();
      continue;
    }
    kept.push(element);
    pushChildren(element, depth + 1);
  }
  leads.set(doc, findLead(kept));
  return kept;
}

function isChrome(element: Element): boolean {
  if (CHROME_TAGS.has(element.localName.toLowerCase())) return true;
  if (!element.hasAttributes()) return false;
  const role = element.getAttribute('role');
  if ((role !== null && CHROME_ROLES.has(role)) || element.getAttribute('aria-modal') === 'true' || element.getAttribute('aria-hidden') === 'true' || element.hasAttribute('hidden')) return true;
  const words = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
  return words.length > 1 && (CHROME_WORDS.test(words) || AD_TOKEN.test(words));
}

const STRUCTURAL_INSIDE = new Set(['h1', 'article', 'main']);

function isStructural(element: Element): boolean {
  const tag = element.localName.toLowerCase();
  if (tag === 'html' || tag === 'body' || tag === 'main' || tag === 'article') return true;
  return containsTag(element, STRUCTURAL_INSIDE);
}

/** True when an element holds article text: two or more paragraphs of real length. */
function holdsProse(element: Element): boolean {
  let long = 0;
  for (const paragraph of elementsNamed(element, 'p')) {
    if ((paragraph.textContent ?? '').length > 140 && linkDensity(paragraph) < 0.5 && ++long >= 2) return true;
  }
  return false;
}

export function linkDensity(element: Element): number {
  const total = normalizeSpace(element.textContent).length;
  if (total === 0) return 0;
  let linked = 0;
  // An <a> without href (a named anchor, a neutralized javascript: link) is text, not a link.
  for (const link of elementsNamed(element, 'a')) if (link.hasAttribute('href')) linked += normalizeSpace(link.textContent).length;
  return Math.min(1, linked / total);
}

const AD_LABEL = /^(advertisement|advertentie|anzeige|werbung|publicit[eé]|publicidad|pubblicit[aà]|reklama|anuncio|annonce|sponsored( content)?|gesponsord|paid (content|post)|ad|ads|reclame)$/i;
/** An ad label heading a line ("ANZEIGE - …", "*Werbung. …"). */
const AD_LEAD = /^\*?(advertisement|anzeige|werbung|reklama|publicidad|sponsored|gesponsord)\s*[-–—:.|*]/i;
/** Punctuation around a label ("- Anzeige -", "[Advertisement]"). */
const LABEL_PUNCTUATION = /^[\s\-–—*•·|:()[\].]+|[\s\-–—*•·|:()[\].]+$/g;
const SHARE_WORDS = new Set([
  'share', 'shares', 'sharing', 'this', 'article', 'story', 'post', 'page', 'on', 'via', 'deel', 'delen', 'dit', 'artikel', 'teilen', 'partager',
  'facebook', 'twitter', 'x', 'linkedin', 'whatsapp', 'pinterest', 'reddit', 'email', 'e-mail', 'mail', 'print', 'copy', 'link', 'tweet',
  'messenger', 'telegram', 'bluesky', 'threads', 'mastodon', 'flipboard', 'pocket', 'save', 'comments', 'comment', 'opslaan', 'kopieer',
]);
const NETWORKS = /^(facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|email|e-mail|telegram|bluesky|messenger)$/;
const FOLLOW = /^(follow (us|me|@?[\w.]+)( on [\w ,&]+)?|volg (ons|ons op [\w ,]+)|folgen sie uns.*|suivez-nous.*)\.?$/i;
const NEWSLETTER = /\b(sign ?up|subscribe|newsletter|nieuwsbrief|aanmelden|abonneer|abonneren|anmelden|abonnieren|inscri(vez|ption)|s'abonner)\b/i;
const NEWSLETTER_CONTEXT = /\b(inbox|e-?mail|newsletter|nieuwsbrief|weekly|daily|wekelijks|dagelijks|free|gratis|kostenlos|updates?)\b/i;
/** Calls to follow, subscribe or install an app, in a short line of their own. */
const PROMO =
  /\b(follow (us|me|the [\w .]{1,30}|@\w+) on|download (the|our) [\w .]{0,30}apps?|subscribe (now )?to (our|the)|get (the|our) [\w .]{0,20}app|on your (phone|smartphone|mobile) with|[úu]nete|s[íi]guenos|suscr[íi]bete|tenemos (un )?canal|folgen sie uns|abonnieren sie|laden sie (unsere|die) app|obserwuj nas|suivez-nous|abonnez-vous)\b/i;
const COOKIE = /\bcookies?\b/i;
/** The placeholder of an embed that waits for consent ("Wir respektieren deine Privatsphäre … Inhalte laden"). */
const CONSENT = /\b(datenschutz\w*|privacy|privatsph[äa]re|drittanbieter\w*|third[- ]party|externe[nr]? inhalte?|external content|vie priv[ée]e|privacidad)\b/i;
const CONSENT_ACTION = /\b(akzeptieren|zustimmen|zustimmung|einverstanden|einverst[äa]ndnis|einwilligung|accept|agree|consent|accepter|consentement|aceptar|consentimiento)\b/i;
const COOKIE_CONTEXT = /\b(accept|consent|we use|uses|privacy|akkoord|toestemming|gebruikt|gebruiken|verwenden|utilise|settings|instellingen|einstellungen)\b/i;
const RELATED_HEADING =
  /^(related( (articles?|stories|posts|content|coverage|reading|links|news))?|read (more|also|next)|more (from|on|about|stories|news|like this|in|to read)\b.{0,50}|you (may|might) (also )?(like|enjoy|be interested in)|recommended( (for you|reading|articles|stories))?|most (read|popular|viewed|shared)|popular( (now|stories|posts))?|trending( (now|stories))?|see also|further reading|lees (ook|meer|verder)|meer (nieuws|over|lezen)\b.{0,50}|gerelateerde? (artikelen|berichten|nieuws)|gerelateerd|ook interessant|auch interessant|mehr zum thema\b.{0,40}|das k[öo]nnte (sie|dich) (auch )?interessieren|das k[öo]nnte dich|lesen sie auch|weitere (artikel|beitr[äa]ge|news|nachrichten|themen)|empfohlene (artikel|beitr[äa]ge)|[äa]hnliche (artikel|beitr[äa]ge)|neueste (artikel|beitr[äa]ge|nachrichten)|aktuelle (artikel|beitr[äa]ge)|beliebte (artikel|beitr[äa]ge)|entdecke(n sie)? (weitere|mehr)\b.{0,40}|(à|a) lire aussi|lire aussi|sur le m[êe]me sujet|dans la m[êe]me rubrique|articles? similaires|(à|a) voir aussi|te puede interesar|tambi[ée]n te puede interesar|noticias relacionadas|m[áa]s noticias|lee tambi[ée]n|czytaj (te[żz]|tak[żz]e|r[óo]wnie[żz])|zobacz (te[żz]|tak[żz]e|r[óo]wnie[żz])|polecane|leggi anche|potrebbe interessarti|latest (news|articles|posts|stories)|recent (posts|articles|stories)|more (posts|articles))\s*[:.]?$/i;
const READ_MORE_LINE = /^(read (more|also|next)|see also|also read|related|lees (ook|meer)|ook lezen|lesen sie (auch|mehr)|mehr dazu|mehr zum thema|auch interessant|lire aussi|(à|a) lire aussi|(à|a) voir aussi|mire|puedes ver|lee tambi[ée]n|ver tambi[ée]n|te puede interesar|czytaj (te[żz]|tak[żz]e|r[óo]wnie[żz])|zobacz (te[żz]|tak[żz]e|r[óo]wnie[żz])|leggi anche|more)\s*[:|»›>–-]/i;
/** The heading of a comment thread: it and all that follows it in the article are not the article. */
const COMMENTS_HEADING =
  /^(\d+\s+)?(comments?|kommentare?|leave a (reply|comment)|post a comment|schreibe(n sie)? einen kommentar|kommentar(e)? (schreiben|verfassen|hinzuf[üu]gen)|deine meinung|ihre meinung( ist gefragt)?|was meinen sie|commentaires?|laisser un commentaire|comentarios?|deja (un|tu) comentario|komentarze?|dodaj komentarz|commenti|lascia un commento)\s*(\(\d+\))?\s*[:.!?]?$/i;
/** A post's meta line: its date, category, views or tags, introduced by a label. */
const META_LINE =
  /^(kategorie|kategorien|category|categories|rubrik|views|aufrufe|gelesen|ver[öo]ffentlicht( am)?|ver[öo]ffentlichung|published( on)?|posted( on| in| by)?|updated|aktualisiert( am)?|erstellt( am)?|opublikowano|publicado( el)?|publi[ée] le|this entry was posted|dieser (beitrag|eintrag) wurde (am )?\S+ (ver[öo]ffentlicht|gepostet))\b\s*:?/i;
/** A line that is only a date or a time (of this or another post), with at most a word or two. */
const DATE_ONLY = /^[\p{L}]{0,12},?\s*(\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\p{L}{3,10}\.?\s+\d{4})?[,\s|·–-]*(\d{1,2}:\d{2}(:\d{2})?\s*(am|pm|uhr|h)?)?$/iu;
/** "Share this article:" and the like, ending in a colon before the buttons. */
const SHARE_LEAD = /\b(teilen|share|partager|compartir|condividi|udost[ęe]pnij|delen)\b[^.!?]{0,40}:\s*$/i;
const STOCK_LINE = /^(continue reading|lees verder|weiterlesen|lire la suite|skip to (main )?content|naar (de )?inhoud|click here to (subscribe|sign up)|(zur[üu]ck|back|terug|retour|volver)( (to|zur?|naar|[àa] la|a la) [\p{L} ]{2,30})?|(tags|topics|onderwerpen|themen|schlagw[öo]rter|filed under|mots-cl[ée]s)\s*:.{0,200})$/iu;
const CREDIT =
  /^\(?(((photo|foto|image|picture|bild|illustration|afbeelding|beeld|credit|photograph|photography|quelle|bildquelle|fotoquelle|source|fuente|fonte|[źz]r[óo]d[łl]o|zdj[ęe]cie|fot\.)s?( credit)?\s*[:©|/])|(bild|foto|photo|image)\s+via\b|©|\(c\)\s|copyright\b)|^(getty images|reuters|ap photo|ap|afp|epa|anp|shutterstock|istock|dpa|pa)(\s*\/\s*[\w .-]+)?$/i;
const CREDIT_HINT = /(photo|foto|getty|reuters|afp|©|credit|image|shutterstock|anp|epa|dpa|bild)/i;

const TEXT_BLOCKS = new Set(['p', 'div', 'section', 'aside', 'header', 'footer', 'ul', 'ol', 'li', 'span', 'small', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'a', 'figure', 'dl']);

/**
 * Cleans the extracted article in place. `root` holds the article; classes are still present
 * (Readability runs with keepClasses) so the chrome vocabulary applies here too.
 */
export function cleanArticleContent(root: Element, pageUrl = ''): void {
  // `root` is usually detached (Readability builds it outside the document), so passes test
  // root.contains() rather than isConnected to skip what an earlier rule already removed.
  // One walk measures every element's text; the phrase and credit rules only read the text of
  // short blocks, instead of textContent of every nested block (quadratic on large articles).
  const elements = descendantElements(root);
  removeByVocabulary(root, elements);
  const lengths = textLengths(root);
  removeByPhrases(root, elements, lengths);
  removeRepeatedCredits(root, elements, lengths);
  removeLinkDenseAsides(root, elements, lengths);
  removeTeaserLinks(root, elements, lengths, pageUrl);
  trimMetaEdges(root);
  removeEmpty(root);
  const lead = leads.get(root.ownerDocument);
  if (lead) restoreLead(root, lead);
}

const TEASER_LINE_TAGS = new Set(['p', 'li', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * A line that is nothing but a link to another page of the same site, titled like a headline
 * (several words), is a teaser of another story set between the paragraphs: "Richtig
 * frühstücken", "The latest news about …". Links elsewhere (sources, documents) stay.
 */
function removeTeaserLinks(root: Element, elements: Element[], lengths: Map<Element, number>, pageUrl: string): void {
  const page = siteAndPath(pageUrl);
  if (!page) return;
  for (const element of elements) {
    const length = lengths.get(element) ?? 0;
    if (length === 0 || length > 400 || !TEASER_LINE_TAGS.has(element.localName.toLowerCase())) continue;
    if (!attachedOutside(element, root, QUOTED_OR_CODE)) continue;
    const links = elementsNamed(element, 'a');
    if (links.length !== 1) continue;
    const link = links[0] as Element;
    const text = normalizeSpace(element.textContent);
    if (text.length < 15 || text.length > 200 || text.split(' ').length < 2 || normalizeSpace(link.textContent) !== text) continue;
    const target = siteAndPath(link.getAttribute('href') ?? '');
    if (target && target.site === page.site && target.path !== page.path && target.path !== '/') element.remove();
  }
}

/** Host without "www." and path of an absolute http(s) URL; undefined for anything else. */
function siteAndPath(url: string): { site: string; path: string } | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return { site: parsed.hostname.replace(/^www\./, ''), path: parsed.pathname.replace(/\/+$/, '') || '/' };
  } catch {
    return undefined;
  }
}

/**
 * Characters of text below each element (raw, whitespace included), from one post-order walk.
 * Removals only shorten texts, so a length measured before a pass is an upper bound after it.
 */
function textLengths(root: Element): Map<Element, number> {
  const lengths = new Map<Element, number>();
  const stack: Array<[Element, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [element, done] = stack.pop() as [Element, boolean];
    if (done) {
      let total = 0;
      for (let child = element.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) total += (child.nodeValue ?? '').length;
        else if (child.nodeType === 1) total += lengths.get(child as Element) ?? 0;
      }
      lengths.set(element, total);
      continue;
    }
    stack.push([element, true]);
    for (let child = element.lastElementChild; child; child = child.previousElementSibling) stack.push([child, false]);
  }
  return lengths;
}

const KEPT_BLOCKS = new Set(['figure', 'table', 'pre', 'blockquote']);
const QUOTED_OR_CODE = new Set(['figcaption', 'pre', 'table', 'blockquote']);
const CAPTIONS = new Set(['figcaption', 'figure']);
const CAPTION = new Set(['figcaption']);
const LINK = new Set(['a']);
const IMAGE = new Set(['img']);

/**
 * Whether `element` is still below `root` (an earlier pass may have removed it or an ancestor;
 * `root` is detached, so root.contains() is the test) and neither it nor an ancestor up to and
 * including `root` is one of `tags`: root.contains(element) && !element.closest(tags) in one walk.
 */
function attachedOutside(element: Element, root: Element, tags: ReadonlySet<string>): boolean {
  for (let current: Element | null = element; current; current = current.parentElement) {
    if (tags.has(current.localName.toLowerCase())) return false;
    if (current === root) return true;
  }
  return false;
}

/**
 * Class/id vocabulary of blocks that sit inside an article's container but are not the article,
 * and that hold prose of their own: comment threads, author boxes, lists of other stories. They
 * go even when they hold paragraphs, unless they hold most of the article's text.
 */
const BESIDE_ARTICLE_WORDS =
  /(?:^|[\s_-])(comments?|comment-?(?:list|form|section|area|respond|wrap|wrapper|block)|commentlist|respond|disqus|kommentare|reactions|author-?(?:bio|box|info|about|description|details|profile|card)|about-?(?:the-?)?author|post-?author|entry-?author|article-?author|authorbox|autor-?(?:box|info)|abh_box|related\w*|next-?(?:post|story|article)s?|nextstory|rec-?posts|more-?posts|post-?navigation|yarpp\w*|jp-relatedposts|further-?reading)(?:$|[\s_-])/i;

/** Class/id vocabulary of a post's meta line (date, category, tags, views), applied to short blocks only. */
const META_WORDS =
  /(?:^|[\s_-])(meta|metadata|post-?meta|entry-?meta|postmeta|postmetadata|entry-?utility|entry-?footer|post-?footer|(?:article|artikel|post|entry|news|ma)-?info|article__meta(?:-item)?|meta-?(?:info|data|line|bar)|cat-?links|tags?-?links|post-?tags|entry-?tags|article-?tags|tags|categories|category|dateline|posted-?on|timestamp)(?:$|[\s_-])/i;
/** Longest text of a meta line. */
const META_LINE_CHARS = 200;
/** A block holding more than this share of the article is the article, whatever its class says. */
const MOST_OF_ARTICLE = 0.5;

function removeByVocabulary(root: Element, elements: Element[]): void {
  let rootText = -1;
  for (const element of elements) {
    if (!element.hasAttribute('class') && !element.hasAttribute('id')) continue;
    if (!root.contains(element)) continue;
    const words = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
    const tag = element.localName.toLowerCase();
    if (/^(figcaption|pre|code|table|h1)$/.test(tag)) continue;
    if (BESIDE_ARTICLE_WORDS.test(words)) {
      if (rootText < 0) rootText = normalizeSpace(root.textContent).length;
      if (!containsTag(element, HEADING_ONE) && normalizeSpace(element.textContent).length <= MOST_OF_ARTICLE * rootText) {
        element.remove();
        continue;
      }
    }
    if (META_WORDS.test(words) && !containsTag(element, KEPT_BLOCKS)) {
      // A dateline opening the first sentence ("<span class=dateline>KOBE –</span> A total of …") is the story's.
      const text = normalizeSpace(element.textContent);
      if (text.length <= META_LINE_CHARS && (standsAlone(element, text) || !beginsOrEndsSentence(element, text))) {
        element.remove();
        continue;
      }
    }
    if (!(CHROME_WORDS.test(words) || AD_TOKEN.test(words))) continue;
    if (containsTag(element, KEPT_BLOCKS) || holdsProse(element)) continue;
    element.remove();
  }
}

const HEADING_ONE = new Set(['h1']);

/** Whether the rest of `element`'s line is a sentence (eight words or more), not more meta. */
function beginsOrEndsSentence(element: Element, text: string): boolean {
  const line = element.parentElement ? normalizeSpace(element.parentElement.textContent) : text;
  const rest = line.replace(text, ' ').trim();
  return rest !== '' && rest.split(/\s+/).length >= 8;
}

function removeByPhrases(root: Element, elements: Element[], lengths: Map<Element, number>): void {
  for (const element of elements) {
    const length = lengths.get(element) ?? 0;
    if (length === 0 || length > 600 || !TEXT_BLOCKS.has(element.localName.toLowerCase())) continue;
    if (!attachedOutside(element, root, QUOTED_OR_CODE)) continue;
    const text = normalizeSpace(element.textContent);
    if (text === '') continue;
    if (isBoilerplateLine(element, text)) {
      element.remove();
      continue;
    }
    if (/^h[2-6]$/i.test(element.localName) || isHeadingLike(element, text)) {
      if (RELATED_HEADING.test(text)) removeRelatedBlock(element);
      else if (COMMENTS_HEADING.test(text)) removeFromHere(element, root);
    }
  }
}

function isBoilerplateLine(element: Element, text: string): boolean {
  if (AD_LABEL.test(text) || (text.length <= 40 && AD_LABEL.test(text.replace(LABEL_PUNCTUATION, '')))) return true;
  if (text.length <= 300 && AD_LEAD.test(text) && standsAlone(element, text)) return true;
  if (text.length <= 300 && PROMO.test(text) && !isInsideProse(element) && standsAlone(element, text)) return true;
  if (text.length <= 160 && isShareBar(text)) return true;
  if (text.length <= 150 && FOLLOW.test(text)) return true;
  if (text.length <= 200 && STOCK_LINE.test(text)) return true;
  if (text.length <= 120 && META_LINE.test(text) && standsAlone(element, text)) return true;
  if (text.length <= 40 && /\d/.test(text) && DATE_ONLY.test(text) && standsAlone(element, text)) return true;
  if (text.length <= 80 && SHARE_LEAD.test(text) && standsAlone(element, text)) return true;
  if (text.length <= 400 && NEWSLETTER.test(text) && NEWSLETTER_CONTEXT.test(text) && !isInsideProse(element)) return true;
  if (text.length <= 600 && COOKIE.test(text) && COOKIE_CONTEXT.test(text) && !isInsideProse(element)) return true;
  if (text.length <= 400 && CONSENT.test(text) && CONSENT_ACTION.test(text) && !isInsideProse(element) && standsAlone(element, text)) return true;
  if (text.length <= 250 && READ_MORE_LINE.test(text) && linkDensity(element) >= 0.4) return true;
  if (text.length <= 120 && CREDIT.test(text) && !hasAncestorOrSelf(element, CAPTIONS)) return true;
  return false;
}

const LINE_TAGS = new Set(['p', 'div', 'section', 'header', 'footer', 'aside', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dl']);

/** Whether `element` is a line of its own, not a few words inside a sentence ("ab <strong>1. Januar 2023</strong> für …"). */
function standsAlone(element: Element, text: string): boolean {
  const tag = element.localName.toLowerCase();
  if (LINE_TAGS.has(tag)) return !(tag === 'li' && element.parentElement && normalizeSpace(element.parentElement.textContent) !== text);
  const parent = element.parentElement;
  return parent !== null && normalizeSpace(parent.textContent) === text;
}

function hasAncestorOrSelf(element: Element, tags: ReadonlySet<string>): boolean {
  for (let current: Element | null = element; current; current = current.parentElement) if (tags.has(current.localName.toLowerCase())) return true;
  return false;
}

function isShareBar(text: string): boolean {
  const words = text.toLowerCase().split(/[\s|·•,/:()]+/).filter((word) => word !== '' && !/^\d+$/.test(word));
  if (words.length === 0 || words.length > 14 || !words.every((word) => SHARE_WORDS.has(word))) return false;
  return words.some((word) => /^(share|sharing|deel|delen|teilen|partager)$/.test(word)) || words.filter((word) => NETWORKS.test(word)).length >= 2;
}

/** A short paragraph inside a run of paragraphs is prose, even if it mentions a newsletter. */
function isInsideProse(element: Element): boolean {
  if (element.localName.toLowerCase() !== 'p') return false;
  const previous = element.previousElementSibling;
  const next = element.nextElementSibling;
  const long = (sibling: Element | null) => sibling !== null && sibling.localName.toLowerCase() === 'p' && (sibling.textContent ?? '').length > 200;
  return long(previous) && long(next);
}

function isHeadingLike(element: Element, text: string): boolean {
  if (text.length > 80) return false;
  const tag = element.localName.toLowerCase();
  if (tag !== 'p' && tag !== 'div' && tag !== 'span' && tag !== 'strong' && tag !== 'b') return false;
  return element.children.length <= 1 && !containsTag(element, LINK);
}

/** Removes a "Related"/"Read more" heading and the link lists that follow it. */
function removeRelatedBlock(heading: Element): void {
  let sibling = heading.nextElementSibling;
  heading.remove();
  while (sibling) {
    const next = sibling.nextElementSibling;
    const text = normalizeSpace(sibling.textContent);
    const dense = text === '' ? containsTag(sibling, IMAGE) : linkDensity(sibling) >= 0.5;
    if (!dense || /^h[1-6]$/i.test(sibling.localName)) break;
    sibling.remove();
    sibling = next;
  }
  // A related box that held only the heading and its list is empty now.
}

/**
 * Removes `heading` and everything after it in the article: what follows a comment thread's
 * heading is the thread, its form and the page's footer.
 */
function removeFromHere(heading: Element, root: Element): void {
  // A "Comments" box high up (a sidebar widget) is not where the article ends.
  const { before, total } = textAround(root, heading);
  if (before < COMMENTS_AFTER_SHARE * total) return;
  let current: Element | null = heading;
  while (current && current !== root) {
    const parent: Element | null = current.parentElement;
    for (let next = current.nextSibling; next; ) {
      const after = next.nextSibling;
      next.parentNode?.removeChild(next);
      next = after;
    }
    current = parent;
  }
  heading.remove();
}

/** A comment heading ends the article only when at least this share of its text comes before. */
const COMMENTS_AFTER_SHARE = 0.4;

/**
 * Characters of text in `root` before `marker` (in document order), and in all; text of links
 * is not counted (a menu after the comments, as when Readability took the whole page, is not
 * article text that the marker would come before).
 */
function textAround(root: Element, marker: Element): { before: number; total: number } {
  let before = -1;
  let total = 0;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node === marker) before = total;
    if (node.nodeType === 3) total += normalizeSpace(node.nodeValue).length;
    else if (node !== marker && node.nodeType === 1 && (node as Element).localName.toLowerCase() === 'a' && (node as Element).hasAttribute('href')) continue;
    else for (let child = node.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  return { before: Math.max(0, before), total };
}

/** Short credit lines that repeat (the same agency line under every photo) say nothing once read. */
const CREDIT_TAGS = new Set(['p', 'span', 'small', 'div', 'em', 'i']);

function removeRepeatedCredits(root: Element, elements: Element[], lengths: Map<Element, number>): void {
  const seen = new Map<string, Element[]>();
  for (const element of elements) {
    const length = lengths.get(element) ?? 0;
    // 120 visible characters; raw text may carry indentation besides.
    if (length === 0 || length > 600 || !CREDIT_TAGS.has(element.localName.toLowerCase())) continue;
    if (element.children.length > 1 || !attachedOutside(element, root, CAPTION)) continue;
    const text = normalizeSpace(element.textContent);
    if (text.length === 0 || text.length > 120 || !CREDIT_HINT.test(text)) continue;
    const list = seen.get(text) ?? [];
    list.push(element);
    seen.set(text, list);
  }
  for (const list of seen.values()) {
    if (list.length < 2) continue;
    for (const element of list) element.remove();
  }
}

const TEASER_TAGS = new Set(['aside', 'section', 'div', 'ul']);

function removeLinkDenseAsides(root: Element, elements: Element[], lengths: Map<Element, number>): void {
  for (const element of elements) {
    if (!TEASER_TAGS.has(element.localName.toLowerCase()) || (lengths.get(element) ?? 0) === 0) continue;
    if (!root.contains(element)) continue;
    const links = elementsNamed(element, 'a').length;
    const tag = element.localName.toLowerCase();
    if (links < 3 || containsTag(element, KEPT_BLOCKS)) continue;
    const density = linkDensity(element);
    // Asides that are mostly links are teasers; other blocks need to be almost only links and short.
    if ((tag === 'aside' && density > 0.5) || (tag !== 'ul' && density > 0.85 && normalizeSpace(element.textContent).length < 600 && elementsNamed(element, 'p').length < 2 && !isListOfProse(element))) {
      element.remove();
    }
  }
}

function isListOfProse(element: Element): boolean {
  return elementsNamed(element, 'li').some((item) => normalizeSpace(item.textContent).length > 100);
}

const KEEP_EMPTY = new Set(['img', 'picture', 'video', 'audio', 'iframe', 'table', 'pre', 'hr', 'br', 'svg', 'math', 'source']);
const REMOVE_EMPTY = new Set(['p', 'div', 'section', 'aside', 'span', 'li', 'ul', 'ol', 'figure', 'header', 'footer', 'strong', 'em', 'a', 'blockquote', 'dl']);

/**
 * Removes blocks left empty by the passes above: no visible text and no image, table, rule or
 * other element that shows without text. One post-order walk, so nested wrappers go too.
 */
function removeEmpty(root: Element): void {
  const shows = new Set<Element>();
  const stack: Array<[Element, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [element, done] = stack.pop() as [Element, boolean];
    if (!done) {
      stack.push([element, true]);
      for (let child = element.lastElementChild; child; child = child.previousElementSibling) stack.push([child, false]);
      continue;
    }
    const tag = element.localName.toLowerCase();
    let visible = KEEP_EMPTY.has(tag);
    for (let child = element.firstChild; child && !visible; child = child.nextSibling) {
      if (child.nodeType === 3) visible = /[^\s\u00a0\u200b]/.test(child.nodeValue ?? '');
      else if (child.nodeType === 1) visible = shows.has(child as Element);
    }
    if (visible) shows.add(element);
    else if (element !== root && REMOVE_EMPTY.has(tag)) element.remove();
  }
}
