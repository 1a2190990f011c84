// Editing a company scan on the web (issue 13, item 8), over a real listening server: accept,
// reject and edit a proposal, answer by hand (once per submitted form), two people editing one
// answer (the second sees the current value and chooses), evidence as readable text, a table
// that reflows on a narrow screen; and the lessons page in pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigninLink, createUser, findUserByEmail, setMembership } from '../../service/repos/accounts.ts';
import { loadLive } from '../../service/repos/objects.ts';
import { pullChanges } from '../../service/sync/pull.ts';
import { pushChanges } from '../../service/sync/push.ts';
import { evidenceText } from '../../service/web/scan-sections.ts';
import { STYLESHEET } from '../../service/web/style.ts';
import { Client, csrfOf, listen, signedIn, webWorld, type WebWorld } from './helpers.ts';

let world: WebWorld;
let server: Awaited<ReturnType<typeof listen>>;
let amina: Client;
let kwame: Client;
let lib: string;
let companyPath: string;
let scanId: string;

const decode = (html: string) => html.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/** The row of one question on the company page. */
function row(html: string, field: string): string {
  const start = html.indexOf(`<tr id="q-${scanId}-${field}">`);
  expect(start, `row ${field}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tr>', start));
}

/** The hidden and named fields of the row's form whose submit (or hidden action) is `action`. */
function formOf(html: string, field: string, action: string): Record<string, string> {
  const forms = row(html, field).split('<form').slice(1);
  for (const form of forms) {
    const fields: Record<string, string> = {};
    for (const input of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[input[1]!] = decode(input[2]!);
    const button = /<button type="submit" name="action" value="([^"]+)"/.exec(form);
    if (button) fields.action = button[1]!;
    if (fields.action === action) return fields;
  }
  throw new Error(`no ${action} form for ${field}`);
}

async function answer(field: string) {
  const rows = await world.store.db.selectFrom('answers').select(['id', 'data', 'deleted']).where('scan_id', '=', scanId).execute();
  return rows.filter((r) => (JSON.parse(r.data) as { field: string }).field === field);
}

beforeAll(async () => {
  world = await webWorld();
  server = await listen(world);
  lib = `/l/${world.demo.libraryId}`;
  amina = await signedIn(world, server.base);
  // A second person: Kwame (a member of the demo) sets a password through a one-time link.
  const user = (await findUserByEmail(world.store.db, 'kwame@wereldwerk.example'))!;
  const secret = await createSigninLink(world.store.db, user.id, 'reset');
  kwame = new Client(world.app, server.base);
  const page = await kwame.page(`/signin/link/${secret}`);
  const done = await kwame.request(`/signin/link/${secret}`, { method: 'POST', form: { _csrf: csrfOf(page.html), password: 'kwame has a long password', repeat: 'kwame has a long password' } });
  expect(done.status).toBe(303);
  const list = await amina.page(`${lib}/companies`);
  companyPath = decode(/<a class="item-title" href="([^"]+)">Cacao Noord<\/a>/.exec(list.html)![1]!);
  scanId = /id="scan-([0-9a-f-]{36})"/.exec((await amina.page(companyPath)).html)![1]!;
});
afterAll(async () => {
  await server.close();
  await world.store.close();
});

describe('evidence and layout of the company page', () => {
  it('shows JSON-LD evidence as readable text, never raw JSON', async () => {
    const { html } = await amina.page(companyPath);
    expect(html).toContain('Organization · name: Cacao Noord');
    expect(html).not.toContain('&quot;@type&quot;');
    expect(html).not.toContain('"@type"');
    expect(evidenceText('"@type": "Organization", "name": "X", "address": {"@type": "PostalAddress", "streetAddress": "Main 1", "addressLocality": "Town"}')).toBe('Organization · name: X · address: Main 1, Town');
    // Cut short by the extension (…): no longer JSON, still read key by key.
    expect(evidenceText('"address": {"@type": "PostalAddress", "streetAddress": "Main 1", "addressLoc…')).toBe('address: PostalAddress · streetAddress: Main 1, addressLoc …');
    expect(evidenceText('KvK 68123457')).toBe('KvK 68123457');
  });

  it('reflows the scan table on a narrow screen (a block a question)', () => {
    const narrow = STYLESHEET.slice(STYLESHEET.indexOf('@media (max-width: 40rem)'));
    expect(narrow).toMatch(/table\.data\.scan[^{]*tr[^{]*\{ display: block/);
  });
});

describe('scan editing through the versioned write path', () => {
  let versionBefore = 0;
  beforeAll(async () => {
    versionBefore = Number((await world.store.db.selectFrom('libraries').select('version').where('id', '=', world.demo.libraryId).executeTakeFirstOrThrow()).version);
  });

  it('accepts a proposal: confirmed by the person, no longer marked a proposal', async () => {
    const { html } = await amina.page(companyPath);
    expect(row(html, 'website')).toContain('proposal</span>');
    const form = formOf(html, 'website', 'accept');
    const before = (await answer('website'))[0]!;
    const response = await amina.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('saved=website');
    const after = await loadLive(world.store.db, world.demo.libraryId, 'answer', before.id);
    expect(after!.fields.confirmedBy).toBe((await findUserByEmail(world.store.db, world.demo.admin.email))!.id);
    const page = await amina.page(response.headers.get('location')!);
    expect(row(page.html, 'website')).not.toContain('proposal</span>');
    expect(page.html).toContain('Saved “Website”');
    // Still the proposer's proposal, now confirmed by the person who accepted it.
    expect(row(page.html, 'website')).toContain('proposed from the site, Joost de Vries; confirmed by Amina Yusuf');
  });

  it('rejects a proposal: the answer is gone', async () => {
    const { html } = await amina.page(companyPath);
    const response = await amina.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form: formOf(html, 'vatIds', 'reject') });
    expect(response.status).toBe(303);
    expect((await answer('vatIds')).every((r) => Number(r.deleted) === 1)).toBe(true);
    expect(row((await amina.page(companyPath)).html, 'vatIds')).toContain('not answered');
  });

  it('edits a proposal: the typed value is a manual answer, lists one item a line', async () => {
    const { html } = await amina.page(companyPath);
    const form = formOf(html, 'emails', 'edit');
    const response = await amina.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form: { ...form, value: 'info@cacaonoord.example\npress@cacaonoord.example\n' } });
    expect(response.status).toBe(303);
    const stored = (await answer('emails')).find((r) => Number(r.deleted) === 0)!;
    const fields = JSON.parse(stored.data) as { value: unknown; method: string };
    expect(fields.value).toEqual(['info@cacaonoord.example', 'press@cacaonoord.example']);
    expect(fields.method).toBe('manual');
  });

  it('answers a question by hand once, however often the form is sent', async () => {
    const { html } = await amina.page(companyPath);
    const form: Record<string, string> = { ...formOf(html, 'ownership', 'answer'), value: 'Family owned (two founders)' };
    expect(form._form).toMatch(/^ft_/);
    const [first, second] = await Promise.all([
      amina.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form }),
      amina.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect((await answer('ownership')).length).toBe(1);
    expect(row((await amina.page(companyPath)).html, 'ownership')).toContain('Family owned (two founders)');
  });

  it('two people edit one answer: the second sees the current value and chooses', async () => {
    const aminaPage = await amina.page(companyPath);
    const kwamePage = await kwame.page(companyPath);
    const saved = await amina.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form: { ...formOf(aminaPage.html, 'foundingYear', 'edit'), value: '2010' } });
    expect(saved.status).toBe(303);
    // Kwame's form still shows 2009.
    const late = await kwame.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form: { ...formOf(kwamePage.html, 'foundingYear', 'edit'), value: '2011' } });
    expect(late.status).toBe(409);
    const conflict = await late.text();
    expect(conflict).toContain('Someone else changed this answer');
    expect(conflict).toMatch(/data-testid="current-value">2010</);
    expect(conflict).toMatch(/data-testid="my-value">2011</);
    expect(conflict).toContain('Keep the current answer');
    const stored = () => answer('foundingYear').then((rows) => (JSON.parse(rows.find((r) => Number(r.deleted) === 0)!.data) as { value: unknown }).value);
    expect(await stored()).toBe('2010');
    // He chooses his own.
    const choice: Record<string, string> = {};
    const start = conflict.indexOf(`<form method="post" action="${lib}/scans/`);
    const form = conflict.slice(start, conflict.indexOf('</form>', start));
    for (const input of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) choice[input[1]!] = decode(input[2]!);
    const replaced = await kwame.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form: choice });
    expect(replaced.status).toBe(303);
    expect(await stored()).toBe('2011');
    // Amina's page, now stale, would overwrite 2011 only after choosing too.
    const again = await amina.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form: { ...formOf(aminaPage.html, 'foundingYear', 'edit'), value: '2010' } });
    expect(again.status).toBe(409);
    expect(await stored()).toBe('2011');
  });

  it('writes through the push path: the extension pulls every web edit', async () => {
    const pulled = await pullChanges(world.store, world.demo.libraryId, versionBefore, 1000);
    const ids = new Set(pulled.changes.map((change) => change.id));
    for (const field of ['website', 'vatIds', 'emails', 'ownership', 'foundingYear']) {
      expect((await answer(field)).some((r) => ids.has(r.id)), field).toBe(true);
    }
  });

  it('shows a reader no editing, and refuses a reader\'s forged form', async () => {
    const reader = await createUser(world.store.db, { email: 'reader@example.org', name: 'Rita Reader', password: 'a long reader password' });
    await setMembership(world.store.db, world.demo.libraryId, reader.id, 'reader');
    const rita = new Client(world.app, server.base);
    expect((await rita.signIn('reader@example.org', 'a long reader password')).status).toBe(303);
    const page = await rita.page(companyPath);
    expect(page.html).toContain('Founding year');
    expect(page.html).not.toContain('Answer by hand');
    expect(page.html).not.toContain(`/scans/${scanId}/answers`);
    const forged = { ...formOf((await amina.page(companyPath)).html, 'foundingYear', 'edit'), _csrf: csrfOf(page.html), value: '1999' };
    const response = await rita.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form: forged });
    expect(response.status).toBe(403);
    expect(row((await amina.page(companyPath)).html, 'foundingYear')).not.toContain('1999');
  });

  it('refuses an answer to a question the template does not have', async () => {
    const { html } = await amina.page(companyPath);
    const response = await amina.request(`${lib}/scans/${scanId}/answers`, { method: 'POST', form: { ...formOf(html, 'ownership', 'edit'), field: 'notAQuestion' } });
    expect(response.status).toBe(400);
  });
});

describe('lessons in pages', () => {
  it('pages the themes: "Themes 1–8 of N", then the rest', async () => {
    const userId = (await findUserByEmail(world.store.db, world.demo.admin.email))!.id;
    const mutations = Array.from({ length: 12 }, (_, i) => ({
      mid: i + 1, type: 'case' as const, id: crypto.randomUUID(), op: 'put' as const,
      fields: { title: `Paging case ${i + 1}`, lessons: `## Paging theme ${String(i + 1).padStart(2, '0')}\n\nLesson ${i + 1}.` },
    }));
    await pushChanges(world.store, { libraryId: world.demo.libraryId, userId, clientId: 'lessons-test', mutations });
    const first = await amina.page(`${lib}/lessons`);
    const total = Number(/Themes 1–8 of (\d+)/.exec(first.html)![1]);
    expect(total).toBeGreaterThanOrEqual(13);
    expect(first.html.match(/<section class="theme"/g)!.length).toBe(8);
    const next = decode(/<a href="([^"]+)" rel="next">/.exec(first.html)![1]!);
    const second = await amina.page(next);
    expect(second.html).toContain(`Themes 9–${Math.min(16, total)} of ${total}`);
    // Every theme is reachable from the theme list of the first page.
    const listed = [...first.html.matchAll(/<a href="([^"]*#theme-\d+)">/g)].map((m) => m[1]);
    expect(listed.length).toBe(total);
    expect(listed.filter((href) => href!.startsWith('?page=2')).length).toBe(Math.min(8, total - 8));
  });
});
