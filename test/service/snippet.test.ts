// Highlighted search snippets: accents, prefixes, phrases, and escaping of page text.
import { describe, expect, it } from 'vitest';
import { parseUserQuery } from '../../service/search/fts-sqlite.ts';
import { makeSnippet } from '../../service/search/snippet.ts';
import { titleScore } from '../../service/search/page.ts';

const snip = (text: string, query: string) => makeSnippet([text], parseUserQuery(query), 80);

describe('makeSnippet', () => {
  it('marks words whatever their accents or case', () => {
    expect(snip('Les coopératives du Ghana', 'cooperatives')).toBe('Les <mark>coopératives</mark> du Ghana');
    expect(snip('Zuivel in KENIA', 'kenia')).toBe('Zuivel in <mark>KENIA</mark>');
  });

  it('marks prefixes and phrases, and whole words only', () => {
    expect(snip('cocoa and cocoabutter', 'cocoa*')).toBe('<mark>cocoa</mark> and <mark>cocoabutter</mark>');
    expect(snip('cocoabutter and cocoa', 'cocoa')).toBe('cocoabutter and <mark>cocoa</mark>');
    expect(snip('a living  income for farmers', '"living income"')).toBe('a <mark>living income</mark> for farmers');
  });

  it('shows the passage around the first match of a long text', () => {
    const text = 'filler words here. '.repeat(50) + 'The premium was paid to the cooperative. ' + 'more words after. '.repeat(50);
    const snippet = snip(text, 'premium');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('<mark>premium</mark>');
    expect(snippet.length).toBeLessThan(140);
  });

  it('escapes page text and never lets markup through', () => {
    const snippet = makeSnippet(['<img src=x onerror=alert(1)> cocoa & "beans"'], parseUserQuery('cocoa'));
    expect(snippet).toBe('&lt;img src=x onerror=alert(1)&gt; <mark>cocoa</mark> &amp; &quot;beans&quot;');
  });

  it('falls back to the next source, then to the start of the text', () => {
    expect(makeSnippet(['no match here', 'the note says cocoa'], parseUserQuery('cocoa'))).toBe('the note says <mark>cocoa</mark>');
    expect(makeSnippet(['plain <text>'], parseUserQuery('absent'))).toBe('plain &lt;text&gt;');
  });
});

describe('titleScore (the relevance order within a window)', () => {
  const score = (title: string, query: string) => titleScore(title, parseUserQuery(query));

  it('counts the query terms a title holds, whatever their accents, case or word form', () => {
    expect(score('Les coopératives du GHANA', 'cooperatives ghana')).toBe(2);
    expect(score('Premiums paid to farmers', 'premium')).toBe(1);
    expect(score('Premiums paid to farmers', 'premium cocoa')).toBe(1);
    expect(score('Dairy in Kenya', 'cocoa')).toBe(0);
  });

  it('takes whole words, prefixes as word starts, and phrases as words in a row', () => {
    expect(score('cocoabutter prices', '"cocoa"')).toBe(0);
    expect(score('cocoabutter prices', 'coco*')).toBe(1);
    expect(score('A living income for farmers', '"living income"')).toBe(1);
    expect(score('Income and living costs', '"living income"')).toBe(0);
    expect(score('The living-income gap', '"living income"')).toBe(1);
    expect(score('', 'cocoa')).toBe(0);
  });
});
