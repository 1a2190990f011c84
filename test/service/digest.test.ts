// Issue 15, the e-mail digest against a real local SMTP server: its content (plain text and
// HTML, links), the one-click unsubscribe (RFC 8058) that works, exactly one mail per member and
// period with two service instances deciding on one store and a restart between them, nothing
// for a removed member, nothing queued without SMTP, a failed send retried, and --dry-run.
// Runs on SQLite and, in the Postgres run, on PostgreSQL.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveSettings, settingsOf } from '../../service/activity/settings.ts';
import { createApp } from '../../service/app.ts';
import { openStore, type Store } from '../../service/db/connect.ts';
import { runDigests, stopDigestTimer } from '../../service/digest/run.ts';
import { createLibrary, createToken, createUser, removeMember, setMembership } from '../../service/repos/accounts.ts';
import type { Role } from '../../shared/model.ts';
import { runCli } from '../helpers/processes.ts';
import { freshStoreTarget } from '../helpers/store.ts';
import { clipFields, newId } from '../helpers/world.ts';

interface Received {
  to: string[];
  raw: string;
  headers: string;
  body: string;
}

let smtp: SMTPServer;
let mails: Received[];
let refuseNext = 0;
let smtpUrl: string;
const stores: Store[] = [];

function decode(raw: string): { headers: string; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  // Quoted-printable: soft line breaks and =XX escapes (UTF-8 bytes).
  const qp = raw.slice(split).replace(/=\r?\n/g, '');
  const body = Buffer.from(qp.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

beforeEach(async () => {
  mails = [];
  refuseNext = 0;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuseNext > 0) {
        refuseNext--;
        const error = new Error('mailbox busy') as Error & { responseCode: number };
        error.responseCode = 451;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: data, ...decode(data) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const store of stores.splice(0)) {
    stopDigestTimer(store.db);
    await store.close();
  }
  await new Promise<void>((resolve) => smtp.close(resolve));
});

async function open(target: string): Promise<Store> {
  const store = await openStore(target);
  stores.push(store);
  return store;
}

/** A library with an admin, a member and a reader, each with a token; content pushed through the API. */
async function community(target: string) {
  const store = await open(target);
  const config = { smtpUrl, publicUrl: 'http://casebook.test', digestEveryMs: 0 };
  const app = createApp({ store: store, config });
  const library = await createLibrary(store.db, 'Cocoa & Co');
  const people: Record<string, { id: string; email: string; token: string }> = {};
  for (const [name, role] of [['ada', 'admin'], ['mo', 'member'], ['rita', 'reader']] as Array<[string, Role]>) {
    const user = await createUser(store.db, { email: `${name}@example.org`, name, organisation: 'Org', password: 'correct horse battery' });
    await setMembership(store.db, library.id, user.id, role);
    people[name] = { id: user.id, email: `${name}@example.org`, token: (await createToken(store.db, user.id)).token };
  }
  let mid = 0;
  const push = async (who: string, mutations: Array<Record<string, unknown>>) => {
    const response = await app.request(`/api/v1/libraries/${library.id}/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${people[who]!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: `c-${who}`, mutations: mutations.map((m) => ({ mid: ++mid, ...m })) }),
    });
    const body = (await response.json()) as { results: Array<{ status: string }> };
    expect(body.results.every((result) => result.status === 'applied'), JSON.stringify(body)).toBe(true);
  };
  const digestOn = async (who: string, digest: 'daily' | 'weekly') => {
    const response = await app.request(`/api/v1/me/inbox/settings?library=${library.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${people[who]!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ digest }),
    });
    expect(response.status).toBe(200);
  };
  return { store, app, config, library, people, push, digestOn };
}

const mailsTo = (email: string) => mails.filter((mail) => mail.to.includes(email));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('e-mail digest', () => {
  it('sends what is new, in text and HTML, with a one-click unsubscribe that works', async () => {
    const target = await freshStoreTarget();
    const c = await community(target);
    await c.digestOn('mo', 'daily');
    const caseId = newId();
    const clipId = newId();
    await c.push('ada', [
      { type: 'case', id: caseId, op: 'put', fields: { title: 'Cocoa in Ghana', members: [c.people.mo!.id] } },
      { type: 'clip', id: clipId, op: 'put', fields: clipFields({ title: 'Prices <soar> & fall', caseIds: [caseId] }) },
      { type: 'comment', id: newId(), op: 'put', fields: { targetType: 'case', targetId: caseId, body: 'Mo, see the clip', mentions: [c.people.mo!.id] } },
    ]);
    const day = new Date('2026-12-02T08:00:00Z');
    const outcomes = await runDigests({ store: c.store, config: c.config, now: day });
    expect(outcomes.map((outcome) => [outcome.to, outcome.status])).toEqual([['mo@example.org', 'sent']]);
    const [mail] = mailsTo('mo@example.org');
    expect(mail).toBeDefined();
    expect(mail!.headers).toMatch(/^Subject: Cocoa & Co: today in Casebook \(2 for you\)$/m);
    expect(mail!.headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const unsubscribe = /^List-Unsubscribe: <(http:\/\/casebook\.test\/digest\/unsubscribe\/cbu_[A-Za-z0-9_-]+)>$/m.exec(mail!.headers)?.[1];
    expect(unsubscribe).toBeDefined();
    expect(mail!.raw).toMatch(/Content-Type: multipart\/alternative/);
    // Plain text: what concerns mo first, then the library, each with its link.
    expect(mail!.body).toContain('For you');
    expect(mail!.body).toContain('ada commented on: Cocoa in Ghana');
    expect(mail!.body).toContain(`ada clipped: Prices <soar> & fall\n  http://casebook.test/l/${c.library.id}/clips/${clipId}`);
    expect(mail!.body).toContain(`Unsubscribe with one click: ${unsubscribe}`);
    // HTML: the same, escaped.
    expect(mail!.body).toContain(`<a href="http://casebook.test/l/${c.library.id}/clips/${clipId}">ada clipped: Prices &lt;soar&gt; &amp; fall</a>`);
    // Nobody else chose a digest.
    expect(mails).toHaveLength(1);

    // Opening the link only asks; the mail client's one-click POST unsubscribes.
    const path = new URL(unsubscribe!).pathname;
    expect((await c.app.request(path)).status).toBe(200);
    expect((await settingsOf(c.store.db, c.library.id, c.people.mo!.id)).digest).toBe('daily');
    const post = await c.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(post.status).toBe(200);
    expect((await settingsOf(c.store.db, c.library.id, c.people.mo!.id)).digest).toBe('off');
    expect((await c.app.request(path.replace(/cbu_.*/, 'cbu_forged'), { method: 'POST' })).status).toBe(404);
    await c.push('ada', [{ type: 'clip', id: newId(), op: 'put', fields: clipFields({ url: 'https://x.example.org/', caseIds: [caseId] }) }]);
    expect(await runDigests({ store: c.store, config: c.config, now: new Date('2026-12-03T08:00:00Z') })).toEqual([]);
    expect(mails).toHaveLength(1);
  });

  it('sends once per period with two service instances on one store and a restart between them', async () => {
    const target = await freshStoreTarget();
    const c = await community(target);
    await c.digestOn('mo', 'daily');
    await c.digestOn('ada', 'weekly');
    await c.digestOn('rita', 'daily');
    // A removed member gets nothing, even having asked for it.
    await removeMember(c.store.db, c.library.id, c.people.rita!.id);
    const caseId = newId();
    await c.push('ada', [{ type: 'case', id: caseId, op: 'put', fields: { title: 'Tea', members: [c.people.mo!.id] } }]);
    await c.push('mo', [{ type: 'clip', id: newId(), op: 'put', fields: clipFields({ caseIds: [caseId] }) }]);

    // Two processes' worth of services (each its own connection to the store), both on a fast timer.
    const config = { ...c.config, digestEveryMs: 40 };
    const one = await open(target);
    const two = await open(target);
    createApp({ store: one, config });
    createApp({ store: two, config });
    for (let waited = 0; mails.length < 2 && waited < 10_000; waited += 50) await sleep(50);
    // More comes in the same period: it waits for the next digest, whichever instance looks.
    await c.push('ada', [{ type: 'clip', id: newId(), op: 'put', fields: clipFields({ url: 'https://later.example.org/', title: 'Later that day', caseIds: [caseId] }) }]);
    await sleep(400);
    stopDigestTimer(one.db);
    stopDigestTimer(two.db);
    // Restart: a new instance on the store decides again within the same periods.
    const three = await open(target);
    createApp({ store: three, config });
    await c.push('ada', [{ type: 'clip', id: newId(), op: 'put', fields: clipFields({ url: 'https://evening.example.org/', title: 'In the evening', caseIds: [caseId] }) }]);
    await sleep(400);
    stopDigestTimer(three.db);

    expect(mailsTo('mo@example.org')).toHaveLength(1);
    expect(mailsTo('ada@example.org')).toHaveLength(1);
    expect(mailsTo('rita@example.org')).toHaveLength(0);
    const rows = await c.store.db.selectFrom('digest_sends').select(['user_id', 'status']).execute();
    expect(rows.map((row) => row.status).sort()).toEqual(['sent', 'sent']);

    // The next day: mo's daily digest again (only what is new), ada's weekly not within the week.
    await c.push('ada', [{ type: 'clip', id: newId(), op: 'put', fields: clipFields({ url: 'https://next.example.org/', title: 'The next day', caseIds: [caseId] }) }]);
    const tomorrow = new Date(Date.now() + 86_400_000);
    const sameWeek = new Date().getUTCDay() !== 0; // tomorrow is in the same ISO week unless today is Sunday
    const outcomes = await runDigests({ store: three, config, now: tomorrow });
    expect(outcomes.find((outcome) => outcome.to === 'mo@example.org')?.status).toBe('sent');
    expect(outcomes.find((outcome) => outcome.to === 'ada@example.org')?.status).toBe(sameWeek ? 'already sent' : 'sent');
    const second = mailsTo('mo@example.org')[1]!;
    expect(second.body).toContain('ada clipped: The next day');
    expect(second.body).toContain('ada clipped: Later that day');
    expect(second.body).toContain('ada clipped: In the evening');
    expect(second.body).not.toContain('Cocoa prices reach a record');
    expect(await runDigests({ store: two, config, now: tomorrow }).then((all) => all.filter((outcome) => outcome.status === 'sent'))).toEqual([]);
  });

  it('queues nothing without SMTP, retries a refused mail, and previews with --dry-run', async () => {
    const target = await freshStoreTarget();
    const c = await community(target);
    await saveSettings(c.store.db, c.library.id, c.people.mo!.id, { digest: 'daily' });
    await c.push('ada', [{ type: 'clip', id: newId(), op: 'put', fields: clipFields({ title: 'Dry run clip' }) }]);
    const none = await runDigests({ store: c.store, config: { publicUrl: 'http://casebook.test', smtpUrl: '' } });
    expect(none).toEqual([]);
    expect(await c.store.db.selectFrom('digest_sends').selectAll().execute()).toEqual([]);

    const cli = runCli(['digest', '--dry-run', '--public-url', 'http://casebook.test', '--db', target], { env: { CASEBOOK_FROM_SOURCE: '1', CASEBOOK_SMTP_URL: '' } });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^would send\tmo@example\.org\tday:\d{4}-\d{2}-\d{2}\t\d+ items$/m);
    expect(cli.stdout).toContain('ada clipped: Dry run clip');
    expect(mails).toHaveLength(0);
    expect(await c.store.db.selectFrom('digest_sends').selectAll().execute()).toEqual([]);
    expect(runCli(['digest', '--db', target], { env: { CASEBOOK_FROM_SOURCE: '1', CASEBOOK_SMTP_URL: '' } }).stderr).toMatch(/mail is not configured/);

    refuseNext = 1;
    const failed = await runDigests({ store: c.store, config: c.config });
    expect(failed.map((outcome) => outcome.status)).toEqual(['failed']);
    const retried = await runDigests({ store: c.store, config: c.config });
    expect(retried.map((outcome) => outcome.status)).toEqual(['sent']);
    expect(mailsTo('mo@example.org')).toHaveLength(1);
  });
});
