// End to end in Chromium (issue 13, items 1–2): an admin changes a role and removes a member,
// each confirmed; invites a newcomer who creates an account from the link; a member who forgot
// their password gets a link by e-mail from a real local SMTP server and chooses a new one.
// Screenshots of the members page at 1280 and 375 px go to test-results/.
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../service/app.ts';
import { openStore, type Store } from '../../service/db/connect.ts';
import { createDemoLibrary, type DemoLibrary } from '../../service/demo/create.ts';
import { createLibrary, findUserByEmail, membershipRole, setMembership } from '../../service/repos/accounts.ts';
import { ROOT } from '../helpers/processes.ts';
import { launchBrowser, scratch } from './helpers/web-env.ts';

const hasChromium = existsSync('/usr/bin/chromium');
const SHOTS = join(ROOT, 'test-results');

describe.skipIf(!hasChromium)('members and recovery in Chromium', () => {
  const work = scratch('casebook-members-e2e-');
  let store: Store;
  let demo: DemoLibrary;
  let server: ServerType;
  let base: string;
  let smtp: SMTPServer;
  const mails: Array<{ to: string; body: string }> = [];
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        stream.on('end', () => {
          const body = data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
          mails.push({ to: session.envelope.rcptTo[0]!.address, body });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    store = await openStore(join(work.dir, 'casebook.db'));
    demo = await createDemoLibrary(store);
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    // The app is made once the port is known: links in mails point at its public URL.
    let app: ReturnType<typeof createApp> | undefined;
    server = serve({ fetch: (request, env) => app!.fetch(request, env), port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app = createApp({ store: store, config: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, publicUrl: base } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await store?.close();
    work.remove();
  });

  const lib = () => `${base}/l/${demo.libraryId}`;

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${base}/signin`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/l\//);
  }

  const cardOf = (page: Page, name: string) => page.getByRole('region', { name });

  it('changes a role and removes a member, each after a confirmation', async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, demo.admin.email, demo.admin.password!);
    await page.goto(`${lib()}/members`);
    await page.screenshot({ path: join(SHOTS, 'members-1280.png'), fullPage: true });

    const peter = cardOf(page, 'Peter Otieno');
    await peter.locator('summary').click();
    await peter.getByLabel('Role').selectOption('reader');
    await peter.screenshot({ path: join(SHOTS, 'members-manage.png') });
    await peter.getByRole('button', { name: 'Change role…' }).click();
    await page.getByText('Make Peter Otieno reader (reads only) instead of member?').waitFor();
    await page.screenshot({ path: join(SHOTS, 'members-confirm.png') });
    await page.getByRole('button', { name: 'Make Peter reader' }).click();
    await page.getByText('Peter Otieno is now reader.').waitFor();
    const peterId = (await findUserByEmail(store.db, 'peter@zuidlink.example'))?.id ?? '';
    expect(await membershipRole(store.db, demo.libraryId, peterId)).toBe('reader');

    const kwame = cardOf(page, 'Kwame Mensah');
    await kwame.locator('summary').click();
    await kwame.getByRole('button', { name: 'Remove from the library…' }).click();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await cardOf(page, 'Kwame Mensah').waitFor();
    await cardOf(page, 'Kwame Mensah').locator('summary').click();
    await cardOf(page, 'Kwame Mensah').getByRole('button', { name: 'Remove from the library…' }).click();
    await page.getByRole('button', { name: 'Remove Kwame' }).click();
    await page.getByText('Kwame Mensah is no longer a member of this library.').waitFor();
    expect(await cardOf(page, 'Kwame Mensah').count()).toBe(0);

    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(SHOTS, 'members-375.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('invites a newcomer, who creates an account from the link', async () => {
    const adminContext = await browser.browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, demo.admin.email, demo.admin.password!);
    await admin.goto(`${lib()}/members`);
    await admin.locator('#inv-email').fill('newcomer@example.org');
    await admin.locator('#inv-name').fill('Nora Newcomer');
    await admin.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await admin.getByTestId('invite-link').textContent())!.trim();
    expect(link).toMatch(/\/invite\/cbi_/);

    const other = await browser.browser.newContext();
    const page = await other.newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: /You are invited/ }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'invitation.png'), fullPage: true });
    await page.getByLabel('New password').fill('nora chooses this');
    await page.getByLabel('Repeat the password').fill('nora chooses this');
    await page.getByRole('button', { name: 'Create my account and join' }).click();
    await page.getByRole('heading', { name: 'Recent clips' }).waitFor();
    await other.close();
    await adminContext.close();
  });

  it('lets an existing account accept an invitation itself, signed in', async () => {
    const second = await createLibrary(store.db, 'Second library');
    await setMembership(store.db, second.id, (await findUserByEmail(store.db, demo.admin.email))!.id, 'admin');
    const adminContext = await browser.browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, demo.admin.email, demo.admin.password!);
    await admin.goto(`${base}/l/${second.id}/members`);
    await admin.locator('#inv-email').fill('joost@samensterk.example');
    await admin.locator('#inv-name').fill('Joost');
    await admin.getByRole('button', { name: 'Create invitation' }).click();
    await admin.getByText('Invitation for joost@samensterk.example as member created.').waitFor();
    await admin.screenshot({ path: join(SHOTS, 'members-invited.png'), fullPage: true });

    const joostContext = await browser.browser.newContext();
    const joost = await joostContext.newPage();
    await signIn(joost, 'joost@samensterk.example', demo.admin.password!);
    await joost.goto(`${base}/account`);
    await joost.screenshot({ path: join(SHOTS, 'account-invitation.png'), fullPage: true });
    await joost.getByRole('button', { name: 'Join Second library' }).click();
    await joost.waitForURL(new RegExp(`/l/${second.id}/`));
    const joostId = (await findUserByEmail(store.db, 'joost@samensterk.example'))!.id;
    expect(await membershipRole(store.db, second.id, joostId)).toBe('member');
    await joostContext.close();
    await adminContext.close();
  });

  it('sends a one-time link by e-mail to a member who forgot their password', async () => {
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/signin`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('E-mail of your account').fill('marieke@zuidlink.example');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByTestId('forgot-sent').waitFor();
    await expect.poll(() => mails.filter((mail) => mail.to === 'marieke@zuidlink.example').length, { timeout: 10_000 }).toBe(1);
    const mail = mails.find((m) => m.to === 'marieke@zuidlink.example')!;
    const link = /http:\/\/127\.0\.0\.1:\d+\/signin\/link\/cbl_[A-Za-z0-9_-]+/.exec(mail.body)![0];
    await page.goto(link);
    await page.getByLabel('New password').fill('marieke remembers');
    await page.getByLabel('Repeat the password').fill('marieke remembers');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { name: 'Recent clips' }).waitFor();
    await page.goto(link);
    await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'link-used.png'), fullPage: true });
    await context.close();
  });
});
