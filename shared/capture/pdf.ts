// PDF clips (issue 16, item 1): text and metadata of a PDF with pdf.js, the same code in the
// extension (an offscreen document on Chrome, the popup or side panel on Firefox) and in Node
// (`casebook extract FILE.pdf`, tests). Bounded: at most PDF_LIMITS.maxBytes in, the text of the
// first pages in full up to the clip's long-text bound, later pages summarised by their first
// line, a page at a time with progress, cancellable through an AbortSignal. pdf.js is loaded
// only when a PDF is read, so the helpers below cost a background bundle nothing.
/**
 * shared/model.ts LIMITS.longText and .shortText (test/capture/pdf.test.ts checks they agree): not
 * imported, since the model brings zod into the extension's background bundle with it.
 */
const LIMITS = { longText: 200_000, shortText: 2_000 } as const;
export const PDF_TEXT_LIMITS = LIMITS;

export const PDF_LIMITS = {
  /** A file larger than this is not read (a 40 MB report is well within). */
  maxBytes: 50 * 1024 * 1024,
  /** Pages read at most; a longer document is counted, and the rest named in the summary. */
  maxPages: 2_000,
  /** Text kept in full: the clip's long-text bound, less room for the summary of later pages. */
  fullText: LIMITS.longText - 20_000,
  /** What a page beyond the full text keeps: its first characters (fewer when many pages share the room left). */
  summaryChars: 160,
  /** Whole-document time bound; past it the pages read so far are kept and the rest summarised as unread. */
  timeMs: 120_000,
} as const;

/** One page in the clip's text: where its text starts and ends (offsets into `text`). */
export interface PdfPageEntry {
  page: number;
  start: number;
  end: number;
  /** `full`: all of the page's text; `summary`: its first line only; `none`: no text (a scan); `unread`: past a bound. */
  kept: 'full' | 'summary' | 'none' | 'unread';
}

export interface PdfExtract {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  /** The document's creation date (else its modification date), ISO 8601, or ''. */
  publishedAt: string;
  lang: string;
  pageCount: number;
  text: string;
  markdown: string;
  excerpt: string;
  pages: PdfPageEntry[];
  /** Pages whose text is not kept in full (summarised, unread, or without text). */
  pagesWithoutFullText: number;
  ms: number;
}

export class PdfError extends Error {}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let workerReady: Promise<PdfJs> | undefined;
/**
 * pdf.js parses on a "worker": here its handler runs on this thread (an offscreen document, a
 * panel, Node), loaded once; pages are read one at a time with a yield between them.
 */
function loadPdfJs(): Promise<PdfJs> {
  workerReady ??= (async () => {
    const [pdfjs, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.mjs')]);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return pdfjs;
  })();
  return workerReady;
}

const clean = (value: unknown) => (typeof value === 'string' ? value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim() : '');

function pdfDate(pdfjs: PdfJs, value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  const date = pdfjs.PDFDateString.toDateObject(value);
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
}

/** A page's text from pdf.js items: lines where the PDF ends them, spaces tidied. */
function pageText(items: Array<{ str?: string; hasEOL?: boolean }>): string {
  let out = '';
  for (const item of items) {
    if (typeof item.str === 'string') out += item.str;
    if (item.hasEOL) out += '\n';
  }
  return out
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export interface ExtractOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Test and caller overrides of PDF_LIMITS. */
  limits?: Partial<Record<keyof typeof PDF_LIMITS, number>>;
}

/** Reads a PDF's metadata and text; throws PdfError for a file that is not a PDF or too large. */
export async function extractPdf(data: Uint8Array, options: ExtractOptions = {}): Promise<PdfExtract> {
  const limits = { ...PDF_LIMITS, ...options.limits };
  const started = performance.now();
  if (data.byteLength > limits.maxBytes) throw new PdfError(`the PDF is ${data.byteLength} bytes; at most ${limits.maxBytes} are read`);
  options.signal?.throwIfAborted();
  const pdfjs = await loadPdfJs();
  // pdf.js takes the buffer over: give it a copy so the caller's bytes stay usable (upload).
  const task = pdfjs.getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  const abort = () => void task.destroy();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new PdfError(`not a readable PDF: ${(error as Error).message}`);
    }
    const meta = await doc.getMetadata().catch(() => ({ info: {} as Record<string, unknown> }));
    const info = (meta.info ?? {}) as Record<string, unknown>;
    const pageCount = doc.numPages;
    const pages: PdfPageEntry[] = [];
    const markdownParts: string[] = [];
    let text = '';
    let fullBudget = true;
    const total = Math.min(pageCount, limits.maxPages);
    for (let number = 1; number <= pageCount; number++) {
      options.signal?.throwIfAborted();
      const overTime = performance.now() - started > limits.timeMs;
      if (number > total || overTime || text.length >= LIMITS.longText - 200) {
        pages.push({ page: number, start: text.length, end: text.length, kept: 'unread' });
        continue;
      }
      const page = await doc.getPage(number);
      const content = await page.getTextContent();
      page.cleanup();
      const body = pageText(content.items as Array<{ str?: string; hasEOL?: boolean }>);
      const separator = text ? '\n\n' : '';
      if (!body) {
        pages.push({ page: number, start: text.length, end: text.length, kept: 'none' });
      } else {
        if (fullBudget && text.length + separator.length + body.length > limits.fullText) fullBudget = false;
        // A summary shares what room is left with the pages still to come, so that every page of a
        // long report keeps at least its first words (not the first pages' lines and then nothing).
        const room = Math.floor((LIMITS.longText - 200 - text.length) / (total - number + 1)) - separator.length - 1;
        const kept = fullBudget ? body : `${body.split('\n')[0]!.slice(0, Math.max(40, Math.min(limits.summaryChars, room)))}…`;
        text += separator;
        const start = text.length;
        text += kept;
        pages.push({ page: number, start, end: text.length, kept: fullBudget ? 'full' : 'summary' });
        markdownParts.push(`## Page ${number}\n\n${kept}`);
      }
      options.onProgress?.(number, total);
      // Let the page (progress, the Cancel button) breathe between pages.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const unread = pages.filter((entry) => entry.kept === 'unread');
    if (unread.length) markdownParts.push(`*Pages ${unread[0]!.page}–${unread[unread.length - 1]!.page} of ${pageCount} are not in this clip (too long to keep in full).*`);
    const lang = clean(info.Language);
    await doc.destroy();
    const firstLines = text.slice(0, 600).replace(/\s+/g, ' ').trim();
    return {
      title: clean(info.Title).slice(0, 1_000),
      author: clean(info.Author).slice(0, 1_000),
      subject: clean(info.Subject).slice(0, 1_000),
      keywords: clean(info.Keywords).slice(0, 1_000),
      publishedAt: pdfDate(pdfjs, info.CreationDate) || pdfDate(pdfjs, info.ModDate),
      lang: lang.slice(0, 35),
      pageCount,
      text: text.slice(0, LIMITS.longText),
      markdown: markdownParts.join('\n\n').slice(0, LIMITS.longText),
      excerpt: clean(info.Subject) || (firstLines.length > 300 ? `${firstLines.slice(0, 300)}…` : firstLines),
      pages,
      pagesWithoutFullText: pages.filter((entry) => entry.kept !== 'full').length,
      ms: performance.now() - started,
    };
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

/** The file's name from its address, as a title of last resort. */
export function pdfNameFromUrl(url: string): string {
  try {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return name.replace(/\.pdf$/i, '').replace(/[-_]+/g, ' ').trim() || new URL(url).hostname;
  } catch {
    return 'PDF';
  }
}

/** The fields of a `pdf` clip (shared/model.ts) from an extract. */
export function pdfClipFields(extract: PdfExtract, url: string) {
  return {
    url,
    kind: 'pdf' as const,
    title: (extract.title || pdfNameFromUrl(url)).slice(0, LIMITS.shortText),
    byline: extract.author.slice(0, LIMITS.shortText),
    publishedAt: extract.publishedAt,
    lang: extract.lang,
    excerpt: extract.excerpt.slice(0, 5_000),
    text: extract.text,
    markdown: extract.markdown,
    html: '',
    pages: { count: extract.pageCount, index: extract.pages.slice(0, PAGE_INDEX_MAX).map(({ page, start, end, kept }) => ({ page, start, end, kept })) },
  };
}

/** Entries of a clip's page index kept at most (shared/model.ts bounds the field the same). */
export const PAGE_INDEX_MAX = 2_000;

const squash = (value: string) => value.replace(/\s+/g, ' ').trim().toLowerCase();

/** The page a quoted passage is on, from the page index, or undefined when it is not in the text. */
export function pageOfQuote(extract: Pick<PdfExtract, 'text' | 'pages'>, quote: string): number | undefined {
  const wanted = squash(quote);
  if (!wanted) return undefined;
  for (const entry of extract.pages) {
    if (entry.end > entry.start && squash(extract.text.slice(entry.start, entry.end)).includes(wanted)) return entry.page;
  }
  // A quote across a page break: the page it starts on.
  const head = wanted.slice(0, 40);
  for (const entry of extract.pages) {
    if (entry.end > entry.start && squash(extract.text.slice(entry.start, entry.end)).includes(head)) return entry.page;
  }
  return undefined;
}

/** A quote's link into a PDF: the page fragment viewers open (Chrome's, pdf.js), without the file's own fragment. */
export function pdfQuoteUrl(url: string, page: number | undefined): string {
  const base = url.split('#')[0]!;
  return page ? `${base}#page=${page}` : base;
}

/** Whether a tab's address is a PDF the extension can read: a .pdf path, or Firefox's pdf.js viewer showing one. */
export function pdfUrlOfTab(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    // Firefox's viewer keeps the file's address; some builds show it as ?file=.
    const inner = parsed.protocol === 'moz-extension:' || parsed.protocol === 'chrome-extension:' ? parsed.searchParams.get('file') : null;
    const target = inner ? new URL(inner) : parsed;
    if (!/^https?:$/.test(target.protocol) && target.protocol !== 'file:') return undefined;
    return /\.pdf$/i.test(target.pathname) ? target.toString() : undefined;
  } catch {
    return undefined;
  }
}
