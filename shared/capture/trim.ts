// Trims the edges of an extracted article: the first and last lines of a clip are where a
// post's meta bar ("Freitag | 14. Juni 2019 | 15:49 von … | 0 Kommentare", "24.01.2022 11:38
// Kategorie: News") and its footer line ("News date : 04/21/2022 Category : Press Releases")
// end up when they sit inside the article's container. A line there goes when it is short, is
// not a sentence and reads as metadata: a date or time with few words, a "Label: value" pair,
// a comment count, or a bar of short parts between separators. Lines inside tables, code,
// quotes and figures are never touched, and trimming stops at the first line of prose.
import { normalizeSpace } from './dom.ts';

/** Lines removed at most from each edge. */
const MAX_LINES = 4;
/** Longest meta line. */
const MAX_META_CHARS = 160;

const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'ul',
]);
/** An edge reaching one of these stops the trimming: their content is the article's. */
const STOP = new Set(['table', 'pre', 'blockquote', 'figure', 'figcaption', 'h1', 'h2', 'h3', 'img', 'picture', 'video', 'iframe', 'code']);

const MONTHS =
  'jan(?:uary|uar|vier)?|feb(?:ruary|ruar|rero)?|f[ée]vr(?:ier)?|m[äa]r(?:ch|z|s)?|marzo|apr(?:il)?|avril|abril|ma[iy]|mai|mayo|jun[ei]?|juin|junio|jul[iy]?|juillet|julio|aug(?:ust)?|ao[uû]t|agosto|sep(?:t|tember|tembre|tiembre)?|o[ck]t(?:ober|obre|ubre)?|nov(?:ember|embre|iembre)?|d[eé][cz](?:ember|embre|iembre)?|stycz\\w*|lut\\w*|marc\\w*|kwie\\w*|maj\\w*|czerw\\w*|lip\\w*|sierp\\w*|wrze\\w*|pa[źz]dz\\w*|listop\\w*|grud\\w*|januari|februari|maart|juni|juli|augustus|oktober|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre';
/** A date (numeric, ISO, or with a month name in one of the set's languages) or a time of day. */
const DATE_OR_TIME = new RegExp(
  `\\b(\\d{1,2}[./-]\\s?\\d{1,2}[./-]\\s?\\d{2,4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}\\.?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:am|pm|uhr|h)?)\\b`,
  'iu',
);
/** "Label: value" (or "Label : value") with a short label. */
const LABEL_PAIR = /^[\p{L}][\p{L}.\- ]{0,24}\s?:\s*(?!\/\/)\S/u;
const COMMENT_COUNT = /\b\d+\s+(comments?|kommentare?|commentaires?|comentarios?|komentarz\w*|reacties|reactions?|antworten|replies)\b/i;
/** A line that ends a sentence. */
const SENTENCE_END = /[.!?…;]["'»”’)\]]?$/u;

/** Removes metadata lines at the top and at the bottom of the article `root`. */
export function trimMetaEdges(root: Element): void {
  for (const fromEnd of [false, true]) {
    for (let removed = 0; removed < MAX_LINES; removed++) {
      const line = edgeLine(root, fromEnd);
      if (!line || !isMetaLine(normalizeSpace(line.textContent))) break;
      line.remove();
    }
  }
}

/**
 * Whether a line of an article's edge is metadata. Exported for tests of the rule itself.
 */
export function isMetaLine(text: string): boolean {
  if (text === '' || text.length > MAX_META_CHARS || SENTENCE_END.test(text)) return false;
  const words = text.split(/\s+/).length;
  if (COMMENT_COUNT.test(text) && words <= 20) return true;
  const parts = text.split(/\s[|·•]\s/);
  if (parts.length >= 3 && parts.every((part) => part.length <= 40)) return true;
  if (LABEL_PAIR.test(text) && text.length <= 100) return true;
  // A date with a few words around it (a weekday, "Updated", a place), not a sentence that dates something.
  return DATE_OR_TIME.test(text) && text.replace(DATE_OR_TIME, ' ').split(/\s+/).filter((word) => /\p{L}{2,}/u.test(word)).length <= 6;
}

/**
 * The first (or last) line of `root`: the innermost element at that edge holding text and no
 * block of its own. Undefined when the edge is text outside any line, or a table, code, quote
 * or figure.
 */
function edgeLine(root: Element, fromEnd: boolean): Element | undefined {
  let container: Element = root;
  for (let depth = 0; depth < 64; depth++) {
    let next: Element | undefined;
    for (let child = fromEnd ? container.lastChild : container.firstChild; child; child = fromEnd ? child.previousSibling : child.nextSibling) {
      if (child.nodeType === 3) {
        if (normalizeSpace(child.nodeValue) === '') continue;
        // Loose text at the edge: the container itself is the line when it holds no blocks.
        return hasBlockChild(container) || container === root ? undefined : container;
      }
      if (child.nodeType !== 1) continue;
      const element = child as Element;
      const tag = element.localName.toLowerCase();
      if (STOP.has(tag)) return undefined;
      if (normalizeSpace(element.textContent) === '') {
        // An image or a video at the edge is content; an empty wrapper or a <br> is not.
        if (element.getElementsByTagName('img').length > 0 || element.getElementsByTagName('video').length > 0) return undefined;
        continue;
      }
      next = element;
      break;
    }
    if (!next) return undefined;
    // Inline content at the edge: the container is the line when it holds no blocks.
    if (!BLOCKS.has(next.localName.toLowerCase())) return hasBlockChild(container) || container === root ? undefined : container;
    if (!hasBlockChild(next)) return next;
    container = next;
  }
  return undefined;
}

function hasBlockChild(element: Element): boolean {
  for (let child = element.firstElementChild; child; child = child.nextElementSibling) if (BLOCKS.has(child.localName.toLowerCase())) return true;
  return false;
}
