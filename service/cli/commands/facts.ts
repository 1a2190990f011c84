// `casebook facts`: prints the company-scan proposals of a saved page (or of each page of a
// JSONL batch), using the same proposeScanAnswers as the extension's content script.
import { proposeScanAnswers } from '../../../shared/page/node.ts';
import { runPageCommand } from '../batch.ts';
import type { CliIo, Command } from '../cli-kit.ts';

const usage = `usage: casebook facts PAGE.html --url URL
       casebook facts --batch LIST.jsonl [--timeout MS]

Prints the company-scan proposals of a saved page as one JSON object:
{ "url", "answers": { "<key>": [ { "value", "method", "confidence", "evidence": { "url", "snippet" } } ] } }
(company-scan.md), a key only where something was found, best proposal first.
With --batch, LIST.jsonl holds one { "file", "url" } a line (files relative to the list's
folder); prints one JSON line per page, in order, each with its "file"; a failed page prints
{ "file", "error" } and the batch goes on. Each page gets at most --timeout milliseconds (default 30000).`;

export function processPage(html: string, url: string): unknown {
  return proposeScanAnswers(html, url);
}

export const command: Command = {
  summary: 'print the company-scan proposals of a saved page (or a batch of pages) as JSON',
  usage,
  run: (argv: string[], io: CliIo) => runPageCommand(argv, io, { name: 'facts', usage, processPage }),
};
