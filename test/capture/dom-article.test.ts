// @vitest-environment happy-dom
// extractArticle as the content script calls it: on the live document, which must not change.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { extractArticle } from '../../shared/capture/article.ts';

const page = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'articles', 'news-article.html'), 'utf8');

it('extracts from a live Document without modifying it and without the Node host', () => {
  document.documentElement.innerHTML = new DOMParser().parseFromString(page, 'text/html').documentElement.innerHTML;
  const before = document.documentElement.outerHTML;
  const clip = extractArticle(document, 'https://ledger.example/business/cocoa');
  expect(document.documentElement.outerHTML).toBe(before);
  expect(clip.title).toBe('Cocoa cooperatives win fairer prices after two-year talks');
  expect(clip.text).toContain('ending two years of negotiations');
  expect(clip.text).not.toContain('We use cookies');
  expect(clip.html).not.toMatch(/<script|<form|<button/i);
  expect(clip.markdown).toContain('[traceability system](https://ledger.example/topics/traceability)');
});
