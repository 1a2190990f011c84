// `casebook extract`: prints the clip the extension would make of a saved page (or of each page
// of a JSONL batch), using the same extractArticle as the content script.
import { extractArticle } from '../../../shared/page/node.ts';
import { runPageCommand } from '../batch.ts';
import { CliError, type CliIo, type Command } from '../cli-kit.ts';
import { extractPdfFile } from './extract-pdf.ts';

const usage = `usage: casebook extract PAGE.html --url URL
       casebook extract REPORT.pdf [--url URL]
       casebook extract --batch LIST.jsonl [--timeout MS]

Prints the article clip of a saved page as one JSON object: title, byline, siteName,
publishedAt, lang, canonicalUrl, excerpt, leadImage, html, markdown, text.
With --batch, LIST.jsonl holds one { "file", "url" } a line (files relative to the list's
folder); prints one JSON line per page, in order; a failed page prints { "file", "error" }.
Each page gets at most --timeout milliseconds (default 30000).
A .pdf file prints the pdf clip the extension would make: title, byline, publishedAt, pages
(count and page index), text, markdown, and pageCount and ms.`;

export function processPage(html: string, url: string): unknown {
  return extractArticle(html, url);
}

export const command: Command = {
  summary: 'print the article clip of a saved page (or a batch of pages) as JSON',
  usage,
  run: (argv: string[], io: CliIo) =>
    argv[0] && /\.pdf$/i.test(argv[0]) && !argv.includes('--batch') ? extractPdfFile(argv, io).catch((error: Error) => Promise.reject(error instanceof CliError ? error : new CliError(error.message))) : runPageCommand(argv, io, { name: 'extract', usage, processPage }),
};
