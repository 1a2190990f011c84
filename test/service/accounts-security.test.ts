// Issue 9, findings 1, 5, 6 and 11 (timing, Secure cookie, ?next=): invitations never reveal or
// take over an account, a library keeps its last admin, rate limits count real client
// addresses, a new password ends every other session and token, sign-in takes as long for an
// unknown e-mail, the session cookie is Secure behind a TLS proxy, ?next= never 500s.
// Runs on SQLite and, in the Postgres run, on PostgreSQL (freshStore via makeWorld).
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../service/app.ts';
import type { AppConfig } from '../../service/http/env.ts';
import { RateLimiter } from '../../service/http/rate-limit.ts';
import {
  AccountError,
  changeRole,
  createSigninLink,
  createToken,
  createUser,
  findUserByEmail,
  membershipRole,
  removeMember,
  setMembership,
} from '../../service/repos/accounts.ts';
import { makeWorld, WORLD_PASSWORD, type World } from '../helpers/world.ts';
import { Browser, csrfOf } from '../web/helpers.ts';


const PASSWORD = WORLD_PASSWORD;



let w: World;
let libA: string;
let libB: string;
const world = async (config: Partial<AppConfig> = {}) => {
  w = await makeWorld(config);
  libA = w.libA.id;
  libB = w.libB.id;
  return w;
};
afterEach(async () => {
  await w?.store.close();
});

async function apiSignIn(email: string, password: string, address: string, extra: Record<string, string> = {}) {
  const response = await w.app.request(
    '/api/v1/tokens',
    { method: 'POST', headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify({ email, password }) },
    { incoming: { socket: { remoteAddress: address } } },
  );
  return response.status;
}

describe('invitations never reveal or take over an account (finding 1)', () => {
  let attacker: Browser;
  beforeEach(async () => {
    await world();
    // The attacker is an admin of library B; the victim administers library A.
    const bob = await createUser(w.store.db, { email: 'bob@example.org', name: 'Bob Builder', password: PASSWORD });
    await setMembership(w.store.db, libB, bob.id, 'admin');
    attacker = new Browser(w.app, '198.51.100.66');
    expect((await attacker.signIn('bob@example.org')).status).toBe(303);
  });

  const invite = (email: string, role = 'admin', name = 'Typed Name') =>
    attacker.submit(`/l/${libB}/members`, `/l/${libB}/members/invite`, { email, name, organisation: '', role }).then((r) => r.text());

  /** What the inviter sees, without the parts that differ between any two invitations. */
  const neutral = (html: string, email: string) =>
    html
      .replaceAll(email, 'EMAIL')
      .replace(/cbi_[A-Za-z0-9_-]+/g, 'SECRET')
      .replace(/ft_[A-Za-z0-9_-]+/g, 'FORM')
      .replace(/invitations\/[0-9a-f-]{36}/g, 'invitations/ID')
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g, 'DATE');

  it('gives no sign-in link for, and no name of, an account without a password that belongs to another library', async () => {
    // Like `casebook user add` without a password, an import, or the first-start admin.
    const victim = await createUser(w.store.db, { email: 'victoria@example.org', name: 'Victoria Secretname' });
    await setMembership(w.store.db, libA, victim.id, 'admin');
    const html = await invite('victoria@example.org');
    expect(html).not.toContain('Secretname');
    expect(html).not.toMatch(/\/signin\/link\/cbl_/);
    expect(await membershipRole(w.store.db, libB, victim.id)).toBeUndefined();
    // Following the invitation link cannot give the account a password either.
    const link = /\/invite\/(cbi_[A-Za-z0-9_-]+)/.exec(html)![1]!;
    const visitor = new Browser(w.app, '198.51.100.67');
    const page = await visitor.page(`/invite/${link}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('Secretname');
    const taken = await visitor.request(`/invite/${link}`, { method: 'POST', form: { _csrf: csrfOf(page.html), name: 'x', password: 'attacker password', repeat: 'attacker password' } });
    expect(taken.status).toBe(409);
    expect((await findUserByEmail(w.store.db, 'victoria@example.org'))!.password_hash).toBeNull();
    expect(visitor.cookies.has('cb_session')).toBe(false);
    expect(await membershipRole(w.store.db, libB, victim.id)).toBeUndefined();
  });

  it('answers the same whether or not the e-mail has an account, and adds nobody without consent', async () => {
    const mo = await findUserByEmail(w.store.db, 'mo@example.org');
    await w.store.db.updateTable('users').set({ name: 'Mo Hiddenname' }).where('id', '=', mo!.id).execute();
    const existing = await invite('mo@example.org', 'member');
    const fresh = await invite('nobody-yet@example.org', 'member');
    expect(existing).not.toContain('Hiddenname');
    expect(neutral(existing, 'mo@example.org').replace(/<tr data-testid="pending-invitation">[^]*?<\/tr>/g, '')).toBe(
      neutral(fresh, 'nobody-yet@example.org').replace(/<tr data-testid="pending-invitation">[^]*?<\/tr>/g, ''),
    );
    // Mo is not a member of B until Mo accepts, signed in.
    expect(await membershipRole(w.store.db, libB, mo!.id)).toBeUndefined();
    const mosBrowser = new Browser(w.app, '192.0.2.20');
    await mosBrowser.signIn('mo@example.org');
    const account = await mosBrowser.page('/account');
    expect(account.html).toContain('Community B');
    const id = /\/invitations\/([0-9a-f-]{36})\/accept/.exec(account.html)![1]!;
    const accepted = await mosBrowser.request(`/invitations/${id}/accept`, { method: 'POST', form: { _csrf: csrfOf(account.html) } });
    expect(accepted.status).toBe(303);
    expect(await membershipRole(w.store.db, libB, mo!.id)).toBe('member');
  });

  it('lets only the invited account accept, signed in; another account cannot use the link', async () => {
    const html = await invite('mo@example.org', 'reader');
    const secret = /\/invite\/(cbi_[A-Za-z0-9_-]+)/.exec(html)![1]!;
    const rita = new Browser(w.app, '192.0.2.30');
    await rita.signIn('rita@example.org');
    const page = await rita.page(`/invite/${secret}`);
    expect(page.html).toContain('not as mo@example.org');
    expect(page.html).not.toContain('/accept');
    const ritaId = (await findUserByEmail(w.store.db, 'rita@example.org'))!.id;
    const account = await rita.page('/account');
    const invitationId = (await w.store.db.selectFrom('invitations' as never).select('id' as never).executeTakeFirst()) as unknown as { id: string };
    const forged = await rita.request(`/invitations/${invitationId.id}/accept`, { method: 'POST', form: { _csrf: csrfOf(account.html) } });
    expect(forged.status).toBe(410);
    expect(await membershipRole(w.store.db, libB, ritaId)).toBeUndefined();
  });

  it('never changes the role of an existing member (inviting yourself as reader keeps you admin)', async () => {
    const html = await invite('bob@example.org', 'reader');
    expect(html).toContain('already a member');
    const bob = await findUserByEmail(w.store.db, 'bob@example.org');
    expect(await membershipRole(w.store.db, libB, bob!.id)).toBe('admin');
  });

  it("creates a new account only through that invitation, once; another library's pending invitee is not handed over", async () => {
    const html = await invite('newcomer@example.org', 'member');
    const secret = /\/invite\/(cbi_[A-Za-z0-9_-]+)/.exec(html)![1]!;
    // Library A's admin invites the same e-mail: its own invitation, no link into B's.
    const ada = new Browser(w.app, '192.0.2.40');
    await ada.signIn('ada@example.org');
    const adaHtml = await (await ada.submit(`/l/${libA}/members`, `/l/${libA}/members/invite`, { email: 'newcomer@example.org', name: 'N', role: 'admin' })).text();
    const adaSecret = /\/invite\/(cbi_[A-Za-z0-9_-]+)/.exec(adaHtml)![1]!;
    expect(adaSecret).not.toBe(secret);

    const newcomer = new Browser(w.app, '192.0.2.41');
    const page = await newcomer.page(`/invite/${secret}`);
    const created = await newcomer.request(`/invite/${secret}`, { method: 'POST', form: { _csrf: csrfOf(page.html), name: 'New Comer', password: 'my own password', repeat: 'my own password' } });
    expect(created.status).toBe(303);
    const user = (await findUserByEmail(w.store.db, 'newcomer@example.org'))!;
    expect(await membershipRole(w.store.db, libB, user.id)).toBe('member');
    expect((await newcomer.page(`/invite/${secret}`)).status).toBe(410);

    // The account exists now: A's link no longer sets a password, and A is joined only by accepting.
    const other = new Browser(w.app, '192.0.2.42');
    const otherPage = await other.page(`/invite/${adaSecret}`);
    const refused = await other.request(`/invite/${adaSecret}`, { method: 'POST', form: { _csrf: csrfOf(otherPage.html), name: 'x', password: 'another password', repeat: 'another password' } });
    expect(refused.status).toBe(409);
    expect(await membershipRole(w.store.db, libA, user.id)).toBeUndefined();
    expect((await new Browser(w.app, '192.0.2.43').signIn('newcomer@example.org', 'my own password')).status).toBe(303);
    expect((await new Browser(w.app, '192.0.2.44').signIn('newcomer@example.org', 'another password')).status).toBe(401);
  });
});

describe('a library keeps its last admin (service rule)', () => {
  beforeEach(async () => {
    await world();
  });

  it('refuses to demote or remove the last admin, in the repository every entry point uses', async () => {
    await expect(changeRole(w.store.db, libA, w.admin.id, 'reader')).rejects.toThrow(AccountError);
    await expect(setMembership(w.store.db, libA, w.admin.id, 'member')).rejects.toThrow(/at least one admin/);
    await expect(removeMember(w.store.db, libA, w.admin.id)).rejects.toThrow(/at least one admin/);
    expect(await membershipRole(w.store.db, libA, w.admin.id)).toBe('admin');
    // With a second admin, either may go.
    await changeRole(w.store.db, libA, w.member.id, 'admin');
    await removeMember(w.store.db, libA, w.admin.id);
    expect(await membershipRole(w.store.db, libA, w.admin.id)).toBeUndefined();
    await expect(changeRole(w.store.db, libA, w.member.id, 'reader')).rejects.toThrow(/at least one admin/);
  });

  it('keeps one admin when two admins demote each other at the same time', async () => {
    await changeRole(w.store.db, libA, w.member.id, 'admin');
    const results = await Promise.allSettled([changeRole(w.store.db, libA, w.admin.id, 'member'), changeRole(w.store.db, libA, w.member.id, 'member')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const roles = [await membershipRole(w.store.db, libA, w.admin.id), await membershipRole(w.store.db, libA, w.member.id)];
    expect(roles.filter((role) => role === 'admin')).toHaveLength(1);
  });

  it('refuses it on the web too, with a message', async () => {
    const ada = new Browser(w.app, '192.0.2.10');
    await ada.signIn('ada@example.org');
    const demoted = await ada.submit(`/l/${libA}/members`, `/l/${libA}/members/${w.admin.id}/role`, { role: 'reader', confirm: 'yes' });
    expect(demoted.status).toBe(400);
    expect(await demoted.text()).toContain('at least one admin');
    const removed = await ada.submit(`/l/${libA}/members`, `/l/${libA}/members/${w.admin.id}/remove`, { confirm: 'yes' });
    expect(await removed.text()).toContain('at least one admin');
    expect(await membershipRole(w.store.db, libA, w.admin.id)).toBe('admin');
  });
});

describe('the same rule through the API', () => {
  it('lets admins change roles and remove members, never the last admin', async () => {
    await world();
    const members = (user: string) => `/api/v1/libraries/${libA}/members/${user}`;
    expect((await w.call(w.member, 'PUT', members(w.reader.id), { role: 'member' })).status).toBe(403);
    expect((await w.call(w.outsider, 'DELETE', members(w.member.id))).status).toBe(404);
    const last = await w.call(w.admin, 'PUT', members(w.admin.id), { role: 'reader' });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_admin');
    expect((await w.call(w.admin, 'DELETE', members(w.admin.id))).status).toBe(409);
    expect((await w.call(w.admin, 'PUT', members(w.member.id), { role: 'king' })).status).toBe(400);
    expect((await w.call(w.admin, 'PUT', members(w.member.id), { role: 'reader' })).status).toBe(200);
    expect(await membershipRole(w.store.db, libA, w.member.id)).toBe('reader');
    expect((await w.call(w.admin, 'DELETE', members(w.outsider.id))).status).toBe(404);
    expect((await w.call(w.admin, 'DELETE', members(w.member.id))).status).toBe(200);
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${libA}/cases`)).status).toBe(404);
    expect(await membershipRole(w.store.db, libA, w.admin.id)).toBe('admin');
  });
});

describe('rate limits count the real client (finding 5)', () => {
  it('a stranger guessing from one address locks out neither other addresses nor the account owner', async () => {
    await world({ signinPerMinute: 3 });
    for (let i = 0; i < 5; i++) await apiSignIn('mo@example.org', `guess ${i}`, '203.0.113.5');
    expect(await apiSignIn('mo@example.org', PASSWORD, '203.0.113.5')).toBe(429);
    // Everyone else, and Mo from Mo's own address, still get in (web and API).
    expect(await apiSignIn('rita@example.org', PASSWORD, '192.0.2.7')).toBe(201);
    expect(await apiSignIn('mo@example.org', PASSWORD, '192.0.2.8')).toBe(201);
    expect((await new Browser(w.app, '192.0.2.9').signIn('mo@example.org')).status).toBe(303);
    const stranger = new Browser(w.app, '203.0.113.5');
    expect((await stranger.signIn('ada@example.org', 'nope')).status).toBe(429);
  });

  it('strangers at many addresses lock an account out only where its owner has not signed in lately', async () => {
    await world({ signinPerMinute: 2 });
    expect(await apiSignIn('mo@example.org', PASSWORD, '192.0.2.80')).toBe(201); // Mo's usual address
    // 2 guesses from each of 12 addresses: the account's limit (2 x 10 a minute) is used up.
    for (let i = 0; i < 12; i++) for (let j = 0; j < 2; j++) await apiSignIn('mo@example.org', `guess ${j}`, `203.0.113.${i}`);
    expect(await apiSignIn('mo@example.org', PASSWORD, '198.51.100.200')).toBe(429);
    expect(await apiSignIn('mo@example.org', PASSWORD, '192.0.2.80')).toBe(201);
  });

  it('ignores X-Forwarded-For from anyone but a trusted proxy: rotating it gives no fresh guesses', async () => {
    await world({ signinPerMinute: 3 });
    const statuses: number[] = [];
    // A new header and a new account each time: before, every guess counted under fresh keys.
    for (let i = 0; i < 6; i++) statuses.push(await apiSignIn(`person${i}@example.org`, `guess ${i}`, '203.0.113.5', { 'x-forwarded-for': `10.9.8.${i}` }));
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it('behind a proxy named in CASEBOOK_TRUST_PROXY, counts the right-most hop the proxy did not add', async () => {
    await world({ signinPerMinute: 3, trustProxy: '10.0.0.0/8' });
    const viaProxy = (client: string, forged: string) => apiSignIn('mo@example.org', 'wrong', '10.0.0.2', { 'x-forwarded-for': `${forged}, ${client}, 10.0.0.3` });
    const statuses: number[] = [];
    // The client forges a new left-most hop each time: still one client.
    for (let i = 0; i < 5; i++) statuses.push(await viaProxy('203.0.113.5', `198.51.100.${i}`));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(await viaProxy('203.0.113.6', '198.51.100.1')).toBe(401);
    // IPv6 clients are counted by their /64.
    const v6: number[] = [];
    for (let i = 1; i <= 5; i++) v6.push(await viaProxy(`2001:db8:1:2::${i}`, 'x'));
    expect(v6).toEqual([401, 401, 401, 429, 429]);
  });

  it('reads the address of the real socket', async () => {
    await world({ signinPerMinute: 2 });
    const server = serve({ fetch: w.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const post = (localAddress: string, password: string) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ email: 'mo@example.org', password });
        const req = httpRequest({ host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/v1/tokens', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect([await post('127.0.0.2', 'a'), await post('127.0.0.2', 'b'), await post('127.0.0.2', 'c')]).toEqual([401, 401, 429]);
      expect(await post('127.0.0.3', PASSWORD)).toBe(201);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('drops expired windows without a scan per request above many keys, and keeps its size bounded', () => {
    const limiter = new RateLimiter(5, 60_000, 50_000);
    let t = 0;
    for (let i = 0; i < 40_000; i++) limiter.hit(`old:${i}`, t);
    // 40,000 live keys; every new key used to scan all of them (above 10,000 keys).
    t = 1_000;
    const started = performance.now();
    for (let i = 0; i < 40_000; i++) limiter.hit(`new:${i}`, t);
    const elapsed = performance.now() - started;
    expect(limiter.size).toBeLessThanOrEqual(100_000); // two generations of at most 50,000 keys
    // Generous bound (issue 9 measured a 3x throughput loss; the scan version takes seconds here).
    expect(elapsed).toBeLessThan(1_500);
    // A window later, the old keys are gone; a key still counting keeps its count across the turn.
    t = 61_500;
    for (let i = 0; i < 1_000; i++) limiter.hit(`later:${i}`, t);
    expect(limiter.size).toBeLessThan(50_000);
    for (let i = 0; i < 5; i++) limiter.hit('guesser', 61_600 + i);
    limiter.hit('other', 121_500); // the generations turn here
    expect(() => limiter.hit('guesser', 121_550)).toThrow(/too many/);
    expect(() => limiter.hit('guesser', 121_700)).not.toThrow();
  });
});

describe('a new password ends every other session and token (finding 6)', () => {
  beforeEach(async () => {
    await world({ signinPerMinute: 3 });
  });

  it('on the account page: other browsers and API tokens are out, this browser stays in', async () => {
    const here = new Browser(w.app, '192.0.2.50');
    const there = new Browser(w.app, '192.0.2.51');
    await here.signIn('mo@example.org');
    await there.signIn('mo@example.org');
    const changed = await here.submit('/account', '/account', { name: 'mo', organisation: '', intro: '', current: PASSWORD, password: 'a brand new password' });
    expect(changed.status).toBe(303);
    expect((await here.page(`/l/${libA}/`)).status).toBe(200);
    expect((await there.request(`/l/${libA}/`)).status).toBe(303);
    expect((await w.call(w.member, 'GET', '/api/v1/me')).status).toBe(401);
    expect(await apiSignIn('mo@example.org', 'a brand new password', '192.0.2.52')).toBe(201);
  });

  it('through a one-time link: every session and token ends', async () => {
    const there = new Browser(w.app, '192.0.2.53');
    await there.signIn('mo@example.org');
    const secret = await createSigninLink(w.store.db, w.member.id, 'reset');
    const linkUser = new Browser(w.app, '192.0.2.54');
    const done = await linkUser.submit(`/signin/link/${secret}`, `/signin/link/${secret}`, { password: 'reset password!', repeat: 'reset password!' });
    expect(done.status).toBe(303);
    expect((await there.request(`/l/${libA}/`)).status).toBe(303);
    expect((await w.call(w.member, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await linkUser.page(`/l/${libA}/`)).status).toBe(200);
  });

  it('a wrong current password saves nothing of the profile and counts as a limited guess', async () => {
    const token = await createToken(w.store.db, w.member.id, 'laptop');
    const here = new Browser(w.app, '192.0.2.55');
    await here.signIn('mo@example.org');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await here.submit('/account', '/account', { name: `Renamed ${i}`, organisation: 'New org', intro: 'x', current: `wrong ${i}`, password: 'a brand new password' });
      statuses.push(reply.status);
    }
    expect(statuses.slice(0, 2)).toEqual([400, 400]);
    expect(statuses.at(-1)).toBe(429);
    const user = await findUserByEmail(w.store.db, 'mo@example.org');
    expect(user!.name).toBe('mo');
    expect(user!.organisation).toBe('Org mo');
    expect((await w.call({ ...w.member, token: token.token }, 'GET', '/api/v1/me')).status).toBe(200);
  });
});

describe('sign-in answers alike for known and unknown e-mails (finding 11)', () => {
  it('takes about as long for an unknown e-mail as for a wrong password', async () => {
    await world({ signinPerMinute: 1_000 });
    const passwordless = await createUser(w.store.db, { email: 'nopassword@example.org', name: 'No Password' });
    expect(passwordless).toBeDefined();
    const time = async (email: string, i: number) => {
      const started = performance.now();
      expect(await apiSignIn(email, 'wrong password', `192.0.2.${100 + i}`)).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    const noPassword: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time('mo@example.org', i));
      unknown.push(await time(`nobody${i}@example.org`, i));
      noPassword.push(await time('nopassword@example.org', i));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Generous: a scrypt (tens of ms) either way; before, an unknown e-mail answered ~15x faster.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
    expect(median(noPassword) / median(known)).toBeGreaterThan(0.5);
  });
});

describe('session cookie and ?next= (finding 11)', () => {
  const cookieAfterSignIn = async (address: string, headers: Record<string, string>) => {
    const browser = new Browser(w.app, address);
    const page = await browser.request('/signin', { headers });
    const form = { _csrf: csrfOf(await page.text()), email: 'mo@example.org', password: PASSWORD, next: '/' };
    const response = await browser.request('/signin', { method: 'POST', form, headers });
    return response.headers.getSetCookie().find((line) => line.startsWith('cb_session='))!;
  };

  it('is Secure when a trusted proxy says the browser came over TLS, and only then', async () => {
    await world({ trustProxy: '10.0.0.1', publicUrl: 'http://casebook.example' });
    expect(await cookieAfterSignIn('10.0.0.1', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.1' })).toMatch(/;\s*Secure/i);
    expect(await cookieAfterSignIn('203.0.113.2', { 'x-forwarded-proto': 'https' })).not.toMatch(/;\s*Secure/i);
    expect(await cookieAfterSignIn('10.0.0.1', { 'x-forwarded-proto': 'http' })).not.toMatch(/;\s*Secure/i);
  });

  it('is Secure when the public URL is https', async () => {
    await world({ publicUrl: 'https://casebook.example' });
    expect(await cookieAfterSignIn('192.0.2.1', {})).toMatch(/;\s*Secure/i);
  });

  it('follows only safe same-site paths and never fails on odd ones', async () => {
    await world();
    const browser = new Browser(w.app, '192.0.2.10');
    await browser.signIn('mo@example.org');
    const where = async (next: string) => {
      const response = await browser.request(`/signin?next=${next}`);
      expect(response.status, next).toBe(303);
      return response.headers.get('location');
    };
    expect(await where('/%01x')).toBe('/');
    expect(await where('/%0d%0aSet-Cookie:%20x=1')).toBe('/');
    expect(await where('//evil.example/')).toBe('/');
    expect(await where('/%5Cevil.example')).toBe('/');
    expect(await where('https://evil.example/')).toBe('/');
    expect(await where('/%09/evil.example')).toBe('/');
    expect(await where('/.//evil.example/')).toBe('/');
    expect(await where('/a/..//evil.example')).toBe('/');
    expect(await where(encodeURIComponent(`/l/${libA}/search?q=cocoa`))).toBe(`/l/${libA}/search?q=cocoa`);
    const fresh = new Browser(w.app, '192.0.2.10');
    const posted = await fresh.signIn('mo@example.org', PASSWORD, '/\u0001x');
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/');
  });
});

describe('hostile text at the account entry points', () => {
  it('answers a NUL or a lone surrogate as unknown or invalid, never a 500, and stores nothing of it', async () => {
    await world();
    const nul = 'mo\u0000@example.org';
    expect(await apiSignIn(nul, PASSWORD, '192.0.2.60')).toBe(401);
    const lonely = await w.app.request('/api/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"mo\\ud800@example.org","password":"x"}' });
    expect(lonely.status).toBe(401);
    expect((await w.call(w.member, 'GET', '/api/v1/libraries/%00/cases')).status).toBe(404);

    const browser = new Browser(w.app, '192.0.2.61');
    expect((await browser.signIn(nul)).status).toBe(401);
    await browser.signIn('ada@example.org');
    expect((await browser.request('/l/%00/')).status).toBe(404);
    const account = await browser.page('/account');
    const renamed = await browser.request('/account', { method: 'POST', form: { _csrf: csrfOf(account.html), name: 'Ada\u0000', organisation: 'x\ud800', intro: '' } });
    expect(renamed.status).toBe(400);
    expect((await findUserByEmail(w.store.db, 'ada@example.org'))!.name).toBe('ada');
    const invited = await browser.submit(`/l/${libA}/members`, `/l/${libA}/members/invite`, { email: 'new@example.org', name: 'New\u0000', role: 'member' });
    expect(invited.status).toBe(400);
    const forged = await browser.request('/invitations/%00/accept', { method: 'POST', form: { _csrf: csrfOf(account.html) } });
    expect(forged.status).toBe(410);

    const good = await browser.submit(`/l/${libA}/members`, `/l/${libA}/members/invite`, { email: 'new@example.org', name: 'New', role: 'member' });
    const secret = /\/invite\/(cbi_[A-Za-z0-9_-]+)/.exec(await good.text())![1]!;
    const visitor = new Browser(w.app, '192.0.2.62');
    const page = await visitor.page(`/invite/${secret}`);
    const bad = await visitor.request(`/invite/${secret}`, { method: 'POST', form: { _csrf: csrfOf(page.html), name: 'x\u0000y', password: 'long enough pw', repeat: 'long enough pw' } });
    expect(bad.status).toBe(400);
    expect(await findUserByEmail(w.store.db, 'new@example.org')).toBeUndefined();
  });
});
