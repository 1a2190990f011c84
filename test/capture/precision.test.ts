// What the clip leaves out beyond Readability (issue 11): comment threads, author boxes, other
// stories' teasers, meta lines, share and follow prompts, ad labels; and what it keeps: tables,
// lists, captions, quotes, code, and dates that are part of a sentence.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../shared/page/node.ts';

const URL = 'https://blog.example/2024/02/river-survey';

const PROSE = [
  'Volunteers counted the birds along the river for the ninth winter in a row, walking the same twelve stretches on the same Sunday in January as every year.',
  'The count came to just over four thousand birds of sixty species, a little more than last year, with the largest gains among the ducks that winter on the flooded meadows.',
  'Kingfishers were seen on nine of the twelve stretches, the most since the count began; the warden puts that down to the new banks left unmown since the spring.',
  'Fewer lapwings were counted than in any year before, and the group will ask the water board to keep the meadows wet for longer in the autumn.',
];

function page(extra: { before?: string; inside?: string; after?: string } = {}): string {
  return `<!doctype html><html lang="en"><head><title>Winter bird count on the river</title><meta name="author" content="Maria Jansen"></head><body>
<main><article class="post">
<h1>Winter bird count on the river</h1>
<div class="entry-meta"><span class="posted-on">12.02.2024</span> <span class="cat-links">Category: Counts</span></div>
${extra.before ?? ''}
<div class="entry-content">
<p><span class="dateline">RIVERTON –</span> ${PROSE[0]}</p>
<p>${PROSE[1]}</p>
<table><tr><th>Species</th><th>Count</th></tr><tr><td>Mallard</td><td>1,204</td></tr><tr><td>Teal</td><td>388</td></tr></table>
<ul><li>Stretch 4 was flooded and counted from the dyke.</li><li>From <strong>1. January 2025</strong> the count moves to the first Sunday.</li></ul>
<figure><img src="/img/kingfisher.jpg" alt="Kingfisher"><figcaption>A kingfisher at stretch 7.</figcaption></figure>
<p>${PROSE[2]}</p>
<blockquote><p>We have never seen so many kingfishers on this river.</p></blockquote>
<pre><code>count --river=main --year=2024</code></pre>
<p>${PROSE[3]}</p>
${extra.inside ?? ''}
</div>
<p>Follow the Bird Group on Twitter and Instagram for the next count.</p>
<p>- Advertisement -</p>
<section class="author-bio"><h3>About the author</h3><p>Maria Jansen has led the river count since its start and writes about birds, meadows and the people who look after them for several local papers and magazines.</p></section>
<div class="related-posts"><h3>You might also like</h3><article><h4><a href="/2023/count">Last winter's count</a></h4><p>The eighth count brought the first bittern in years, and a long discussion about the meadows that went on until late in the evening at the village hall.</p></article><article><h4><a href="/2022/count">The count of 2022</a></h4><p>Frost kept the volunteers on the dykes for hours, and the teal stayed away from the river altogether until the thaw came in the second week.</p></article></div>
<h3>3 Comments</h3>
<div><p>Great work everyone, see you next year! I counted stretch 9 with my daughter and we had a wonderful morning on the dyke with the geese.</p><p>19:49</p></div>
<div><p>Thanks for organising this again, the kingfishers were the highlight for our whole group and we will certainly be back next winter.</p></div>
${extra.after ?? ''}
</article></main></body></html>`;
}

describe('precision beyond Readability', () => {
  const clip = extractArticle(page(), URL);

  it('keeps the article with its table, list, caption, quote, code and a date inside a sentence', () => {
    for (const text of PROSE) expect(clip.text).toContain(text);
    expect(clip.text).toContain('Mallard\t1,204');
    expect(clip.text).toContain('Stretch 4 was flooded');
    expect(clip.text).toContain('From 1. January 2025 the count moves to the first Sunday.');
    expect(clip.text).toContain('A kingfisher at stretch 7.');
    expect(clip.text).toContain('We have never seen so many kingfishers on this river.');
    expect(clip.text).toContain('count --river=main --year=2024');
  });

  it('keeps a dateline that opens the first sentence, though its class is a meta word', () => {
    expect(clip.text).toContain(`RIVERTON – ${PROSE[0]}`);
  });

  it('drops the comment thread, the author box and the teasers of other posts, though each holds prose', () => {
    for (const text of ['3 Comments', 'Great work everyone', 'Thanks for organising', '19:49', 'Maria Jansen has led', 'About the author', 'Last winter', 'bittern', 'Frost kept the volunteers']) {
      expect(clip.text).not.toContain(text);
    }
  });

  it('drops the meta line, the follow prompt and the ad label', () => {
    for (const text of ['12.02.2024', 'Category: Counts', 'Follow the Bird Group', 'Advertisement']) expect(clip.text).not.toContain(text);
  });

  it('drops a line that is only a link to another story of the same site; a link elsewhere stays', () => {
    const inside = '<p><a href="https://blog.example/2023/11/meadow-plans">What the water board plans for the meadows</a></p><p><a href="https://birds.example/reports/2024.pdf">Full report of the 2024 count (PDF)</a></p>';
    const teased = extractArticle(page({ inside }), URL);
    expect(teased.text).not.toContain('What the water board plans for the meadows');
    expect(teased.text).toContain('Full report of the 2024 count (PDF)');
    for (const text of PROSE) expect(teased.text).toContain(text);
  });

  it('drops an embed waiting for consent and a "back to the list" link; prose about privacy stays', () => {
    const inside = '<div class="embed-placeholder"><p>We respect your privacy and only load content from Twitter with your consent. You can change this in the settings.</p></div><p><a href="/news">Back to the overview</a></p><p>The group also discussed privacy: the counts name no landowner, and the maps show stretches, not farms, so nobody can tell from them whose meadow was flooded when the counters came by.</p>';
    const clip = extractArticle(page({ inside }), URL);
    expect(clip.text).not.toContain('We respect your privacy');
    expect(clip.text).not.toContain('Back to the overview');
    expect(clip.text).toContain('The group also discussed privacy');
  });

  it('a "Comments" box before most of the article does not end it', () => {
    const early = extractArticle(page({ before: '<h3>Comments</h3><p>Latest: Anna on the lapwings</p>' }), URL);
    for (const text of PROSE) expect(early.text).toContain(text);
  });

  it('a block named like a comment thread that holds most of the article stays', () => {
    const html = page().replace('<div class="entry-content">', '<div class="entry-content comments-enabled">');
    const kept = extractArticle(html, URL);
    for (const text of PROSE) expect(kept.text).toContain(text);
  });

  it('an article a page renders by script, kept in <noscript> as well, is clipped; a "turn on JavaScript" note is not', () => {
    const html = `<!doctype html><html><head><title>Winter bird count on the river</title></head><body>
<noscript><p>Please enable JavaScript to use this site.</p></noscript>
<div class="post-body"><script type="text/template">${PROSE.map((text) => `<p>${text}</p>`).join('')}</script>
<noscript>${PROSE.map((text) => `<p>${text}</p>`).join('')}</noscript></div></body></html>`;
    const rendered = extractArticle(html, URL);
    for (const text of PROSE) expect(rendered.text).toContain(text);
    expect(rendered.text).not.toContain('enable JavaScript');
  });
});
