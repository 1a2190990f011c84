// Bylines as a reader would quote them, and the visible byline beating menus and meta lists.
import { describe, expect, it } from 'vitest';
import { chooseByline, cleanByline, findVisibleBylines } from '../../shared/capture/byline.ts';
import { parseHtml } from '../../shared/page/node.ts';

describe('cleanByline', () => {
  it('strips "By"/"Door"/"Von"/"Par", dates glued or not, "Updated …", relative times and job titles', () => {
    expect(cleanByline('by Lucas Nolan22 Dec 2016651')).toBe('Lucas Nolan');
    expect(cleanByline('By Nathan Willis\n   March 25, 2015')).toBe('Nathan Willis');
    expect(cleanByline('Door Sanne de Vries | Bijgewerkt 5 maart 2024')).toBe('Sanne de Vries');
    expect(cleanByline('Von Jonas Weber · 4. März 2025')).toBe('Jonas Weber');
    expect(cleanByline('Par Sébastien Farcis')).toBe('Sébastien Farcis');
    expect(cleanByline('James Akinaka, 8h')).toBe('James Akinaka');
    expect(cleanByline('Jane Doe, Senior Reporter')).toBe('Jane Doe');
    expect(cleanByline('Written by Rob Ewaschuk')).toBe('Rob Ewaschuk');
  });
  it('gives nothing for date stamps and buttons, and a name case for shouted names', () => {
    expect(cleanByline('April 28, 2019 at 6:01 am Updated April 29, 2019')).toBe('');
    expect(cleanByline('Last Updated: January 7, 2025')).toBe('');
    expect(cleanByline('Follow Author')).toBe('');
    expect(cleanByline('By GILLIAN MOHNEY March 11, 2015 3:46 PM')).toBe('Gillian Mohney');
    expect(cleanByline('AFP')).toBe('AFP');
  });
});

describe('visible byline', () => {
  it('skips author marks in menus and teasers of other articles', () => {
    const doc = parseHtml(`<html><body><nav><ul><li><span class="byline"><a rel="author" href="/w/a">Menu Writer</a></span></li></ul></nav>
      <article><h1>Story</h1><span class="byline"><a rel="author" href="/w/b">Real Author</a></span><p>Text.</p>
      <aside class="related"><span class="author">Other Writer</span></aside></article></body></html>`);
    const found = findVisibleBylines(doc);
    expect(found.name).toBe('Real Author');
    expect([...found.elsewhere].sort()).toEqual(['menu writer', 'other writer']);
  });
  it('prefers the structured list when the visible line names all of them', () => {
    expect(chooseByline(['Stella Kim and Jennifer Jett'], 'Stella Kim, Jennifer Jett')).toBe('Stella Kim, Jennifer Jett');
    expect(chooseByline(['Amara Mensah'], 'The Daily Ledger')).toBe('Amara Mensah');
    expect(chooseByline(['', 'Ann Lee · 4 March 2025'], '')).toBe('Ann Lee');
  });
});
