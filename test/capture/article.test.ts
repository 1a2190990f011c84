// Golden tests of extractArticle on hand-written pages in test/fixtures/articles: saved page in,
// expected JSON and Markdown out (UPDATE_GOLDEN=1 rewrites them), plus what a reader notices.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ArticleClip } from '../../shared/capture/article.ts';
import { extractArticle } from '../../shared/page/node.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'articles');
const update = process.env.UPDATE_GOLDEN === '1';

const PAGES: Record<string, string> = {
  'news-article': 'https://ledger.example/business/cocoa-cooperatives-fairer-prices?utm_source=newsletter',
  'blog-code-table': 'https://fieldnotes.example/2024/11/measuring-partnership-outcomes',
  'dutch-article': 'https://nieuwsblad.example/artikel/bedrijven-en-ngos#reacties',
  'no-article': 'https://greenharvest.example/',
  figures: 'https://photo.example/essays/tea-estates',
  'short-note-de': 'https://stiftungsblatt.example/kurz/partnerschaft',
};

function extract(name: string): ArticleClip {
  return extractArticle(readFileSync(path.join(fixtures, `${name}.html`), 'utf8'), PAGES[name] as string);
}

describe('extractArticle golden files', () => {
  for (const name of Object.keys(PAGES)) {
    it(`${name}: JSON and Markdown match the checked-in expectation`, () => {
      const clip = extract(name);
      const { markdown, ...fields } = clip;
      const jsonFile = path.join(fixtures, `${name}.expected.json`);
      const mdFile = path.join(fixtures, `${name}.expected.md`);
      const json = JSON.stringify(fields, null, 2) + '\n';
      if (update || !existsSync(jsonFile) || !existsSync(mdFile)) {
        writeFileSync(jsonFile, json);
        writeFileSync(mdFile, markdown + '\n');
      }
      expect(json).toBe(readFileSync(jsonFile, 'utf8'));
      expect(markdown + '\n').toBe(readFileSync(mdFile, 'utf8'));
    });
  }
});

describe('what a reader notices', () => {
  it('news article: keeps the story, drops share bar, related list, newsletter, ad, cookie banner', () => {
    const clip = extract('news-article');
    expect(clip.title).toBe('Cocoa cooperatives win fairer prices after two-year talks');
    expect(clip.byline).toBe('Amara Mensah');
    expect(clip.siteName).toBe('The Daily Ledger');
    expect(clip.publishedAt).toBe('2025-03-04T08:30:00+00:00');
    expect(clip.lang).toBe('en-GB');
    expect(clip.canonicalUrl).toBe('https://ledger.example/business/cocoa-cooperatives-fairer-prices?id=42');
    expect(clip.leadImage).toBe('https://ledger.example/media/2025/cocoa-farmers.jpg');
    for (const phrase of ['We use cookies', 'Related articles', 'Chocolate makers', 'Sign up for our free newsletter', 'Advertisement', 'Follow us', 'Most read', 'Facebook', 'All rights reserved']) {
      expect(clip.text).not.toContain(phrase);
      expect(clip.markdown).not.toContain(phrase);
    }
    expect(clip.text).toContain('ending two years of negotiations');
    expect(clip.text).toContain('revisit that benchmark in 2026');
    expect(clip.markdown).toContain('> We did not want charity.');
    expect(clip.markdown).toContain('- a grievance procedure open to every member.');
    // Relative link made absolute, tracking parameters gone.
    expect(clip.markdown).toContain('[traceability system](https://ledger.example/topics/traceability)');
    expect(clip.markdown).not.toMatch(/utm_|fbclid/);
  });

  it('blog: code block with its language and the table rows survive', () => {
    const clip = extract('blog-code-table');
    expect(clip.byline).toBe('Priya Raman');
    expect(clip.publishedAt).toBe('2024-11-18T10:00:00+01:00');
    expect(clip.markdown).toContain('```python\nimport csv\n');
    expect(clip.markdown).toContain('    return sum(float(row[key]) * weight for key, weight in WEIGHTS.items())');
    expect(clip.markdown).toContain('| Dimension | Weight | Question |');
    expect(clip.markdown).toContain('| Risk sharing | 0.3 | Who carries the cost when plans fail? |');
    expect(clip.markdown).toContain('Are figures published \\| shared openly?');
    expect(clip.html).toContain('<td>Exit</td>');
    expect(clip.markdown).toContain('`python3 score.py`');
    expect(clip.text).not.toContain('Share this');
    expect(clip.text).not.toContain('Tags:');
    expect(clip.text).not.toContain('Categories');
  });

  it('Dutch article: language, Dutch date, figure caption kept, Dutch boilerplate removed', () => {
    const clip = extract('dutch-article');
    expect(clip.lang).toBe('nl-NL');
    expect(clip.title).toBe("Bedrijven en ngo's zoeken elkaar vaker op");
    expect(clip.publishedAt).toBe('2024-03-05');
    expect(clip.markdown).toContain('![Overleg tussen ngo en bedrijf](https://nieuwsblad.example/artikel/foto/overleg.jpg)');
    expect(clip.markdown).toContain('_Medewerkers van een ngo en een zuivelbedrijf bespreken hun plannen. Foto: ANP_');
    for (const phrase of ['cookies', 'Lees ook', 'Deel dit artikel', 'nieuwsbrief']) expect(clip.text).not.toContain(phrase);
    expect(clip.text).toContain('het wiel uit te vinden');
  });

  it('page without an article: a link clip with title and description, never empty', () => {
    const clip = extract('no-article');
    expect(clip.title).toBe('Green Harvest Foods – Home');
    expect(clip.excerpt).toBe('Green Harvest Foods makes plant-based meals from ingredients grown by partner farmers.');
    expect(clip.markdown).toBe('[Green Harvest Foods – Home](https://greenharvest.example/)\n\nGreen Harvest Foods makes plant-based meals from ingredients grown by partner farmers.');
    expect(clip.leadImage).toBe('https://greenharvest.example/img/hero.jpg');
    expect(clip.text).not.toBe('');
  });

  it('bylines in nl/de at the top of the body move to byline; a short note is still an article', () => {
    const dutch = extract('dutch-article');
    expect(dutch.byline).toBe('Sanne de Vries');
    expect(dutch.text).not.toContain('Door Sanne');
    const note = extract('short-note-de');
    expect(note.byline).toBe('Anna Schmidt');
    expect(note.text).toBe('Die Stiftung und eine Molkerei erproben ab Mai gemeinsam faire Milchpreise.');
    expect(note.markdown).toBe(note.text);
    for (const [line, name] of [['By Jane Doe and John Roe, March 5, 2024', 'Jane Doe and John Roe'], ['Par Marie du Pont | 5 mars 2024', 'Marie du Pont']]) {
      const html = `<html><body><article><h1>T</h1><p>${line}</p><p>${'Words of a story that goes on for a while. '.repeat(8)}</p></article></body></html>`;
      expect(extractArticle(html, 'https://site.example/a').byline).toBe(name);
    }
  });

  it('degenerate pages: html, markdown and text agree (a 20 MB one-word page is bounded, never empty html)', () => {
    const clip = extractArticle(`<html><body><p>${'word '.repeat(4_000_000)}</p></body></html>`, 'https://site.example/one-word');
    expect(clip.html).not.toBe('');
    expect(clip.markdown).not.toBe('');
    expect(clip.text.length).toBeLessThanOrEqual(200_000);
    expect(clip.html.length).toBeLessThanOrEqual(500_000);
    const markupOnly = extractArticle('<html><head><title>Empty</title></head><body><div><span></span></div></body></html>', 'https://site.example/empty');
    expect(markupOnly.html).toContain('Empty');
    expect(markupOnly.markdown).toContain('Empty');
    expect(markupOnly.text).toContain('Empty');
  });

  it('figures: images absolute, captions kept, repeated credit lines dropped', () => {
    const clip = extract('figures');
    expect(clip.publishedAt).toBe('2023-07-21');
    expect(clip.html).toContain('<figcaption>');
    expect(clip.html).toContain('src="https://photo.example/images/tea-pickers.jpg"');
    expect(clip.html).toContain('srcset="https://photo.example/images/factory.webp 1x, https://photo.example/images/factory@2x.webp 2x"');
    expect(clip.markdown).toContain('_The factory runs day and night during the peak season._');
    // The caption's own credit stays; the loose repeated credit paragraphs go.
    expect(clip.text.match(/Photo: Lena Ortiz/g)?.length).toBe(1);
  });

  it('never lets scripts, handlers or javascript: links through', () => {
    const html = `<html><head><title>Hostile</title></head><body><article><h1>Hostile</h1>
      <p onclick="steal()">${'Plenty of readable words in this paragraph to make it an article. '.repeat(6)}</p>
      <script>alert(1)</script><p><a href="javascript:alert(1)">click</a> <img src="x" onerror="alert(1)"> <iframe src="https://evil.example"></iframe></p>
      <p>${'Another paragraph with enough text to count as content for the extractor. '.repeat(5)}</p></article></body></html>`;
    const clip = extractArticle(html, 'https://site.example/a');
    expect(clip.html).not.toMatch(/<script|onclick|onerror|javascript:|<iframe/i);
    expect(clip.markdown).not.toContain('javascript:');
  });

  it('stays bounded on a 10,000-deep DOM and a huge page', () => {
    const deep = `<html><body>${'<div>'.repeat(10_000)}deep text${'</div>'.repeat(10_000)}<p>${'Some words. '.repeat(50)}</p></body></html>`;
    expect(() => extractArticle(deep, 'https://site.example/deep')).not.toThrow();
    const paragraph = `<p>${'A sentence of a very long report that goes on and on. '.repeat(20)}</p>`;
    const huge = `<html><head><title>Huge</title></head><body><article>${paragraph.repeat(6_000)}</article></body></html>`;
    const started = Date.now();
    const clip = extractArticle(huge, 'https://site.example/huge');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(clip.text.length).toBeLessThanOrEqual(200_000);
    expect(clip.html.length).toBeLessThanOrEqual(600_000);
  });
});
