// The offscreen document (Chrome): reads a PDF with pdf.js away from the service worker (issue 16).
// The background asks it to fetch and read one PDF; it answers with the extract, reports progress
// to whoever listens (the popup), keeps the bytes for the upload, and stops on a cancel message.
import { browser } from 'wxt/browser';
import { readPdfBytesAndText, type PdfJobMessage } from '../../lib/pdf-read.ts';

const jobs = new Map<string, AbortController>();

browser.runtime.onMessage.addListener((message: unknown) => {
  const job = message as PdfJobMessage;
  if (job?.target !== 'casebook-offscreen') return undefined;
  if (job.type === 'pdf.cancel') {
    jobs.get(job.jobId)?.abort();
    return undefined;
  }
  if (job.type !== 'pdf.extract') return undefined;
  const controller = new AbortController();
  jobs.set(job.jobId, controller);
  return readPdfBytesAndText(job.url, job.jobId, controller.signal).finally(() => jobs.delete(job.jobId));
});
