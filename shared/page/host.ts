// What the page core (capture and company facts) needs from the place it runs in: a way to turn
// an HTML string into a Document. It is passed in, never registered: the extension hands over
// the live `document` (or the browser's DOMParser, domParserHost), Node hands over linkedom
// (shared/page/node.ts), and two hosts can serve one process side by side.

export interface PageHost {
  /** A Document for an HTML string; `url` is the page's address, for hosts that take a base URL. */
  parseHtml(html: string, url?: string): Document;
}

/** The browser's own parser (a page, an offscreen document, a test DOM). */
export const domParserHost: PageHost = {
  parseHtml: (html) => new DOMParser().parseFromString(html, 'text/html'),
};

export const NO_HOST = 'an HTML string needs a PageHost to parse it (in Node: shared/page/node.ts)';

/** A live Document as it is; an HTML string parsed by the host it came with. */
export function documentOf(input: Document | string, host: PageHost | undefined, url?: string): Document {
  if (typeof input !== 'string') return input;
  if (!host) throw new TypeError(NO_HOST);
  return host.parseHtml(input, url);
}
