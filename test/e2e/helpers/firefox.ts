// Debian's Firefox ESR driven over WebDriver BiDi (puppeteer-core, never a downloaded browser),
// with the release build of the add-on installed as a temporary add-on (issue 10, "Firefox for
// real"). Real keys (the add-on's shortcuts) need a real X display: the tests start their own Xvfb
// and type with xdotool, because keys sent over BiDi are dispatched inside the page and never
// reach Firefox's shortcut handling (measured: none of four Alt+Shift shortcuts fired that way).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { COMPANY_HOST, NEWS_HOST, ROOT } from './extension-env.ts';

export const FIREFOX = '/usr/bin/firefox-esr';
export const hasFirefox = existsSync(FIREFOX);
export const hasXvfb = existsSync('/usr/bin/Xvfb') && existsSync('/usr/bin/xdotool');
export const GECKO_ID = 'casebook@casebook.example';
/** Fixed by pref, so that the test knows the add-on's moz-extension:// origin before it starts. */
export const EXTENSION_UUID = '2f1c6a0e-6b1d-4e57-9a43-0c5b0e7d1a11';
/**
 * Firefox suspends an idle event page after 30 s; the tests let it happen after 3 s, so that
 * every wake-up path (messages, alarms, the retry after a failed push) is used, not just a page
 * that happens to be awake.
 */
export const IDLE_SUSPEND_MS = 3000;
/** A second company site (the fixture server answers for any host) for the panel's own access request. */
export const SECOND_HOST = 'www.kakao-handel.example';

/**
 * The release build for Firefox (what `npm run build:firefox` makes), into its own folder.
 * CASEBOOK_FIREFOX_ADDON=<folder> runs the same tests against another build (e.g. an older one).
 */
export function buildFirefox(outDir: string): string {
  if (process.env.CASEBOOK_FIREFOX_ADDON) return process.env.CASEBOOK_FIREFOX_ADDON;
  const result = spawnSync(join(ROOT, 'node_modules/.bin/wxt'), ['build', '-b', 'firefox', '--mv3'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CASEBOOK_EXTENSION_OUT_DIR: outDir, CASEBOOK_TEST_HOST_PERMISSIONS: '' },
  });
  if (result.status !== 0) throw new Error(`wxt build -b firefox failed:\n${result.stdout}\n${result.stderr}`);
  return join(outDir, 'firefox-mv3');
}

/** A private X server on a free display number (Xvfb picks it and writes it to fd 3). */
export async function startXvfb(): Promise<{ display: string; stop: () => Promise<void> }> {
  const child = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const display = await new Promise<string>((done, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error('Xvfb did not start within 10 s')), 10_000);
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) { clearTimeout(timer); done(`:${text.trim()}`); }
    });
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`Xvfb exited (${code})`)); });
  });
  return { display, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); });
}

export interface Firefox {
  browser: Browser;
  profile: string;
  display: string | null;
  /** moz-extension://<uuid>/<path> */
  extUrl: (path: string) => string;
}

/**
 * Starts Firefox ESR (on `display` when given, else headless) and installs the add-on from its
 * folder as a temporary add-on (BiDi webExtension.install), as about:debugging does.
 */
export async function launchFirefox(extDir: string, display: string | null): Promise<Firefox> {
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = mkdtempSync(join(tmpdir(), 'casebook-firefox-profile-'));
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: display === null, userDataDir: profile,
    defaultViewport: null,
    env: { ...process.env, ...(display ? { DISPLAY: display } : {}), MOZ_CRASHREPORTER_DISABLE: '1' },
    // Lets BiDi open moz-extension:// pages in tabs (refused otherwise as "not allowed in this
    // context"); the add-on itself runs with the same rights as for anyone.
    args: ['-remote-allow-system-access', '-width', '1280', '-height', '900'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      // The fixture pages pretend to live on these hosts; Firefox resolves them to the loopback.
      'network.dns.localDomains': `${NEWS_HOST},${COMPANY_HOST},${SECOND_HOST}`,
      // BiDi cannot click the browser's own permission doorhanger: with prompts off a request
      // is granted, but Firefox still refuses one made outside a user-input handler (issue 18).
      'extensions.webextOptionalPermissionPrompts': false,
      'extensions.background.idle.timeout': IDLE_SUSPEND_MS,
      'browser.aboutwelcome.enabled': false,
      'browser.startup.homepage_override.mstone': 'ignore',
    },
  });
  await browser.installExtension(extDir);
  return { browser, profile, display, extUrl: (path) => `moz-extension://${EXTENSION_UUID}/${path}` };
}

export async function closeFirefox(firefox: Firefox | null): Promise<void> {
  if (!firefox) return;
  await firefox.browser.close().catch(() => undefined);
  rmSync(firefox.profile, { recursive: true, force: true });
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) { last = error; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Opens an extension page in a new tab. Firefox's BiDi navigation events do not follow
 * moz-extension:// loads (puppeteer's goto never resolves), so the tab is navigated without
 * waiting and the test waits for the page's own document instead.
 */
export async function openExtensionPage(firefox: Firefox, path: string, waitFor = '#app > *'): Promise<Page> {
  const page = await firefox.browser.newPage();
  const url = firefox.extUrl(path);
  const context = (page.mainFrame() as unknown as { browsingContext: { navigate(url: string, wait: string): Promise<unknown> } }).browsingContext;
  const loaded = () => page.evaluate((u, sel) => location.href === u && document.readyState !== 'loading' && !!document.querySelector(sel), url, waitFor);
  // Firefox sometimes answers NS_BINDING_ABORTED although the page loads: judge by the page.
  let failure: unknown = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    await context.navigate(url, 'none').catch((error: unknown) => { failure = error; });
    if (await until(`${path} to load`, loaded, 15_000).catch(() => false)) return page;
  }
  throw new Error(`${path} did not load: ${String(failure)}`);
}

/** A tab the add-on opened itself (e.g. its first-run options page), found by its document's URL. */
export async function findExtensionPage(firefox: Firefox, path: string, timeoutMs = 15_000): Promise<Page> {
  const url = firefox.extUrl(path);
  return until(`a tab at ${path}`, async () => {
    for (const page of await firefox.browser.pages()) {
      const here = await page.evaluate(() => location.href + (document.querySelector('#app > *') ? '' : '#loading')).catch(() => '');
      if (here === url) return page;
    }
    return null;
  }, timeoutMs);
}

/** The Firefox tab id of a page with this URL (asked from an extension page). */
export async function tabIdOf(control: Page, url: string): Promise<number> {
  return until(`a tab at ${url}`, () => control.evaluate(async (u) => {
    const tabs = await (globalThis as unknown as { browser: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }).browser.tabs.query({});
    return Math.max(0, ...tabs.filter((t) => t.url === u).map((t) => t.id ?? 0));
  }, url));
}

/** A real key press on the X display (xdotool), as a person types it: "Alt+Shift+K". */
export function pressKeys(display: string, shortcut: string): void {
  const keys = shortcut.split('+').map((k) => ({ Alt: 'alt', Shift: 'shift', Ctrl: 'ctrl', Command: 'super', MacCtrl: 'ctrl' }[k] ?? k.toLowerCase())).join('+');
  const result = spawnSync('/usr/bin/xdotool', ['key', '--clearmodifiers', keys], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`xdotool key ${keys} failed: ${result.stderr}`);
}

/** A real click on the X display, e.g. on the page to close the add-on's popup panel as a person does. */
export function clickAt(display: string, x: number, y: number): void {
  const result = spawnSync('/usr/bin/xdotool', ['mousemove', String(x), String(y), 'click', '1'], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`xdotool click failed: ${result.stderr}`);
}

/**
 * Where the add-on's toolbar button is on the screen (Firefox pins it to the toolbar, see
 * `default_area` in wxt.config.ts): the centre of the icon's teal (#0F766E) in the toolbar strip,
 * read with ImageMagick's `import`. Null when ImageMagick is absent or the icon is not there.
 */
export function findToolbarButton(display: string): { x: number; y: number } | null {
  if (!existsSync('/usr/bin/import')) return null;
  const top = 44; // below the tab strip, above the page (the sidebar's own "C" logo is lower)
  const result = spawnSync('/usr/bin/import', ['-window', 'root', '-crop', `1280x40+0+${top}`, '-depth', '8', 'txt:-'],
    { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) return null;
  let count = 0; let sx = 0; let sy = 0;
  for (const line of result.stdout.split('\n')) {
    const m = /^(\d+),(\d+):.*#([0-9A-F]{2})([0-9A-F]{2})([0-9A-F]{2})/i.exec(line);
    if (!m) continue;
    const [r, g, b] = [m[3], m[4], m[5]].map((h) => parseInt(h!, 16));
    if (Math.abs(r! - 0x0f) < 24 && Math.abs(g! - 0x76) < 24 && Math.abs(b! - 0x6e) < 24) { count++; sx += Number(m[1]); sy += Number(m[2]); }
  }
  return count >= 30 ? { x: Math.round(sx / count), y: top + Math.round(sy / count) } : null;
}

/** A picture of the whole X screen (toolbar, popup panel and sidebar included), if ImageMagick is there. */
export function screenshotDisplay(display: string, file: string): boolean {
  if (!existsSync('/usr/bin/import')) return false;
  return spawnSync('/usr/bin/import', ['-window', 'root', file], { env: { ...process.env, DISPLAY: display } }).status === 0;
}

export { until };
