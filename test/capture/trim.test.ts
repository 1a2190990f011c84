// The edges of a clip lose a post's meta bar and footer line (dates, "Label: value" pairs,
// comment counts, bars of short parts), never the article's own first or last sentence, a
// link, a table, a quote or code.
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { blockText } from '../../shared/capture/dom.ts';
import { isMetaLine, trimMetaEdges } from '../../shared/capture/trim.ts';

const FIRST = 'The council voted on Tuesday evening to close the old harbour bridge to cars from the first of July.';
const LAST = 'Shop owners on the quay asked the council for a temporary ferry across the harbour mouth.';

function trimmed(inner: string): string {
  const { document } = parseHTML(`<!doctype html><html><body><div id="root">${inner}</div></body></html>`);
  const root = document.getElementById('root') as unknown as Element;
  trimMetaEdges(root);
  return blockText(root).replace(/\s+/g, ' ');
}

describe('meta lines at the edges of a clip', () => {
  it('drops a meta bar on top and a date/category line at the bottom, keeping the article', () => {
    const text = trimmed(`<div><p>Freitag | 14. Juni 2019 | 15:49 von Sina Giebel in Fashion | 0 Kommentare</p><p>24.01.2022 11:38<br>Kategorie: <a href="/news">News</a></p></div>
<div><p>${FIRST}</p><p>${LAST}</p></div><p>News date : 04/21/2022 Category : Press Releases</p>`);
    expect(text).toBe(`${FIRST} ${LAST}`);
  });

  it('keeps a first or last line that is a sentence, a link address, a table, a quote or code', () => {
    for (const edge of [
      '<p>Updated on 5 May 2024: the council has since confirmed the date.</p>',
      '<p>http://www.openpetition.de/petition/online/harbour-bridge</p>',
      '<table><tr><td>12.05.2024</td><td>Vote</td></tr></table>',
      '<blockquote><p>Category: Bridges</p></blockquote>',
      '<pre><code>date: 2024-05-05</code></pre>',
    ]) {
      const text = trimmed(`${edge}<p>${FIRST}</p><p>${LAST}</p>${edge}`);
      expect(text.startsWith(`${FIRST}`), edge).toBe(false);
      expect(text.endsWith(LAST), edge).toBe(false);
    }
  });

  it('tells meta lines from prose', () => {
    for (const line of ['14. März 2021', 'Posted by Anna | May 5, 2024 | News', 'Kategorie: News', '3 Comments', '12 maja 2021, 14:30']) expect(isMetaLine(line), line).toBe(true);
    for (const line of [FIRST, 'Fazit: Lohnt sich.', 'In 2021 the bridge was painted', 'http://example.org/a', 'The vote took place on 14 March 2021 in the council chamber after a long debate']) expect(isMetaLine(line), line).toBe(false);
  });
});
