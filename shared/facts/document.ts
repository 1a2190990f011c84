// Turns proposeScanAnswers' input (a Document, or an HTML string) into a Document without
// tying the browser bundle to a Node DOM: the browser has DOMParser; Node registers linkedom
// through shared/facts/node-html.ts.

/** Parses an HTML string into a Document (linkedom in Node, DOMParser in a page). */
export type HtmlParser = (html: string) => Document;

let registered: HtmlParser | undefined;

/** Called once by a Node-only module (node-html.ts) so that strings can be parsed where DOMParser is missing. */
export function registerHtmlParser(parser: HtmlParser): void {
  registered = parser;
}

export function toDocument(input: Document | string): Document {
  if (typeof input !== 'string') return input;
  if (registered) return registered(input);
  const DomParser = (globalThis as { DOMParser?: typeof DOMParser }).DOMParser;
  if (DomParser) return new DomParser().parseFromString(input, 'text/html');
  throw new Error('no HTML parser: in Node import shared/facts/node-html.ts before passing an HTML string');
}
