// The Node host of the page core: linkedom parses HTML strings (5-10x faster than jsdom,
// TOOLCHAIN.md), and the entry points the CLI, the service, the benches and the tests call with
// an HTML string. Never imported by the extension, which keeps linkedom out of its bundle.
import { parseHTML } from 'linkedom';
import { extractArticle as extractWithHost, type ArticleClip } from '../capture/article.ts';
import { proposeScanAnswersReport as proposeReportWithHost } from '../facts/propose.ts';
import type { ExtractorFailure } from '../facts/propose.ts';
import type { ScanProposals } from '../facts/types.ts';
import type { PageHost } from './host.ts';

/** A Document for an HTML string, every page with a root, a head and a body. */
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

export const nodeHost: PageHost = { parseHtml };

/** extractArticle (shared/capture/article.ts) for an HTML string or a Document, parsed by linkedom. */
export function extractArticle(input: Document | string, url: string): ArticleClip {
  return extractWithHost(input, url, nodeHost);
}

/** proposeScanAnswersReport (shared/facts/propose.ts) for an HTML string or a Document, parsed by linkedom. */
export function proposeScanAnswersReport(input: Document | string, url: string): { proposals: ScanProposals; failures: ExtractorFailure[] } {
  return proposeReportWithHost(input, url, nodeHost);
}

/** proposeScanAnswers for an HTML string or a Document, parsed by linkedom. */
export function proposeScanAnswers(input: Document | string, url: string): ScanProposals {
  return proposeReportWithHost(input, url, nodeHost).proposals;
}
