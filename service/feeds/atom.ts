// Atom 1.0 documents (RFC 4287) of activity lines, written by the `feed` library. Ids are URNs
// made of object and library ids, so a feed reader sees the same entry across runs and hosts;
// an entry's <updated> moves when its object changes again.
import { Feed } from 'feed';
import type { ActivityEvent } from '../activity/stream.ts';

export interface FeedMeta {
  /** A stable URI of the feed (urn:…). */
  id: string;
  title: string;
  /** The web page the feed follows. */
  link: string;
  /** This feed's own URL (rel="self"). */
  self: string;
  /** Base of the web library, to make entry links absolute. */
  base: string;
  libraryId: string;
}

/**
 * The library writes titles and summaries as type="html": members' text is escaped so that a
 * reader shows it as written and never runs it, and characters XML cannot carry are dropped.
 */
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

function asHtmlText(text: string): string {
  return clean(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function atomOf(meta: FeedMeta, events: ActivityEvent[]): string {
  const newest = events[0]?.when;
  const feed = new Feed({
    id: meta.id,
    title: clean(meta.title),
    link: meta.link,
    updated: new Date(newest ?? 0),
    generator: 'Casebook',
    feedLinks: { atom: meta.self },
    // Atom wants an author on the feed when an entry could lack one.
    author: { name: 'Casebook' },
    copyright: 'Members of the library',
  });
  for (const event of events) {
    feed.addItem({
      id: `urn:uuid:${event.id}`,
      title: asHtmlText(`${event.who.name} ${event.verb}: ${event.title}`),
      link: `${meta.base}/l/${meta.libraryId}/${event.path}`,
      date: new Date(event.when),
      ...(event.excerpt ? { description: asHtmlText(event.excerpt) } : {}),
      author: [{ name: clean(event.who.name) }],
      category: [{ name: event.type, term: event.type }],
    });
  }
  return feed.atom1();
}
