// The one sanitization policy for clipped HTML, as plain data: shared/sanitize.ts applies it
// with sanitize-html in Node, shared/capture/sanitize-dom.ts applies it to a DOM in the browser.

export const ALLOWED_TAGS: readonly string[] = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del',
  'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'picture', 'pre', 'q', 's', 'samp',
  'section', 'small', 'source', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'article', 'aside', 'header', 'footer',
];

export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'title', 'name', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  source: ['srcset', 'type', 'media'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  time: ['datetime'],
  ol: ['start', 'type'],
  blockquote: ['cite'],
  q: ['cite'],
  '*': ['lang', 'dir'],
};

/** Elements dropped together with their text: their content is code or controls, never prose. */
export const NON_TEXT_TAGS: readonly string[] = [
  'script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'form', 'button',
  'select', 'template', 'svg', 'math', 'head', 'title', 'link', 'meta', 'input', 'frame', 'frameset', 'canvas', 'audio', 'video',
];

/** Links keep absolute http(s), mailto and in-page (#) targets only: relative links would point into the library. */
export const SAFE_HREF = /^(https?:|mailto:|#)/i;
/** Images load from http(s) only (no data:, no javascript:). */
export const SAFE_SRC = /^https?:\/\//i;
export const LINK_REL = 'noopener noreferrer nofollow';
