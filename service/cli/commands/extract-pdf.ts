// `casebook extract REPORT.pdf [--url URL]`: the pdf clip the extension would make of a PDF, with
// the same extraction (shared/capture/pdf.ts), as one JSON object.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { extractPdf, PDF_LIMITS, pdfClipFields } from '../../../shared/capture/pdf.ts';
import { CliError, type CliIo } from '../cli-kit.ts';

export async function extractPdfFile(argv: string[], io: CliIo): Promise<number> {
  const file = argv[0]!;
  const at = argv.indexOf('--url');
  const url = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && (!url || !/^https?:\/\//i.test(url) || !URL.canParse(url))) throw new CliError('--url must be an http(s) URL');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes.byteLength > PDF_LIMITS.maxBytes) throw new CliError(`${file} is ${bytes.byteLength} bytes; at most ${PDF_LIMITS.maxBytes} are read`);
  const extract = await extractPdf(bytes);
  const fields = pdfClipFields(extract, url ?? pathToFileURL(resolve(file)).toString());
  io.stdout(`${JSON.stringify({ ...fields, subject: extract.subject, keywords: extract.keywords, pageCount: extract.pageCount, pagesWithoutFullText: extract.pagesWithoutFullText, ms: Math.round(extract.ms) })}\n`);
  return 0;
}
