// A long report (issue 16): a 300-page CSR report made with pdf-lib (40 lines a page, ~0.4 MB)
// keeps something of every page. The first pages are kept in full up to the clip's text bound;
// every later page keeps its first words in the room left, shared among the pages still to come,
// so a quote from page 290 still finds its page. Before, the summaries of the first 200 pages used
// the room up and the last 60 pages were left "unread".
import { describe, expect, it } from 'vitest';
import { extractPdf, pageOfQuote, pdfClipFields } from '../../shared/capture/pdf.ts';
import { clipFields as clipSchema, LIMITS } from '../../shared/model.ts';
import { makeReport } from '../helpers/pdf-reports.ts';

describe('a 300-page report', () => {
  it('keeps every page, in full or by its first words, within the clip\'s text bound, and the clip is one a push accepts', async () => {
    const bytes = await makeReport(300);
    const progress: number[] = [];
    const extract = await extractPdf(bytes, { onProgress: (done, total) => { expect(total).toBe(300); progress.push(done); } });
    expect(extract.pageCount).toBe(300);
    expect(progress.at(-1)).toBe(300);
    const kinds = extract.pages.map((entry) => entry.kept);
    expect(kinds.filter((kind) => kind === 'unread')).toEqual([]);
    expect(kinds.join(' ')).toMatch(/^(full ){20,}(summary ?){100,}$/);
    expect(extract.text.length).toBeLessThanOrEqual(LIMITS.longText);
    expect(extract.markdown).not.toContain('not in this clip');
    for (const entry of extract.pages) {
      // Each page's own first line (pdf-reports writes "<page>.0 …" first), at least its first words.
      const kept = extract.text.slice(entry.start, entry.end);
      expect(kept.startsWith(`${entry.page}.0 `), `page ${entry.page}: ${kept.slice(0, 30)}`).toBe(true);
      expect(kept.length).toBeGreaterThanOrEqual(entry.kept === 'full' ? 400 : 40);
    }
    const late = extract.pages[289]!;
    expect(pageOfQuote(extract, extract.text.slice(late.start, late.start + 30))).toBe(290);
    const parsed = clipSchema.partial().safeParse(pdfClipFields(extract, 'https://choco.example/reports/annual-2025.pdf'));
    expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
  }, 120_000);
});
