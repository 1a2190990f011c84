// End-to-end (issue 14): a subgroup runs its case discussion and the plenary in Chromium against a
// real `casebook serve` on a demo store. Kwame asks Amina a question on a case; Amina answers
// citing a passage of a clip and mentions Kwame in a comment; Kwame marks the answer helpful and
// proposes a common issue; Amina supports it and prints the plenary report (a PDF from Chromium's
// print path, and the Markdown report).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, startServer, type ServerProcess } from '../helpers/processes.ts';
import { launchBrowser, scratch } from './helpers/web-env.ts';

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('discussion e2e skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)');

const SHOTS = join(ROOT, 'test-results');
// The source, not a dist/ bundle that may predate it.
const FROM_SOURCE = { CASEBOOK_FROM_SOURCE: '1' };

describe.skipIf(!hasChromium)('discussion and plenary in Chromium', () => {
  const work = scratch('casebook-discussion-e2e-');
  const db = join(work.dir, 'casebook.db');
  let server: ServerProcess;
  let launched: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let kwame: Page;
  let amina: Page;
  let libraryId: string;
  let password: string;
  let questionUrl: string;
  let sisterId: string;
  const QUESTION = 'How did others handle the exit of the NGO in a dairy partnership?';
  const ISSUE = 'Partnerships plan no exit for the NGO';
  const EDITED = 'Who took over training when the NGO left a dairy partnership?';
  const ISSUE_EDITED = 'Partnerships plan no exit for the NGO, nor for its audits';

  async function signIn(context: BrowserContext, email: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Recent clips' }).waitFor();
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `discussion-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const demo = runCli(['demo', '--db', db], { env: FROM_SOURCE });
    expect(demo.code, demo.stderr).toBe(0);
    libraryId = /Demo library created: (\S+)/.exec(demo.stdout)![1]!;
    password = /as (\S+) with password (\S+)/.exec(demo.stdout)![2]!;
    // The sister community: its own library and admin; Kwame belongs to both.
    const sister = runCli(['library', 'create', '--name', 'Fair Economic Development', '--db', db], { env: FROM_SOURCE });
    expect(sister.code, sister.stderr).toBe(0);
    sisterId = /[0-9a-f]{8}-[0-9a-f-]{27}/.exec(sister.stdout)![0];
    const lena = runCli(['user', 'add', '--email', 'lena@fed.example', '--name', 'Lena Fischer', '--library', sisterId, '--role', 'admin', '--db', db], { env: FROM_SOURCE, input: `${password}\n` });
    expect(lena.code, lena.stderr).toBe(0);
    const both = runCli(['user', 'add', '--email', 'kwame@wereldwerk.example', '--name', 'Kwame Mensah', '--library', sisterId, '--role', 'member', '--db', db], { env: FROM_SOURCE, input: '' });
    expect(both.code, both.stderr).toBe(0);
    server = await startServer(db, FROM_SOURCE);
    launched = await launchBrowser();
    browser = launched.browser;
    amina = await signIn(launched.context, 'amina@wereldwerk.example');
    kwame = await signIn(await browser.newContext({ viewport: { width: 1200, height: 900 } }), 'kwame@wereldwerk.example');
  }, 120_000);

  afterAll(async () => {
    await launched?.close();
    await server?.stop();
    work.remove();
  });

  it('Kwame asks Amina a question on a case', async () => {
    await kwame.goto(`${server.url}/l/${libraryId}/cases`);
    await kwame.locator('a.item-title').first().click();
    await kwame.getByText('Ask a question about this case').click();
    await kwame.getByLabel('Question', { exact: true }).fill(QUESTION);
    await kwame.getByLabel('Details').fill('The NGO leaves after year three. Who took over **training**?');
    await kwame.getByRole('checkbox', { name: 'Amina Yusuf' }).check();
    await kwame.getByRole('button', { name: 'Ask' }).click();
    await kwame.getByRole('heading', { name: QUESTION }).waitFor();
    questionUrl = kwame.url();
    expect(await kwame.locator('h1 .badge').textContent()).toBe('open');
    // Amina finds it waiting on her home page.
    await amina.goto(`${server.url}/l/${libraryId}/`);
    await amina.getByRole('heading', { name: /Questions waiting for you \(1\)/ }).waitFor();
    await amina.getByRole('link', { name: QUESTION }).click();
    expect(amina.url()).toBe(questionUrl);
  });

  it('Amina answers with a cited passage and mentions Kwame', async () => {
    await amina.getByLabel('Your answer').fill('In the cocoa case the union took over training; see the exit matrix.');
    const clipOption = amina.locator('#reply-clip option').nth(1);
    const clipTitle = (await clipOption.textContent())!;
    await amina.locator('#reply-clip').selectOption({ index: 1 });
    await amina.getByLabel('Passage').fill('exit matrix agreed in the first year');
    await amina.getByRole('button', { name: 'Answer', exact: true }).click();
    const answer = amina.locator('li.answer').first();
    await answer.waitFor();
    expect(await answer.locator('q').textContent()).toBe('exit matrix agreed in the first year');
    expect(await answer.getByRole('link', { name: clipTitle }).count()).toBe(1);
    const passage = await answer.getByRole('link', { name: /the passage on the page/ }).getAttribute('href');
    expect(passage).toMatch(/#:~:text=exit%20matrix%20agreed%20in%20the%20first%20year$/);
    // The one who answered cannot mark it helpful.
    expect(await amina.getByRole('button', { name: 'This helped' }).count()).toBe(0);

    await amina.getByLabel('Add a comment').fill('@Kwame Mensah the *exit matrix* is in the lessons too. <script>document.title="pwned"</script>');
    await amina.getByRole('button', { name: 'Comment', exact: true }).click();
    const comment = amina.locator('li.comment').first();
    await comment.waitFor();
    expect(await comment.locator('.markdown em').textContent()).toBe('exit matrix');
    expect(await comment.getByText('Mentions: Kwame Mensah').count()).toBe(1);
    expect(await amina.title()).not.toBe('pwned');
    await shot(amina, 'question');
  });

  it('Kwame finds Amina’s mention in his inbox', async () => {
    await kwame.goto(`${server.url}/l/${libraryId}/inbox`);
    const questionId = new URL(questionUrl).pathname.split('/').pop()!;
    // Each event line is followed by the reason it reached him; the mention is hers, on the question.
    const reason = kwame.locator('ul.events > span.hint', { hasText: 'mentioned you' }).first();
    await reason.waitFor();
    const line = reason.locator('xpath=preceding-sibling::li[1]');
    expect(await line.textContent()).toContain('Amina Yusuf');
    expect(await line.locator('.badge').textContent()).toContain('new');
    expect(await line.getByRole('link').getAttribute('href')).toMatch(new RegExp(`/questions/${questionId}$`));
    await line.getByRole('link').click();
    await kwame.getByRole('heading', { name: QUESTION }).waitFor();
    expect(kwame.url()).toBe(questionUrl);
  });

  it('Kwame marks the answer helpful, which answers the question', async () => {
    await kwame.goto(questionUrl);
    await kwame.getByRole('button', { name: 'This helped' }).click();
    await kwame.getByText('helped the asker').waitFor();
    expect(await kwame.locator('h1 .badge').textContent()).toBe('answered');
    // Kwame replies to Amina's comment in the thread.
    await kwame.locator('li.comment summary', { hasText: 'Reply' }).first().click();
    await kwame.getByLabel('Your reply').fill('Thanks, found it.');
    await kwame.getByRole('button', { name: 'Reply', exact: true }).click();
    await kwame.locator('li.comment ol.thread li.comment', { hasText: 'Thanks, found it.' }).waitFor();
    // The case page lists it as answered.
    await kwame.getByRole('link', { name: /←/ }).first().click();
    const listed = kwame.locator('li.question', { hasText: QUESTION });
    expect(await listed.locator('.badge').textContent()).toBe('answered');
  });

  it('Kwame proposes a common issue, Amina supports it, and the plenary report prints', async () => {
    await kwame.goto(`${server.url}/l/${libraryId}/lessons`);
    await kwame.getByText('Propose a common issue').click();
    await kwame.getByLabel('Common issue', { exact: true }).fill(ISSUE);
    await kwame.locator('form', { hasText: 'Seen in the cases' }).getByRole('checkbox').first().check();
    await kwame.getByRole('button', { name: 'Propose', exact: true }).click();
    const mine = kwame.locator('li.issue', { hasText: ISSUE });
    await mine.waitFor();
    expect(await mine.locator('.badge').textContent()).toBe('1 support');

    await amina.goto(`${server.url}/l/${libraryId}/lessons`);
    const hers = amina.locator('li.issue', { hasText: ISSUE });
    await hers.getByRole('button', { name: 'Support', exact: true }).click();
    await amina.locator('li.issue', { hasText: ISSUE }).getByRole('button', { name: 'Withdraw support' }).waitFor();
    expect(await amina.locator('li.issue', { hasText: ISSUE }).locator('.badge').textContent()).toBe('2 support');
    await shot(amina, 'lessons');

    await amina.getByRole('link', { name: 'Plenary report' }).click();
    await amina.getByRole('heading', { name: /^Plenary report/ }).waitFor();
    const text = await amina.locator('main').innerText();
    expect(text).toContain(`${ISSUE} (2 support)`);
    expect(text).toContain(`${QUESTION} (answered; 1 answers, 1 helpful)`);
    expect(text).toMatch(/Subgroup: .*Kwame Mensah/);
    // Printed: Chromium's print path makes a PDF of the report.
    await amina.emulateMedia({ media: 'print' });
    const pdf = await amina.pdf({ format: 'A4' });
    await amina.emulateMedia({ media: 'screen' });
    writeFileSync(join(SHOTS, 'discussion-plenary-report.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
    await shot(amina, 'report');
    const markdown = await (await amina.request.get(`${server.url}/l/${libraryId}/plenary/report.md`)).text();
    expect(markdown).toMatch(new RegExp(`^1\\. \\*\\*${ISSUE}\\*\\* \\(2 support\\)`, 'm'));
  });

  it('Amina links the sister community, its admin accepts, and Kwame shares the question into it', async () => {
    await amina.goto(`${server.url}/l/${libraryId}/questions`);
    await amina.getByRole('link', { name: 'Linked libraries' }).click();
    await amina.getByLabel('Link with the library whose id is').fill(sisterId);
    await amina.getByRole('button', { name: 'Ask to link' }).click();
    await amina.getByText('asked by this library; waiting for its admins').waitFor();
    // Nothing can be shared before the other side agrees.
    await kwame.goto(questionUrl);
    expect(await kwame.getByLabel('Share a copy into').count()).toBe(0);

    const lena = await browser.newContext({ viewport: { width: 1200, height: 900 } }).then((context) => context.newPage());
    await lena.goto(`${server.url}/signin`);
    await lena.getByLabel('E-mail').fill('lena@fed.example');
    await lena.getByLabel('Password').fill(password);
    await lena.getByRole('button', { name: 'Sign in' }).click();
    await lena.waitForURL(/\/l\//);
    await lena.goto(`${server.url}/l/${sisterId}/links`);
    await lena.getByText('asks to link with this library').waitFor();
    await lena.getByRole('button', { name: 'Accept' }).click();
    await lena.locator('li', { hasText: 'Learning community (demo)' }).getByText('linked', { exact: true }).waitFor();

    await kwame.goto(questionUrl);
    await kwame.getByLabel('Share a copy into').selectOption({ label: 'Fair Economic Development' });
    await kwame.locator('form.share-form').getByRole('button', { name: 'Share' }).click();
    await kwame.getByRole('heading', { name: QUESTION }).waitFor();
    expect(kwame.url()).toContain(`/l/${sisterId}/questions/`);
    // Lena reads the copy, with where it came from; the original stays out of her reach.
    await lena.goto(kwame.url());
    await lena.getByTestId('shared-from').waitFor();
    expect(await lena.getByTestId('shared-from').textContent()).toContain('Shared from Learning community (demo)');
    await shot(lena, 'shared-copy');
    const original = await lena.goto(questionUrl);
    expect(original?.status()).toBe(404);
  });

  it('Kwame edits his question; an edit Amina made meanwhile comes back as a conflict, not lost', async () => {
    await kwame.goto(questionUrl);
    await kwame.getByRole('link', { name: 'Edit question' }).click();
    await kwame.getByRole('heading', { name: 'Edit question' }).waitFor();
    // Amina (an admin) opens the same form in her browser and saves first.
    await amina.goto(`${questionUrl}/edit`);
    await amina.locator('#q-body').fill('The NGO leaves after year three. Who took over **training** and the audits?');
    await amina.getByRole('button', { name: 'Save question' }).click();
    await amina.getByRole('heading', { name: QUESTION }).waitFor();

    await kwame.locator('#q-title').fill(EDITED);
    await kwame.locator('#q-body').fill('Who took over training once the NGO left?');
    await kwame.getByRole('button', { name: 'Save question' }).click();
    const alert = kwame.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This question changed');
    // The form now shows Amina's text; his own is kept beside it to merge.
    expect(await kwame.locator('#q-body').inputValue()).toContain('and the audits');
    expect(await kwame.getByLabel('Your details (not saved)').inputValue()).toBe('Who took over training once the NGO left?');
    await kwame.locator('#q-title').fill(EDITED);
    await kwame.locator('#q-body').fill('Who took over training and the audits once the NGO left?');
    await kwame.getByRole('button', { name: 'Save question' }).click();
    await kwame.getByRole('heading', { name: EDITED }).waitFor();
    expect(await kwame.locator('.markdown').first().textContent()).toContain('training and the audits once the NGO left');
    expect(kwame.url()).toBe(questionUrl);
  });

  it('Kwame edits his common issue and then deletes it; it leaves the lessons and the plenary report', async () => {
    await kwame.goto(`${server.url}/l/${libraryId}/lessons`);
    await kwame.locator('li.issue', { hasText: ISSUE }).getByRole('link', { name: 'Edit', exact: true }).click();
    await kwame.locator('#issue-title').fill(ISSUE_EDITED);
    await kwame.locator('#issue-body').fill('Seen in the dairy and the cocoa case.');
    await kwame.getByRole('button', { name: 'Save common issue' }).click();
    const edited = kwame.locator('li.issue', { hasText: ISSUE_EDITED });
    await edited.waitFor();
    // Amina's support stays with the edited issue.
    expect(await edited.locator('.badge').textContent()).toBe('2 support');
    expect(await edited.locator('.markdown').textContent()).toContain('dairy and the cocoa case');
    // Amina (not the proposer, but an admin) sees Edit too; Kwame deletes it.
    await amina.goto(`${server.url}/l/${libraryId}/lessons`);
    expect(await amina.locator('li.issue', { hasText: ISSUE_EDITED }).getByRole('link', { name: 'Edit', exact: true }).count()).toBe(1);
    await edited.getByRole('button', { name: 'Delete', exact: true }).click();
    await kwame.getByRole('heading', { name: /Common issues for the plenary \(0\)/ }).waitFor();
    expect(await kwame.locator('li.issue', { hasText: ISSUE_EDITED }).count()).toBe(0);
    await amina.goto(`${server.url}/l/${libraryId}/plenary/report`);
    const text = await amina.locator('main').innerText();
    expect(text).not.toContain(ISSUE_EDITED);
    expect(text).toContain('No common issues proposed yet.');
    await shot(kwame, 'issue-deleted');
  });
});
