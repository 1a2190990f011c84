// PDF clips (issue 16, item 1): real PDFs made here with pdf-lib, read by the same extraction the
// extension runs, field by field; bounds (summarised pages, unread pages, cancel) and the clip
// fields a push accepts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractPdf, pageOfQuote, PDF_TEXT_LIMITS, PdfError, pdfClipFields, pdfQuoteUrl, pdfUrlOfTab } from '../../shared/capture/pdf.ts';
import { clipFields as clipSchema, LIMITS } from '../../shared/model.ts';
import { runCli, tempDir } from '../helpers/processes.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A CSR report: metadata, three pages of text, one scanned page (an image, no text) as page 3. */
async function report(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Sustainability Report 2025');
  doc.setAuthor('Choco BV');
  doc.setSubject('Cocoa sourcing and child labour remediation');
  doc.setKeywords(['cocoa', 'CSR']);
  doc.setCreationDate(new Date('2025-03-14T09:30:00Z'));
  doc.setModificationDate(new Date('2025-04-01T00:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const write = (lines: string[]) => {
    const page = doc.addPage();
    lines.forEach((line, index) => page.drawText(line, { x: 50, y: 750 - index * 20, size: 12, font }));
  };
  write(['Sustainability Report 2025', 'Choco BV sources cocoa from 12,000 farmers.']);
  write(['Child labour remediation', 'We found 312 cases of child labour in Ghana.', 'All were referred to remediation.']);
  const scan = doc.addPage();
  scan.drawImage(await doc.embedPng(PNG), { x: 0, y: 0, width: 595, height: 842 });
  write(['Living income', 'The premium paid was 70 USD per tonne.']);
  return doc.save();
}

describe('extractPdf', () => {
  it('reads metadata, each page’s text and a page index, and marks a scanned page as without text', async () => {
    const bytes = await report();
    const extract = await extractPdf(bytes);
    expect(extract.title).toBe('Sustainability Report 2025');
    expect(extract.author).toBe('Choco BV');
    expect(extract.subject).toBe('Cocoa sourcing and child labour remediation');
    expect(extract.keywords).toBe('cocoa CSR');
    expect(extract.publishedAt).toBe('2025-03-14T09:30:00.000Z');
    expect(extract.pageCount).toBe(4);
    expect(extract.pages.map((entry) => entry.kept)).toEqual(['full', 'full', 'none', 'full']);
    const pageText = (n: number) => {
      const entry = extract.pages[n - 1]!;
      return extract.text.slice(entry.start, entry.end);
    };
    expect(pageText(1)).toBe('Sustainability Report 2025\nChoco BV sources cocoa from 12,000 farmers.');
    expect(pageText(2)).toBe('Child labour remediation\nWe found 312 cases of child labour in Ghana.\nAll were referred to remediation.');
    expect(pageText(3)).toBe('');
    expect(pageText(4)).toBe('Living income\nThe premium paid was 70 USD per tonne.');
    expect(extract.markdown).toContain('## Page 2\n\nChild labour remediation');
    expect(extract.markdown).not.toContain('## Page 3');
    expect(extract.pagesWithoutFullText).toBe(1);
    // The caller's bytes stay usable (they are uploaded after extraction).
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('makes a pdf clip a push accepts, and quotes keep their page', async () => {
    const extract = await extractPdf(await report());
    const url = 'https://choco.example/reports/csr-2025.pdf';
    const fields = pdfClipFields(extract, url);
    const parsed = clipSchema.partial().safeParse(fields);
    expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
    expect(fields).toMatchObject({ kind: 'pdf', title: 'Sustainability Report 2025', byline: 'Choco BV', publishedAt: '2025-03-14T09:30:00.000Z' });
    expect(fields.pages.count).toBe(4);
    expect(pageOfQuote(extract, '312 cases of   child labour')).toBe(2);
    expect(pageOfQuote(extract, '70 USD per tonne')).toBe(4);
    expect(pageOfQuote(extract, 'not in this report')).toBeUndefined();
    expect(pdfQuoteUrl(`${url}#zoom=50`, 2)).toBe(`${url}#page=2`);
    expect(pdfClipFields({ ...extract, title: '' }, url).title).toBe('csr 2025');
    // The extraction's own copy of the model's bounds (kept apart so zod stays out of the background).
    expect(PDF_TEXT_LIMITS).toEqual({ longText: LIMITS.longText, shortText: LIMITS.shortText });
  });

  it('summarises pages past the text bound and leaves pages past the page bound unread', async () => {
    const doc = await PDFDocument.create();
    for (let n = 1; n <= 30; n++) doc.addPage().drawText(`Page ${n} heading\n${'cocoa '.repeat(60)}`, { x: 20, y: 700, size: 8 });
    const bytes = await doc.save();
    const progress: number[] = [];
    const extract = await extractPdf(bytes, { limits: { fullText: 1_000, maxPages: 20 }, onProgress: (done) => progress.push(done) });
    expect(extract.pageCount).toBe(30);
    const kinds = extract.pages.map((entry) => entry.kept);
    // Pages in full while the text bound allows, then each page's first line, then unread.
    expect(kinds.join(' ')).toMatch(/^(full ){3,}(summary ){5,}(unread ?){10}$/);
    expect(kinds.filter((kind) => kind !== 'unread')).toHaveLength(20);
    expect(extract.text.length).toBeLessThan(1_000 + 20 * 200);
    const page10 = extract.pages[9]!;
    expect(extract.text.slice(page10.start, page10.end)).toBe('Page 10 heading…');
    expect(extract.markdown).toContain('Pages 21–30 of 30 are not in this clip');
    expect(progress).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('stops when cancelled, and refuses what is not a PDF or too large', async () => {
    const controller = new AbortController();
    const doc = await PDFDocument.create();
    for (let n = 1; n <= 50; n++) doc.addPage().drawText(`Page ${n}`, { x: 20, y: 700 });
    const bytes = await doc.save();
    const seen: number[] = [];
    const run = extractPdf(bytes, { signal: controller.signal, onProgress: (done) => (seen.push(done), done === 3 && controller.abort()) });
    await expect(run).rejects.toThrow();
    expect(seen.length).toBeLessThan(50);
    await expect(extractPdf(new TextEncoder().encode('<html>not a pdf</html>'))).rejects.toBeInstanceOf(PdfError);
    await expect(extractPdf(bytes, { limits: { maxBytes: 100 } })).rejects.toThrow(/at most 100/);
  });

  it('knows a PDF tab from its address, in Chrome and in Firefox’s viewer', () => {
    expect(pdfUrlOfTab('https://choco.example/r/CSR-2025.PDF')).toBe('https://choco.example/r/CSR-2025.PDF');
    expect(pdfUrlOfTab('https://choco.example/report.html')).toBeUndefined();
    expect(pdfUrlOfTab('moz-extension://abc/web/viewer.html?file=https%3A%2F%2Fchoco.example%2Fa.pdf')).toBe('https://choco.example/a.pdf');
    expect(pdfUrlOfTab('chrome://settings')).toBeUndefined();
  });

  it('casebook extract REPORT.pdf prints the same clip as JSON, and says what is wrong with a bad file', async () => {
    const file = join(tempDir(), 'csr-2025.pdf');
    writeFileSync(file, await report());
    const run = runCli(['extract', file, '--url', 'https://choco.example/csr-2025.pdf'], { env: { CASEBOOK_FROM_SOURCE: '1' } });
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toMatchObject({ kind: 'pdf', url: 'https://choco.example/csr-2025.pdf', title: 'Sustainability Report 2025', byline: 'Choco BV', pageCount: 4 });
    expect(printed.pages.index.map((entry: { kept: string }) => entry.kept)).toEqual(['full', 'full', 'none', 'full']);
    const bad = join(tempDir(), 'fake.pdf');
    writeFileSync(bad, '<html>no</html>');
    const failed = runCli(['extract', bad], { env: { CASEBOOK_FROM_SOURCE: '1' } });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/^casebook extract: not a readable PDF/);
  });
});
