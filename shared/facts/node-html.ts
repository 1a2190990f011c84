// Node-only: registers linkedom as the HTML parser of shared/facts so that the CLI, the
// service and tests can pass HTML strings; kept apart so linkedom never enters the extension bundle.
import { parseHTML } from 'linkedom';
import { registerHtmlParser } from './document.ts';

export function parseHtml(html: string): Document {
  // linkedom keeps a document without <html>/<body> as a bare fragment; wrapping gives
  // every page a body to walk.
  let source = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  // A page with </head> but no <body> tag (old table layouts) leaves linkedom with an empty
  // body and the content outside it: open the body where the head ends.
  if (!/<body[\s>]/i.test(source) && /<\/head\s*>/i.test(source)) source = source.replace(/<\/head\s*>/i, '</head><body>');
  const doc = parseHTML(source).document;
  // A page cut off inside its <html …> tag leaves linkedom without a root element (and its
  // body getter throws): the text before the broken tag is read as a fragment instead.
  if (!doc.documentElement) return parseHTML(`<!doctype html><html><head></head><body>${html.replace(/<[^>]*$/, '')}</body></html>`).document as unknown as Document;
  return doc as unknown as Document;
}

registerHtmlParser(parseHtml);

export { proposeScanAnswers } from './propose.ts';
