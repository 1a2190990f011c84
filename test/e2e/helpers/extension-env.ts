// Everything the extension's browser test needs around it: the built extension, the real service
// (started by its CLI on a free 127.0.0.1 port with a temporary database), a static server for the
// fixture pages, and Debian's Chromium driven by playwright-core (TOOLCHAIN.md).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { BrowserContext, Worker } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Hosts the fixture pages pretend to live on; Chromium resolves them to 127.0.0.1. */
export const COMPANY_HOST = 'www.cocoatrader.nl';
export const NEWS_HOST = 'news.example.org';

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Builds the extension into its own folder, granted the test hosts (see wxt.config.ts). */
export function buildExtension(outDir: string): string {
  const result = spawnSync(join(ROOT, 'node_modules/.bin/wxt'), ['build'], {
    cwd: ROOT, encoding: 'utf8',
    env: { ...process.env, CASEBOOK_EXTENSION_OUT_DIR: outDir,
      CASEBOOK_TEST_HOST_PERMISSIONS: `http://127.0.0.1/*,http://${COMPANY_HOST}/*,http://${NEWS_HOST}/*` },
  });
  if (result.status !== 0) throw new Error(`wxt build failed:\n${result.stdout}\n${result.stderr}`);
  return join(outDir, 'chrome-mv3');
}

/**
 * The release build, as `npm run build` makes it (`wxt build`, no host granted up front): into its
 * own folder so a test run never overwrites the checkout's .output. Throws if the manifest grants
 * any host, so that a test of "the extension as people meet it" cannot silently run the test build.
 */
export function buildRelease(outDir: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, CASEBOOK_EXTENSION_OUT_DIR: outDir };
  delete env.CASEBOOK_TEST_HOST_PERMISSIONS;
  const result = spawnSync(join(ROOT, 'node_modules/.bin/wxt'), ['build'], { cwd: ROOT, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`wxt build failed:\n${result.stdout}\n${result.stderr}`);
  const dir = join(outDir, 'chrome-mv3');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { host_permissions?: string[] };
  if (manifest.host_permissions?.length) throw new Error(`the release build grants hosts up front: ${manifest.host_permissions.join(', ')}`);
  return dir;
}

/** Chrome's id of an unpacked extension: the first 128 bits of SHA-256 of its absolute path, as letters a-p. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

const cliEnv = () => ({ ...process.env, CASEBOOK_FROM_SOURCE: existsSync(join(ROOT, 'dist/main.mjs')) ? '' : '1' });

export function cli(args: string[], input = ''): string {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/casebook.mjs'), ...args], { cwd: ROOT, input, encoding: 'utf8', env: cliEnv() });
  if (result.status !== 0) throw new Error(`casebook ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The password of the people seedLibrary makes: the tests sign in with it. */
export const E2E_PASSWORD = 'correct horse battery staple';

/**
 * A library as an operator sets one up, through the CLI on the database file `db`: Ada Owusu
 * (member, of Fair NGO, who signs in from the extension) and an admin, both with E2E_PASSWORD,
 * and the admin's API token, with which the tests read what arrived.
 */
export function seedLibrary(db: string, name = 'Cocoa learning community'): { libraryId: string; adminToken: string } {
  const libraryId = cli(['library', 'create', '--name', name, '--db', db]).split(/\s+/).at(-1)!;
  cli(['user', 'add', '--email', 'ada@ngo.example', '--name', 'Ada Owusu', '--org', 'Fair NGO', '--library', libraryId, '--role', 'member', '--db', db], `${E2E_PASSWORD}\n`);
  cli(['user', 'add', '--email', 'admin@ngo.example', '--name', 'Admin', '--library', libraryId, '--role', 'admin', '--db', db], `${E2E_PASSWORD}\n`);
  const adminToken = cli(['token', 'create', '--email', 'admin@ngo.example', '--db', db]).split(/\s+/).at(-1)!;
  return { libraryId, adminToken };
}

export class Service {
  private child: ChildProcess | null = null;
  constructor(readonly port: number, readonly db: string) {}
  get url() { return `http://127.0.0.1:${this.port}`; }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [join(ROOT, 'bin/casebook.mjs'), 'serve', '--port', String(this.port), '--host', '127.0.0.1', '--db', this.db, '--quiet'],
      { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/api/v1/health`)).ok) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the service did not start within 20 s');
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); });
  }

  async api<T>(path: string, token: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.png': 'image/png', '.pdf': 'application/pdf' };

/** Serves test/fixtures/pages on 127.0.0.1 whatever Host the browser sends. */
export async function startPages(port: number): Promise<Server> {
  const dir = join(ROOT, 'test/fixtures/pages');
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'company.html' : path.replace(/^\/+/, ''));
    if (!file.startsWith(dir) || !existsSync(file)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
}

export interface Browser { context: BrowserContext; worker: Worker; extensionId: string; profile: string }

export async function launchChromium(extDir: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'casebook-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 420, height: 760 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP ${COMPANY_HOST} 127.0.0.1, MAP ${NEWS_HOST} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost`,
      `--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`],
    ignoreDefaultArgs: ['--disable-extensions'],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  // On install the extension opens its options page (first run). On a busy machine that can
  // happen after a test has opened options.html itself, and Chrome then navigates the test's
  // page, so wait for the first-run tab and close it before any test starts.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const firstRun = context.pages().find((page) => page.url().includes('/options.html'));
    if (firstRun) {
      await firstRun.close();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { context, worker, extensionId: new URL(worker.url()).host, profile };
}

export async function closeChromium(browser: Browser | null): Promise<void> {
  if (!browser) return;
  await browser.context.close();
  rmSync(browser.profile, { recursive: true, force: true });
}
