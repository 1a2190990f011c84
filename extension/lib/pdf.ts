// PDF tabs in the background (issue 16, item 1): a PDF tab (Chrome's viewer, Firefox's pdf.js
// viewer) is read as a PDF, never with the article script. The work happens in the reader page
// (entrypoints/offscreen): Chrome's offscreen document, on Firefox a frame of the background
// page. The service worker only waits for the answer. The file's bytes wait in IndexedDB and are uploaded
// as the clip's attachment once the clip is pushed.
import { browser } from 'wxt/browser';
import { pageOfQuote, pdfClipFields, pdfQuoteUrl, pdfUrlOfTab, type PdfExtract } from '../../shared/capture/pdf.ts';
import type { Db } from './db.ts';
import type { CapturedPage } from './engines.ts';
import { siteKey } from '../../shared/site.ts';
import { attachToDraft } from './scan.ts';
import { CasebookError } from './messages.ts';
import { filesDb, keepFile, type PendingUpload } from './pdf-files.ts';
import { ALLOWED_TYPES, ATTACHMENT_LIMITS, sha256Hex, sniffContentType } from '../../shared/attachments.ts';
import type { PdfJobMessage, PdfReadResult } from './pdf-read.ts';
import { originPattern, type Session } from './settings.ts';

/** A PDF tab as captured: the article slots filled from the PDF, and the PDF's own fields. */
export interface PdfCapturedPage extends CapturedPage {
  pdf: { fields: ReturnType<typeof pdfClipFields>; sha256: string; bytes: number; extract: Pick<PdfExtract, 'text' | 'pages'> };
}

export const isPdfPage = (page: CapturedPage): page is PdfCapturedPage => 'pdf' in page && typeof (page as { pdf?: unknown }).pdf === 'object';

const OFFSCREEN_URL = 'offscreen.html';
const READER_FRAME = 'casebook-pdf-reader';
let running: { jobId: string; cancel: () => void } | undefined;

/**
 * Starts the reader page: Chrome's offscreen document, or on Firefox (no offscreen API) the same
 * page in a frame of the background page. pdf.js lives only there, never in the worker's bundle.
 */
async function ensureReader(): Promise<void> {
  if (import.meta.env.FIREFOX) {
    if (document.getElementById(READER_FRAME)) return;
    const frame = document.createElement('iframe');
    frame.id = READER_FRAME;
    frame.src = browser.runtime.getURL(`/${OFFSCREEN_URL}`);
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.appendChild(frame);
    await loaded;
    return;
  }
  const offscreen = browser.offscreen;
  if (await offscreen.hasDocument?.().catch(() => false)) return;
  await offscreen
    .createDocument({ url: OFFSCREEN_URL, reasons: ['WORKERS' as Browser.offscreen.Reason], justification: 'Read the text of a PDF with pdf.js away from the service worker' })
    .catch((error: Error) => {
      if (!/single offscreen|already/i.test(error.message)) throw error;
    });
}

async function readInReader(url: string, jobId: string): Promise<PdfReadResult> {
  await ensureReader();
  const message: PdfJobMessage = { target: 'casebook-offscreen', type: 'pdf.extract', url, jobId };
  running = { jobId, cancel: () => void browser.runtime.sendMessage({ target: 'casebook-offscreen', type: 'pdf.cancel', jobId } satisfies PdfJobMessage).catch(() => undefined) };
  return (await browser.runtime.sendMessage(message)) as PdfReadResult;
}

/**
 * Whether the extension holds no host permission for a file's origin. Firefox's activeTab (the
 * toolbar click) does not open the file's origin to the reader page, so there the first read of
 * a PDF from a new site fails with a NetworkError: the popup then asks for that site.
 */
async function lacksAccess(url: string): Promise<boolean> {
  try {
    return !(await browser.permissions.contains({ origins: [originPattern(url)] }));
  } catch {
    return false;
  }
}

/** Stops the PDF being read (the popup's Cancel). */
export function cancelPdf(): boolean {
  if (!running) return false;
  running.cancel();
  return true;
}

/** A PDF tab read as a page whose "article" is the PDF; undefined when the tab shows no PDF. */
export async function capturePdfTab(tabId: number): Promise<PdfCapturedPage | undefined> {
  const tab = await Promise.resolve()
    .then(() => browser.tabs.get(tabId))
    .catch(() => undefined);
  const url = pdfUrlOfTab(tab?.url);
  if (!url) return undefined;
  const jobId = crypto.randomUUID();
  let result: PdfReadResult;
  try {
    result = await readInReader(url, jobId);
  } finally {
    if (running?.jobId === jobId) running = undefined;
  }
  if (!result?.ok) {
    if (result?.cancelled) throw new CasebookError('cancelled', 'Reading the PDF was cancelled.');
    if (result?.unreachable && (await lacksAccess(url))) throw new CasebookError('no-access', `Casebook may not read files from ${new URL(url).host} yet: allow it to read this PDF.`);
    throw new CasebookError('capture-failed', `Could not read the PDF: ${result?.error ?? 'no answer'}`);
  }
  const fields = pdfClipFields(result.extract, url);
  return {
    url,
    pageTitle: tab?.title ?? fields.title,
    article: {
      title: fields.title, byline: fields.byline, siteName: '', publishedAt: fields.publishedAt, lang: fields.lang, canonicalUrl: '',
      excerpt: fields.excerpt, leadImage: '', html: '', markdown: fields.markdown, text: fields.text,
    },
    selection: null,
    articleError: null,
    pdf: { fields, sha256: result.sha256, bytes: result.bytes, extract: { text: result.extract.text, pages: result.extract.pages } },
  };
}

/** A passage selected in a PDF (the context menu's selectionText) as a quote that keeps its page. */
export function withPdfSelection(page: PdfCapturedPage, text: string): PdfCapturedPage {
  const quote = text.trim().slice(0, 20_000);
  if (!quote) return page;
  const number = pageOfQuote(page.pdf.extract, quote);
  return { ...page, selection: { text: quote, context: { before: '', after: '' }, quoteUrl: pdfQuoteUrl(page.url, number) } };
}

/** The clip keeps its PDF: its upload waits until the clip is pushed. */
export async function queuePdfUpload(libraryId: string, clipId: string, page: CapturedPage): Promise<void> {
  if (!isPdfPage(page)) return;
  const db = await filesDb();
  await db.put('uploads', { key: `${clipId}:${page.pdf.sha256}`, libraryId, clipId, sha256: page.pdf.sha256, role: 'pdf', tries: 0 });
}

/**
 * Uploads what waits (`PUT …/attachments/:sha256?clip=&role=`): the server already holding the
 * bytes answers without reading them; a clip not pushed yet (404) waits for the next try; a file
 * refused for its size or type (413, 415, 400) is dropped.
 */
export async function uploadPending(session: Session): Promise<{ uploaded: number; waiting: number }> {
  const db = await filesDb();
  let uploaded = 0;
  for (const upload of await db.getAll('uploads')) {
    if (upload.libraryId !== session.libraryId) continue;
    const file = await db.get('files', upload.sha256);
    if (!file) {
      await db.delete('uploads', upload.key);
      continue;
    }
    const source = upload.source ? `&source=${encodeURIComponent(upload.source)}` : '';
    const url = `${session.serverUrl}/api/v1/libraries/${encodeURIComponent(upload.libraryId)}/attachments/${upload.sha256}?clip=${encodeURIComponent(upload.clipId)}&role=${upload.role}${source}`;
    let status = 0;
    try {
      const response = await fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/octet-stream' }, body: file.bytes });
      status = response.status;
    } catch {
      break; // offline: everything waits for the next push
    }
    if (status === 200 || status === 201 || status === 413 || status === 415 || status === 400 || upload.tries >= 20) {
      await db.delete('uploads', upload.key);
      if (status < 300) uploaded += 1;
      const stillNeeded = (await db.getAll('uploads')).some((other: PendingUpload) => other.sha256 === upload.sha256);
      if (!stillNeeded) await db.delete('files', upload.sha256);
    } else {
      await db.put('uploads', { ...upload, tries: upload.tries + 1 });
    }
  }
  const waiting = (await db.getAll('uploads')).filter((upload) => upload.libraryId === session.libraryId).length;
  return { uploaded, waiting };
}

/**
 * A PDF clipped from a company's site while its scan is open (a draft exists) becomes evidence
 * of the scan's "Reports" question: its address, with its title, year and length as the snippet.
 */
export async function offerPdfAsReport(db: Db, session: Session, page: CapturedPage): Promise<boolean> {
  if (!isPdfPage(page) || !session.libraryId) return false;
  const site = siteKey(page.url);
  if (!site || !(await db.get('scanDrafts', `${session.libraryId}:${site}`))) return false;
  const fields = page.pdf.fields;
  const year = fields.publishedAt ? ` (${fields.publishedAt.slice(0, 4)})` : '';
  const snippet = `${fields.title}${year}, PDF, ${fields.pages.count} pages`.slice(0, 2_000);
  await attachToDraft(db, session, site, 'reports', { url: page.url, snippet });
  return true;
}

/** The images of a clipped article, by their address in its HTML: http(s) only, each once. */
export function articleImageUrls(html: string, limit: number = ATTACHMENT_LIMITS.imagesPerClip): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/<img\b[^>]*?\ssrc="([^"]+)"/gi)) {
    const src = match[1]!.replace(/&amp;/g, '&');
    if (/^https?:\/\//i.test(src)) found.add(src);
    if (found.size >= limit) break;
  }
  return [...found];
}

/**
 * An article clip keeps its images (issue 16, item 2): each fetched where the extension may
 * (the tab's origin, granted sites, images served with CORS), typed by its bytes (raster only:
 * an SVG is never kept), bounded per file and per clip, and queued for upload after the push.
 * An image that cannot be fetched stays a link to its source.
 */
export async function queueImageUploads(libraryId: string, clipId: string, page: CapturedPage, kind: string): Promise<number> {
  if (kind !== 'article' || isPdfPage(page) || !page.article?.html) return 0;
  const db = await filesDb();
  let total = 0;
  let queued = 0;
  for (const src of articleImageUrls(page.article.html)) {
    try {
      const response = await fetch(src, { credentials: 'omit', signal: AbortSignal.timeout(15_000) });
      if (!response.ok) continue;
      if (Number(response.headers.get('content-length') ?? 0) > ATTACHMENT_LIMITS.image) continue;
      const bytes = new Uint8Array(await response.arrayBuffer());
      const type = sniffContentType(bytes.subarray(0, 1024));
      if (!type || !ALLOWED_TYPES.image.includes(type) || bytes.byteLength > ATTACHMENT_LIMITS.image) continue;
      if (total + bytes.byteLength > ATTACHMENT_LIMITS.perClip) break;
      total += bytes.byteLength;
      const sha256 = await sha256Hex(bytes);
      await keepFile(sha256, bytes);
      await db.put('uploads', { key: `${clipId}:${sha256}`, libraryId, clipId, sha256, role: 'image', source: src, tries: 0 });
      queued += 1;
    } catch {
      // Not reachable from here (no grant, no CORS, offline): the clip keeps the link.
    }
  }
  return queued;
}
