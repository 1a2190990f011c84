// End-to-end: the web library in Debian's Chromium against a real `casebook serve` on a demo store
// (issue 5, "Tests"): sign in, search, filter, a hostile clip that must not run script, a note
// edit visible as a version bump in the API, export → import → export unchanged, screenshots.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, startServer, type ServerProcess } from '../helpers/processes.ts';
import { comparable, launchBrowser, scratch, startTrap } from './helpers/web-env.ts';
import { existsSync } from 'node:fs';

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('web e2e skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)');

const SHOTS = join(ROOT, 'test-results');

describe.skipIf(!hasChromium)('web library in Chromium', () => {
  const work = scratch('casebook-web-e2e-');
  const db = join(work.dir, 'casebook.db');
  let server: ServerProcess;
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  let libraryId: string;
  let email: string;
  let password: string;
  let token: string;
  let hostileClipId: string;

  const api = async <T,>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
    return (await response.json()) as T;
  };
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `web-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const demo = runCli(['demo', '--db', db]);
    expect(demo.code, demo.stderr).toBe(0);
    libraryId = /Demo library created: (\S+)/.exec(demo.stdout)![1]!;
    const signin = /as (\S+) with password (\S+)/.exec(demo.stdout)!;
    email = signin[1]!;
    password = signin[2]!;
    const created = runCli(['token', 'create', '--email', email, '--db', db]);
    expect(created.code, created.stderr).toBe(0);
    token = created.stdout.trim();
    server = await startServer(db);
    trap = await startTrap();
    browser = await launchBrowser();
    context = browser.context;
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    trap?.server.close();
    work.remove();
  });

  it('signs in with e-mail and password and shows the home page', async () => {
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.url()).toContain('/signin');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('E-mail or password is wrong.').waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Recent clips' }).waitFor();
    expect(page.url()).toContain(`/l/${libraryId}/`);
    const cookie = (await context.cookies()).find((c) => c.name === 'cb_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    await expect(page.getByRole('heading', { name: 'Open cases' })).toBeDefined();
    await shot('home');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('home-narrow');
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('searches with highlighted snippets and narrows by a filter', async () => {
    await page.getByLabel('Search the library').fill('premium');
    await page.keyboard.press('Enter');
    // Matching cases come first in their own section; the clips follow under "Clips".
    await page.getByRole('heading', { name: /^Clips/ }).waitFor();
    const marks = await page.locator('section[aria-labelledby="results-h"] .snippet mark').allTextContents();
    expect(marks.map((m) => m.toLowerCase())).toContain('premium');
    const all = await page.locator('section[aria-labelledby="results-h"] ul.items > li').count();
    expect(all).toBeGreaterThanOrEqual(2);
    await shot('search');
    await page.locator('summary').click();
    await page.getByLabel('Clipped by').selectOption({ label: 'Kwame Mensah' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('heading', { name: /Results/ }).waitFor();
    const titles = await page.locator('ul.items > li .item-title').allTextContents();
    expect(titles).toEqual(['Living income benchmark: rural Ghana 2025']);
    await page.goto(`${server.url}/l/${libraryId}/search?org=Zuidlink`);
    const zuidlink = await page.locator('ul.items > li .item-title').allTextContents();
    // Marieke and Peter (Zuidlink) clipped two each.
    expect(zuidlink.length).toBe(4);
  });

  it('shows a clip whose source held <script> and onerror payloads without running any of them', async () => {
    const base = `http://127.0.0.1:${trap.port}`;
    const payload = `<p>Before the payloads.</p>
      <script>document.title='pwned';window.__pwned=1;fetch('${base}/script')</script>
      <img src="${base}/pixel.gif" onerror="window.__pwned=2;fetch('${base}/onerror')">
      <img src="nope.png" onerror="window.__pwned=3;new Image().src='${base}/onerror-relative'">
      <svg onload="window.__pwned=4;fetch('${base}/svg')"></svg>
      <a href="javascript:window.__pwned=5">a javascript link</a>
      <iframe srcdoc="<script>parent.__pwned=6</script>"></iframe>
      <p style="background:url(${base}/style)">After the payloads.</p>`;
    const hostile = crypto.randomUUID();
    const pushed = await api<{ results: Array<{ status: string }> }>(`/api/v1/libraries/${libraryId}/sync/push`, {
      method: 'POST',
      body: JSON.stringify({ clientId: 'e2e-hostile', mutations: [{ mid: 1, type: 'clip', id: hostile, op: 'put', fields: { url: 'https://evil.example/page', kind: 'article', title: 'Hostile page', html: payload, text: 'Before the payloads. After the payloads.' } }] }),
    });
    expect(pushed.results[0]!.status).toBe('applied');
    hostileClipId = hostile;
    // Also bypass the sanitizer at ingest, as an old row or a hand-edited store would: the page must still be safe.
    const raw = new SQLite(db);
    const row = raw.prepare('SELECT data FROM clips WHERE id = ?').get(hostile) as { data: string };
    raw.prepare('UPDATE clips SET data = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(row.data), html: payload }), hostile);
    raw.close();

    const violations: string[] = [];
    page.on('console', (message) => violations.push(message.text()));
    const response = await page.goto(`${server.url}/l/${libraryId}/clips/${hostile}`);
    expect(response!.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.getByText('After the payloads.').waitFor();
    await page.getByText('a javascript link').click().catch(() => undefined);
    await page.waitForTimeout(500);
    expect(await page.title()).toBe('Hostile page · Casebook');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(trap.hits.filter((hit) => hit !== '/pixel.gif')).toEqual([]);
    const html = await page.content();
    for (const bad of ['<script', 'onerror', 'onload', 'javascript:', '<iframe', 'style=']) expect(html).not.toContain(bad);
    // Put the sanitized row back: the export test below compares a store that push wrote.
    const restore = new SQLite(db);
    restore.prepare('UPDATE clips SET data = ? WHERE id = ?').run(row.data, hostile);
    restore.close();
  });

  it('edits a note through the versioned write path: the API shows the new version', async () => {
    const before = await api<{ clip: { version: number; note: string } }>(`/api/v1/libraries/${libraryId}/clips/${hostileClipId}`);
    await page.goto(`${server.url}/l/${libraryId}/clips/${hostileClipId}`);
    await page.getByLabel(/^Note/).fill('Checked by the e2e test: **no script ran**.');
    await page.getByLabel(/^Tags/).fill('security, test');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved\./).waitFor();
    const after = await api<{ clip: { version: number; note: string; tags: string[] } }>(`/api/v1/libraries/${libraryId}/clips/${hostileClipId}`);
    expect(after.clip.version).toBeGreaterThan(before.clip.version);
    expect(after.clip.note).toBe('Checked by the e2e test: **no script ran**.');
    expect(after.clip.tags.sort()).toEqual(['security', 'test']);
    const pull = await api<{ changes: Array<{ id: string; version: number }> }>(`/api/v1/libraries/${libraryId}/sync/pull?since=${before.clip.version}`);
    expect(pull.changes.map((change) => change.id)).toContain(hostileClipId);

    // A stale form (someone saved in between) shows a conflict instead of losing either text.
    await page.goto(`${server.url}/l/${libraryId}/clips/${hostileClipId}`);
    await api(`/api/v1/libraries/${libraryId}/sync/push`, {
      method: 'POST',
      body: JSON.stringify({ clientId: 'e2e-colleague', mutations: [{ mid: 1, type: 'clip', id: hostileClipId, op: 'put', baseVersion: after.clip.version, fields: { note: 'A colleague’s note.' } }] }),
    });
    await page.getByLabel(/^Note/).fill('My competing note.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Someone else changed the note').waitFor();
    expect(await page.getByLabel(/^Note/).inputValue()).toBe('A colleague’s note.');
    expect(await page.getByLabel('Your text (not saved)').inputValue()).toBe('My competing note.');
  });

  it('shows the case, company and lessons pages', async () => {
    await page.goto(`${server.url}/l/${libraryId}/cases`);
    await page.getByRole('link', { name: 'Cocoa cooperative partnership in Ghana' }).click();
    await page.getByRole('heading', { name: 'Subgroup' }).waitFor();
    expect(await page.locator('.markdown strong').first().textContent()).toBe('Asante Farmers’ Union');
    await shot('case');
    await page.getByRole('link', { name: 'Cacao Noord', exact: true }).click();
    await page.getByRole('heading', { name: 'A. Identity and registration' }).waitFor();
    expect(await page.getByText('KvK 68123457').count()).toBeGreaterThan(0);
    await shot('company');
    await page.goto(`${server.url}/l/${libraryId}/lessons`);
    await page.getByRole('heading', { name: 'Lessons across cases' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Exit and dependency' }).count()).toBe(1);
    await shot('lessons');
    await page.goto(`${server.url}/l/${libraryId}/members`);
    await shot('members');
  });

  it('keeps non-members out: another library answers 404', async () => {
    const other = runCli(['library', 'create', '--name', 'Other community', '--db', db]);
    const response = await page.goto(`${server.url}/l/${other.stdout.trim()}/`);
    expect(response!.status()).toBe(404);
  });

  it('exports the library and imports it into an empty one unchanged', async () => {
    const download = await page.request.get(`${server.url}/l/${libraryId}/export/download?format=json`);
    expect(download.status()).toBe(200);
    const first = join(work.dir, 'export.json');
    writeFileSync(first, await download.body());

    const copy = join(work.dir, 'copy.db');
    const target = runCli(['library', 'create', '--name', 'Copy', '--db', copy]).stdout.trim();
    const imported = runCli(['import', '--library', target, '--in', first, '--db', copy]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/imported \d+ of \d+ objects/);
    const second = join(work.dir, 'again.json');
    const exported = runCli(['export', '--library', target, '--format', 'json', '--out', second, '--db', copy]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/exported \d+ of \d+ objects/);
    expect(comparable(readFileSync(second, 'utf8'))).toEqual(comparable(readFileSync(first, 'utf8')));

    const markdown = join(work.dir, 'md');
    const md = runCli(['export', '--library', target, '--format', 'markdown', '--out', markdown, '--db', copy]);
    expect(md.code, md.stderr).toBe(0);
    expect(readdirSync(join(markdown, 'clips')).length).toBe(11);
    expect(readFileSync(join(markdown, 'cases', 'cocoa-cooperative-partnership-in-ghana.md'), 'utf8')).toMatch(/^---\nid: "[0-9a-f-]+"\ntitle: "Cocoa cooperative partnership in Ghana"/);
  });
});
