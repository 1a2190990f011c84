// Renders members' Markdown (case descriptions, lessons, notes) to HTML that is safe to show:
// marked turns it into HTML, then sanitize-html keeps only content tags (raw HTML in Markdown is hostile too).
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// One private instance: marked's global options are shared process-wide and others may change them.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'sup', 'sub'],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // Links in members' texts open outside the library without telling the target where they came from.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

/** Markdown in, sanitized HTML out; headings are shifted down so a text never outranks the page title. */
export function renderMarkdown(markdown: string): string {
  if (!markdown.trim()) return '';
  const html = marked.parse(markdown) as string;
  const shifted = html.replace(/<(\/?)h([1-5])(\s|>)/g, (_m, slash: string, level: string, rest: string) => `<${slash}h${Number(level) + 1}${rest}`);
  return sanitizeHtml(shifted, OPTIONS);
}
