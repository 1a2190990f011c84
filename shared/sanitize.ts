// Sanitizes clipped HTML: page content is hostile (DESIGN.md "Web library"). Used at ingest
// by the service and by the capture engine in Node; the policy itself lives in
// shared/capture/sanitize-policy.ts so the browser's DOM-based pass applies the same one.
import sanitizeHtml from 'sanitize-html';
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, NON_TEXT_TAGS, SAFE_HREF, SAFE_SRC } from './capture/sanitize-policy.ts';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, [...names]])),
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside these is dropped with the element, not kept as loose text.
  nonTextTags: [...NON_TEXT_TAGS],
  transformTags: {
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      const keep = href !== undefined && SAFE_HREF.test(href.trim());
      return { tagName, attribs: { ...rest, ...(keep ? { href: href.trim() } : {}), rel: LINK_REL } };
    },
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      const keep = src !== undefined && SAFE_SRC.test(src.trim());
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
