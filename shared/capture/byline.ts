// Who wrote an article: the byline a reader sees near the title (rel/itemprop author, "byline"
// classes, a "By …" line), cleaned the way a reader would quote it, weighed against the page's
// structured author (JSON-LD, meta), which is often an organisation or a list of contributors.
import { toIsoDate } from './dates.ts';
import { descendantElements, normalizeSpace } from './dom.ts';

/** Readability's ceiling for a byline; longer texts are bios or teasers. */
const MAX_BYLINE = 100;

const PREFIX = /^(?:(?:written|posted|words|reported|geschreven|geschrieben|écrit)\s+)?(?:by|door|von|par|text|tekst|texte|auteur|author|autor)\s*:?\s+/i;
/** From here on a byline states when, not who ("| Updated 4 March", "Last updated: …"). */
const WHEN = /(?:^|\s|[|·•,–—-])\s*(?:last\s+)?(?:updated|published|posted|modified|bijgewerkt|gepubliceerd|aktualisiert|veröffentlicht|mis à jour|publié)\b.*$/i;
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januari|februari|maart|mrt|mei|juni|juli|augustus|oktober|januar|februar|märz|mai|okt|dez|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre)[a-zé]*\\.?';
const WEEKDAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:maan|dins|woens|donder|vrij|zater|zon)dag|(?:mon|diens|donners|frei|sams|sonn)tag|mittwoch|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche';
/** A date inside a byline, also glued to the name ("Lucas Nolan22 Dec 2016"). */
const DATE_IN_TEXT = new RegExp(`(?:\\b(?:${WEEKDAY})\\b|\\d{1,2}(?:st|nd|rd|th|er|e)?\\.?\\s+${MONTH}\\s+\\d{4}|\\b${MONTH}\\s+\\d{1,2}\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}\\b|\\b\\d{1,2}:\\d{2}\\b|\\b\\d+\\s*(?:h|m|d|min|mins|minutes?|hours?|days?|uur|std|stunden?|jours?)\\b(?:\\s+ago)?)`, 'iu');
/** Job titles after a name ("Jane Doe, Senior Reporter"): who the person is, not who wrote it. */
const JOB_TITLE = /^(?:(?:senior|chief|staff|contributing|special|political|business|science|health|tech(?:nology)?|sports?|foreign|economics|deputy|associate|assistant|managing|executive|news)\s+)*(?:reporter|correspondent|editor|writer|columnist|contributor|journalist|producer|photographer|analyst|verslaggever|redacteur|redakteur(?:in)?|korrespondent(?:in)?|journaliste|rédact(?:eur|rice)|envoyée? spéciale?)s?$/i;
/** Buttons and labels that sit where bylines sit. */
const NOT_A_NAME = /^(?:follow|volg|folgen|suivre|share|comments?|reacties|kommentare|more|posts?|articles?|about)\b/i;

/** A byline as a reader would quote it: no "By", no date, no "Updated …", no job title; '' when nothing is left. */
export function cleanByline(raw: string | null | undefined): string {
  let text = normalizeSpace(raw).replace(PREFIX, '');
  text = text.replace(WHEN, '');
  const date = DATE_IN_TEXT.exec(text);
  if (date) text = text.slice(0, date.index);
  const parts = text
    .split(/\s*[|·•–—]\s*|,\s+/)
    .map((part) => part.replace(/^(?:and|en|und|et|&)\s+/i, '').trim())
    .filter((part) => part !== '' && !JOB_TITLE.test(part) && toIsoDate(part) === '');
  text = parts.join(', ').replace(/[\s,;:|·•–—-]+$/, '').trim();
  if (text === '' || text.length > MAX_BYLINE || NOT_A_NAME.test(text) || !/\p{L}/u.test(text)) return '';
  // "GILLIAN MOHNEY" is shouted by the page's style, not the name.
  if (text === text.toUpperCase() && /\p{Lu}{2,}\s+\p{Lu}{2,}/u.test(text)) text = text.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
  return text;
}

const AUTHOR_WORDS = /(?:^|[\s_-])(byline|bylines|by-?line|author|authors|author-?name|byauthor|by-author|p-author|writtenby|written-by)(?:$|[\s_-])/i;
/** Places where names are not this article's author: other articles, comments, menus, bios. */
const ELSEWHERE_TAGS = new Set(['nav', 'aside', 'footer', 'form', 'button', 'label']);
const ELSEWHERE_WORDS = /(?:^|[\s_-])(comment|comments|respond|reply|replies|related|recommended|sidebar|widget|teaser|promo|nav|menu|footer|bio|author-?bio|about-?the-?author|profile|more-?stories)(?:$|[\s_-])/i;

export interface VisibleBylines {
  /** The first author mark of the article itself ('' when none). */
  name: string;
  /** Names marked as authors only in menus, other articles' teasers, comments or bios. */
  elsewhere: Set<string>;
}

/**
 * The bylines the page shows, read before any cleanup: the first author mark (rel="author",
 * itemprop="author", a byline/author class) that is not in a menu, a list of other articles, a
 * comment or an author bio, preferring marks inside <article>/<main>; and the names that appear
 * only in such places (Readability takes the first byline-like text anywhere, menus included).
 */
export function findVisibleBylines(doc: Document): VisibleBylines {
  const found: VisibleBylines = { name: '', elsewhere: new Set() };
  const body = doc.body;
  if (!body) return found;
  const elements = descendantElements(body);
  const scope = elements.find((element) => element.localName.toLowerCase() === 'article') ?? elements.find((element) => element.localName.toLowerCase() === 'main');
  const own = new Set<string>();
  let first = '';
  let seen = 0;
  for (const element of elements) {
    // Bylines sit near the top; deep into a huge page we are in comments or footers.
    if (++seen > 8000) break;
    if (!isAuthorMark(element)) continue;
    const named = element.getAttribute('itemprop')?.includes('author') ? element.querySelector('[itemprop~="name"]') : null;
    const raw = normalizeSpace(named?.getAttribute('content') || named?.textContent || element.getAttribute('content') || element.textContent);
    // Longer texts are bios or teasers; a trailing colon is a label whose name follows elsewhere.
    if (raw.length > 160 || /[:：]$/.test(raw)) continue;
    const name = cleanByline(raw);
    if (name === '') continue;
    if (isElsewhere(element, body)) {
      found.elsewhere.add(name.toLowerCase());
      continue;
    }
    own.add(name.toLowerCase());
    if (first === '') first = name;
    if (found.name === '' && scope?.contains(element)) found.name = name;
  }
  if (found.name === '') found.name = first;
  for (const name of own) found.elsewhere.delete(name);
  return found;
}

function isAuthorMark(element: Element): boolean {
  if (!element.hasAttributes()) return false;
  const tag = element.localName.toLowerCase();
  if (tag === 'meta' || tag === 'link' || tag === 'img' || tag === 'input') return false;
  if ((element.getAttribute('rel') ?? '').split(/\s+/).includes('author')) return true;
  if ((element.getAttribute('itemprop') ?? '').split(/\s+/).includes('author')) return true;
  return AUTHOR_WORDS.test(`${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`);
}

function isElsewhere(element: Element, root: Element): boolean {
  for (let current: Element | null = element; current && current !== root; current = current.parentElement) {
    if (ELSEWHERE_TAGS.has(current.localName.toLowerCase())) return true;
    const words = `${current.getAttribute('class') ?? ''} ${current.getAttribute('id') ?? ''}`;
    if (words.length > 1 && ELSEWHERE_WORDS.test(words)) return true;
  }
  return false;
}

/**
 * The article's byline from what the page shows (`visible`, best first) and its structured
 * author. A visible person beats a meta author list or an organisation; when the visible text
 * merely contains the structured name (plus a date or a title), the structured name is cleaner.
 */
export function chooseByline(visible: Array<string | null | undefined>, structured: string): string {
  const metadata = cleanByline(structured);
  const shown = visible.map(cleanByline).find((name) => name !== '') ?? '';
  const lower = shown.toLowerCase();
  const allNamed = metadata !== '' && metadata.split(/,\s*/).every((name) => lower.includes(name.toLowerCase()));
  if (metadata !== '' && (shown === '' || allNamed)) return metadata;
  return shown || metadata;
}
