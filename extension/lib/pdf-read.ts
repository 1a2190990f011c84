// Fetching and reading one PDF (issue 16): runs in the reader page only (entrypoints/offscreen:
// Chrome's offscreen document, a frame of Firefox's background page), never in the worker. Bounded: the
// file's size before and while it downloads, pdf.js's own page and text bounds, cancellable.
import { browser } from 'wxt/browser';
import { sha256Hex } from '../../shared/attachments.ts';
import { extractPdf, PDF_LIMITS, type PdfExtract } from '../../shared/capture/pdf.ts';
import { keepFile } from './pdf-files.ts';

export type PdfJobMessage =
  | { target: 'casebook-offscreen'; type: 'pdf.extract'; url: string; jobId: string }
  | { target: 'casebook-offscreen'; type: 'pdf.cancel'; jobId: string };

/** Progress told to the popup or panel: downloading (bytes) or reading (pages). */
export interface PdfProgressNotice {
  notice: 'pdf-progress';
  jobId: string;
  phase: 'download' | 'read';
  done: number;
  total: number;
}

export type PdfReadResult =
  | { ok: true; extract: PdfExtract; sha256: string; bytes: number }
  /** `unreachable`: the request got no answer (no access to the file's origin, CORS, offline). */
  | { ok: false; cancelled: boolean; error: string; unreachable?: boolean };

function tell(notice: PdfProgressNotice): void {
  void browser.runtime.sendMessage(notice).catch(() => undefined);
}

async function download(url: string, jobId: string, signal: AbortSignal): Promise<Uint8Array> {
  // The user's access to that tab: their cookies for the site, the extension's grant for its origin.
  const response = await fetch(url, { credentials: 'include', signal });
  if (!response.ok) throw new Error(`the site answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > PDF_LIMITS.maxBytes) throw new Error(`the PDF is ${Math.round(declared / 1_048_576)} MB; Casebook reads at most ${PDF_LIMITS.maxBytes / 1_048_576} MB`);
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  let lastTold = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > PDF_LIMITS.maxBytes) {
      await reader.cancel();
      throw new Error(`the PDF is larger than ${PDF_LIMITS.maxBytes / 1_048_576} MB; Casebook reads at most that`);
    }
    chunks.push(value);
    if (received - lastTold > 512 * 1024) {
      lastTold = received;
      tell({ notice: 'pdf-progress', jobId, phase: 'download', done: received, total: Number.isFinite(declared) ? declared : 0 });
    }
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

export async function readPdfBytesAndText(url: string, jobId: string, signal: AbortSignal): Promise<PdfReadResult> {
  try {
    const bytes = await download(url, jobId, signal);
    const sha256 = await sha256Hex(bytes);
    const extract = await extractPdf(bytes, { signal, onProgress: (done, total) => tell({ notice: 'pdf-progress', jobId, phase: 'read', done, total }) });
    await keepFile(sha256, bytes);
    return { ok: true, extract, sha256, bytes: bytes.byteLength };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // fetch rejects with a TypeError when the request never got an answer (no access, CORS, offline).
    return { ok: false, cancelled: signal.aborted, error: message, ...(error instanceof TypeError && !signal.aborted ? { unreachable: true } : {}) };
  }
}
