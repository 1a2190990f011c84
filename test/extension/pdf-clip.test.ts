// A PDF tab in the extension (issue 16): the page the reader made becomes a pdf clip whatever
// kind the popup suggested, and, while the company's scan is open, evidence of its "Reports".
import 'fake-indexeddb/auto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildClipFields } from '../../extension/lib/clip.ts';
import { closeDbForTests, openDb, type Db } from '../../extension/lib/db.ts';
import { siteKey } from '../../shared/site.ts';
import { articleImageUrls, offerPdfAsReport, queueImageUploads, withPdfSelection, type PdfCapturedPage } from '../../extension/lib/pdf.ts';
import { filesDb } from '../../extension/lib/pdf-files.ts';
import { keepAnswers } from '../../extension/lib/scan.ts';
import type { Session } from '../../extension/lib/settings.ts';
import { pdfClipFields, type PdfExtract } from '../../shared/capture/pdf.ts';
import { clipFields } from '../../shared/model.ts';

const LIB = '11111111-1111-4111-8111-111111111111';
const session: Session = {
  serverUrl: 'http://127.0.0.1:9', token: 't', tokenId: null, clientId: 'client-1', libraryId: LIB,
  user: { id: 'u', name: 'Ada', email: 'ada@example.org', organisation: 'NGO' }, libraries: [{ id: LIB, name: 'L', role: 'member' }],
};

const URL_ = 'https://www.choco.example/media/csr-2025.pdf';
const text = 'Sustainability Report 2025\n\nWe found 312 cases of child labour.\n\nLiving income premium';
const extract: PdfExtract = {
  title: 'Sustainability Report 2025', author: 'Choco BV', subject: '', keywords: '', publishedAt: '2025-03-14T09:30:00.000Z', lang: '',
  pageCount: 3, text, markdown: '## Page 1\n\nSustainability Report 2025', excerpt: 'Sustainability Report 2025', ms: 1,
  pages: [{ page: 1, start: 0, end: 26, kept: 'full' }, { page: 2, start: 28, end: 64, kept: 'full' }, { page: 3, start: 66, end: 87, kept: 'full' }],
  pagesWithoutFullText: 0,
};
const fields = pdfClipFields(extract, URL_);
const page: PdfCapturedPage = {
  url: URL_, pageTitle: 'csr-2025.pdf', selection: null, articleError: null,
  article: { title: fields.title, byline: fields.byline, siteName: '', publishedAt: fields.publishedAt, lang: '', canonicalUrl: '', excerpt: fields.excerpt, leadImage: '', html: '', markdown: fields.markdown, text },
  pdf: { fields, sha256: 'a'.repeat(64), bytes: 1234, extract: { text, pages: extract.pages } },
};
const options = { tags: [], note: '', caseIds: [], capturedBy: 'Ada', capturedAt: '2026-12-01T00:00:00.000Z' };

describe('a PDF tab', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openDb(`pdf-${Math.random()}`);
  });
  afterEach(() => closeDbForTests());

  it('saves as a pdf clip a push accepts, even when the popup suggested article or link', async () => {
    for (const kind of ['article', 'link'] as const) {
      const built = await buildClipFields(page, { ...options, kind });
      expect(built).toMatchObject({ kind: 'pdf', title: 'Sustainability Report 2025', byline: 'Choco BV', url: URL_, pages: { count: 3 } });
      expect(clipFields.partial().safeParse(built).success).toBe(true);
    }
  });

  it('keeps the page of a quote selected in the PDF', async () => {
    const quoted = withPdfSelection(page, '312 cases of child labour');
    const built = await buildClipFields(quoted, { ...options, kind: 'selection' });
    expect(built.selection).toEqual({ text: '312 cases of child labour', quoteUrl: `${URL_}#page=2` });
  });

  it('becomes evidence of the open scan’s Reports question, and only when a scan is open', async () => {
    expect(await offerPdfAsReport(db, session, page)).toBe(false);
    await keepAnswers(db, session, siteKey(URL_)!, {});
    expect(await offerPdfAsReport(db, session, page)).toBe(true);
    const draft = await db.get('scanDrafts', `${LIB}:${siteKey(URL_)}`);
    expect(draft?.answers.reports).toMatchObject({ value: [URL_], evidence: [{ url: URL_, snippet: 'Sustainability Report 2025 (2025), PDF, 3 pages' }] });
  });

  it('an article keeps its raster images for upload, never an SVG, each address once', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const server = createServer((request, response) => {
      // Images served with CORS (the test's page is no extension with host permissions).
      response.setHeader('access-control-allow-origin', '*');
      if (request.url?.startsWith('/a.png')) response.writeHead(200, { 'content-type': 'image/png' }).end(png);
      // Served as an image, but its bytes are a script-bearing SVG.
      else if (request.url === '/b.png') response.writeHead(200, { 'content-type': 'image/png' }).end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      else response.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const html = `<p>x</p><img src="${base}/a.png?w=1&amp;h=2"><img src="${base}/b.png"><img src="${base}/a.png?w=1&amp;h=2"><img src="data:image/png;base64,AAAA"><img src="${base}/gone.png">`;
      expect(articleImageUrls(html)).toEqual([`${base}/a.png?w=1&h=2`, `${base}/b.png`, `${base}/gone.png`]);
      const article = { ...page.article!, html };
      const articlePage = { url: `${base}/story`, pageTitle: 'Story', article, selection: null, articleError: null };
      expect(await queueImageUploads(LIB, '22222222-2222-4222-8222-222222222222', articlePage, 'article')).toBe(1);
      const uploads = await (await filesDb()).getAll('uploads');
      expect(uploads.filter((upload) => upload.role === 'image').map(({ source, role }) => ({ source, role }))).toEqual([{ source: `${base}/a.png?w=1&h=2`, role: 'image' }]);
      expect(await queueImageUploads(LIB, '33333333-3333-4333-8333-333333333333', articlePage, 'selection')).toBe(0);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
