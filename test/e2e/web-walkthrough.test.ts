// End to end in Chromium against a real `casebook serve` (issue 13, items 4-8): case search,
// back to the search with its query, a double-submitted "Create case", scan editing by two
// people with a conflict, the company page at 375 px without horizontal scroll, the header on
// one line at 1280 px with the library switcher, grid cards level, the favicon; and screenshots
// of every page at 1280 and 375 px in test-results/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, startServer, type ServerProcess } from '../helpers/processes.ts';
import { launchBrowser, scratch } from './helpers/web-env.ts';

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('web walk-through e2e skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)');

const SHOTS = join(ROOT, 'test-results');
// The server runs from source: a dist/ bundle from an earlier build would not hold these pages.
const FROM_SOURCE = { CASEBOOK_FROM_SOURCE: '1' };

describe.skipIf(!hasChromium)('the web library as a newcomer meets it (issue 13)', () => {
  const work = scratch('casebook-web13-e2e-');
  const db = join(work.dir, 'casebook.db');
  let server: ServerProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  let kwameContext: BrowserContext;
  let kwame: Page;
  let libraryId: string;
  let email: string;
  let password: string;
  let token: string;
  const shots: string[] = [];

  const lib = (path = '') => `${server.url}/l/${libraryId}/${path}`;
  const api = async <T,>(path: string): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  /** The page at 1280 and at 375 px wide; neither may scroll sideways. */
  async function shootBoth(target: Page, name: string) {
    for (const width of [1280, 375]) {
      await target.setViewportSize({ width, height: width === 375 ? 800 : 900 });
      const path = join(SHOTS, `web13-${name}-${width}.png`);
      await target.screenshot({ path, fullPage: true });
      shots.push(path);
      const overflow = await target.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} at ${width} px scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
    }
    await target.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const demo = runCli(['demo', '--db', db], { env: FROM_SOURCE });
    expect(demo.code, demo.stderr).toBe(0);
    libraryId = /Demo library created: (\S+)/.exec(demo.stdout)![1]!;
    const signin = /as (\S+) with password (\S+)/.exec(demo.stdout)!;
    email = signin[1]!;
    password = signin[2]!;
    const created = runCli(['token', 'create', '--email', email, '--db', db], { env: FROM_SOURCE });
    expect(created.code, created.stderr).toBe(0);
    token = created.stdout.trim();
    // A second library, so the header shows "switch library".
    const other = runCli(['library', 'create', '--name', 'Second community with a long name', '--db', db], { env: FROM_SOURCE });
    expect(other.code, other.stderr).toBe(0);
    const joined = runCli(['user', 'add', '--email', email, '--name', 'x', '--library', other.stdout.trim(), '--role', 'member', '--db', db], { env: FROM_SOURCE });
    expect(joined.code, joined.stderr).toBe(0);
    const link = runCli(['user', 'link', '--email', 'kwame@wereldwerk.example', '--db', db], { env: FROM_SOURCE });
    expect(link.code, link.stderr).toBe(0);
    server = await startServer(db, FROM_SOURCE);
    browser = await launchBrowser();
    context = browser.context;
    page = await context.newPage();
    await context.browser()!.newContext();
    kwameContext = await context.browser()!.newContext({ viewport: { width: 1280, height: 900 } });
    kwame = await kwameContext.newPage();
    // Kwame chooses a password through his link and is signed in.
    const path = new URL(/(https?:\/\/\S+)/.exec(link.stdout)![1]!).pathname;
    await kwame.goto(`${server.url}${path}`);
    await kwame.getByLabel('New password').fill('kwame has a long password');
    await kwame.getByLabel('Repeat the password').fill('kwame has a long password');
    await kwame.getByRole('button', { name: /Set password/ }).click();
    await kwame.waitForURL(/\/l\//);
  }, 120_000);

  afterAll(async () => {
    await kwameContext?.close();
    await browser?.close();
    await server?.stop();
    work.remove();
  });

  it('signs in; the header is one line at 1280 px with "switch library"; grid cards are level; the favicon loads', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/signin`);
    await shootBoth(page, 'signin');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Recent clips' }).waitFor();
    await page.goto(lib());
    await page.getByRole('link', { name: 'switch library' }).waitFor();
    const header = await page.evaluate(() => {
      const items = [...document.querySelectorAll('header.top .bar > *')].map((el) => el.getBoundingClientRect());
      const nav = [...document.querySelectorAll('nav.main a')].map((el) => el.getBoundingClientRect().top);
      return { tops: items.map((r) => Math.round(r.top + r.height / 2)), navRows: new Set(nav.map(Math.round)).size, height: document.querySelector('header.top')!.getBoundingClientRect().height };
    });
    expect(header.navRows).toBe(1);
    // Every item of the bar on one line: their middles within a few pixels.
    expect(Math.max(...header.tops) - Math.min(...header.tops)).toBeLessThanOrEqual(6);
    const cards = await page.evaluate(() => [...document.querySelectorAll('.grid > *')].map((el) => Math.round(el.getBoundingClientRect().top)));
    expect(cards.length).toBe(2);
    expect(cards[0]).toBe(cards[1]);
    const icon = await page.request.get(`${server.url}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/svg+xml');
    await shootBoth(page, 'home');
  });

  it('finds a case by a word of its description and goes back to the search with its query', async () => {
    await page.getByLabel('Search the library').fill('Asante');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Cases/ }).waitFor();
    const cases = await page.locator('.case-results .item-title').allTextContents();
    expect(cases).toContain('Cocoa cooperative partnership in Ghana');
    await shootBoth(page, 'search-cases');

    await page.goto(lib('search?q=premium&kind=article'));
    const summary = await page.getByTestId('result-count').textContent();
    expect(summary).toMatch(/· 1–\d+ of \d+$/);
    expect(await page.locator('h2', { hasText: /\d+ ms/ }).count()).toBe(0);
    await shootBoth(page, 'search');
    await page.locator('section[aria-labelledby="results-h"] ul.items > li .item-title').first().click();
    await page.getByRole('heading', { name: 'About this clip' }).waitFor();
    expect(await page.getByText('Version', { exact: true }).count()).toBe(0);
    await shootBoth(page, 'clip');
    await page.getByRole('link', { name: '← Search' }).click();
    await page.getByRole('heading', { name: /Results|Clips/ }).first().waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('premium');
    expect(url.searchParams.get('kind')).toBe('article');
    expect(await page.getByLabel('Words to search for').inputValue()).toBe('premium');

    await page.goto(lib('search?q=premium&from=2026-05-01&to=2025-01-01'));
    await page.getByRole('alert').getByText('is after “Clipped until”').waitFor();
    await shootBoth(page, 'search-dates');
  });

  it('creates one case when "Create case" is clicked twice', async () => {
    await page.goto(lib('cases'));
    await shootBoth(page, 'cases');
    await page.getByLabel('Title').fill('Clicked twice on a slow link');
    const form = await page.evaluate(() => Object.fromEntries(new FormData(document.querySelector('form[action$="/cases"]') as HTMLFormElement) as unknown as Iterable<[string, string]>));
    await page.getByRole('button', { name: 'Create case' }).dblclick();
    await page.getByRole('heading', { name: 'Edit case' }).waitFor();
    const editUrl = page.url();
    await shootBoth(page, 'case-edit');
    // The same submission sent once more, as a browser resends it.
    const again = await page.request.post(lib('cases'), { form, maxRedirects: 0 });
    expect(again.status()).toBe(303);
    expect(new URL(again.headers().location!, server.url).href).toBe(editUrl);
    const listed = await api<{ cases: Array<{ title: string }> }>(`/api/v1/libraries/${libraryId}/cases`);
    expect(listed.cases.filter((item) => item.title === 'Clicked twice on a slow link').length).toBe(1);
    await page.goto(lib('cases'));
    expect(await page.getByRole('link', { name: 'Clicked twice on a slow link' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Cocoa cooperative partnership in Ghana' }).click();
    await page.getByRole('heading', { name: 'Subgroup' }).waitFor();
    await shootBoth(page, 'case');
  });

  it('edits the scan: accept, reject, answer by hand, and a conflict between two people', async () => {
    await page.goto(lib('companies'));
    await shootBoth(page, 'companies');
    await page.getByRole('link', { name: 'Cacao Noord', exact: true }).first().click();
    await page.getByRole('heading', { name: 'A. Identity and registration' }).waitFor();
    const companyUrl = page.url();
    expect(await page.getByText('Organization · name: Cacao Noord').count()).toBe(1);
    expect(await page.content()).not.toContain('"@type"');
    // Kwame opens the same page now: his founding year is still the old one.
    await kwame.goto(companyUrl);

    await page.getByRole('button', { name: 'Accept the proposal for Website' }).click();
    await page.getByRole('status').getByText('Saved “Website”').waitFor();
    expect(await page.locator('tr[id$="-website"] .badge.proposal').count()).toBe(0);
    await page.getByRole('button', { name: 'Reject the proposal for VAT numbers' }).click();
    await page.getByRole('status').getByText('Saved “VAT numbers”').waitFor();
    expect(await page.locator('tr[id$="-vatIds"] .answer-empty').count()).toBe(1);
    const ownership = page.locator('tr[id$="-ownership"]');
    await ownership.getByText('Answer by hand').click();
    await ownership.getByLabel('Ownership').fill('Family owned');
    await ownership.getByRole('button', { name: 'Save answer' }).click();
    await page.getByRole('status').getByText('Saved “Ownership”').waitFor();
    expect(await page.locator('tr[id$="-ownership"] td.answer').first().textContent()).toContain('Family owned');

    const year = page.locator('tr[id$="-foundingYear"]');
    await year.getByText('Edit').click();
    await year.getByLabel('Founding year').fill('2010');
    await year.getByRole('button', { name: 'Save answer' }).click();
    await page.getByRole('status').getByText('Saved “Founding year”').waitFor();

    const his = kwame.locator('tr[id$="-foundingYear"]');
    await his.getByText('Edit').click();
    await his.getByLabel('Founding year').fill('2011');
    await his.getByRole('button', { name: 'Save answer' }).click();
    await kwame.getByRole('heading', { name: 'Someone else changed this answer' }).waitFor();
    expect(await kwame.getByTestId('current-value').textContent()).toBe('2010');
    expect(await kwame.getByTestId('my-value').textContent()).toBe('2011');
    await shootBoth(kwame, 'scan-conflict');
    await kwame.getByRole('button', { name: 'Replace it with mine' }).click();
    await kwame.getByRole('status').getByText('Saved “Founding year”').waitFor();
    expect(await kwame.locator('tr[id$="-foundingYear"] td.answer').first().textContent()).toMatch(/^2011/);

    // Through the versioned path: the API has the answers as the web left them.
    const scan = await api<{ answers: Array<{ field: string; value: unknown; confirmedBy: string | null }> }>(
      `/api/v1/libraries/${libraryId}/scans/${/#?scan-([0-9a-f-]{36})/.exec(await page.content())![1]}`,
    ).catch(() => undefined);
    if (scan?.answers) expect(scan.answers.find((a) => a.field === 'foundingYear')?.value).toBe('2011');

    await page.goto(companyUrl);
    await shootBoth(page, 'company');
    // 375 px: no sideways scroll, the table reflowed into blocks, and the evidence readable.
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('table.data.scan tr')!).display)).toBe('block');
    const widest = await page.evaluate(() => Math.max(...[...document.querySelectorAll('table.data.scan')].map((t) => t.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows the other pages at both widths without sideways scroll', async () => {
    await page.goto(lib('lessons'));
    await page.getByRole('heading', { name: 'Lessons across cases' }).waitFor();
    await shootBoth(page, 'lessons');
    await page.goto(lib('search'));
    // The demo's clips (and the two cases' worth made above) fit one page: "1–N of N", no pager.
    const newest = (await page.getByTestId('result-count').textContent())!;
    const [, last, total] = /· 1–(\d+) of (\d+)$/.exec(newest)!;
    expect(last).toBe(total);
    expect(await page.getByRole('navigation', { name: 'Result pages' }).count()).toBe(0);
    await shootBoth(page, 'search-newest');
    for (const [name, path] of [['members', lib('members')], ['export', lib('export')], ['account', `${server.url}/account`], ['libraries', `${server.url}/libraries`], ['not-found', lib('no-such-page')]] as const) {
      await page.goto(path);
      await shootBoth(page, name);
    }
    expect(shots.length).toBeGreaterThanOrEqual(36);
  });
});
