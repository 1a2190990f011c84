// Highlighted search snippets: accents, prefixes, phrases, and escaping of page text.
import { describe, expect, it } from 'vitest';
import { parseUserQuery } from '../../service/search/fts-sqlite.ts';
import { makeSnippet } from '../../service/search/snippet.ts';

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
