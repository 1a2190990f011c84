// Runs a page command (`casebook extract`, `casebook facts`) on one saved page or on a
// JSONL batch of pages, with the input checks and per-page time bound both commands need.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CliError, parseCommandArgs, type CliIo } from './cli-kit.ts';

export interface PageCommandSpec {
  name: string;
  usage: string;
  processPage: (html: string, url: string) => unknown;
}

/** Pages above this are refused: real articles are well below it, and parsing costs grow with size. */
export const MAX_PAGE_BYTES = 32 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Parses the arguments of a page command and runs it:
 *   NAME PAGE.html --url URL        → one JSON object on stdout
 *   NAME --batch LIST.jsonl         → one JSON line per `{ "file", "url" }` line, in order
 * A failed page in a batch prints `{ "file", "error" }` and the batch goes on.
 */
export async function runPageCommand(
  argv: string[],
  io: CliIo,
  spec: { name: string; usage: string; processPage: (html: string, url: string) => unknown },
): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { url: { type: 'string' }, batch: { type: 'string' }, timeout: { type: 'string' } },
    true,
  );
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(values.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout must be a positive number of milliseconds`);
  const runner = new PageRunner(spec, timeoutMs);
  try {
    if (values.batch !== undefined) {
      if (positionals.length > 0 || values.url !== undefined) throw new CliError(`--batch takes no PAGE or --url (usage: ${firstLine(spec.usage)})`);
      return await runBatch(values.batch, io, runner);
    }
    if (positionals.length !== 1) throw new CliError(`expected one PAGE.html (usage: ${firstLine(spec.usage)})`);
    const file = positionals[0] as string;
    const url = checkUrl(values.url);
    const outcome = await runner.run(path.resolve(file), url);
    if ('error' in outcome) throw new CliError(`${file}: ${outcome.error}`, 1);
    io.stdout(JSON.stringify(outcome.result, null, 2) + '\n');
    return 0;
  } finally {
    await runner.close();
  }
}

async function runBatch(listFile: string, io: CliIo, runner: PageRunner): Promise<number> {
  let list: string;
  try {
    list = await readFile(listFile, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${listFile}: ${fsMessage(error)}`);
  }
  const baseDir = path.dirname(path.resolve(listFile));
  const lines = list.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const lineNo = index + 1;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      io.stdout(JSON.stringify({ file: '', line: lineNo, error: `line ${lineNo}: not valid JSON` }) + '\n');
      continue;
    }
    const file = isRecord(entry) && typeof entry.file === 'string' ? entry.file : '';
    if (!isRecord(entry) || file === '') {
      io.stdout(JSON.stringify({ file, line: lineNo, error: `line ${lineNo}: expected { "file": string, "url": string }` }) + '\n');
      continue;
    }
    let url: string;
    try {
      url = checkUrl(typeof entry.url === 'string' ? entry.url : undefined);
    } catch (error) {
      io.stdout(JSON.stringify({ file, error: (error as Error).message }) + '\n');
      continue;
    }
    const outcome = await runner.run(path.resolve(baseDir, file), url);
    const record = 'error' in outcome ? { file, error: outcome.error } : { file, ...asObject(outcome.result) };
    io.stdout(JSON.stringify(record) + '\n');
  }
  return 0;
}

type Outcome = { result: unknown } | { error: string };

/**
 * Reads, checks and processes pages. The processing runs in a worker thread when one is
 * available for the command, so a pathological page can be stopped after `timeoutMs`
 * (terminate + recreate) and cannot exhaust the main thread's memory; otherwise in-process.
 */
class PageRunner {
  private worker: Worker | undefined;
  private workerUsable: boolean | undefined;
  private nextId = 1;

  constructor(private readonly spec: PageCommandSpec, private readonly timeoutMs: number) {}

  async run(file: string, url: string): Promise<Outcome> {
    let html: string;
    try {
      html = await readPage(file);
    } catch (error) {
      return { error: error instanceof CliError ? error.message : fsMessage(error) };
    }
    if (await this.ensureWorker()) return this.runInWorker(html, url);
    try {
      return { result: await this.spec.processPage(html, url) };
    } catch (error) {
      return { error: errorLine(error) };
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private async ensureWorker(): Promise<boolean> {
    if (this.workerUsable === false) return false;
    if (this.worker) return true;
    const worker = startWorker(this.spec.name);
    if (!worker) {
      this.workerUsable = false;
      return false;
    }
    // The worker answers its first message with whether it knows this command.
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      worker.once('message', (message: { ready?: boolean }) => {
        clearTimeout(timer);
        resolve(message.ready === true);
      });
      worker.once('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) {
      await worker.terminate();
      this.workerUsable = false;
      return false;
    }
    worker.unref();
    this.worker = worker;
    this.workerUsable = true;
    return true;
  }

  private runInWorker(html: string, url: string): Promise<Outcome> {
    const worker = this.worker as Worker;
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const finish = (outcome: Outcome, broken: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (broken) {
          // The worker is stopped or dead: the next page gets a fresh one.
          this.worker = undefined;
          void worker.terminate();
        }
        resolve(outcome);
      };
      const onMessage = (message: { id: number; result?: unknown; error?: string }) => {
        if (message.id !== id) return;
        finish(message.error !== undefined ? { error: message.error } : { result: message.result }, false);
      };
      const onError = (error: unknown) => finish({ error: `page processing failed: ${errorLine(error)}` }, true);
      const onExit = () => finish({ error: 'page processing stopped unexpectedly' }, true);
      const timer = setTimeout(() => finish({ error: `timed out after ${this.timeoutMs} ms` }, true), this.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, html, url });
    });
  }
}

/** Starts the page worker: the bundled .mjs beside the CLI, or the .ts source through tsx. */
function startWorker(name: string): Worker | undefined {
  const fromSource = import.meta.url.endsWith('.ts');
  const file = new URL(fromSource ? './batch-worker.ts' : './batch-worker.mjs', import.meta.url);
  const options = {
    workerData: { name },
    // A runaway page fails with an error in the worker instead of taking the process down.
    resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: 8 },
    stdout: false,
    stderr: true,
  };
  try {
    if (!fromSource) return new Worker(file, options);
    // Node 20 ignores `--import tsx` in a worker's execArgv ("Unknown file extension .ts"), so the
    // worker registers tsx's loader itself before importing the TypeScript entry.
    const tsxApi = resolveTsxApi();
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
    return new Worker(bootstrap, { ...options, eval: true });
  } catch {
    return undefined;
  }
}

/** tsx's ESM API as a URL the eval'd worker can import whatever its working directory. */
function resolveTsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}

/** Reads a saved page and decodes it, refusing what is not a text/HTML file. */
export async function readPage(file: string): Promise<string> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new CliError(fsMessage(error));
  }
  if (info.isDirectory()) throw new CliError('is a directory, not a page');
  if (!info.isFile()) throw new CliError('not a regular file');
  if (info.size > MAX_PAGE_BYTES) throw new CliError(`page too large (${(info.size / 1048576).toFixed(1)} MB; limit ${MAX_PAGE_BYTES / 1048576} MB)`);
  const bytes = await readFile(file);
  return decodePage(bytes);
}

/** Decodes page bytes by BOM, then <meta charset>, else UTF-8; refuses binary and non-HTML input. */
export function decodePage(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new CliError('empty file');
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  else {
    const head = bytes.subarray(0, 8192);
    if (head.includes(0)) throw new CliError('binary file, not an HTML page');
    const ascii = Buffer.from(head).toString('latin1');
    const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(ascii)?.[1];
    if (declared && isKnownEncoding(declared)) encoding = declared.toLowerCase();
  }
  const text = new TextDecoder(encoding).decode(bytes);
  const head = text.slice(0, 65_536);
  // Many control characters or replacement characters mean a binary format (PDF, image, zip).
  const suspicious = head.match(/[\u0000-\u0008\u000e-\u001a\ufffd]/g)?.length ?? 0;
  if (suspicious > head.length * 0.05) throw new CliError('binary file, not an HTML page');
  if (!/<(!doctype\s+html|html|head|body|meta|title|div|p|article|main|section|span|a|h[1-6]|table|ul|script|link)[\s>/]/i.test(head)) {
    throw new CliError('not an HTML page (no HTML tags found)');
  }
  return text;
}

function isKnownEncoding(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

function checkUrl(url: string | undefined): string {
  if (url === undefined || url === '') throw new CliError('missing --url (the address the page was saved from)');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new CliError(`not an http(s) URL: ${url}`);
  return url;
}

function fsMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a page';
  if (code === 'EACCES') return 'permission denied';
  return errorLine(error);
}

function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] || 'unknown error';
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : { result: value };
}
