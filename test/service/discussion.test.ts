// Issue 14 in the sync protocol: questions, replies, comments and common issues are synced
// objects of their own (versioned, idempotent, scoped to a library) with their own rules of who
// may write what. Runs on the store the suite runs on (SQLite, or PostgreSQL with the postgres
// project), part of it over a real listening server.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportObjects } from '../../service/export/collect.ts';
import { importLibrary, jsonExport, parseExport } from '../../service/export/json.ts';
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
    expect(pulled.body.changes.find((change) => change.id === commentId)!.fields).toMatchObject({ hidden: true, author: w.member.id });
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
    await importLibrary(other.store.db, other.store.dialect, target.id, data);
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
