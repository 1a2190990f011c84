// Sanitizes clipped HTML: page content is hostile (DESIGN.md "Web library"). Used at ingest
// by the service and by the capture engine; the policy lives here once.
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del',
  'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'picture', 'pre', 'q', 's', 'samp',
  'section', 'small', 'source', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'article', 'aside', 'header', 'footer',
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
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
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside these is dropped with the element, not kept as loose text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'form', 'button', 'select', 'template', 'svg', 'math'],
  transformTags: {
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      // Relative links would point into the library itself once shown there: keep absolute ones only.
      const keep = href !== undefined && /^(https?:|mailto:|#)/i.test(href.trim());
      return { tagName, attribs: { ...rest, ...(keep ? { href: href.trim() } : {}), rel: 'noopener noreferrer nofollow' } };
    },
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      const keep = src !== undefined && /^https?:\/\//i.test(src.trim());
      return { tagName, attribs: keep ? { ...rest, src: src.trim() } : rest };
    },
  },
  // An image without a usable source is dropped rather than shown broken.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/** Returns HTML with only the content tags kept: no script, handlers, frames, forms or js: URLs. */
export function sanitizeClipHtml(html: string): string {
  if (!html) return '';
  return sanitizeHtml(html, OPTIONS);
}
