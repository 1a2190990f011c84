// extractArticle never fails a page (issue 11): whatever the markup, it returns a clip that is
// not empty, the article when there is one. Hand-written hostile pages here; the fuzz suite
// (fuzz.test.ts) runs the real pages of ../shared/fixtures through mutations.
import { describe, expect, it } from 'vitest';
import type { ArticleClip } from '../../shared/capture/article.ts';
import { extractArticle, parseHtml as parseHtmlNode } from '../../shared/page/node.ts';

const URL = 'https://paper.example/2025/04/harbour-dredging';

const PARAGRAPHS = [
  'The harbour authority approved the dredging plan on Tuesday after eleven months of consultation with fishermen, shippers and the two towns on the estuary.',
  'Work starts in September and is meant to deepen the main channel by two metres, enough for the container ships that now wait for high tide outside the bar.',
  'Fishermen asked for the spoil to be taken out to sea instead of dumped on the mud flats where the mussel beds lie, and the final plan agrees to that.',
  'The cost, about forty million, is shared by the port company and the regional government; the towns pay nothing but lose the quay for a season.',
];
const STORY = PARAGRAPHS.map((text) => `<p>${text}</p>`).join('\n');

function page(options: { html?: string; body?: string; head?: string; doctype?: string } = {}): string {
  const head = options.head ?? '<title>Harbour dredging approved</title><meta name="description" content="The harbour authority approved the dredging plan.">';
  return `${options.doctype ?? '<!doctype html>'}\n<html${options.html ?? ' lang="en"'}><head>${head}</head><body${options.body ?? ''}>
<header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>Harbour dredging approved</h1>
${STORY}
</article></main>
<footer><p>Imprint · Privacy · Contact</p></footer>
</body></html>`;
}

function expectClip(clip: ArticleClip): void {
  expect(clip.title.trim()).not.toBe('');
  expect(clip.text.trim()).not.toBe('');
  expect(clip.html.trim()).not.toBe('');
  expect(clip.markdown.trim()).not.toBe('');
}

function expectStory(clip: ArticleClip): void {
  expectClip(clip);
  for (const text of PARAGRAPHS) expect(clip.text).toContain(text);
  expect(clip.text).not.toContain('Sport');
}

describe('extractArticle on hostile pages', () => {
  // The failure of issue 11: Readability's walk starts at <html> and removed it as an "unlikely
  // candidate" because of layout words in its class; the body went with it and linkedom threw
  // "Cannot destructure property 'firstElementChild' of 'documentElement' as it is null".
  for (const html of [
    ' lang="en" class="js objectfit with-banner--skyscraper-aside header--big"',
    ' lang="en" class="avada-html-layout-wide avada-html-header-position-top"',
    ' lang="en" id="menu-open"',
    ' lang="en" role="dialog"',
    ' lang="en" hidden',
    ' lang="en" style="display:none"',
    ' lang="en" class="byline"',
  ]) {
    it(`<html${html}>: the article, not a throw`, () => {
      expectStory(extractArticle(page({ html }), URL));
    });
  }

  for (const body of [' class="sidebar-open header-fixed"', ' hidden', ' style="visibility:hidden"', ' aria-hidden="true"', ' role="banner"', ' class="author"']) {
    it(`<body${body}>: the article`, () => {
      expectStory(extractArticle(page({ body }), URL));
    });
  }

  it('no doctype', () => expectStory(extractArticle(page({ doctype: '' }), URL)));

  it('a byte order mark before the doctype', () => expectStory(extractArticle(`\uFEFF${page()}`, URL)));

  it('XHTML with an XML prolog', () => {
    const xhtml = page({ doctype: '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">', html: ' xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"' });
    expectStory(extractArticle(xhtml, URL));
  });

  it('a frameset page: a link clip with its title', () => {
    const clip = extractArticle('<!doctype html><html><head><title>Harbour archive</title></head><frameset cols="20%,80%"><frame src="menu.html"><frame src="story.html"></frameset></html>', URL);
    expectClip(clip);
    expect(clip.title).toBe('Harbour archive');
  });

  it('a frameset with the story in <noframes>', () => {
    const clip = extractArticle(`<!doctype html><html><head><title>Harbour dredging approved</title></head><frameset><frame src="a.html"><noframes><body>${STORY}</body></noframes></frameset></html>`, URL);
    expectClip(clip);
  });

  it('markup cut off in the middle of a tag', () => {
    const whole = page();
    const cut = whole.slice(0, whole.indexOf(PARAGRAPHS[3] as string) + 20) + '<a href="/x" class="';
    const clip = extractArticle(cut, URL);
    expectClip(clip);
    expect(clip.text).toContain(PARAGRAPHS[2]);
  });

  it('no closing tags at all', () => {
    const clip = extractArticle(page().replace(/<\/[a-z0-9]+\s*>/gi, ''), URL);
    expectClip(clip);
    expect(clip.text).toContain(PARAGRAPHS[0]);
  });

  it('10,000-deep nesting around the story', () => {
    const deep = '<div>'.repeat(10_000) + STORY + '</div>'.repeat(10_000);
    const clip = extractArticle(`<!doctype html><html><head><title>Deep</title></head><body>${deep}</body></html>`, URL);
    expectClip(clip);
    expect(clip.text).toContain(PARAGRAPHS[1]);
  });

  it('10,000 unclosed nested elements, then the story', () => {
    const clip = extractArticle(`<html><body>${'<span><b><i>'.repeat(3_400)}${STORY}`, URL);
    expectClip(clip);
  });

  it('an empty body, an empty string, a page of whitespace or plain text', () => {
    for (const html of ['<html><head><title>Nothing here</title></head><body></body></html>', '', '   \n ', 'just some words, no markup at all', '<', '<html', '<!--', '<body><script>']) {
      expectClip(extractArticle(html, URL));
    }
  });

  it('an address that is not a URL still gives a clip', () => {
    expectClip(extractArticle('', 'not a url'));
    expectClip(extractArticle(page(), 'hard::page-one'));
  });

  it('a 20 MB page: a clip, in bounded time', { timeout: 120_000 }, () => {
    const filler = `<div class="teaser"><p>${'Filler words of another story on the page. '.repeat(20)}</p></div>\n`;
    const huge = page().replace('</article>', `</article>${filler.repeat(Math.ceil(20_000_000 / filler.length))}`);
    expect(huge.length).toBeGreaterThan(20_000_000);
    const clip = extractArticle(huge, URL);
    expectClip(clip);
  });

  it('a live document whose body Readability would empty is left as it was', () => {
    // A Document input is cloned first: the caller's document never changes, even on a bad page.
    const html = page({ html: ' lang="en" class="header--big"' });
    const doc = parseHtmlNode(html);
    const before = doc.documentElement.outerHTML;
    expectStory(extractArticle(doc, URL));
    expect(doc.documentElement.outerHTML).toBe(before);
  });
});
