// The web library through app.request on a real SQLite :memory: store: sign-in, scoping, CSP,
// CSRF, escaping, edits through push, invitations, export (issue 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, createUser, setMembership, createSigninLink } from '../../service/repos/accounts.ts';
import { pushChanges } from '../../service/sync/push.ts';
import { renderMarkdown } from '../../service/web/markdown.ts';
import { Client, csrfOf, signedIn, webWorld, type WebWorld } from './helpers.ts';

let world: WebWorld;
let client: Client;
let lib: string;

beforeAll(async () => {
  world = await webWorld();
  client = await signedIn(world);
  lib = `/l/${world.demo.libraryId}`;
});
afterAll(() => world.store.close());

async function firstClipId(query: string): Promise<string> {
  const { html } = await client.page(`${lib}/search?q=${encodeURIComponent(query)}`);
  return /\/clips\/([0-9a-f-]{36})/.exec(html)![1]!;
}

describe('sign-in and sessions', () => {
  it('sends visitors to sign in and sets an HttpOnly SameSite=Lax session cookie', async () => {
    const anonymous = new Client(world.app);
    const response = await anonymous.request(`${lib}/search?q=x`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(`${lib}/search?q=x`)}`);
    const form = await anonymous.page('/signin');
    const signin = await anonymous.request('/signin', { method: 'POST', form: { _csrf: csrfOf(form.html), email: world.demo.admin.email, password: world.demo.admin.password!, next: '/' } });
    const cookie = signin.headers.getSetCookie().find((line) => line.startsWith('cb_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('marks cookies Secure when the public URL is https', async () => {
    const secure = await webWorld({ publicUrl: 'https://casebook.example' });
    const response = await new Client(secure.app).request('/signin');
    expect(response.headers.getSetCookie()[0]).toMatch(/Secure/);
    await secure.store.close();
  });

  it('rejects a sign-in form without its CSRF token', async () => {
    const fresh = new Client(world.app);
    await fresh.page('/signin');
    const response = await fresh.request('/signin', { method: 'POST', form: { email: world.demo.admin.email, password: world.demo.admin.password! } });
    expect(response.status).toBe(403);
  });

  it('rate-limits sign-in attempts per e-mail with 429 and Retry-After', async () => {
    const limited = await webWorld({ signinPerMinute: 3 });
    const guesser = new Client(limited.app);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const form = await guesser.page('/signin');
      const response = await guesser.request('/signin', { method: 'POST', form: { _csrf: csrfOf(form.html), email: limited.demo.admin.email, password: `guess number ${i}` } });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    await limited.store.close();
  });

  it('signs in through a one-time link that sets a password, and the link works once', async () => {
    const user = await createUser(world.store.db, { email: 'new.member@zuidlink.example', name: 'New Member' });
    await setMembership(world.store.db, world.demo.libraryId, user.id, 'member');
    const secret = await createSigninLink(world.store.db, user.id, 'invite');
    const visitor = new Client(world.app);
    const page = await visitor.page(`/signin/link/${secret}`);
    expect(page.html).toContain('Welcome to Casebook, New Member');
    const again = await visitor.page(`/signin/link/${secret}`);
    expect(again.status).toBe(200); // looking does not use the link up
    const done = await visitor.request(`/signin/link/${secret}`, { method: 'POST', form: { _csrf: csrfOf(page.html), password: 'a long new password', repeat: 'a long new password' } });
    expect(done.status).toBe(303);
    expect((await visitor.page(`${lib}/`)).status).toBe(200);
    expect((await visitor.page(`/signin/link/${secret}`)).status).toBe(410);
    expect((await new Client(world.app).signIn('new.member@zuidlink.example', 'a long new password')).status).toBe(303);
  });

  it('signs out only with the form token', async () => {
    const other = await signedIn(world);
    expect((await other.request('/signout', { method: 'POST', form: {} })).status).toBe(403);
    const home = await other.page(`${lib}/`);
    expect((await other.request('/signout', { method: 'POST', form: { _csrf: csrfOf(home.html) } })).status).toBe(303);
    expect((await other.request(`${lib}/`)).status).toBe(303);
  });
});

describe('pages', () => {
  it('serves every page with a strict CSP, no inline script and the stylesheet', async () => {
    for (const path of ['/', `${lib}/search?q=premium`, `${lib}/cases`, `${lib}/lessons`, `${lib}/companies`, `${lib}/members`, `${lib}/export`, '/account', '/libraries']) {
      const response = await client.request(path);
      const page = response.status === 303 ? await client.page(response.headers.get('location')!) : { html: await response.text(), response };
      expect(page.response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; img-src https: http: data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(page.html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      expect(page.html).toContain('href="/static/casebook.css"');
    }
    const css = await client.request('/static/casebook.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('answers 404 for a library the member does not belong to and for other libraries\' objects', async () => {
    const other = await createLibrary(world.store.db, 'Another community');
    expect((await client.page(`/l/${other.id}/`)).status).toBe(404);
    expect((await client.page(`/l/${other.id}/search`)).status).toBe(404);
    const clipId = await firstClipId('premium');
    expect((await client.page(`/l/${other.id}/clips/${clipId}`)).status).toBe(404);
    expect((await client.page(`${lib}/clips/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('highlights search words and filters by organisation and date', async () => {
    const { html } = await client.page(`${lib}/search?q=premium`);
    expect(html).toContain('<mark>premium</mark>');
    const zuidlink = await client.page(`${lib}/search?org=Zuidlink`);
    expect(zuidlink.html.match(/class="item-title"/g)?.length).toBe(4);
    const autumn = await client.page(`${lib}/search?from=2025-10-01&to=2025-10-31`);
    expect(autumn.html.match(/class="item-title"/g)?.length).toBe(2);
  });

  it('escapes what members typed and sanitizes their Markdown', async () => {
    const admin = world.demo;
    const caseId = crypto.randomUUID();
    const userId = (await world.store.db.selectFrom('users').select('id').where('email', '=', admin.admin.email).executeTakeFirstOrThrow()).id;
    await pushChanges(world.store, {
      libraryId: admin.libraryId, userId, clientId: 'test-escape',
      mutations: [{ mid: 1, type: 'case', id: caseId, op: 'put', fields: { title: '<img src=x onerror=alert(1)> case', description: 'Hi <script>alert(1)</script> [x](javascript:alert(1)) **bold**' } }],
    });
    const { html } = await client.page(`${lib}/cases/${caseId}`);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; case');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toMatch(/<script|javascript:/);
    expect(renderMarkdown('# Title\n\n<iframe src="https://x"></iframe>')).toBe('<h2>Title</h2>\n');
  });

  it('edits tags, cases and note through push: version bumps and the sync client is web:<session>', async () => {
    const clipId = await firstClipId('premium');
    const page = await client.page(`${lib}/clips/${clipId}`);
    const version = Number(/name="baseVersion" value="(\d+)"/.exec(page.html)![1]);
    const response = await client.request(`${lib}/clips/${clipId}`, {
      method: 'POST',
      form: { _csrf: csrfOf(page.html), baseVersion: String(version), tagsShown: ['premium', 'cooperative', 'trust'], tags: 'premium, trust, contract', note: 'Edited on the web.' },
    });
    expect(response.status).toBe(303);
    const row = await world.store.db.selectFrom('clips').select(['version', 'data']).where('id', '=', clipId).executeTakeFirstOrThrow();
    expect(Number(row.version)).toBeGreaterThan(version);
    const data = JSON.parse(row.data) as { tags: string[]; note: string };
    expect(data.tags.sort()).toEqual(['contract', 'premium', 'trust']);
    expect(data.note).toBe('Edited on the web.');
    // Outcomes are stored under <user id>/<clientId> (service/sync/push.ts).
    const mutation = await world.store.db.selectFrom('mutations').select(['client_id', 'mid']).where('client_id', 'like', '%/web:%').executeTakeFirstOrThrow();
    expect(Number(mutation.mid)).toBe(1);

    // The same stale form again: the note conflicts and is shown, not lost.
    const stale = await client.request(`${lib}/clips/${clipId}`, { method: 'POST', form: { _csrf: csrfOf(page.html), baseVersion: String(version), tagsShown: [], tags: '', note: 'Another text.' } });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain('Someone else changed the note');
    expect(html).toContain('Another text.');
  });

  it('refuses an edit whose CSRF token is missing or from another origin', async () => {
    const clipId = await firstClipId('premium');
    const page = await client.page(`${lib}/clips/${clipId}`);
    expect((await client.request(`${lib}/clips/${clipId}`, { method: 'POST', form: { note: 'x' } })).status).toBe(403);
    const cross = await client.request(`${lib}/clips/${clipId}`, { method: 'POST', headers: { origin: 'https://evil.example' }, form: { _csrf: csrfOf(page.html), note: 'x' } });
    expect(cross.status).toBe(403);
  });

  it('lets an admin invite a member with a one-time link', async () => {
    const page = await client.page(`${lib}/members`);
    expect(page.html).toContain('Sanne Bakker');
    expect(page.html).toContain('Alliance secretariat');
    const invited = await client.request(`${lib}/members/invite`, { method: 'POST', form: { _csrf: csrfOf(page.html), _form: /name="_form" value="([^"]+)"/.exec(page.html)![1]!, email: 'guest@example.org', name: 'Guest Reader', organisation: 'Partner', role: 'reader' } });
    const html = await invited.text();
    expect(html).toMatch(/\/invite\/cbi_[A-Za-z0-9_-]+/);
  });

  it('shows the company scan by section with completeness and evidence', async () => {
    const { html } = await client.page(`${lib}/companies`);
    const companyId = /companies\/([0-9a-f-]{36})/.exec(html)![1]!;
    const page = await client.page(`${lib}/companies/${companyId}`);
    expect(page.html).toContain('A. Identity and registration');
    expect(page.html).toMatch(/12 of 14/);
    expect(page.html).toContain('“KvK 68123457”');
  });
});

describe('export', () => {
  it('streams JSON, CSV and a Markdown zip from the API with a bearer token', async () => {
    const { createToken } = await import('../../service/repos/accounts.ts');
    const userId = (await world.store.db.selectFrom('users').select('id').where('email', '=', world.demo.admin.email).executeTakeFirstOrThrow()).id;
    const { token } = await createToken(world.store.db, userId);
    const get = (format: string) => world.app.request(`/api/v1/libraries/${world.demo.libraryId}/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
    const json = JSON.parse(await (await get('json')).text()) as { objects: unknown[]; members: unknown[] };
    expect(json.members.length).toBeGreaterThanOrEqual(6);
    expect(json.objects.length).toBeGreaterThan(40);
    const csv = await (await get('csv')).text();
    expect(csv.split('\r\n')[0]).toContain('scan_id,company');
    const zip = new Uint8Array(await (await get('markdown')).arrayBuffer());
    expect([...zip.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect((await get('pdf')).status).toBe(400);
    expect((await world.app.request(`/api/v1/libraries/${world.demo.libraryId}/export?format=json`)).status).toBe(401);
  });
});

describe('import', () => {
  it('reads a JSON export back into an empty library of another store unchanged', async () => {
    const { jsonExport, importLibrary, parseExport } = await import('../../service/export/json.ts');
    const { openStore } = await import('../../service/db/connect.ts');
    let first = '';
    for await (const chunk of jsonExport(world.store.db, { libraryId: world.demo.libraryId })) first += chunk;
    const target = await openStore(':memory:');
    const library = await createLibrary(target.db, 'Copy');
    const summary = await importLibrary(target, library.id, parseExport(first));
    expect(summary.objects).toBe(parseExport(first).objects.length);
    let second = '';
    for await (const chunk of jsonExport(target.db, { libraryId: library.id })) second += chunk;
    const strip = (text: string) => ({ members: parseExport(text).members, objects: parseExport(text).objects });
    expect(strip(second)).toEqual(strip(first));
    await expect(importLibrary(target, library.id, parseExport(first))).rejects.toThrow(/not empty/);
    await target.close();
  });
});
