// End-to-end: the built extension in Debian's Chromium against the real service and fixture pages
// on 127.0.0.1 (issue 4, "Tests"). Skips, saying why, where /usr/bin/chromium is absent.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildExtension, closeChromium, COMPANY_HOST, E2E_PASSWORD, freePort, hasChromium, launchChromium, NEWS_HOST, ROOT, seedLibrary, Service, startPages, type Browser,
} from './helpers/extension-env.ts';

if (!hasChromium) console.warn('extension e2e skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)');

const SHOTS = join(ROOT, 'test-results');
const PASSWORD = E2E_PASSWORD;

/** The few extension APIs the test calls inside the service worker (worker.evaluate runs there). */
declare const chrome: {
  tabs: { query(q: { url: string }): Promise<{ id?: number }[]> };
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
  action: { getBadgeText(d: { tabId: number }): Promise<string> };
};

interface ClipList { clips: { id: string; title: string; kind: string; caseIds?: string[]; selection?: { text: string; quoteUrl: string } | null }[] }

describe.skipIf(!hasChromium)('extension in Chromium', () => {
  let work: string;
  let service: Service;
  let pages: Server;
  let pagesPort: number;
  let browser: Browser | null = null;
  let libraryId: string;
  let adminToken: string;
  const timings: Record<string, number> = {};

  const pageUrl = (host: string, path: string) => `http://${host}:${pagesPort}/${path}`;
  const extPage = (path: string) => `chrome-extension://${browser!.extensionId}/${path}`;

  async function openTab(url: string): Promise<{ page: Page; tabId: number }> {
    const page = await browser!.context.newPage();
    await page.goto(url);
    // The newest tab with that URL: earlier tests may have left one open.
    const tabId = await browser!.worker.evaluate(async (u) => Math.max(-1, ...(await chrome.tabs.query({ url: u })).map((t) => t.id ?? -1)), url);
    expect(tabId).toBeGreaterThan(0);
    return { page, tabId };
  }

  async function openPopup(tabId: number): Promise<Page> {
    const popup = await browser!.context.newPage();
    await popup.goto(extPage(`popup.html?tab=${tabId}`));
    await popup.getByTestId('preview').waitFor({ timeout: 15_000 });
    return popup;
  }

  async function clips(query = ''): Promise<ClipList['clips']> {
    return (await service.api<ClipList>(`/api/v1/libraries/${libraryId}/clips?q=${encodeURIComponent(query)}`, adminToken)).clips;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'casebook-ext-e2e-'));
    mkdirSync(SHOTS, { recursive: true });
    const extDir = buildExtension(join(work, 'build'));
    const db = join(work, 'casebook.db');
    ({ libraryId, adminToken } = seedLibrary(db));
    service = new Service(await freePort(), db);
    pagesPort = await freePort();
    [pages] = await Promise.all([startPages(pagesPort), service.start()]);
    browser = await launchChromium(extDir);
    // The wxt build alone takes over a minute, and over two on a machine busy with other suites.
  }, 240_000);

  afterAll(async () => {
    await closeChromium(browser);
    await service?.stop();
    await new Promise((done) => pages?.close(done));
    if (work) rmSync(work, { recursive: true, force: true });
    if (Object.keys(timings).length) console.log('extension e2e timings (ms):', timings);
  });

  it('signs in with email and password', async () => {
    const options = await browser!.context.newPage();
    await options.goto(extPage('options.html'));
    await options.locator('#server').fill(service.url);
    await options.locator('#email').fill('ada@ngo.example');
    await options.locator('#password').fill(PASSWORD);
    await options.getByTestId('sign-in-submit').click();
    await options.getByTestId('signed-in').waitFor({ timeout: 15_000 });
    expect(await options.getByTestId('signed-in').textContent()).toContain('Ada Owusu');
    await options.screenshot({ path: join(SHOTS, 'extension-options.png') });
    await options.close();
  });

  it('clips an article into a new case, and the service has it', async () => {
    const { page, tabId } = await openTab(pageUrl(NEWS_HOST, 'article.html'));
    const popup = await openPopup(tabId);
    expect(await popup.getByTestId('preview').textContent()).toContain('Cocoa trader pledges living income');
    await popup.locator('#case-search').fill('Cocoa Trading partnership');
    await popup.locator('#tag-input').fill('cocoa');
    await popup.locator('#tag-input').press('Enter');
    await popup.locator('#note').fill('Pledge to check in the scan.');
    await popup.screenshot({ path: join(SHOTS, 'extension-popup.png') });
    const started = Date.now();
    await popup.getByTestId('create-case').click();
    await popup.getByTestId('clip-status').filter({ hasText: 'Synced' }).waitFor({ timeout: 15_000 });
    timings.saveToSynced = Date.now() - started;
    await popup.screenshot({ path: join(SHOTS, 'extension-popup-synced.png') });
    const [clip] = await clips('living income');
    expect(clip).toMatchObject({ kind: 'article' });
    expect(clip!.title).toContain('Cocoa trader pledges');
    const { cases } = await service.api<{ cases: { id: string; title: string }[] }>(`/api/v1/libraries/${libraryId}/cases`, adminToken);
    const created = cases.find((c) => c.title === 'Cocoa Trading partnership');
    expect(created).toBeDefined();
    const full = await service.api<{ clip: { caseIds: string[]; tags: string[]; note: string } } & Record<string, unknown>>(`/api/v1/libraries/${libraryId}/clips/${clip!.id}`, adminToken);
    const body = (full.clip ?? full) as { caseIds: string[]; tags: string[]; note: string };
    expect(body.caseIds).toContain(created!.id);
    expect(body.tags).toContain('cocoa');
    await popup.close();
    await page.close();
  });

  it('clips a selected quote with a link back to the passage', async () => {
    const { page, tabId } = await openTab(pageUrl(NEWS_HOST, 'article.html'));
    await page.evaluate(() => {
      const text = document.querySelector('#quote')!.firstChild!;
      const range = document.createRange();
      range.setStart(text, 1);
      range.setEnd(text, 60);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    const popup = await openPopup(tabId);
    expect(await popup.getByTestId('kind-selection').getAttribute('aria-pressed')).toBe('true');
    await popup.getByTestId('save').click();
    await popup.getByTestId('clip-status').filter({ hasText: 'Synced' }).waitFor({ timeout: 15_000 });
    const quote = (await clips('sustainable')).find((c) => c.kind === 'selection');
    expect(quote).toBeDefined();
    const full = await service.api<Record<string, unknown>>(`/api/v1/libraries/${libraryId}/clips/${quote!.id}`, adminToken);
    const body = ((full.clip ?? full) as { selection: { text: string; quoteUrl: string }; caseIds: string[] });
    expect(body.selection.text).toContain('We cannot call our chocolate sustainable');
    expect(body.selection.quoteUrl).toContain('#:~:text=');
    expect(body.caseIds.length).toBe(1); // the case used last is offered first
    await popup.close();
    await page.close();
  });

  it('accepts proposals in the side panel and the service holds the scan answers', async () => {
    const { page, tabId } = await openTab(pageUrl(COMPANY_HOST, 'company.html'));
    const panel = await browser!.context.newPage();
    await panel.goto(extPage(`sidepanel.html?tab=${tabId}`));
    await panel.locator('[data-question="legalName"]').waitFor({ timeout: 15_000 });
    // Another page of the same site adds what the home page lacked.
    await page.goto(pageUrl(COMPANY_HOST, 'contact.html'));
    await panel.getByText('Read page again').click();
    await panel.locator('[data-question="legalName"]').waitFor();
    for (const key of ['legalName', 'registrations', 'emails', 'phones']) {
      const accept = panel.getByTestId(`accept-${key}`);
      if (await accept.count()) await accept.click();
    }
    await panel.locator('[data-question="partnershipFit"] textarea, [data-question="decision"] textarea').first().fill('Good fit: traceability project.');
    await panel.locator('#company-name').click(); // blur the text field so its answer is kept
    await panel.setViewportSize({ width: 400, height: 1000 });
    await panel.evaluate(() => scrollTo(0, 0));
    await panel.screenshot({ path: join(SHOTS, 'extension-sidepanel.png') });
    await panel.locator('[data-question="decision"]').scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'extension-sidepanel-judgement.png') });
    await panel.getByTestId('save-scan').click();
    await panel.getByTestId('scan-message').filter({ hasText: 'Synced' }).waitFor({ timeout: 15_000 });
    const { companies } = await service.api<{ companies: { id: string; name: string; scans: { id: string; answerCount: number }[] }[] }>(
      `/api/v1/libraries/${libraryId}/companies?domain=cocoatrader.nl`, adminToken);
    expect(companies).toHaveLength(1);
    const scanId = companies[0]!.scans[0]!.id;
    const scan = await service.api<{ answers: { field: string; value: unknown; evidence: { url: string }[] }[] } & Record<string, unknown>>(
      `/api/v1/libraries/${libraryId}/scans/${scanId}`, adminToken);
    const answers = (scan.answers ?? (scan.scan as { answers: unknown[] }).answers) as { field: string; value: unknown; evidence: { url: string }[] }[];
    const legal = answers.find((a) => a.field === 'legalName');
    expect(legal?.value).toBe('Cocoa Trading B.V.');
    expect(legal?.evidence[0]?.url).toContain(COMPANY_HOST);
    expect(answers.find((a) => a.field === 'registrations')?.value).toEqual(expect.arrayContaining([expect.objectContaining({ value: '12345678' })]));
    await panel.getByTestId('tab-library').click();
    await panel.getByTestId('holdings').waitFor();
    await panel.screenshot({ path: join(SHOTS, 'extension-sidepanel-library.png') });
    await panel.close();
    await page.close();
  });

  it('shows a note edited by two people as a conflict, and the merged note reaches the service', async () => {
    const { page, tabId } = await openTab(pageUrl(NEWS_HOST, 'article.html'));
    const popup = await openPopup(tabId);
    await popup.getByTestId('kind-link').click();
    await popup.locator('#note').fill('Pledge to check in the scan.');
    await popup.getByTestId('save').click();
    await popup.getByTestId('clip-status').filter({ hasText: 'Synced' }).waitFor({ timeout: 15_000 });
    const clipId = (await popup.getByTestId('saved').getAttribute('data-clip-id'))!;
    const clipPath = `/api/v1/libraries/${libraryId}/clips/${clipId}`;
    const { clip } = await service.api<{ clip: { version: number; note: string } }>(clipPath, adminToken);

    // A colleague edits the same note from another client while this popup holds the older copy.
    const theirs = 'Colleague: the pledge has no budget behind it yet.';
    const pushed = await service.api<{ results: { status: string }[] }>(`/api/v1/libraries/${libraryId}/sync/push`, adminToken, {
      method: 'POST', body: JSON.stringify({ clientId: 'colleague-browser', mutations: [{ mid: 1, type: 'clip', id: clipId, op: 'put', baseVersion: clip.version, fields: { note: theirs } }] }),
    });
    expect(pushed.results[0]!.status).toBe('applied');

    const mine = 'Mine: ask the trader for the 2025 living-income figures.';
    await popup.getByTestId('edit-note').click();
    await popup.locator('#saved-note').fill(mine);
    await popup.getByTestId('save-note').click();
    await popup.getByTestId('resolve-conflict').waitFor({ timeout: 15_000 });
    await popup.screenshot({ path: join(SHOTS, 'extension-conflict-banner.png') });
    await popup.getByTestId('resolve-conflict').click();
    await popup.getByTestId('conflict').waitFor();
    expect(await popup.getByTestId('conflict-mine').textContent()).toBe(mine);
    expect(await popup.getByTestId('conflict-theirs').textContent()).toBe(theirs);
    await popup.getByTestId('merge').click();
    expect(await popup.getByTestId('merge-text').inputValue()).toBe(`${theirs}\n\n${mine}`);
    const merged = `${theirs}\n${mine} (Ada)`;
    await popup.getByTestId('merge-text').fill(merged);
    await popup.screenshot({ path: join(SHOTS, 'extension-conflict.png') });
    await popup.getByTestId('keep-merged').click();
    await popup.getByText('No conflicts left.').waitFor();
    await popup.getByText('Back').click();
    await popup.getByTestId('clip-status').filter({ hasText: 'Synced' }).waitFor({ timeout: 15_000 });
    await popup.screenshot({ path: join(SHOTS, 'extension-conflict-resolved.png') });
    expect(await popup.getByTestId('saved-note-text').textContent()).toBe(merged);
    await expect.poll(async () => (await service.api<{ clip: { note: string } }>(clipPath, adminToken)).clip.note, { timeout: 10_000 }).toBe(merged);
    await popup.close();
    await page.close();
  });

  it('attaches text sent with "Add to company scan" to the question the person picks', async () => {
    const { page, tabId } = await openTab(pageUrl(COMPANY_HOST, 'contact.html'));
    // What the context menu leaves for the panel (menus cannot be clicked from the test).
    await browser!.worker.evaluate(async (url) => chrome.storage.local.set({ scanEvidence: [{
      id: 'ev-e2e', site: 'cocoatrader.nl', url, pageTitle: 'Contact', at: Date.now(),
      snippet: 'Our beans come from 4,000 smallholder farmers in Ghana and Côte d’Ivoire.', suggested: 'description',
    }] }), pageUrl(COMPANY_HOST, 'contact.html'));
    const panel = await browser!.context.newPage();
    await panel.setViewportSize({ width: 400, height: 900 });
    await panel.goto(extPage(`sidepanel.html?tab=${tabId}`));
    await panel.getByTestId('pending-evidence').waitFor({ timeout: 15_000 });
    expect(await panel.getByTestId('evidence-question').inputValue()).toBe('description');
    await panel.getByTestId('evidence-question').selectOption('supplyChainRisks');
    await panel.screenshot({ path: join(SHOTS, 'extension-sidepanel-evidence.png') });
    await panel.getByTestId('attach-evidence').click();
    await panel.getByTestId('evidence-inbox').waitFor({ state: 'detached' });
    await panel.locator('[data-question="supplyChainRisks"][data-state="manual"]').waitFor();
    await panel.getByTestId('save-scan').click();
    await panel.getByTestId('scan-message').filter({ hasText: 'Synced' }).waitFor({ timeout: 15_000 });
    const { companies } = await service.api<{ companies: { scans: { id: string }[] }[] }>(`/api/v1/libraries/${libraryId}/companies?domain=cocoatrader.nl`, adminToken);
    const scan = await service.api<{ answers: { field: string; value: unknown; evidence: { url: string; snippet: string }[] }[] }>(
      `/api/v1/libraries/${libraryId}/scans/${companies[0]!.scans[0]!.id}`, adminToken);
    const risk = scan.answers.find((a) => a.field === 'supplyChainRisks');
    expect(risk?.evidence).toEqual([{ url: pageUrl(COMPANY_HOST, 'contact.html'), snippet: 'Our beans come from 4,000 smallholder farmers in Ghana and Côte d’Ivoire.' }]);
    await panel.close();
    await page.close();
  });

  it('keeps clips made while the service is down and drains them exactly once after it returns', async () => {
    const before = (await clips('')).length;
    await service.stop();
    const { page, tabId } = await openTab(pageUrl(NEWS_HOST, 'article.html'));
    for (const note of ['offline one', 'offline two']) {
      const popup = await openPopup(tabId);
      await popup.getByTestId('kind-link').click();
      await popup.locator('#note').fill(note);
      await popup.getByTestId('save').click();
      await popup.getByTestId('clip-status').filter({ hasText: 'Saved locally' }).waitFor();
      if (note === 'offline two') {
        await popup.getByTestId('sync-text').filter({ hasText: /waiting/ }).waitFor({ timeout: 10_000 });
        await popup.screenshot({ path: join(SHOTS, 'extension-popup-offline.png') });
      }
      await popup.close();
    }
    const waiting = await browser!.worker.evaluate(async () => ((await chrome.storage.local.get('syncStatus')).syncStatus as { pending: number }).pending);
    expect(waiting).toBe(2);
    await service.start();
    // No click: the backoff timer retries on its own.
    const deadline = Date.now() + 30_000;
    let pending = waiting;
    while (pending > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      pending = await browser!.worker.evaluate(async () => ((await chrome.storage.local.get('syncStatus')).syncStatus as { pending: number }).pending);
    }
    expect(pending).toBe(0);
    const after = await clips('');
    expect(after.length).toBe(before + 2);
    await page.close();
  });

  it('shows the badge on a site the library holds, and none elsewhere', async () => {
    const { page, tabId } = await openTab(pageUrl(COMPANY_HOST, 'contact.html'));
    await page.bringToFront();
    const badge = async (id: number) => browser!.worker.evaluate((t) => chrome.action.getBadgeText({ tabId: t }), id);
    await expect.poll(() => badge(tabId), { timeout: 10_000 }).not.toBe('');
    const other = await openTab(`http://127.0.0.1:${pagesPort}/article.html`);
    await other.page.bringToFront();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await badge(other.tabId)).toBe('');
    await page.close();
    await other.page.close();
  });
});
