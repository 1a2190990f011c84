// Issue 14 in the sync protocol: questions, replies, comments and common issues are synced
// objects of their own (versioned, idempotent, scoped to a library) with their own rules of who
// may write what. Runs on the store the suite runs on (SQLite, or PostgreSQL with the postgres
// project), part of it over a real listening server.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportObjects } from '../../service/export/collect.ts';
import { importLibrary, jsonExport, parseExport } from '../../service/export/json.ts';
import { markdownExport } from '../../service/export/markdown.ts';
import { createLibrary } from '../../service/repos/accounts.ts';
import { clipFields, makeWorld, newId, type World } from '../helpers/world.ts';

let w: World;
let closeServer: (() => Promise<void>) | undefined;
beforeEach(async () => {
  w = await makeWorld();
});
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

const statuses = (reply: { body: { results: Array<{ status: string }> } }) => reply.body.results.map((result) => result.status);

async function setupCase() {
  const caseId = newId();
  const clipId = newId();
  const pushed = await w.push(w.member, [
    { type: 'case', id: caseId, op: 'put', fields: { title: 'Dairy partnership' } },
    { type: 'clip', id: clipId, op: 'put', fields: clipFields({ caseIds: [caseId] }) },
  ]);
  expect(statuses(pushed)).toEqual(['applied', 'applied']);
  return { caseId, clipId };
}

describe('questions and replies', () => {
  it('keeps the asker server-side, lets colleagues reply citing a passage, and only the asker marks helpful', async () => {
    const { caseId, clipId } = await setupCase();
    const questionId = newId();
    const asked = await w.push(w.member, [
      { type: 'question', id: questionId, op: 'put', fields: { caseId, title: 'How did others handle the exit of the NGO?', body: 'In a *dairy* partnership.', addressedTo: [w.admin.id], askedBy: w.admin.id } },
    ]);
    expect(statuses(asked)).toEqual(['applied']);
    const replyId = newId();
    const quoteUrl = 'https://example.org/article#:~:text=the%20NGO%20left';
    const answered = await w.push(w.admin, [
      { type: 'reply', id: replyId, op: 'put', fields: { questionId, body: 'See the cooperative story.', citations: [{ clipId, quoteUrl }] } },
      // The one who answers cannot mark their own answer helpful.
      { type: 'reply', id: replyId, op: 'put', fields: { helpful: true } },
    ]);
    expect(statuses(answered)).toEqual(['applied', 'rejected']);
    expect(answered.body.results[1]!.error!.code).toBe('forbidden');
    const marked = await w.push(w.member, [
      { type: 'reply', id: replyId, op: 'put', fields: { helpful: true } },
      { type: 'question', id: questionId, op: 'put', fields: { status: 'answered' } },
      // …but the asker cannot rewrite somebody else's answer.
      { type: 'reply', id: replyId, op: 'put', fields: { body: 'My words now' } },
    ]);
    expect(statuses(marked)).toEqual(['applied', 'applied', 'rejected']);
    const pulled = await w.pull(w.reader);
    const question = pulled.body.changes.find((change) => change.id === questionId)!;
    expect(question.fields).toMatchObject({ askedBy: w.member.id, status: 'answered', addressedTo: [w.admin.id], caseId });
    const reply = pulled.body.changes.find((change) => change.id === replyId)!;
    expect(reply.fields).toMatchObject({ author: w.admin.id, helpful: true, body: 'See the cooperative story.', citations: [{ clipId, quoteUrl }] });
  });

  it('refuses a question addressed to a non-member, a citation of another library, and a javascript: passage link', async () => {
    const { clipId } = await setupCase();
    const questionId = newId();
    const otherClip = newId();
    expect(statuses(await w.push(w.outsider, [{ type: 'clip', id: otherClip, op: 'put', fields: clipFields() }], { library: w.libB.id }))).toEqual(['applied']);
    const reply = await w.push(w.member, [
      { type: 'question', id: newId(), op: 'put', fields: { title: 'Who?', addressedTo: [w.outsider.id] } },
      { type: 'question', id: questionId, op: 'put', fields: { title: 'Fine question' } },
      { type: 'reply', id: newId(), op: 'put', fields: { questionId, body: 'x', citations: [{ clipId: otherClip }] } },
      { type: 'reply', id: newId(), op: 'put', fields: { questionId, body: 'x', citations: [{ clipId, quoteUrl: 'javascript:alert(1)' }] } },
      { type: 'reply', id: newId(), op: 'put', fields: { questionId: newId(), body: 'to nothing' } },
    ]);
    expect(statuses(reply)).toEqual(['rejected', 'applied', 'rejected', 'rejected', 'rejected']);
    expect(reply.body.results[0]!.error!.message).toMatch(/addressedTo/);
    expect(reply.body.results[2]!.error!.message).toMatch(/citations/);
    expect(reply.body.results[3]!.error!.message).toMatch(/quoteUrl/);
  });
});

describe('comments', () => {
  it('is idempotent, conflicts on a stale body edit, leaves a tombstone on delete and threads replies', async () => {
    const { clipId } = await setupCase();
    const commentId = newId();
    const body = { clientId: 'phone', mutations: [{ mid: 1, type: 'comment', id: commentId, op: 'put', fields: { targetType: 'clip', targetId: clipId, body: 'First thought', mentions: [w.admin.id] } }] };
    const path = `/api/v1/libraries/${w.libA.id}/sync/push`;
    const first = await w.call(w.member, 'POST', path, body);
    const again = await w.call(w.member, 'POST', path, body);
    expect(again.body).toEqual(first.body);
    const v1 = first.body.results[0].version as number;

    const childId = newId();
    expect(statuses(await w.push(w.admin, [{ type: 'comment', id: childId, op: 'put', fields: { targetType: 'clip', targetId: clipId, parentId: commentId, body: 'Agreed' } }]))).toEqual(['applied']);
    const edit = await w.push(w.member, [{ type: 'comment', id: commentId, op: 'put', baseVersion: v1, fields: { body: 'Second thought' } }]);
    expect(statuses(edit)).toEqual(['applied']);
    const stale = await w.push(w.member, [{ type: 'comment', id: commentId, op: 'put', baseVersion: v1, fields: { body: 'Edited on the other laptop' } }], { clientId: 'laptop' });
    expect(statuses(stale)).toEqual(['conflict']);
    expect(stale.body.results[0]!.current!.fields.body).toBe('Second thought');

    // Someone else's comment: neither edited nor deleted by another member, nor by an admin.
    const foreign = await w.push(w.admin, [
      { type: 'comment', id: commentId, op: 'put', fields: { body: 'Admin rewrite' } },
      { type: 'comment', id: commentId, op: 'delete' },
    ]);
    expect(statuses(foreign)).toEqual(['rejected', 'rejected']);
    const deleted = await w.push(w.member, [{ type: 'comment', id: commentId, op: 'delete' }]);
    expect(statuses(deleted)).toEqual(['applied']);
    const pulled = await w.pull(w.reader, v1);
    const tomb = pulled.body.changes.find((change) => change.id === commentId)!;
    expect(tomb.deleted).toBe(true);
    const child = pulled.body.changes.find((change) => change.id === childId)!;
    expect(child.fields).toMatchObject({ parentId: commentId, author: w.admin.id });
  });

  it('lets only admins hide, keeps the author server-side, and refuses mentions of non-members', async () => {
    const { caseId } = await setupCase();
    const commentId = newId();
    const results = await w.push(w.member, [
      { type: 'comment', id: commentId, op: 'put', fields: { targetType: 'case', targetId: caseId, body: 'Spam?', author: w.admin.id } },
      { type: 'comment', id: commentId, op: 'put', fields: { hidden: true } },
      { type: 'comment', id: newId(), op: 'put', fields: { targetType: 'case', targetId: caseId, body: 'hi @otto', mentions: [w.outsider.id] } },
      { type: 'comment', id: newId(), op: 'put', fields: { targetType: 'case', targetId: newId(), body: 'to nowhere' } },
    ]);
    expect(statuses(results)).toEqual(['applied', 'rejected', 'rejected', 'rejected']);
    expect(results.body.results[2]!.error!.message).toMatch(/mentions/);
    expect(statuses(await w.push(w.admin, [{ type: 'comment', id: commentId, op: 'put', fields: { hidden: true } }]))).toEqual(['applied']);
    const pulled = await w.pull(w.member);
    // Its author still reads it; the reader gets its place without its text; admins read it.
    expect(pulled.body.changes.find((change) => change.id === commentId)!.fields).toMatchObject({ hidden: true, author: w.member.id, body: 'Spam?' });
    expect((await w.pull(w.reader)).body.changes.find((change) => change.id === commentId)!.fields).toMatchObject({ hidden: true, body: '' });
    expect((await w.pull(w.admin)).body.changes.find((change) => change.id === commentId)!.fields).toMatchObject({ body: 'Spam?' });
    // An export shows the hidden text to no one a pull would not show it to.
    const exported = async (token: string) => {
      const reply = await w.app.request(`/api/v1/libraries/${w.libA.id}/export?format=json`, { headers: { authorization: `Bearer ${token}` } });
      expect(reply.status).toBe(200);
      return reply.text();
    };
    expect(await exported(w.reader.token)).not.toContain('Spam?');
    expect(await exported(w.admin.token)).toContain('Spam?');
  });
});

describe('common issues', () => {
  it('takes each member’s support only from themself, as a set', async () => {
    const { caseId, clipId } = await setupCase();
    const issueId = newId();
    const proposed = await w.push(w.member, [
      { type: 'commonIssue', id: issueId, op: 'put', fields: { title: 'NGO exit without a plan', caseIds: [caseId], supporters: [w.member.id] } },
      { type: 'commonIssue', id: issueId, op: 'put', fields: { supporters: [w.admin.id] } },
    ]);
    expect(statuses(proposed)).toEqual(['applied', 'rejected']);
    const admin = await w.push(w.admin, [
      { type: 'commonIssue', id: issueId, op: 'put', fields: { supporters: { add: [w.admin.id] }, clipIds: [clipId] } },
      { type: 'commonIssue', id: issueId, op: 'put', fields: { supporters: { remove: [w.member.id] } } },
    ]);
    expect(statuses(admin)).toEqual(['applied', 'rejected']);
    // Concurrent support from two clients merges as a set: both stay.
    const pulled = await w.pull(w.reader);
    const issue = pulled.body.changes.find((change) => change.id === issueId)!;
    expect([...(issue.fields.supporters as string[])].sort()).toEqual([w.admin.id, w.member.id].sort());
    expect(issue.fields.clipIds).toEqual([clipId]);
    expect(statuses(await w.push(w.member, [{ type: 'commonIssue', id: issueId, op: 'put', fields: { supporters: { remove: [w.member.id] } } }]))).toEqual(['applied']);
  });
});

describe('access', () => {
  it('readers read but do not write; another library sees nothing, over a real server', async () => {
    const { caseId } = await setupCase();
    const questionId = newId();
    expect(statuses(await w.push(w.member, [{ type: 'question', id: questionId, op: 'put', fields: { caseId, title: 'Open question' } }]))).toEqual(['applied']);
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: w.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    closeServer = () => new Promise((done) => server.close(() => done()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = (token: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

    const readerPush = await call(w.reader.token, `/api/v1/libraries/${w.libA.id}/sync/push`, { clientId: 'r', mutations: [{ mid: 1, type: 'comment', id: newId(), op: 'put', fields: { targetType: 'question', targetId: questionId, body: 'me too' } }] });
    expect(readerPush.status).toBe(403);
    const readerPull = (await (await call(w.reader.token, `/api/v1/libraries/${w.libA.id}/sync/pull?since=0`)).json()) as { changes: Array<{ id: string; type: string }> };
    expect(readerPull.changes.some((change) => change.id === questionId && change.type === 'question')).toBe(true);

    // The outsider can neither read library A nor reach its question from library B.
    expect((await call(w.outsider.token, `/api/v1/libraries/${w.libA.id}/sync/pull?since=0`)).status).toBe(404);
    const sneaky = (await (await call(w.outsider.token, `/api/v1/libraries/${w.libB.id}/sync/push`, {
      clientId: 'o',
      mutations: [
        { mid: 1, type: 'reply', id: newId(), op: 'put', fields: { questionId, body: 'from outside' } },
        { mid: 2, type: 'question', id: questionId, op: 'put', fields: { title: 'Hijacked' } },
        { mid: 3, type: 'comment', id: newId(), op: 'put', fields: { targetType: 'case', targetId: caseId, body: 'peek' } },
      ],
    })).json()) as { results: Array<{ status: string; error?: { code: string } }> };
    expect(sneaky.results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const outsiderPull = (await (await call(w.outsider.token, `/api/v1/libraries/${w.libB.id}/sync/pull?since=0`)).json()) as { changes: unknown[] };
    expect(outsiderPull.changes).toEqual([]);
  });
});

describe('export and import', () => {
  it('carries the discussion to a new library with its authors and threads', async () => {
    const { caseId, clipId } = await setupCase();
    const questionId = newId();
    const replyId = newId();
    const commentId = newId();
    const issueId = newId();
    expect(
      statuses(
        await w.push(w.member, [
          { type: 'question', id: questionId, op: 'put', fields: { caseId, title: 'Q?', addressedTo: [w.admin.id] } },
          { type: 'reply', id: replyId, op: 'put', fields: { questionId, body: 'A.', citations: [{ clipId }] } },
          { type: 'comment', id: commentId, op: 'put', fields: { targetType: 'question', targetId: questionId, body: 'c' } },
          { type: 'commonIssue', id: issueId, op: 'put', fields: { title: 'Issue', caseIds: [caseId], supporters: [w.member.id] } },
        ]),
      ),
    ).toEqual(['applied', 'applied', 'applied', 'applied']);
    let text = '';
    for await (const chunk of jsonExport(w.store.db, { libraryId: w.libA.id })) text += chunk;
    const data = parseExport(text);
    expect(data.objects.map((object) => object.type)).toEqual(expect.arrayContaining(['question', 'reply', 'comment', 'commonIssue']));
    // Object ids are global to a store: the copy goes into a second store.
    const other = await makeWorld();
    const target = await createLibrary(other.store.db, 'Copy');
    await importLibrary(other.store, target.id, data);
    const copied: Record<string, Record<string, unknown>> = {};
    for await (const object of exportObjects(other.store.db, { libraryId: target.id })) copied[object.id] = object.fields;
    // Its members exist there under other ids (matched by e-mail): authors and sets follow them.
    expect(other.member.id).not.toBe(w.member.id);
    expect(copied[questionId]).toMatchObject({ askedBy: other.member.id, addressedTo: [other.admin.id] });
    expect(copied[replyId]).toMatchObject({ questionId, author: other.member.id, citations: [{ clipId }] });
    expect(copied[issueId]).toMatchObject({ supporters: [other.member.id] });
    // A case's export keeps its question, reply and comment; the plenary stays with the library's.
    let caseText = '';
    for await (const chunk of jsonExport(w.store.db, { libraryId: w.libA.id, caseId })) caseText += chunk;
    expect(parseExport(caseText).objects.map((object) => object.type).sort()).toEqual(['case', 'clip', 'comment', 'question', 'reply']);
  });

  it('refuses an import whose comment mentions someone who is not a member', async () => {
    const { caseId } = await setupCase();
    expect(statuses(await w.push(w.member, [{ type: 'comment', id: newId(), op: 'put', fields: { targetType: 'case', targetId: caseId, body: 'hi', mentions: [w.admin.id] } }]))).toEqual(['applied']);
    let text = '';
    for await (const chunk of jsonExport(w.store.db, { libraryId: w.libA.id })) text += chunk;
    const tampered = text.replace(`"mentions":["${w.admin.id}"]`, `"mentions":["${newId()}"]`);
    expect(tampered).not.toBe(text);
    expect(() => parseExport(tampered)).toThrow(/mentions/);
  });
});

// The web library's side, over a real listening server on the suite's store, with the demo
// library's members: every write is a form with its CSRF token, pushed through the sync path.
describe('web pages', () => {
  const formTokenOf = (html: string) => /name="_form" value="([^"]+)"/.exec(html)?.[1] ?? '';

  async function webSetup() {
    const { freshStore } = await import('../helpers/store.ts');
    const { createApp } = await import('../../service/app.ts');
    const { createDemoLibrary } = await import('../../service/demo/create.ts');
    const { Client } = await import('../web/helpers.ts');
    const { findUserByEmail, createUser, setMembership } = await import('../../service/repos/accounts.ts');
    const store = await freshStore();
    const demo = await createDemoLibrary(store);
    const app = createApp({ store: store, config: {} });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    closeServer = async () => {
      await new Promise<void>((done) => server.close(() => done()));
      await store.close();
    };
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const password = demo.admin.password!;
    const reader = await createUser(store.db, { email: 'rea@example.org', name: 'Rea Der', organisation: '', password });
    await setMembership(store.db, demo.libraryId, reader.id, 'reader');
    const otherLib = await createLibrary(store.db, 'Elsewhere');
    const stranger = await createUser(store.db, { email: 'str@example.org', name: 'Stranger', organisation: '', password });
    await setMembership(store.db, otherLib.id, stranger.id, 'admin');
    const as = async (email: string) => {
      const client = new Client(app, base);
      const response = await client.signIn(email, password);
      expect(response.status).toBe(303);
      return client;
    };
    const lib = `/l/${demo.libraryId}`;
    const cases = await store.db.selectFrom('cases').select(['id', 'title']).where('library_id', '=', demo.libraryId).execute();
    const caseId = cases[0]!.id;
    const clip = await store.db.selectFrom('clip_cases').innerJoin('clips', 'clips.id', 'clip_cases.clip_id').select(['clips.id', 'clips.url']).where('clip_cases.case_id', '=', caseId).executeTakeFirstOrThrow();
    const amina = (await findUserByEmail(store.db, 'amina@wereldwerk.example'))!;
    return { store, demo, lib, caseId, clip, amina, as };
  }

  async function post(client: { page: (path: string) => Promise<{ html: string }>; request: (path: string, init: { method: string; form: Record<string, string | string[]> }) => Promise<Response> }, pagePath: string, action: string, form: Record<string, string | string[]>) {
    const page = await client.page(pagePath);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    return client.request(action, { method: 'POST', form: { _csrf: csrf, _form: formTokenOf(page.html), ...form } });
  }

  it('asks, answers citing a passage, marks helpful, comments with mentions, and runs the plenary', async () => {
    const { lib, caseId, clip, amina, as } = await webSetup();
    const kwame = await as('kwame@wereldwerk.example');
    const admin = await as('amina@wereldwerk.example');

    const asked = await post(kwame, `${lib}/cases/${caseId}`, `${lib}/questions`, { title: 'How did others handle the NGO exit?', body: 'In a **dairy** partnership.', caseId, addressedTo: amina.id });
    expect(asked.status).toBe(303);
    const questionPath = new URL(asked.headers.get('location')!, 'http://x').pathname;
    // Waiting on Amina's home page; listed, open, on the case page.
    expect((await admin.page(`${lib}/`)).html).toContain('How did others handle the NGO exit?');
    expect((await kwame.page(`${lib}/cases/${caseId}`)).html).toMatch(/How did others handle the NGO exit\?<\/a> <span class="badge open">open/);

    const answered = await post(admin, questionPath, `${questionPath}/replies`, { body: 'Agree the exit in year one.', clipId: clip.id, passage: 'exit matrix - agreed' });
    expect(answered.status).toBe(303);
    let page = (await admin.page(questionPath)).html;
    expect(page).toContain('<q>exit matrix - agreed</q>');
    expect(page).toContain(`${clip.url.split('#')[0]}#:~:text=exit%20matrix%20%2D%20agreed`.replace(/&/g, '&amp;'));
    // Amina answered, so she has no "This helped" button, and posting it anyway is refused.
    expect(page).not.toContain('This helped');
    const replyId = /id="reply-([0-9a-f-]{36})"/.exec(page)![1]!;
    expect((await post(admin, questionPath, `${questionPath}/replies/${replyId}/helpful`, { helpful: '1' })).status).toBe(403);
    expect((await post(kwame, questionPath, `${questionPath}/replies/${replyId}/helpful`, { helpful: '1' })).status).toBe(303);
    page = (await kwame.page(questionPath)).html;
    expect(page).toContain('helped the asker');
    expect(page).toMatch(/<span class="badge answered">answered/);
    expect((await admin.page(`${lib}/`)).html).not.toContain('How did others handle the NGO exit?');

    // Hostile Markdown and a mention of a member and of someone who is not one.
    const hostile = '<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) thanks @Amina Yusuf and @Stranger';
    expect((await post(kwame, `${lib}/cases/${caseId}`, `${lib}/comments`, { targetType: 'case', targetId: caseId, body: hostile, back: `${lib}/cases/${caseId}` })).status).toBe(303);
    page = (await admin.page(`${lib}/cases/${caseId}`)).html;
    const discussion = page.slice(page.indexOf('class="discussion"'));
    expect(discussion).not.toContain('<script>alert(1)');
    expect(discussion).not.toContain('onerror');
    expect(discussion).toContain('<a rel="noopener noreferrer nofollow">click</a>');
    expect(discussion).not.toContain('href="javascript:');
    expect(discussion).toContain('Mentions: Amina Yusuf</p>');
    expect(discussion).not.toContain('Mentions: Amina Yusuf, Stranger');

    // The plenary: propose, support by another member, the report ranks by support.
    expect((await post(kwame, `${lib}/lessons`, `${lib}/plenary/issues`, { title: 'Exit without a plan', caseIds: caseId })).status).toBe(303);
    expect((await post(kwame, `${lib}/lessons`, `${lib}/plenary/issues`, { title: 'Buyers set the price' })).status).toBe(303);
    const lessons = (await admin.page(`${lib}/lessons`)).html;
    const issueId = /id="issue-([0-9a-f-]{36})"><strong class="item-title">Exit without a plan/.exec(lessons)![1]!;
    expect((await post(admin, `${lib}/lessons`, `${lib}/plenary/issues/${issueId}/support`, { support: '1' })).status).toBe(303);
    const report = (await admin.page(`${lib}/plenary/report`)).html;
    expect(report.indexOf('Exit without a plan')).toBeLessThan(report.indexOf('Buyers set the price'));
    expect(report).toContain('(2 support)');
    expect(report).toContain('How did others handle the NGO exit? (answered; 1 answers, 1 helpful)');
    const markdown = await (await admin.request(`${lib}/plenary/report.md`)).text();
    expect(markdown).toMatch(/^1\. \*\*Exit without a plan\*\* \(2 support\)/m);
    expect(markdown).toContain('- How did others handle the NGO exit? (answered; 1 answers, 1 helpful)');
  });

  it('lets readers read without forms, and shows another library nothing', async () => {
    const { lib, caseId, as } = await webSetup();
    const kwame = await as('kwame@wereldwerk.example');
    const asked = await post(kwame, `${lib}/cases/${caseId}`, `${lib}/questions`, { title: 'Reader-visible question', caseId });
    const questionPath = new URL(asked.headers.get('location')!, 'http://x').pathname;
    expect((await post(kwame, questionPath, `${lib}/comments`, { targetType: 'question', targetId: questionPath.split('/').pop()!, body: 'A comment', back: questionPath })).status).toBe(303);

    const reader = await as('rea@example.org');
    const seen = await reader.page(questionPath);
    expect(seen.status).toBe(200);
    expect(seen.html).toContain('A comment');
    expect(seen.html).not.toContain('name="body"');
    expect((await post(reader, questionPath, `${lib}/comments`, { targetType: 'question', targetId: questionPath.split('/').pop()!, body: 'me too', back: questionPath })).status).toBe(403);

    const stranger = await as('str@example.org');
    expect((await stranger.page(questionPath)).status).toBe(404);
    expect((await stranger.page(`${lib}/plenary/report`)).status).toBe(404);
  });

  it('links two libraries when both admins agree, and shares a clip and a case summary into the other as copies naming their origin', async () => {
    const { store, lib, caseId, clip, as } = await webSetup();
    const { findUserByEmail, setMembership } = await import('../../service/repos/accounts.ts');
    const other = (await store.db.selectFrom('libraries').select('id').where('name', '=', 'Elsewhere').executeTakeFirstOrThrow()).id;
    const otherLib = `/l/${other}`;
    const kwameId = (await findUserByEmail(store.db, 'kwame@wereldwerk.example'))!.id;
    await setMembership(store.db, other, kwameId, 'member');
    const amina = await as('amina@wereldwerk.example');
    const stranger = await as('str@example.org');
    const kwame = await as('kwame@wereldwerk.example');
    // A member cannot ask; the admin asks; until the other side accepts there is nowhere to share.
    expect((await post(kwame, `${lib}/links`, `${lib}/links`, { libraryId: other })).status).toBe(403);
    expect((await post(amina, `${lib}/links`, `${lib}/links`, { libraryId: other })).status).toBe(303);
    expect((await kwame.page(`${lib}/clips/${clip.id}`)).html).not.toContain('Share a copy into');
    const incoming = (await stranger.page(`${otherLib}/links`)).html;
    expect(incoming).toContain('asks to link with this library');
    const linkId = /id="link-([0-9a-f-]{36})"/.exec(incoming)![1]!;
    expect((await post(stranger, `${otherLib}/links`, `${otherLib}/links/${linkId}/accept`, {})).status).toBe(303);

    const clipPage = (await kwame.page(`${lib}/clips/${clip.id}`)).html;
    expect(clipPage).toContain('Share a copy into');
    const shared = await post(kwame, `${lib}/clips/${clip.id}`, `${lib}/share`, { type: 'clip', id: clip.id, to: other });
    expect(shared.status).toBe(303);
    const copyPath = shared.headers.get('location')!;
    expect(copyPath).toMatch(new RegExp(`^${otherLib}/clips/[0-9a-f-]{36}$`));
    const copy = await stranger.page(copyPath);
    expect(copy.status).toBe(200);
    expect(copy.html).toContain('Shared from Learning community (demo)');
    // Kwame searches both at once; the other library's admin only her own.
    const title = (await store.db.selectFrom('clips').select('title').where('id', '=', clip.id).executeTakeFirstOrThrow()).title;
    const word = title.split(/\s+/).find((part) => /^[A-Za-z]{5,}$/.test(part))!;
    const both = (await kwame.page(`${lib}/links/search?q=${encodeURIComponent(word)}`)).html;
    expect(both).toContain('<h2>Learning community (demo) (');
    expect(both).toMatch(/<h2>Elsewhere \(1\)<\/h2>/);
    const hers = (await stranger.page(`${otherLib}/links/search?q=${encodeURIComponent(word)}`)).html;
    expect(hers).not.toContain('Learning community (demo) (');
    // The original stays in its library: the other library's admin cannot open it.
    expect((await stranger.page(`${lib}/clips/${clip.id}`)).status).toBe(404);
    expect((await stranger.page(`${lib}/cases/${caseId}`)).status).toBe(404);

    // A case summary shares from the case page's form the same way; the linked search lists it.
    expect((await kwame.page(`${lib}/cases/${caseId}`)).html).toContain('Share a copy into');
    const sharedCase = await post(kwame, `${lib}/cases/${caseId}`, `${lib}/share`, { type: 'case', id: caseId, to: other });
    expect(sharedCase.status).toBe(303);
    const casePath = sharedCase.headers.get('location')!;
    expect(casePath).toMatch(new RegExp(`^${otherLib}/cases/[0-9a-f-]{36}$`));
    const caseCopy = await stranger.page(casePath);
    expect(caseCopy.status).toBe(200);
    expect(caseCopy.html).toContain('Shared from Learning community (demo)');
    const caseTitle = (await store.db.selectFrom('cases').select('title').where('id', '=', caseId).executeTakeFirstOrThrow()).title;
    const caseWord = caseTitle.split(/\s+/).find((part) => /^[A-Za-z]{5,}$/.test(part))!;
    const found = (await stranger.page(`${otherLib}/links/search?q=${encodeURIComponent(caseWord)}`)).html;
    expect(found).toContain(`href="${casePath}"`);
    expect(found).not.toContain(`${lib}/cases/${caseId}`);
    // A bad share is refused with a reason, never a 500: an unknown type, or into a library not linked.
    expect((await post(kwame, `${lib}/cases/${caseId}`, `${lib}/share`, { type: 'comment', id: caseId, to: other })).status).toBe(400);
    expect((await post(kwame, `${lib}/cases/${caseId}`, `${lib}/share`, { type: 'case', id: caseId, to: 'not-a-library' })).status).toBe(403);
  });

  const fieldOf = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

  it('lets the asker or an admin edit a question, and an edit made on another device meanwhile comes back as a conflict', async () => {
    const { store, lib, caseId, as } = await webSetup();
    const { pushChanges } = await import('../../service/sync/push.ts');
    const { findUserByEmail } = await import('../../service/repos/accounts.ts');
    const kwame = await as('kwame@wereldwerk.example');
    const joost = await as('joost@samensterk.example');
    const amina = await as('amina@wereldwerk.example');
    const asked = await post(kwame, `${lib}/cases/${caseId}`, `${lib}/questions`, { title: 'Who trains after the exit', body: 'First words.', caseId });
    const questionPath = new URL(asked.headers.get('location')!, 'http://x').pathname;
    const questionId = questionPath.split('/').pop()!;
    expect((await kwame.page(questionPath)).html).toContain('Edit question');
    // Another member sees no edit link, and neither the form nor a posted edit works for them.
    expect((await joost.page(questionPath)).html).not.toContain('Edit question');
    expect((await joost.page(`${questionPath}/edit`)).status).toBe(403);
    expect((await post(joost, questionPath, `${questionPath}/edit`, { title: 'Hijacked', body: 'x' })).status).toBe(403);

    const form = (await kwame.page(`${questionPath}/edit`)).html;
    const shown = { baseVersion: fieldOf(form, 'baseVersion'), titleShown: fieldOf(form, 'titleShown') };
    expect(shown.titleShown).toBe('Who trains after the exit');
    // Meanwhile the extension changes the body (as Kwame, from his laptop).
    const kwameId = (await findUserByEmail(store.db, 'kwame@wereldwerk.example'))!.id;
    const laptop = await pushChanges(store, { libraryId: lib.slice(3), userId: kwameId, clientId: 'laptop', mutations: [{ mid: 1, type: 'question', id: questionId, op: 'put', fields: { body: 'Laptop words.' } }] });
    expect(laptop.results[0]!.status).toBe('applied');
    const stale = await post(kwame, `${questionPath}/edit`, `${questionPath}/edit`, { ...shown, title: 'Who trains after the exit', body: 'Browser words.' });
    expect(stale.status).toBe(409);
    const conflictPage = await stale.text();
    expect(conflictPage).toContain('This question changed');
    expect(conflictPage).toContain('Laptop words.');
    expect(conflictPage).toContain('Browser words.');
    expect((await kwame.page(questionPath)).html).toContain('Laptop words.');

    // A title changed elsewhere is a conflict too (the merge alone would let the last writer win).
    const form2 = (await kwame.page(`${questionPath}/edit`)).html;
    const shown2 = { baseVersion: fieldOf(form2, 'baseVersion'), titleShown: fieldOf(form2, 'titleShown') };
    await pushChanges(store, { libraryId: lib.slice(3), userId: kwameId, clientId: 'laptop', mutations: [{ mid: 2, type: 'question', id: questionId, op: 'put', fields: { title: 'Who trains once the NGO leaves' } }] });
    const staleTitle = await post(kwame, `${questionPath}/edit`, `${questionPath}/edit`, { ...shown2, title: 'Who trains after the NGO exit', body: 'Laptop words.' });
    expect(staleTitle.status).toBe(409);
    expect((await kwame.page(questionPath)).html).toContain('Who trains once the NGO leaves');

    // Fresh from the form it saves; an admin may edit someone else's question.
    const fresh = (await kwame.page(`${questionPath}/edit`)).html;
    const saved = await post(kwame, `${questionPath}/edit`, `${questionPath}/edit`, { baseVersion: fieldOf(fresh, 'baseVersion'), titleShown: fieldOf(fresh, 'titleShown'), title: 'Who trains the farmers after the exit?', body: 'Merged words.' });
    expect(saved.status).toBe(303);
    const byAdmin = (await amina.page(`${questionPath}/edit`)).html;
    expect((await post(amina, `${questionPath}/edit`, `${questionPath}/edit`, { baseVersion: fieldOf(byAdmin, 'baseVersion'), titleShown: fieldOf(byAdmin, 'titleShown'), title: 'Who trains the farmers after the exit?', body: 'Merged words, tidied by an admin.' })).status).toBe(303);
    const page = (await joost.page(questionPath)).html;
    expect(page).toContain('<h1>Who trains the farmers after the exit?');
    expect(page).toContain('Merged words, tidied by an admin.');
    // Still Kwame's question: an admin's edit does not make it hers.
    expect(page).toContain('Asked by Kwame Mensah');
    // Hostile input is refused as the sync protocol refuses it, never a 500.
    const again = (await kwame.page(`${questionPath}/edit`)).html;
    expect((await post(kwame, `${questionPath}/edit`, `${questionPath}/edit`, { baseVersion: fieldOf(again, 'baseVersion'), titleShown: fieldOf(again, 'titleShown'), title: 'x'.repeat(600), body: '' })).status).toBe(400);
    expect((await post(kwame, `${questionPath}/edit`, `${questionPath}/edit`, { baseVersion: 'NaN', title: '   ', body: '' })).status).toBe(400);
  });

  it('lets the proposer or an admin edit and delete a common issue; a delete that missed an edit or a support is refused', async () => {
    const { store, lib, as } = await webSetup();
    const kwame = await as('kwame@wereldwerk.example');
    const joost = await as('joost@samensterk.example');
    const amina = await as('amina@wereldwerk.example');
    expect((await post(kwame, `${lib}/lessons`, `${lib}/plenary/issues`, { title: 'Exit without a plan', body: 'Seen twice.' })).status).toBe(303);
    const lessons = (await kwame.page(`${lib}/lessons`)).html;
    const issueId = /id="issue-([0-9a-f-]{36})"><strong class="item-title">Exit without a plan/.exec(lessons)![1]!;
    const issuePath = `${lib}/plenary/issues/${issueId}`;
    expect(lessons).toContain(`${issuePath}/edit`);
    expect((await joost.page(`${lib}/lessons`)).html).not.toContain(`${issuePath}/edit`);
    expect((await joost.page(`${issuePath}/edit`)).status).toBe(403);
    expect((await post(joost, `${lib}/lessons`, `${issuePath}/edit`, { title: 'Mine now', body: '' })).status).toBe(403);
    expect((await post(joost, `${lib}/lessons`, `${issuePath}/delete`, {})).status).toBe(403);

    const form = (await kwame.page(`${issuePath}/edit`)).html;
    const saved = await post(kwame, `${issuePath}/edit`, `${issuePath}/edit`, { baseVersion: fieldOf(form, 'baseVersion'), titleShown: fieldOf(form, 'titleShown'), title: 'NGOs leave without an exit plan', body: 'Seen in three cases.' });
    expect(saved.status).toBe(303);
    // An edit form left open while the body changed elsewhere: a conflict, nothing overwritten.
    const stale = await post(amina, `${issuePath}/edit`, `${issuePath}/edit`, { baseVersion: fieldOf(form, 'baseVersion'), titleShown: fieldOf(form, 'titleShown'), title: 'Exit without a plan', body: 'Admin words.' });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('Seen in three cases.');

    // Kwame's page was loaded before Amina's support: his delete would discard it unseen.
    const before = (await kwame.page(`${lib}/lessons`)).html;
    expect((await post(amina, `${lib}/lessons`, `${issuePath}/support`, { support: '1' })).status).toBe(303);
    const csrf = fieldOf(before, '_csrf');
    const staleDelete = await kwame.request(`${issuePath}/delete`, { method: 'POST', form: { _csrf: csrf, baseVersion: new RegExp(`plenary/issues/${issueId}/delete"[^>]*>.*?name="baseVersion" value="(\\d+)"`, 's').exec(before)![1]! } });
    expect(staleDelete.status).toBe(409);
    expect((await amina.page(`${lib}/lessons`)).html).toContain('NGOs leave without an exit plan');
    const now = (await kwame.page(`${lib}/lessons`)).html;
    const version = new RegExp(`plenary/issues/${issueId}/delete"[^>]*>.*?name="baseVersion" value="(\\d+)"`, 's').exec(now)![1]!;
    expect((await kwame.request(`${issuePath}/delete`, { method: 'POST', form: { _csrf: fieldOf(now, '_csrf'), baseVersion: version } })).status).toBe(303);
    // Gone from the lessons page and the report, with its supports; a tombstone in the store.
    expect((await amina.page(`${lib}/lessons`)).html).not.toContain('NGOs leave without an exit plan');
    expect((await amina.page(`${lib}/plenary/report`)).html).not.toContain('NGOs leave without an exit plan');
    const row = await store.db.selectFrom('common_issues').select(['deleted']).where('id', '=', issueId).executeTakeFirstOrThrow();
    expect(Number(row.deleted)).toBe(1);
    expect((await amina.page(`${issuePath}/edit`)).status).toBe(404);
  });
});

describe('holdings for the extension', () => {
  it('counts comments and open questions around a site, and each recent clip’s comments, in this library only', async () => {
    const { caseId, clipId } = await setupCase();
    const url = (clipFields() as { url: string }).url;
    const domain = new URL(url).hostname;
    expect(
      statuses(
        await w.push(w.member, [
          { type: 'comment', id: newId(), op: 'put', fields: { targetType: 'clip', targetId: clipId, body: 'one' } },
          { type: 'comment', id: newId(), op: 'put', fields: { targetType: 'clip', targetId: clipId, body: 'two' } },
          { type: 'question', id: newId(), op: 'put', fields: { caseId, title: 'Open one' } },
          { type: 'question', id: newId(), op: 'put', fields: { caseId, title: 'Closed one', status: 'answered' } },
        ]),
      ),
    ).toEqual(['applied', 'applied', 'applied', 'applied']);
    // Library B's talk about the same site never counts in A.
    const otherClip = newId();
    await w.push(w.outsider, [
      { type: 'clip', id: otherClip, op: 'put', fields: clipFields() },
      { type: 'comment', id: newId(), op: 'put', fields: { targetType: 'clip', targetId: otherClip, body: 'elsewhere' } },
    ], { library: w.libB.id });
    const held = await w.call(w.reader, 'GET', `/api/v1/libraries/${w.libA.id}/holdings?domain=${domain}`);
    expect(held.status).toBe(200);
    expect(held.body.discussion).toEqual({ comments: 2, openQuestions: 1, links: { comments: `/l/${w.libA.id}/clips/${clipId}#discussion-${clipId}`, questions: `/l/${w.libA.id}/cases/${caseId}#questions-h` } });
    expect(held.body.recentClips.find((clip: { id: string }) => clip.id === clipId).comments).toBe(2);
  });
});

describe('Markdown export', () => {
  it('lists a case’s questions in its file, and its progress reaches the whole count', async () => {
    const { caseId } = await setupCase();
    const questionId = newId();
    expect(
      statuses(
        await w.push(w.member, [
          { type: 'question', id: questionId, op: 'put', fields: { caseId, title: 'Who trains after the exit?' } },
          { type: 'reply', id: newId(), op: 'put', fields: { questionId, body: 'The union.' } },
          { type: 'comment', id: newId(), op: 'put', fields: { targetType: 'case', targetId: caseId, body: 'c' } },
          { type: 'commonIssue', id: newId(), op: 'put', fields: { title: 'Exit' } },
        ]),
      ),
    ).toEqual(['applied', 'applied', 'applied', 'applied']);
    const progress: Array<[number, number]> = [];
    const files: Array<{ path: string; content: unknown }> = [];
    for await (const file of markdownExport(w.store.db, { libraryId: w.libA.id }, (done, total) => progress.push([done, total]))) files.push(file);
    const caseFile = files.find((file) => file.path.startsWith('cases/'))!;
    expect(String(caseFile.content)).toContain('## Questions\n\n- Who trains after the exit? (open; 1 answers)');
    const [done, total] = progress[progress.length - 1]!;
    expect(done).toBe(total);
    expect(total).toBe(6);
  });
});

describe('linked libraries', () => {
  it('links when both admins agree, shares copies with their provenance, and lets nothing else cross', async () => {
    const { createUser, createToken, setMembership } = await import('../../service/repos/accounts.ts');
    const { clipId, caseId } = await setupCase();
    const questionId = newId();
    expect(statuses(await w.push(w.member, [{ type: 'question', id: questionId, op: 'put', fields: { caseId, title: 'Shared question?', addressedTo: [w.admin.id] } }]))).toEqual(['applied']);
    const bAdmin = await createUser(w.store.db, { email: 'bea@example.org', name: 'Bea', organisation: '', password: 'correct horse battery' });
    await setMembership(w.store.db, w.libB.id, bAdmin.id, 'admin');
    const bea = { id: bAdmin.id, email: 'bea@example.org', token: (await createToken(w.store.db, bAdmin.id, 't')).token };
    const A = `/api/v1/libraries/${w.libA.id}`;
    const B = `/api/v1/libraries/${w.libB.id}`;

    // Only admins ask; before the other side accepts, nothing can be shared.
    expect((await w.call(w.member, 'POST', `${A}/links`, { libraryId: w.libB.id })).status).toBe(403);
    const asked = await w.call(w.admin, 'POST', `${A}/links`, { libraryId: w.libB.id });
    expect(asked.status).toBe(201);
    expect(asked.body.link).toMatchObject({ status: 'pending', direction: 'outgoing' });
    await setMembership(w.store.db, w.libB.id, w.member.id, 'member');
    expect((await w.call(w.member, 'POST', `${A}/share`, { type: 'clip', id: clipId, to: w.libB.id })).status).toBe(403);
    // The asking side cannot accept its own request; B's admin can.
    expect((await w.call(w.admin, 'POST', `${A}/links/${asked.body.link.id}/accept`)).status).toBe(403);
    const incoming = await w.call(bea, 'GET', `${B}/links`);
    expect(incoming.body.links).toEqual([expect.objectContaining({ libraryId: w.libA.id, name: 'Community A', status: 'pending', direction: 'incoming' })]);
    expect((await w.call(bea, 'POST', `${B}/links/${asked.body.link.id}/accept`)).body.link.status).toBe('accepted');

    // A member of both shares a clip and a question; sharing again makes no second copy.
    const shared = await w.call(w.member, 'POST', `${A}/share`, { type: 'clip', id: clipId, to: w.libB.id });
    expect(shared.status).toBe(201);
    expect((await w.call(w.member, 'POST', `${A}/share`, { type: 'clip', id: clipId, to: w.libB.id })).body.shared.id).toBe(shared.body.shared.id);
    const sharedQuestion = await w.call(w.member, 'POST', `${A}/share`, { type: 'question', id: questionId, to: w.libB.id });
    expect(sharedQuestion.status).toBe(201);
    // Someone only in A (even its admin) cannot share into B.
    expect((await w.call(w.admin, 'POST', `${A}/share`, { type: 'clip', id: clipId, to: w.libB.id })).status).toBe(403);

    const pulled = await w.pull(w.outsider, 0, 1000, w.libB.id);
    const copies = pulled.body.changes;
    expect(copies.map((change) => change.type).sort()).toEqual(['clip', 'question']);
    const clipCopy = copies.find((change) => change.type === 'clip')!;
    expect(clipCopy.id).not.toBe(clipId);
    expect(clipCopy.fields).toMatchObject({ sharedFrom: { libraryId: w.libA.id, type: 'clip', id: clipId }, caseIds: [], companyId: null, capturedBy: w.member.id });
    expect(copies.find((change) => change.type === 'question')!.fields).toMatchObject({ title: 'Shared question?', addressedTo: [], caseId: null, sharedFrom: { id: questionId } });
    // Searching both at once: the member of both finds the clip in A and its copy in B; the
    // one in B only finds B's copy, never A's original.
    const both = await w.call(w.member, 'GET', `${A}/links/search?q=cocoa`);
    expect(both.body.libraries.map((library: { libraryId: string; clips: Array<{ id: string }> }) => [library.libraryId, library.clips.map((clip) => clip.id)])).toEqual([
      [w.libA.id, [clipId]],
      [w.libB.id, [clipCopy.id]],
    ]);
    const onlyB = await w.call(w.outsider, 'GET', `${B}/links/search?q=cocoa`);
    expect(onlyB.body.libraries.map((library: { libraryId: string }) => library.libraryId)).toEqual([w.libB.id]);
    // The original stays A's: B's members still cannot read A.
    expect((await w.call(w.outsider, 'GET', `${A}/clips/${clipId}`)).status).toBe(404);
    expect((await w.pull(w.outsider, 0, 1000, w.libA.id)).status).toBe(404);
  });
});

describe('linked libraries: case summaries and searching both', () => {
  async function linkAB() {
    const { createUser, createToken, setMembership } = await import('../../service/repos/accounts.ts');
    const bAdmin = await createUser(w.store.db, { email: 'bea@example.org', name: 'Bea', organisation: '', password: 'correct horse battery' });
    await setMembership(w.store.db, w.libB.id, bAdmin.id, 'admin');
    const bea = { id: bAdmin.id, email: 'bea@example.org', token: (await createToken(w.store.db, bAdmin.id, 't')).token };
    const asked = await w.call(w.admin, 'POST', `/api/v1/libraries/${w.libA.id}/links`, { libraryId: w.libB.id });
    expect((await w.call(bea, 'POST', `/api/v1/libraries/${w.libB.id}/links/${asked.body.link.id}/accept`)).status).toBe(200);
    // The member of A joins B too: the only one who may carry things across.
    await setMembership(w.store.db, w.libB.id, w.member.id, 'member');
    return bea;
  }
  type Found = { libraryId: string; clips: Array<{ id: string }>; questions: Array<{ id: string; title: string }>; cases: Array<{ id: string; title: string }> };
  const summary = (libraries: Found[]) => libraries.map((library) => ({ library: library.libraryId, questions: library.questions.map((hit) => hit.id).sort(), cases: library.cases.map((hit) => hit.id).sort() }));

  it('shares a case summary (not its subgroup), and searches questions and case summaries of both libraries, each as its member may read it', async () => {
    const { caseId } = await setupCase();
    const secretCase = newId();
    const sharedQuestion = newId();
    const secretQuestion = newId();
    expect(
      statuses(
        await w.push(w.member, [
          { type: 'case', id: caseId, op: 'put', fields: { description: 'The NGO exit came in year three.', lessons: '## Exit\nPlan the exit early.', members: [w.member.id, w.admin.id] } },
          { type: 'case', id: secretCase, op: 'put', fields: { title: 'Cocoa exit, internal', description: 'Not for the sister community.' } },
          { type: 'question', id: sharedQuestion, op: 'put', fields: { caseId, title: 'Who trains after the exit?', body: 'In the dairy case.' } },
          { type: 'question', id: secretQuestion, op: 'put', fields: { title: 'Exit fees we paid', body: 'Internal.' } },
        ]),
      ),
    ).toEqual(['applied', 'applied', 'applied', 'applied']);
    const A = `/api/v1/libraries/${w.libA.id}`;
    const B = `/api/v1/libraries/${w.libB.id}`;
    // Before the link is agreed nothing is shared, and a search of A is A's alone.
    expect((await w.call(w.member, 'POST', `${A}/share`, { type: 'case', id: caseId, to: w.libB.id })).status).toBe(403);
    const bea = await linkAB();

    const sharedCase = await w.call(w.member, 'POST', `${A}/share`, { type: 'case', id: caseId, to: w.libB.id });
    expect(sharedCase.status).toBe(201);
    const questionCopy = await w.call(w.member, 'POST', `${A}/share`, { type: 'question', id: sharedQuestion, to: w.libB.id });
    expect(questionCopy.status).toBe(201);
    // A reader of A cannot share, nor can anyone share what A does not hold.
    expect((await w.call(w.reader, 'POST', `${A}/share`, { type: 'case', id: secretCase, to: w.libB.id })).status).toBe(403);
    expect((await w.call(w.member, 'POST', `${A}/share`, { type: 'case', id: newId(), to: w.libB.id })).status).toBe(404);
    expect((await w.call(w.member, 'POST', `${A}/share`, { type: 'comment', id: caseId, to: w.libB.id })).status).toBe(400);

    const copies = (await w.pull(bea, 0, 1000, w.libB.id)).body.changes;
    const caseCopy = copies.find((change) => change.type === 'case')!;
    expect(caseCopy.id).toBe(sharedCase.body.shared.id);
    expect(caseCopy.fields).toMatchObject({ title: 'Dairy partnership', description: 'The NGO exit came in year three.', lessons: '## Exit\nPlan the exit early.', members: [], sharedFrom: { libraryId: w.libA.id, type: 'case', id: caseId } });
    expect(copies.map((change) => change.type).sort()).toEqual(['case', 'question']);

    // The member of both finds A's originals (shared or not) and B's copies only.
    const both = await w.call(w.member, 'GET', `${A}/links/search?q=exit`);
    expect(both.status).toBe(200);
    expect(summary(both.body.libraries)).toEqual([
      { library: w.libA.id, questions: [secretQuestion, sharedQuestion].sort(), cases: [caseId, secretCase].sort() },
      { library: w.libB.id, questions: [questionCopy.body.shared.id], cases: [caseCopy.id] },
    ]);
    // Title matches come first.
    expect(both.body.libraries[0].cases[0].title).toBe('Cocoa exit, internal');
    // B's admin (not in A) searching from B sees B alone: the copies, never A's originals.
    const fromB = await w.call(bea, 'GET', `${B}/links/search?q=exit`);
    expect(summary(fromB.body.libraries)).toEqual([{ library: w.libB.id, questions: [questionCopy.body.shared.id], cases: [caseCopy.id] }]);
    expect(JSON.stringify(fromB.body)).not.toContain('Internal');
    expect(JSON.stringify(fromB.body)).not.toContain('internal');
    // …nor from A, which she cannot read at all; A's reader (not in B) gets A alone.
    expect((await w.call(bea, 'GET', `${A}/links/search?q=exit`)).status).toBe(404);
    const readerHits = await w.call(w.reader, 'GET', `${A}/links/search?q=exit`);
    expect(readerHits.body.libraries.map((library: Found) => library.libraryId)).toEqual([w.libA.id]);
    // A deleted question is found no more, in either library.
    expect(statuses(await w.push(w.member, [{ type: 'question', id: secretQuestion, op: 'delete' }]))).toEqual(['applied']);
    expect(summary((await w.call(w.member, 'GET', `${A}/links/search?q=fees`)).body.libraries)).toEqual([
      { library: w.libA.id, questions: [], cases: [] },
      { library: w.libB.id, questions: [], cases: [] },
    ]);
    // Unlinked, the copies stay B's, and a search from A is A's alone again.
    const linkId = (await w.call(w.admin, 'GET', `${A}/links`)).body.links[0].id;
    expect((await w.call(w.admin, 'DELETE', `${A}/links/${linkId}`)).status).toBe(204);
    expect((await w.call(w.member, 'GET', `${A}/links/search?q=exit`)).body.libraries.map((library: Found) => library.libraryId)).toEqual([w.libA.id]);
    expect((await w.pull(bea, 0, 1000, w.libB.id)).body.changes.filter((change) => !change.deleted)).toHaveLength(2);
  });

  it('keeps shared copies, their provenance, edited and deleted discussion through an export and an import', async () => {
    const { caseId, clipId } = await setupCase();
    const questionId = newId();
    const issueId = newId();
    const commentId = newId();
    expect(
      statuses(
        await w.push(w.member, [
          { type: 'question', id: questionId, op: 'put', fields: { caseId, title: 'Before', body: 'Old body' } },
          { type: 'question', id: questionId, op: 'put', fields: { title: 'After the edit', body: 'New body' } },
          { type: 'commonIssue', id: issueId, op: 'put', fields: { title: 'Withdrawn issue', supporters: [w.member.id] } },
          { type: 'commonIssue', id: issueId, op: 'delete' },
          { type: 'comment', id: commentId, op: 'put', fields: { targetType: 'question', targetId: questionId, body: 'gone' } },
          { type: 'comment', id: commentId, op: 'delete' },
        ]),
      ),
    ).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    await linkAB();
    const A = `/api/v1/libraries/${w.libA.id}`;
    const shared: Record<string, string> = {};
    for (const [type, id] of [['clip', clipId], ['question', questionId], ['case', caseId]] as const) {
      const reply = await w.call(w.member, 'POST', `${A}/share`, { type, id, to: w.libB.id });
      expect(reply.status).toBe(201);
      shared[type] = reply.body.shared.id;
    }
    // B's export carries the copies with where they came from; a new library in another store gets them back.
    let text = '';
    for await (const chunk of jsonExport(w.store.db, { libraryId: w.libB.id })) text += chunk;
    const other = await makeWorld();
    const target = await createLibrary(other.store.db, 'Sister copy');
    await importLibrary(other.store, target.id, parseExport(text));
    const copied = new Map<string, { type: string; deleted: boolean; fields: Record<string, unknown> }>();
    for await (const object of exportObjects(other.store.db, { libraryId: target.id })) copied.set(object.id, object);
    for (const [type, id] of Object.entries(shared)) {
      expect(copied.get(id)).toMatchObject({ type, deleted: false, fields: { sharedFrom: { libraryId: w.libA.id, type, id: type === 'clip' ? clipId : type === 'question' ? questionId : caseId } } });
    }
    expect(copied.get(shared.question!)!.fields).toMatchObject({ title: 'After the edit', body: 'New body' });
    // A's own export: the edit, and the tombstones of the deleted issue and comment, survive.
    let own = '';
    for await (const chunk of jsonExport(w.store.db, { libraryId: w.libA.id })) own += chunk;
    const third = await makeWorld();
    const again = await createLibrary(third.store.db, 'A copy');
    await importLibrary(third.store, again.id, parseExport(own));
    const back = new Map<string, { deleted: boolean; fields: Record<string, unknown> }>();
    for await (const object of exportObjects(third.store.db, { libraryId: again.id })) back.set(object.id, object);
    expect(back.get(questionId)).toMatchObject({ deleted: false, fields: { title: 'After the edit', body: 'New body' } });
    expect(back.get(issueId)?.deleted).toBe(true);
    expect(back.get(commentId)?.deleted).toBe(true);
  });
});
