// The article's lead (standfirst, intro, teaser under the headline): many templates put it in the
// page's header block beside the headline, outside the container Readability chooses as the
// article, so the clip started at the second paragraph. It is found on the page before
// Readability runs, by its place (just after the page's headline, inside the headline's own
// block) and its class vocabulary in many languages, and put back at the top of the article when
// the article does not hold it.
import { normalizeSpace } from './dom.ts';

/** Class/id vocabulary of a lead, matched as a word or a word's end inside class and id values. */
const LEAD_WORDS =
  /(?:^|[\s_-])(?:\w+-)*(lead|leadtext|lede|intro|introduction|introtext|teaser|teasertext|teaser-?intro|standfirst|summary|sub-?title|subline|sub-?headline|deck|dek|excerpt|abstract|chapo|chapeau|entradilla|bajada|sumario|vorspann|anriss|description|descr)(?:$|[\s_-])/i;
/** Tags a lead is written in (the element holding the class, or the block right under it). */
const LEAD_TAGS = new Set(['p', 'div', 'h2', 'h3', 'section', 'span', 'strong', 'header']);
/** How far (elements in document order) after the headline a lead may start. */
const LEAD_WINDOW = 40;
/** How many levels above the headline the lead's block may be: the headline's own header block. */
const LEAD_LEVELS = 4;
const MIN_LEAD_CHARS = 40;
const MAX_LEAD_CHARS = 1_000;

/**
 * The lead of the page: the first element after the page's first <h1> (within LEAD_WINDOW
 * elements and inside its LEAD_LEVELS-th ancestor) whose class or id names a lead, holding a
 * sentence or more of prose that is not a list of links. `elements` are the body's elements in
 * document order. '' when there is none.
 */
export function findLead(elements: readonly Element[]): string {
  const headline = elements.findIndex((element) => element.localName.toLowerCase() === 'h1');
  if (headline < 0) return '';
  const h1 = elements[headline] as Element;
  let block: Element = h1;
  for (let level = 0; level < LEAD_LEVELS && block.parentElement && block.parentElement.localName.toLowerCase() !== 'body'; level++) block = block.parentElement;
  const end = Math.min(elements.length, headline + 1 + LEAD_WINDOW);
  for (let index = headline + 1; index < end; index++) {
    const element = elements[index] as Element;
    if (!block.contains(element) || h1.contains(element)) break;
    if (!LEAD_TAGS.has(element.localName.toLowerCase())) continue;
    const words = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
    const named = LEAD_WORDS.test(words);
    if (!named && !inHeadlineBlock(element, h1, block)) continue;
    const text = normalizeSpace(element.textContent);
    // Unnamed, it must read as a sentence: a byline or a date line in the headline block is not a lead.
    if (!named && (text.split(' ').length < 8 || !/[.!?…:"“”»«]$/u.test(text))) continue;
    if (text.length < MIN_LEAD_CHARS || text.length > MAX_LEAD_CHARS || !/\p{L}{3,}.*[\s]\p{L}{3,}/u.test(text)) continue;
    if (linkedShare(element) > 0.3 || hasMany(element, 'p', 4) || hasMany(element, 'li', 3) || hasMany(element, 'img', 2)) continue;
    return text;
  }
  return '';
}

/**
 * Puts `lead` at the top of the article `root` as a paragraph, unless the article holds it
 * already (its opening, whitespace aside).
 */
export function restoreLead(root: Element, lead: string): void {
  if (lead === '') return;
  const text = normalizeSpace(root.textContent);
  if (text.includes(lead.slice(0, 80)) || text.length < lead.length) return;
  const paragraph = root.ownerDocument.createElement('p');
  paragraph.textContent = lead;
  // Inside Readability's page wrapper, so that the HTML keeps one top-level block.
  const container = root.children.length === 1 && root.firstElementChild ? root.firstElementChild : root;
  container.insertBefore(paragraph, container.firstChild);
}

/**
 * Whether `element` is a paragraph of the headline's own block: inside a <header> or <hgroup>, or
 * an element named as a lead or intro, that holds the headline too (<header class="intro">
 * <h1>…</h1><p>lead</p></header>).
 */
function inHeadlineBlock(element: Element, h1: Element, limit: Element): boolean {
  const tag = element.localName.toLowerCase();
  if (tag !== 'p' && tag !== 'h2') return false;
  for (let current = element.parentElement; current && current !== limit.parentElement; current = current.parentElement) {
    if (!current.contains(h1)) continue;
    const name = current.localName.toLowerCase();
    const words = `${current.getAttribute('class') ?? ''} ${current.getAttribute('id') ?? ''}`;
    return name === 'header' || name === 'hgroup' || LEAD_WORDS.test(words);
  }
  return false;
}

function linkedShare(element: Element): number {
  const total = normalizeSpace(element.textContent).length;
  if (total === 0) return 0;
  let linked = 0;
  for (const link of Array.from(element.getElementsByTagName('a'))) if (link.hasAttribute('href')) linked += normalizeSpace(link.textContent).length;
  return linked / total;
}

function hasMany(element: Element, tag: string, count: number): boolean {
  return element.getElementsByTagName(tag).length >= count;
}
