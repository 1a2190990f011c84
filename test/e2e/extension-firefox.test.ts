// Firefox: the package's manifest (issue 4), then the release build of the add-on in Debian's
// Firefox ESR, installed as a temporary add-on and driven over WebDriver BiDi against the real
// service and the fixture pages (issues 10 and 18). Real keys go through a private Xvfb display.
//
// What BiDi cannot reach, and what stands in for it:
// - the toolbar button, its popup panel and the sidebar live in Firefox's own window, not in a tab:
//   the toolbar button is clicked with the real pointer (xdotool, found on screen by its colour)
//   and the "open popup" shortcut pressed with real keys; both open the real panel and grant
//   activeTab. The panel itself cannot be typed into over BiDi, so popup.html and sidepanel.html
//   are then used in tabs (?tab=<id>): the same pages with the same messages to the background;
// - Firefox's permission doorhanger: prompts are switched off by pref, so a request is granted,
//   but only when made inside a user-input handler, which is what issue 18 is about.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPANY_HOST, E2E_PASSWORD, freePort, NEWS_HOST, ROOT, seedLibrary, Service, startPages } from './helpers/extension-env.ts';
import {
  buildFirefox, closeFirefox, findExtensionPage, type Firefox, hasFirefox, hasXvfb, IDLE_SUSPEND_MS, launchFirefox, openExtensionPage,
  clickAt, findToolbarButton, pressKeys, screenshotDisplay, SECOND_HOST, startXvfb, tabIdOf, until,
} from './helpers/firefox.ts';

interface FirefoxManifest {
  manifest_version: number;
  background: { scripts?: string[]; service_worker?: string };
  permissions: string[];
  optional_host_permissions?: string[];
  host_permissions?: string[];
  side_panel?: unknown;
  sidebar_action?: { default_panel: string; default_title?: string };
  action: { default_popup: string; default_area?: string };
  options_ui: { page: string };
  commands: Record<string, { suggested_key?: { default: string } }>;
  browser_specific_settings: { gecko: { id: string; strict_min_version: string; data_collection_permissions?: unknown } };
}

/** Firefox's menu bar takes Alt+<letter> (and Alt+Shift+<letter>) for these menus' access keys. */
const FIREFOX_MENU_KEYS = ['F', 'E', 'V', 'S', 'B', 'T', 'H'];

describe('Firefox package', () => {
  let out: string;
  let dir: string;
  let manifest: FirefoxManifest;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'casebook-firefox-'));
    const result = spawnSync(join(ROOT, 'node_modules/.bin/wxt'), ['zip', '-b', 'firefox', '--mv3'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, CASEBOOK_EXTENSION_OUT_DIR: out, CASEBOOK_TEST_HOST_PERMISSIONS: '' },
    });
    if (result.status !== 0) throw new Error(`wxt zip -b firefox failed:\n${result.stdout}\n${result.stderr}`);
    dir = join(out, 'firefox-mv3');
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as FirefoxManifest;
  }, 180_000);
  afterAll(() => { if (out) rmSync(out, { recursive: true, force: true }); });

  it('zips the extension and its sources for AMO', () => {
    const zips = readdirSync(out).filter((name) => name.endsWith('.zip'));
    expect(zips).toEqual(expect.arrayContaining([expect.stringMatching(/-firefox\.zip$/), expect.stringMatching(/-sources\.zip$/)]));
    for (const zip of zips) expect(statSync(join(out, zip)).size).toBeGreaterThan(1000);
  });

  it('is MV3 with an event-page background and the scan panel as a sidebar', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.background.service_worker).toBeUndefined();
    expect(manifest.background.scripts).toEqual(['background.js']);
    expect(manifest.sidebar_action?.default_panel).toBe('sidepanel.html');
    expect(manifest.side_panel).toBeUndefined();
    // Firefox's own sidebar header shows this title; at the default 240 px it shows about 20
    // characters ("Casebook – company s" was cut, issue 18 item 5).
    expect(manifest.sidebar_action?.default_title?.length).toBeLessThanOrEqual(18);
    for (const file of [...manifest.background.scripts!, manifest.sidebar_action!.default_panel, manifest.action.default_popup, manifest.options_ui.page, 'capture.js', 'facts.js']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
  });

  it('asks only for the permissions Firefox knows, and no host up front', () => {
    expect(manifest.permissions).not.toContain('sidePanel');
    expect(manifest.permissions).toEqual(expect.arrayContaining(['activeTab', 'alarms', 'contextMenus', 'scripting', 'storage', 'tabs']));
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.action.default_area).toBe('navbar'); // in the toolbar, not hidden in the extensions menu
    expect(manifest.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(manifest.browser_specific_settings.gecko).toMatchObject({ id: 'casebook@casebook.example', data_collection_permissions: { required: ['none'] } });
  });

  it('the service\'s start message says how to load the add-on in Firefox too', async () => {
    // From source (the compiled CLI in dist/ may predate this checkout's changes).
    const child = spawn(process.execPath, [join(ROOT, 'bin/casebook.mjs'), 'serve', '--port', '0', '--quiet', '--db', join(out, 'start.db')],
      { cwd: ROOT, env: { ...process.env, CASEBOOK_FROM_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    try {
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no Firefox line within 30 s:\n${text}`)), 30_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (/Extension for Firefox: .*\n/.test(text)) { clearTimeout(timer); done(); }
        });
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(text).toMatch(/Extension for Chrome\/Edge: /);
    expect(text).toMatch(/Extension for Firefox: .*about:debugging.*Load Temporary Add-on.*firefox-mv3\/manifest\.json/);
  }, 60_000);

  it('suggests shortcuts that Firefox leaves to add-ons (not Alt+Shift+ a menu access key)', () => {
    for (const [name, command] of Object.entries(manifest.commands)) {
      const key = command.suggested_key?.default ?? '';
      expect(key, name).toMatch(/^Alt\+Shift\+[A-Z0-9]$/);
      expect(FIREFOX_MENU_KEYS, `${name}: ${key}`).not.toContain(key.at(-1));
    }
  });
});

const skipReason = !hasFirefox ? '/usr/bin/firefox-esr is not installed (apt-get install -y firefox-esr)'
  : !hasXvfb ? 'Xvfb and xdotool are not installed (apt-get install -y xvfb xdotool): the add-on\'s shortcuts need real keys'
    : '';
if (skipReason) console.warn(`Firefox e2e skipped: ${skipReason}`);

const SHOTS = join(ROOT, 'test-results');
const PASSWORD = E2E_PASSWORD;

interface ClipRow { id: string; title: string; kind: string; note?: string }
interface FullClip { caseIds: string[]; tags: string[]; note: string; kind: string; selection?: { text: string; quoteUrl: string } | null }

type ExtGlobal = { browser: {
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
  permissions: { getAll(): Promise<{ origins: string[] }> };
  commands: { getAll(): Promise<{ name: string; shortcut: string }[]> };
} };

describe.skipIf(!!skipReason)('the add-on in Firefox ESR', () => {
  let work: string;
  let service: Service;
  let pages: Server;
  let pagesPort: number;
  let xvfb: Awaited<ReturnType<typeof startXvfb>> | null = null;
  let firefox: Firefox | null = null;
  let control: Page;
  let firstRun: Page | null = null;
  let libraryId: string;
  let adminToken: string;
  const timings: Record<string, number> = {};

  const pageUrl = (host: string, path: string) => `http://${host}:${pagesPort}/${path}`;
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `firefox-${name}.png`) });
  const shotScreen = (name: string) => screenshotDisplay(xvfb!.display, join(SHOTS, `firefox-screen-${name}.png`));

  async function clips(query = ''): Promise<ClipRow[]> {
    return (await service.api<{ clips: ClipRow[] }>(`/api/v1/libraries/${libraryId}/clips?q=${encodeURIComponent(query)}&limit=100`, adminToken)).clips;
  }
  async function fullClip(id: string): Promise<FullClip> {
    const body = await service.api<{ clip?: FullClip } & FullClip>(`/api/v1/libraries/${libraryId}/clips/${id}`, adminToken);
    return body.clip ?? body;
  }
  async function syncStatus(): Promise<{ pending: number; state: string }> {
    return control.evaluate(async () => ((await (globalThis as unknown as ExtGlobal).browser.storage.local.get('syncStatus')).syncStatus ?? { pending: -1, state: 'none' }) as { pending: number; state: string });
  }

  /** A web page in a new tab, in front, with its Firefox tab id. */
  async function openTab(url: string): Promise<{ page: Page; tabId: number }> {
    const page = await firefox!.browser.newPage();
    await page.goto(url);
    await page.bringToFront();
    return { page, tabId: await tabIdOf(control, url) };
  }

  /**
   * The person opens the Casebook popup on this tab with a real click on the toolbar button (or,
   * with `shortcut`, the add-on's "open popup" shortcut); either grants activeTab. A click on the
   * page closes the panel again.
   */
  async function openRealPopup(page: Page, name: string, how: 'toolbar' | 'shortcut' = 'toolbar'): Promise<void> {
    await page.bringToFront();
    await new Promise((r) => setTimeout(r, 300));
    const button = how === 'toolbar' ? findToolbarButton(xvfb!.display) : null;
    if (button) {
      clickAt(xvfb!.display, button.x, button.y);
    } else {
      if (how === 'toolbar') console.warn('Firefox e2e: toolbar button not found on screen (ImageMagick absent?): opening the popup with its shortcut');
      // No ImageMagick to find the button: the shortcut opens the same popup the same way.
      const shortcut = (await control.evaluate(async () => (await (globalThis as unknown as ExtGlobal).browser.commands.getAll())
        .find((c) => c.name === '_execute_action')?.shortcut)) ?? '';
      expect(shortcut).not.toBe('');
      pressKeys(xvfb!.display, shortcut);
    }
    await new Promise((r) => setTimeout(r, 1500));
    shotScreen(name);
    // Escape would not close it: with no window manager on the display, the panel has no focus.
    clickAt(xvfb!.display, 700, 880);
    await new Promise((r) => setTimeout(r, 300));
  }

  async function openPopup(tabId: number): Promise<Page> {
    const popup = await openExtensionPage(firefox!, `popup.html?tab=${tabId}`, '[data-testid="preview"], [data-testid="preview-error"]');
    await popup.setViewport({ width: 380, height: 600 });
    const error = await popup.$eval('[data-testid="preview-error"]', (e) => e.textContent).catch(() => null);
    if (error) throw new Error(`the popup could not read the page: ${error}`);
    return popup;
  }

  async function waitText(page: Page, selector: string, pattern: RegExp, timeout = 15_000): Promise<string> {
    return until(`${selector} ~ ${pattern}`, async () => {
      const texts = await page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));
      return texts.find((t) => pattern.test(t)) ?? null;
    }, timeout);
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'casebook-firefox-e2e-'));
    mkdirSync(SHOTS, { recursive: true });
    const extDir = buildFirefox(join(work, 'build'));
    const db = join(work, 'casebook.db');
    ({ libraryId, adminToken } = seedLibrary(db));
    service = new Service(await freePort(), db);
    pagesPort = await freePort();
    [pages] = await Promise.all([startPages(pagesPort), service.start()]);
    xvfb = await startXvfb();
    const launched = Date.now();
    firefox = await launchFirefox(extDir, xvfb.display);
    // The options tab the add-on opens itself at install (first run) is where a person signs in.
    firstRun = await findExtensionPage(firefox, 'options.html', 30_000).catch(() => null);
    if (firstRun) timings.launchToFirstRunTab = Date.now() - launched;
    control = firstRun ?? await openExtensionPage(firefox, 'options.html');
  }, 180_000);

  afterAll(async () => {
    await closeFirefox(firefox);
    await xvfb?.stop();
    await service?.stop();
    await new Promise((done) => pages?.close(done));
    if (work) rmSync(work, { recursive: true, force: true });
    if (Object.keys(timings).length) console.log('Firefox e2e timings (ms):', timings);
  });

  let companyTab: { page: Page; tabId: number };
  let panel: Page;

  it('signs in from the options page, the server permission asked inside the click and explained first', async () => {
    // The scan panel, opened before sign-in (Firefox opens the sidebar at install), on the company's site.
    companyTab = await openTab(pageUrl(COMPANY_HOST, 'company.html'));
    panel = await openExtensionPage(firefox!, `sidepanel.html?tab=${companyTab.tabId}`, '[data-testid="scan-error"], [data-question]');
    await panel.setViewport({ width: 400, height: 900 });
    await waitText(panel, '[data-testid="scan-error"]', /sign in/i);

    expect(firstRun, 'the add-on opened no options tab at install').not.toBeNull();
    const options = control;
    await options.bringToFront();
    await options.setViewport({ width: 900, height: 900 });
    await options.type('#server', service.url);
    await options.type('#email', 'ada@ngo.example');
    await options.type('#password', PASSWORD);
    // Said before the browser asks: which origin, and why.
    const explained = await waitText(options, '[data-testid="permission-explained"]', /127\.0\.0\.1/, 5_000).catch(() => '');
    expect.soft(explained).toMatch(/your Casebook server/);
    await shot(options, 'options-sign-in');
    await options.click('[data-testid="sign-in-submit"]');
    await options.waitForSelector('[data-testid="signed-in"]', { timeout: 15_000 });
    expect(await options.$eval('[data-testid="signed-in"]', (e) => e.textContent)).toContain('Ada Owusu');

    // Granted only because request() ran inside the click: after an await Firefox refuses it.
    // (Firefox matches no URL with a port in a host permission, so the pattern names the host.)
    const granted = await options.evaluate(async () => (await (globalThis as unknown as ExtGlobal).browser.permissions.getAll()).origins);
    expect(granted).toEqual(expect.arrayContaining([expect.stringMatching(/^http:\/\/127\.0\.0\.1(:\d+)?\/\*$/)]));
    await options.waitForSelector('[data-testid="server-access-granted"]', { timeout: 5_000 });
    expect(await options.title()).not.toMatch(/sign in/i);
    await shot(options, 'options-signed-in');

  });

  it('the scan panel opened before sign-in notices the sign-in by itself', async () => {
    // The panel was not touched: it reads the page again by itself once the session appears.
    await until('the scan panel to leave "sign in"', async () => {
      const error = await panel.$eval('[data-testid="scan-error"]', (e) => e.textContent ?? '').catch(() => '');
      return !/sign in/i.test(error);
    });
    await shot(panel, 'sidepanel-after-sign-in');
  });

  it('shows on the options page the shortcuts Firefox actually applies, and they are free keys', async () => {
    const shown = await control.$$eval('[data-testid^="shortcut-"]', (els) => els.map((e) => [e.getAttribute('data-testid')!.slice('shortcut-'.length), e.getAttribute('data-shortcut') ?? '']));
    const inEffect = await control.evaluate(async () => (await (globalThis as unknown as ExtGlobal).browser.commands.getAll()).map((c) => [c.name, c.shortcut ?? '']));
    expect(shown.sort()).toEqual(inEffect.sort());
    const save = shown.find(([name]) => name === 'save-page')?.[1] ?? '';
    expect(save).not.toBe('');
    expect(FIREFOX_MENU_KEYS).not.toContain(save.at(-1));
  });

  let article: { page: Page; tabId: number };

  it('clips an article from the popup (opened by a real click on the toolbar button) into a new case, and the service has it', async () => {
    article = await openTab(pageUrl(NEWS_HOST, 'article.html'));
    await openRealPopup(article.page, 'popup-panel');
    const popup = await openPopup(article.tabId);
    expect(await popup.$eval('[data-testid="preview"]', (e) => e.textContent)).toContain('Cocoa trader pledges living income');
    // Save in view at the popup's real size (380 x 600) without scrolling (issue 18, item 6).
    expect(await popup.$eval('[data-testid="save"]', (e) => e.getBoundingClientRect().bottom <= innerHeight)).toBe(true);
    await popup.type('#case-search', 'Cocoa Trading partnership');
    await popup.type('#tag-input', 'cocoa');
    await popup.keyboard.press('Enter');
    await popup.type('#note', 'Pledge to check in the scan.');
    await shot(popup, 'popup');
    const started = Date.now();
    await popup.click('[data-testid="create-case"]');
    await waitText(popup, '[data-testid="clip-status"]', /synced/i);
    timings.saveToSynced = Date.now() - started;
    await shot(popup, 'popup-synced');
    const [clip] = await clips('living income');
    expect(clip).toMatchObject({ kind: 'article' });
    const body = await fullClip(clip!.id);
    expect(body.tags).toContain('cocoa');
    expect(body.note).toBe('Pledge to check in the scan.');
    const { cases } = await service.api<{ cases: { id: string; title: string }[] }>(`/api/v1/libraries/${libraryId}/cases`, adminToken);
    expect(body.caseIds).toEqual([cases.find((c) => c.title === 'Cocoa Trading partnership')!.id]);
    await popup.close();
  });

  it('clips a selected quote with a link back to the passage', async () => {
    await article.page.bringToFront();
    await article.page.evaluate(() => {
      const text = document.querySelector('#quote')!.firstChild!;
      const range = document.createRange();
      range.setStart(text, 1);
      range.setEnd(text, 60);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    const popup = await openPopup(article.tabId);
    expect(await popup.$eval('[data-testid="kind-selection"]', (e) => e.getAttribute('aria-pressed'))).toBe('true');
    await popup.click('[data-testid="save"]');
    await waitText(popup, '[data-testid="clip-status"]', /synced/i);
    const quote = (await clips('sustainable')).find((c) => c.kind === 'selection');
    expect(quote).toBeDefined();
    const body = await fullClip(quote!.id);
    expect(body.selection?.text).toContain('We cannot call our chocolate sustainable');
    expect(body.selection?.quoteUrl).toContain('#:~:text=');
    expect(body.caseIds).toHaveLength(1); // the case used last is offered first
    await popup.close();
    await article.page.evaluate(() => getSelection()!.removeAllRanges());
  });

  it('saves the page with the save shortcut the options page advertises (a real key press)', async () => {
    const advertised = await control.$eval('[data-testid="shortcut-save-page"]', (e) => e.getAttribute('data-shortcut') ?? '');
    const before = (await clips('')).length;
    const other = await openTab(pageUrl(COMPANY_HOST, 'contact.html'));
    await other.page.bringToFront();
    const started = Date.now();
    pressKeys(xvfb!.display, advertised);
    const arrived = await until('the shortcut\'s clip at the service', async () => {
      const now = await clips('');
      return now.length > before ? now : null;
    }, 20_000).catch(() => null);
    shotScreen('after-save-shortcut');
    pressKeys(xvfb!.display, 'Escape'); // closes whatever Firefox opened instead, if it did
    expect(arrived, `nothing was saved after pressing ${advertised}`).not.toBeNull();
    timings.shortcutToService = Date.now() - started;
    expect(arrived!.length).toBe(before + 1);
    await other.page.close();
  });

  it('fills the company scan in the scan panel and the service holds the answers', async () => {
    await openRealPopup(companyTab.page, 'popup-company', 'shortcut');
    await panel.bringToFront();
    // Access came with the shortcut (activeTab): the panel reads the page again on request.
    await panel.click('button::-p-text(Read page again)');
    await panel.waitForSelector('[data-testid="accept-legalName"]', { timeout: 15_000 });
    for (const key of ['legalName', 'emails', 'phones', 'registrations']) {
      const accept = await panel.$(`[data-testid="accept-${key}"]`);
      if (accept) await accept.click();
    }
    await shot(panel, 'sidepanel');
    await panel.click('[data-testid="save-scan"]');
    await waitText(panel, '[data-testid="scan-message"]', /synced/i);
    // Firefox's default sidebar is 240 px wide: the title is whole and the status does not cover
    // "Save scan" (issue 18, item 5).
    await panel.setViewport({ width: 240, height: 700 });
    const layout = await panel.evaluate(() => {
      const title = document.querySelector('.app-header h1') as HTMLElement;
      const save = document.querySelector('[data-testid="save-scan"]')!;
      const button = save.getBoundingClientRect();
      const bar = save.parentElement!.getBoundingClientRect();
      // Every line box of the status text: none may touch the button or stick out of the bar.
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('[data-testid="scan-message"]')!);
      const lines = [...range.getClientRects()];
      const overlap = lines.some((r) => (r.left < button.right && button.left < r.right && r.top < button.bottom && button.top < r.bottom)
        || r.top < bar.top - 1 || r.bottom > bar.bottom + 1);
      return { titleClipped: title.scrollWidth > title.clientWidth, overlap };
    });
    await shot(panel, 'sidepanel-240px');
    expect(layout).toEqual({ titleClipped: false, overlap: false });
    await panel.setViewport({ width: 400, height: 900 });
    const { companies } = await service.api<{ companies: { id: string; name: string; scans: { id: string }[] }[] }>(
      `/api/v1/libraries/${libraryId}/companies?domain=cocoatrader.nl`, adminToken);
    expect(companies).toHaveLength(1);
    // The panel's first reads failed (signed out, then no access): the company still gets its name,
    // not its domain (issue 18, item 6).
    expect(companies[0]!.name).not.toBe('cocoatrader.nl');
    expect(companies[0]!.name).toMatch(/Cocoa Trading/);
    const scan = await service.api<{ answers: { field: string; value: unknown; evidence: { url: string }[] }[] }>(
      `/api/v1/libraries/${libraryId}/scans/${companies[0]!.scans[0]!.id}`, adminToken);
    const legal = scan.answers.find((a) => a.field === 'legalName');
    expect(legal?.value).toBe('Cocoa Trading B.V.');
    expect(legal?.evidence[0]?.url).toContain(COMPANY_HOST);
  });

  it('asks for a second site from the scan panel with one click, then reads it (no toolbar click)', async () => {
    const second = await openTab(pageUrl(SECOND_HOST, 'company.html'));
    const secondPanel = await openExtensionPage(firefox!, `sidepanel.html?tab=${second.tabId}`, '[data-testid="access-needed"], [data-testid="scan-error"]');
    await secondPanel.setViewport({ width: 400, height: 900 });
    expect(await secondPanel.$eval('[data-testid="access-needed"]', (e) => e.textContent)).toContain(SECOND_HOST);
    await shot(secondPanel, 'sidepanel-second-site-ask');
    await secondPanel.click('[data-testid="allow-site"]');
    // Granted inside the click (prompts off here), and the panel reads the page again by itself.
    await secondPanel.waitForSelector('[data-testid="accept-legalName"]', { timeout: 15_000 });
    const granted = await control.evaluate(async () => (await (globalThis as unknown as ExtGlobal).browser.permissions.getAll()).origins);
    expect(granted).toContain(`http://${SECOND_HOST}/*`);
    await shot(secondPanel, 'sidepanel-second-site');
    await secondPanel.close();
    await second.page.close();
  });

  it('keeps clips made while the service is down and sends each exactly once soon after it returns, though the event page slept', async () => {
    await service.stop();
    for (const note of ['offline one', 'offline two']) {
      const popup = await openPopup(article.tabId);
      await popup.click('[data-testid="kind-link"]');
      await popup.type('#note', note);
      await popup.click('[data-testid="save"]');
      await waitText(popup, '[data-testid="clip-status"]', /saved locally/i);
      if (note === 'offline two') {
        await waitText(popup, '[data-testid="sync-text"]', /waiting/);
        await shot(popup, 'popup-offline');
      }
      await popup.close();
    }
    expect((await syncStatus()).pending).toBe(2);
    // Idle long enough for Firefox to suspend the event page (and drop any timer it had set).
    await new Promise((r) => setTimeout(r, IDLE_SUSPEND_MS + 4000));
    expect((await syncStatus()).pending).toBe(2);

    await service.start();
    const started = Date.now();
    const offlineLinks = async () => (await Promise.all((await clips('')).filter((c) => c.kind === 'link').map((c) => fullClip(c.id))))
      .filter((c) => /^offline (one|two)$/.test(c.note));
    await until('both offline clips at the service', async () => (await offlineLinks()).length >= 2, 40_000);
    timings.serviceBackToArrived = Date.now() - started;
    // Soon: the retry is an alarm that wakes the page, not a timer that died with it (here 2.5-4 s;
    // the timer build waited for the one-minute alarm: 24 s in the same test, 33-52 s in issue 18).
    expect(timings.serviceBackToArrived).toBeLessThan(15_000);
    await until('the outbox to be empty', async () => (await syncStatus()).pending === 0, 10_000);
    // Exactly once, also a while later.
    await new Promise((r) => setTimeout(r, 2000));
    const links = await offlineLinks();
    expect(links.filter((c) => c.note === 'offline one')).toHaveLength(1);
    expect(links.filter((c) => c.note === 'offline two')).toHaveLength(1);
  });
});
