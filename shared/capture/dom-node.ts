// Node host of the capture engine: parses HTML strings with linkedom. Imported by the CLI, the
// service, tests and benches; never by the extension, which keeps linkedom out of its bundle.
import { DOMParser } from 'linkedom';
import { registerNodeHost } from './dom.ts';

/** A Document for an HTML string, built by linkedom (5-10x faster than jsdom, TOOLCHAIN.md). */
export function parseHtmlNode(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

registerNodeHost(parseHtmlNode);
