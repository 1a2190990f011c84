// One reader of JSON-LD and meta tags serves capture and company facts (shared/page/structured.ts):
// hostile blocks are bounded and one broken block never hides the others.
import { describe, expect, it } from 'vitest';
import { isNode, parseJsonLd, readMetaTags, resolve, typesOf } from '../../shared/page/structured.ts';
import { parseHtml } from '../../shared/page/node.ts';

describe('parseJsonLd', () => {
  it('reads every block, flattens @graph and nested arrays, and indexes @id across blocks', () => {
    const ld = parseJsonLd([
      '{"@context":"https://schema.org","@graph":[{"@type":"WebSite","@id":"#site","name":"Ledger"},{"@type":"NewsArticle","headline":"H","author":{"@id":"#anna"}}]}',
      '{ not json',
      '[[{"@type":"schema:Organization","name":"Ledger BV"}]]',
      '<![CDATA[ {"@type":"Person","@id":"#anna","name":"Anna",} ]]>',
      '// a comment line\n{"@type":"http://schema.org/Place","name":"Kade"}',
    ]);
    expect(ld.roots.map((node) => typesOf(node)[0])).toEqual(['WebSite', 'NewsArticle', 'Organization', 'Person', 'Place']);
    const article = ld.roots[1]!;
    expect((resolve(ld, article.author) as { name: string }).name).toBe('Anna');
    // The bare @graph wrapper is no statement of its own.
    expect(ld.roots.some((node) => node['@graph'] !== undefined)).toBe(false);
  });

  it('bounds hostile blocks: oversized, deeply nested, or enormous in count', () => {
    const huge = `{"@type":"Organization","name":"${'x'.repeat(1_100_000)}"}`;
    let deep = '{"@type":"Thing","name":"bottom"}';
    for (let i = 0; i < 5_000; i++) deep = `{"child":${deep}}`;
    const many = `[${Array.from({ length: 50_000 }, (_, i) => `{"@type":"Thing","@id":"#n${i}","name":"n${i}"}`).join(',')}]`;
    const ld = parseJsonLd([huge, deep, many, '{"@type":"Organization","name":"Kept"}']);
    expect(ld.roots.some((node) => node.name === 'Kept')).toBe(true);
    expect(ld.roots.some((node) => typeof node.name === 'string' && node.name.length > 1000)).toBe(false);
    expect(ld.nodes.length).toBeLessThanOrEqual(20_000);
    expect(ld.nodes.some((node) => node.name === 'bottom')).toBe(false);
    expect(ld.roots.every(isNode)).toBe(true);
  });
});

describe('readMetaTags', () => {
  it('names a value by property, name, itemprop and http-equiv, in page order, white space collapsed, empties left out', () => {
    const doc = parseHtml(`<html><head>
      <meta property="og:title twitter:title" content="  The   title ">
      <meta name="description" content="">
      <meta name="Description" content="First
        description">
      <meta http-equiv="content-language" content="nl">
      <meta itemprop="datePublished" content="2024-05-01">
      <meta property="og:image" content="a.jpg"><meta property="og:image" content="b.jpg">
    </head><body></body></html>`);
    const meta = readMetaTags(Array.from(doc.getElementsByTagName('meta')));
    expect(meta.get('og:title')).toEqual(['The title']);
    expect(meta.get('twitter:title')).toEqual(['The title']);
    expect(meta.get('description')).toEqual(['First description']);
    expect(meta.get('content-language')).toEqual(['nl']);
    expect(meta.get('datepublished')).toEqual(['2024-05-01']);
    expect(meta.get('og:image')).toEqual(['a.jpg', 'b.jpg']);
  });
});
