// Corpus suite: extractArticle on Readability's ~130 test pages (when ../shared/fixtures exists),
// scored against their expected.html and expected-metadata.json; asserts sane floors only.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../shared/page/node.ts';
import { sanitizeClipHtml } from '../../shared/sanitize.ts';
import { CORPUS_URL, META_FIELDS, MetaSplit, canonicalHtml, htmlWords, loadCorpus, metaAgrees, readabilityCorpus, shingleF1, splitTable } from './corpus-score.ts';

const available = existsSync(readabilityCorpus);

describe('Readability corpus', () => {
  if (!available) {
    it.skip(`skipped: ${readabilityCorpus} not found (CI provides ../shared/fixtures)`, () => {});
    return;
  }
  it('extracts every page without crashing, with body and metadata agreement above the floors', () => {
    const pages = loadCorpus();
    expect(pages.length).toBeGreaterThan(100);
    const rows: Array<Record<string, string | number>> = [];
    const agreed: Record<string, number> = Object.fromEntries(META_FIELDS.map((field) => [field, 0]));
    const split = new MetaSplit();
    let f1Sum = 0;
    for (const page of pages) {
      const clip = extractArticle(page.source, CORPUS_URL);
      const f1 = shingleF1(htmlWords(clip.html), htmlWords(page.expectedHtml));
      f1Sum += f1;
      const actual: Record<string, string> = { title: clip.title, byline: clip.byline, excerpt: clip.excerpt, siteName: clip.siteName, publishedTime: clip.publishedAt };
      const row: Record<string, string | number> = { page: page.name, f1: Number(f1.toFixed(3)) };
      for (const field of META_FIELDS) {
        const ok = metaAgrees(field, actual[field], page.expectedMeta[field]);
        if (ok) agreed[field] = (agreed[field] ?? 0) + 1;
        row[field] = ok ? 'ok' : 'x';
      }
      rows.push(row);
      split.add(actual, page.expectedMeta);
      expect(clip.title.length + clip.text.length, page.name).toBeGreaterThan(0);
      // Extraction sanitizes once, on the DOM: sanitize-html must find nothing more to remove.
      expect(canonicalHtml(sanitizeClipHtml(clip.html)), page.name).toBe(canonicalHtml(clip.html));
    }
    const meanF1 = f1Sum / pages.length;
    console.table(rows);
    console.table({ pages: pages.length, meanF1: meanF1.toFixed(3), ...Object.fromEntries(META_FIELDS.map((field) => [field, `${(((agreed[field] ?? 0) / pages.length) * 100).toFixed(1)}%`])) });
    // The fair split, as in the bench: agreement where a value is expected, and fills where the
    // expected (Readability's own) output is null, which are Readability's gaps, not errors.
    console.log('metadata: agreement where a value is expected; filled where expected-metadata.json has null');
    console.table(splitTable({ ours: split }));
    // Floors: measured values minus a margin, so real regressions fail and noise does not.
    expect(meanF1).toBeGreaterThan(0.8);
    expect((agreed.title ?? 0) / pages.length).toBeGreaterThan(0.85);
    expect((agreed.excerpt ?? 0) / pages.length).toBeGreaterThan(0.7);
    expect(split.tallies.byline.agreeExpected / split.tallies.byline.expected).toBeGreaterThan(0.9);
  });
});
