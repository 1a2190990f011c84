// Issue 13, items 1–3: managing members on the web (role, removal, invitations resent or
// withdrawn, each confirmed), password recovery by e-mail against a real local SMTP server, an
// admin's sign-in link (web and CLI), one link lifetime said the same way everywhere, a dead
// link that explains what to do, and the demo's printed password vs its one-time link.
// Runs on SQLite and, in the Postgres run, on PostgreSQL.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../service/app.ts';
import { LINK_LIFETIME } from '../../service/auth/links.ts';
import { demoMessage } from '../../service/cli/commands/demo.ts';
import { openStore } from '../../service/db/connect.ts';
import { createDemoLibrary } from '../../service/demo/create.ts';
import type { AppConfig } from '../../service/http/env.ts';
import { changeRole, createSigninLink, findUserByEmail, inviteToLibrary, membershipRole, setMembership } from '../../service/repos/accounts.ts';
import { runCli } from '../helpers/processes.ts';
import { freshStore, freshStoreTarget } from '../helpers/store.ts';
import { makeWorld, WORLD_PASSWORD, type World } from '../helpers/world.ts';
import { Browser, csrfOf } from '../web/helpers.ts';


const PASSWORD = WORLD_PASSWORD;



let w: World;
let lib: string;
let ada: Browser;
async function world(config: Partial<AppConfig> = {}) {
  w = await makeWorld(config);
  lib = w.libA.id;
  ada = new Browser(w.app);
  expect((await ada.signIn('ada@example.org')).status).toBe(303);
}
afterEach(async () => {
  await w?.store.close();
});

const inviteLink = (html: string) => /\/invite\/(cbi_[A-Za-z0-9_-]+)/.exec(html)?.[1];

describe('members page', () => {
  beforeEach(async () => {
    await world();
  });

  it('changes a role only after confirming', async () => {
    const asked = await ada.submit(`/l/${lib}/members`, `/l/${lib}/members/${w.member.id}/role`, { role: 'reader' });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('Make mo reader (reads only) instead of member?');
    expect(await membershipRole(w.store.db, lib, w.member.id)).toBe('member');
    const done = await ada.request(`/l/${lib}/members/${w.member.id}/role`, { method: 'POST', form: { _csrf: csrfOf(asked.html), role: 'reader', confirm: 'yes' } });
    expect(await done.text()).toContain('mo is now reader.');
    expect(await membershipRole(w.store.db, lib, w.member.id)).toBe('reader');
    // The reader can no longer write through the API.
    expect((await w.push(w.member, [{ type: 'case', id: crypto.randomUUID(), op: 'put', fields: { title: 'x' } }])).status).toBe(403);
  });

  it('removes a member after confirming; they lose the library at once', async () => {
    const mo = new Browser(w.app);
    await mo.signIn('mo@example.org');
    expect((await mo.page(`/l/${lib}/`)).status).toBe(200);
    const asked = await ada.submit(`/l/${lib}/members`, `/l/${lib}/members/${w.member.id}/remove`, {});
    expect(asked.html).toContain('Remove mo from this library?');
    expect(await membershipRole(w.store.db, lib, w.member.id)).toBe('member');
    await ada.request(`/l/${lib}/members/${w.member.id}/remove`, { method: 'POST', form: { _csrf: csrfOf(asked.html), confirm: 'yes' } });
    expect(await membershipRole(w.store.db, lib, w.member.id)).toBeUndefined();
    expect((await mo.page(`/l/${lib}/`)).status).toBe(404);
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/cases`)).status).toBe(404);
  });

  it('lets only admins manage members', async () => {
    const mo = new Browser(w.app);
    await mo.signIn('mo@example.org');
    const page = await mo.page(`/l/${lib}/members`);
    expect(page.html).not.toContain('/remove');
    const forged = await mo.request(`/l/${lib}/members/${w.admin.id}/remove`, { method: 'POST', form: { _csrf: csrfOf(page.html), confirm: 'yes' } });
    expect(forged.status).toBe(403);
    expect(await membershipRole(w.store.db, lib, w.admin.id)).toBe('admin');
  });

  it('resends an invitation (the old link stops working) and withdraws one, each confirmed', async () => {
    const invited = await ada.submit(`/l/${lib}/members`, `/l/${lib}/members/invite`, { email: 'guest@example.org', name: 'Guest', role: 'reader' });
    const first = inviteLink(invited.html)!;
    expect(invited.html).toContain(`valid for ${LINK_LIFETIME}`);
    const id = /invitations\/([0-9a-f-]{36})\/resend/.exec(invited.html)![1]!;
    const asked = await ada.submit(`/l/${lib}/members`, `/l/${lib}/invitations/${id}/resend`, {});
    expect(asked.html).toContain('The earlier link stops working');
    expect((await new Browser(w.app).page(`/invite/${first}`)).status).toBe(200);
    const resent = await ada.request(`/l/${lib}/invitations/${id}/resend`, { method: 'POST', form: { _csrf: csrfOf(asked.html), confirm: 'yes' } });
    const second = inviteLink(await resent.text())!;
    expect(second).not.toBe(first);
    expect((await new Browser(w.app).page(`/invite/${first}`)).status).toBe(410);
    expect((await new Browser(w.app).page(`/invite/${second}`)).status).toBe(200);

    const withdraw = await ada.submit(`/l/${lib}/members`, `/l/${lib}/invitations/${id}/revoke`, {});
    expect((await new Browser(w.app).page(`/invite/${second}`)).status).toBe(200);
    await ada.request(`/l/${lib}/invitations/${id}/revoke`, { method: 'POST', form: { _csrf: csrfOf(withdraw.html), confirm: 'yes' } });
    const gone = await new Browser(w.app).page(`/invite/${second}`);
    expect(gone.status).toBe(410);
    expect(gone.html).toContain('ask the admin who invited you to send the invitation again'.replace('ask', 'Ask'));
    expect((await ada.page(`/l/${lib}/members`)).html).not.toContain('guest@example.org');
  });

  it("makes a sign-in link for a member of this library only, never for someone who is also in another library", async () => {
    const asked = await ada.submit(`/l/${lib}/members`, `/l/${lib}/members/${w.member.id}/link`, {});
    const made = await ada.request(`/l/${lib}/members/${w.member.id}/link`, { method: 'POST', form: { _csrf: csrfOf(asked.html), confirm: 'yes' } });
    const secret = /\/signin\/link\/(cbl_[A-Za-z0-9_-]+)/.exec(await made.text())![1]!;
    const mo = new Browser(w.app);
    const set = await mo.submit(`/signin/link/${secret}`, `/signin/link/${secret}`, { password: 'recovered password', repeat: 'recovered password' });
    expect(set.status).toBe(303);
    expect((await new Browser(w.app).signIn('mo@example.org', 'recovered password')).status).toBe(303);

    // Rita is also in library B, where Ada is nobody: no link (it would hand library B over).
    await setMembership(w.store.db, w.libB.id, w.reader.id, 'admin');
    const refused = await ada.submit(`/l/${lib}/members`, `/l/${lib}/members/${w.reader.id}/link`, { confirm: 'yes' });
    expect(refused.status).toBe(400);
    expect(refused.html).not.toMatch(/\/signin\/link\/cbl_/);
    expect(refused.html).toContain('also belongs to libraries you do not administer');
  });

  it("makes no sign-in link for a member whom another library's invitation waits for", async () => {
    // Whoever set Mo's password could accept library B's invitation as Mo.
    await inviteToLibrary(w.store.db, { libraryId: w.libB.id, email: 'mo@example.org', name: 'Mo', role: 'admin', invitedBy: w.outsider.id });
    const refused = await ada.submit(`/l/${lib}/members`, `/l/${lib}/members/${w.member.id}/link`, { confirm: 'yes' });
    expect(refused.status).toBe(400);
    expect(refused.html).not.toMatch(/\/signin\/link\/cbl_/);
  });

  it('lets an admin step down when another admin stays, and then shows a member\'s page', async () => {
    await changeRole(w.store.db, lib, w.member.id, 'admin');
    const stepped = await ada.submit(`/l/${lib}/members`, `/l/${lib}/members/${w.admin.id}/role`, { role: 'member', confirm: 'yes' });
    expect(stepped.status).toBe(303);
    expect(await membershipRole(w.store.db, lib, w.admin.id)).toBe('member');
    expect((await ada.page(`/l/${lib}/members`)).html).not.toContain('Create invitation');
  });
});

describe('one-time links', () => {
  beforeEach(async () => {
    await world();
  });

  it('explains a used or expired link: why, and what to do', async () => {
    const secret = await createSigninLink(w.store.db, w.member.id, 'reset');
    const mo = new Browser(w.app);
    await mo.submit(`/signin/link/${secret}`, `/signin/link/${secret}`, { password: 'recovered password', repeat: 'recovered password' });
    const used = await new Browser(w.app).page(`/signin/link/${secret}`);
    expect(used.status).toBe(410);
    expect(used.html).toContain(`valid for ${LINK_LIFETIME}`);
    expect(used.html).toContain('sign in with your e-mail and password');
    expect(used.html).toContain('Ask an admin of your library to make you a new sign-in link');

    const old = await createSigninLink(w.store.db, w.member.id, 'reset');
    await w.store.db.updateTable('signin_links').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    expect((await new Browser(w.app).page(`/signin/link/${old}`)).status).toBe(410);
  });

  it('says the same lifetime on every page that makes or shows a link', async () => {
    const members = await ada.page(`/l/${lib}/members`);
    expect(members.html).toContain(`valid for ${LINK_LIFETIME}`);
    const secret = await createSigninLink(w.store.db, w.member.id, 'reset');
    expect((await new Browser(w.app).page(`/signin/link/${secret}`)).html).toContain(`valid for ${LINK_LIFETIME}`);
    for (const html of [members.html]) expect(html).not.toMatch(/7 days|72 h|a few days/);
  });
});

describe('password recovery by e-mail', () => {
  let smtp: SMTPServer;
  let mails: Array<{ to: string[]; body: string }>;
  beforeEach(async () => {
    mails = [];
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        stream.on('end', () => {
          // Quoted-printable: soft line breaks and =XX escapes.
          const body = data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    await world({ smtpUrl: `smtp://127.0.0.1:${port}`, publicUrl: 'http://casebook.test' });
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const waitForMail = async (count: number) => {
    for (let i = 0; i < 200 && mails.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    return mails;
  };

  it('mails a one-time link that sets a new password, and answers the same for an unknown e-mail', async () => {
    const token = w.member.token;
    const visitor = new Browser(w.app);
    const signin = await visitor.page('/signin');
    expect(signin.html).toContain('href="/signin/forgot"');
    const unknown = await visitor.submit('/signin/forgot', '/signin/forgot', { email: 'nobody@example.org' });
    const known = await visitor.submit('/signin/forgot', '/signin/forgot', { email: 'mo@example.org' });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    const said = (html: string, email: string) => /data-testid="forgot-sent">([^<]*)/.exec(html)![1]!.replace(email, 'EMAIL');
    expect(said(known.html, 'mo@example.org')).toBe(said(unknown.html, 'nobody@example.org'));
    await waitForMail(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['mo@example.org']);
    expect(mails[0]!.body).toContain(`valid for ${LINK_LIFETIME}`);
    const secret = /http:\/\/casebook\.test\/signin\/link\/(cbl_[A-Za-z0-9_-]+)/.exec(mails[0]!.body)![1]!;

    const set = await visitor.submit(`/signin/link/${secret}`, `/signin/link/${secret}`, { password: 'recovered by mail', repeat: 'recovered by mail' });
    expect(set.status).toBe(303);
    expect((await visitor.page(`/l/${lib}/`)).status).toBe(200);
    expect((await new Browser(w.app).signIn('mo@example.org', 'recovered by mail')).status).toBe(303);
    expect((await w.call({ ...w.member, token }, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('mails one address a few times an hour at most, whoever asks', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await new Browser(w.app).submit('/signin/forgot', '/signin/forgot', { email: 'mo@example.org' })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    await waitForMail(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mails).toHaveLength(3);
  });

  it('mails invitations too', async () => {
    await ada.submit(`/l/${lib}/members`, `/l/${lib}/members/invite`, { email: 'guest@example.org', name: 'Guest', role: 'member' });
    await waitForMail(1);
    expect(mails[0]!.to).toEqual(['guest@example.org']);
    expect(mails[0]!.body).toMatch(/http:\/\/casebook\.test\/invite\/cbi_/);
  });
});

describe('without mail', () => {
  it('says to ask an admin, and sends nothing', async () => {
    const store = await freshStore();
    const app = createApp({ store: store, config: { smtpUrl: '' } });
    const visitor = new Browser(app);
    const page = await visitor.page('/signin/forgot');
    expect(page.html).toContain('Ask an admin of your library to make you a one-time sign-in link');
    expect((await visitor.page('/signin')).html).toContain('Ask an admin of your library for a sign-in link');
    await store.close();
  });
});

describe('casebook user link and role', () => {
  it('prints a working one-time link, and keeps the last admin', async () => {
    const target = await freshStoreTarget('links.db');
    const env = { CASEBOOK_FROM_SOURCE: '1' };
    const library = runCli(['library', 'create', '--name', 'CLI library', '--db', target], { env }).stdout.trim();
    expect(runCli(['user', 'add', '--email', 'fatima@example.org', '--name', 'Fatima', '--library', library, '--role', 'admin', '--db', target], { env, input: 'a long enough password\n' }).code).toBe(0);
    const link = runCli(['user', 'link', '--email', 'fatima@example.org', '--url', 'http://casebook.test', '--db', target], { env });
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toContain(`valid for ${LINK_LIFETIME}`);
    const secret = /http:\/\/casebook\.test\/signin\/link\/(cbl_[A-Za-z0-9_-]+)/.exec(link.stdout)![1]!;
    const demoted = runCli(['user', 'role', '--email', 'fatima@example.org', '--library', library, '--role', 'reader', '--db', target], { env });
    expect(demoted.code).not.toBe(0);
    expect(demoted.stderr).toContain('at least one admin');
    const removed = runCli(['user', 'remove', '--email', 'fatima@example.org', '--library', library, '--db', target], { env });
    expect(removed.code).not.toBe(0);

    const store = await openStore(target);
    try {
      const user = await findUserByEmail(store.db, 'fatima@example.org');
      expect(await membershipRole(store.db, library, user!.id)).toBe('admin');
      const app = createApp({ store: store });
      const visitor = new Browser(app);
      const set = await visitor.submit(`/signin/link/${secret}`, `/signin/link/${secret}`, { password: 'set from the cli link', repeat: 'set from the cli link' });
      expect(set.status).toBe(303);
      expect((await new Browser(app).signIn('fatima@example.org', 'set from the cli link')).status).toBe(303);
    } finally {
      await store.close();
    }
  });
});

describe("the demo's sign-in instructions", () => {
  it('print a password that works, and no one-time link that would silently replace it', async () => {
    const store = await freshStore();
    try {
      const demo = await createDemoLibrary(store);
      const message = demoMessage(demo, 'http://casebook.test');
      const password = /with password (\S+)/.exec(message)![1]!;
      expect(message).not.toMatch(/\/signin\/link\//);
      const app = createApp({ store: store });
      expect((await new Browser(app).signIn(demo.admin.email, password)).status).toBe(303);
      // For an account that existed before (its password is not printed), the link says what it does.
      const again = demoMessage(await createDemoLibrary(store, 'Second demo'), 'http://casebook.test');
      expect(again).toMatch(/password is unchanged/);
      expect(again).toMatch(/choose a new one \(it replaces the old one; valid for 3 days\): http:\/\/casebook\.test\/signin\/link\/cbl_/);
    } finally {
      await store.close();
    }
  });
});
