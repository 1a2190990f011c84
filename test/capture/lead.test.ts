// The lead under the headline (standfirst, intro) sits in many templates in the page's header
// block, outside the container Readability takes as the article: the clip puts it back on top.
// Teasers of other stories elsewhere on the page are not leads.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../shared/page/node.ts';


const URL = 'https://news.example/2024/05/harbour-bridge';

const PROSE = [
  'The council voted on Tuesday evening to close the old harbour bridge to cars from the first of July, after engineers found cracks in two of its four supports.',
  'Cyclists and people on foot may still cross for now; buses will take the ring road, which adds about six minutes to the trip from the station to the beach.',
  'A new bridge has been planned for years, but the money was only found last winter, when the province agreed to pay half of the cost of the design.',
  'Shop owners on the quay fear that fewer visitors will come in the summer months, and asked the council for a temporary ferry across the harbour mouth.',
];
const LEAD = 'Cracks in the supports: from July no more cars on the old harbour bridge, and the ferry may return.';

/** A headline block apart from the article (a kicker, the headline, the lead, a byline), then the article and a side box. */
function page(header: string, aside = ''): string {
  const more = PROSE.map((text) => text.replace('harbour', 'river'));
  return `<!doctype html><html lang="en"><head><title>Harbour bridge closes to cars</title></head><body>
<div class="page"><div class="top"><div class="kicker">Traffic</div><h1>Harbour bridge closes to cars</h1>${header}<div class="byline">Anna Berg, 5 May 2024</div></div></div>
<main><div class="article-body">${[...PROSE, ...more].map((text) => `<p>${text}</p>`).join('')}</div>
<div class="aside-box"><p>Weather: sunny, 18 degrees, light wind from the west in the afternoon, rain later.</p>${aside}</div></main></body></html>`;
}

describe('lead under the headline', () => {
  it('puts a lead from the header block back at the top of the clip, once', () => {
    const clip = extractArticle(page(`<div class="article-lead">${LEAD}</div>`), URL);
    expect(clip.text).toContain(LEAD);
    expect(clip.text.indexOf(LEAD)).toBeLessThan(clip.text.indexOf(PROSE[0] as string));
    expect(clip.text.split(LEAD).length).toBe(2);
    for (const text of PROSE) expect(clip.text).toContain(text);
  });

  it('takes no lead from a block far from the headline, nor from a list of links', () => {
    const teaser = 'A second story about the ferry service, its timetable and the new pier at the north end of the harbour.';
    const linked = `<div class="teaser"><a href="/2024/05/ferry">${teaser}</a></div>`;
    const clip = extractArticle(page(linked, `<div class="intro">${teaser} Read it in full on the site.</div>`), URL);
    // Neither is put on top as the lead (the side box is Readability's to keep or drop).
    const at = clip.text.indexOf('A second story about the ferry');
    expect(at === -1 || at > clip.text.indexOf(PROSE[0] as string)).toBe(true);
    expect(clip.text.startsWith(PROSE[0] as string)).toBe(true);
    for (const text of PROSE) expect(clip.text).toContain(text);
  });

  it('takes an unnamed sentence from the headline\'s <header> as the lead, not the date line beside it', () => {
    const html = page(`<p>Anna Berg, 5 May 2024</p><p>${LEAD}</p>`).replace('<div class="top">', '<header>').replace('</div></div>\n<main>', '</header></div>\n<main>');
    const clip = extractArticle(html, URL);
    expect(clip.text.startsWith(LEAD)).toBe(true);
    expect(clip.text).not.toContain('5 May 2024');
  });
});
