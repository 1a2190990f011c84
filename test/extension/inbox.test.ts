// The unread inbox count the popup and the side panel show (issue 15, item 5), asked of a real
// listening service as the background asks it: a colleague's mention counts, the member's own
// doing and another library's do not, marking read clears it; a refused token, a service that is
// down or an answer that is not one give "nothing to show", never an error.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unreadInbox, unreadLabel } from '../../extension/lib/inbox.ts';
import type { Session } from '../../extension/lib/settings.ts';
import { makeWorld, type Person, type World } from '../helpers/world.ts';

let w: World;
let server: ServerType;
let serverUrl: string;

beforeAll(async () => {
  w = await makeWorld();
  server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch: w.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  await w?.store.close();
});

const sessionOf = (who: Person, libraryId = w.libA.id, url = serverUrl): Session => ({
  serverUrl: url, token: who.token, tokenId: null, clientId: 'c', libraryId,
  user: { id: who.id, name: who.email, email: who.email, organisation: 'NGO' }, libraries: [{ id: libraryId, name: 'L', role: 'member' }],
});

async function put(who: Person, type: string, fields: Record<string, unknown>, library = w.libA.id): Promise<string> {
  const id = randomUUID();
  const reply = await w.push(who, [{ type, id, op: 'put', fields }], { library });
  expect(reply.body.results?.[0]?.status, JSON.stringify(reply.body)).toBe('applied');
  return id;
}

describe('unreadInbox', () => {
  it('counts a colleague\'s mentions of the member in the chosen library, not their own doing, and links to the web inbox', async () => {
    const inboxUrl = `${serverUrl}/l/${w.libA.id}/inbox`;
    expect(await unreadInbox(sessionOf(w.member))).toEqual({ unread: 0, inboxUrl });
    const caseId = await put(w.admin, 'case', { title: 'Cocoa Trading partnership' });
    await put(w.admin, 'comment', { targetType: 'case', targetId: caseId, body: 'Mo, see this', mentions: [w.member.id] });
    await put(w.member, 'comment', { targetType: 'case', targetId: caseId, body: 'I mention myself', mentions: [w.member.id] });
    expect(await unreadInbox(sessionOf(w.member))).toEqual({ unread: 1, inboxUrl });
    const second = await put(w.admin, 'comment', { targetType: 'case', targetId: caseId, body: 'and this', mentions: [w.member.id] });
    expect((await unreadInbox(sessionOf(w.member))).unread).toBe(2);
    // The colleague who wrote them has nothing new; the reader was not mentioned.
    expect((await unreadInbox(sessionOf(w.admin))).unread).toBe(0);
    expect((await unreadInbox(sessionOf(w.reader))).unread).toBe(0);

    // Read on the web: the count goes back to 0.
    const { body: inbox } = await w.call(w.member, 'GET', `/api/v1/me/inbox?library=${w.libA.id}&limit=1`);
    expect(inbox.libraries[0].items[0].id).toBe(second);
    expect((await w.call(w.member, 'POST', '/api/v1/me/inbox/read', { library: w.libA.id, upTo: inbox.libraries[0].items[0].version })).status).toBe(200);
    expect(await unreadInbox(sessionOf(w.member))).toEqual({ unread: 0, inboxUrl });
  });

  it('shows nothing, and throws nothing, when signed out, for a library the member is not in, with a refused token or when the service is down', async () => {
    const nothing = { unread: null, inboxUrl: null };
    expect(await unreadInbox(null)).toEqual(nothing);
    expect(await unreadInbox({ ...sessionOf(w.member), libraryId: null })).toEqual(nothing);
    expect(await unreadInbox(sessionOf(w.member, w.libB.id))).toEqual(nothing); // 404 from the service
    expect(await unreadInbox({ ...sessionOf(w.member), token: 'revoked' })).toEqual(nothing); // 401
    // A port nothing listens on: the address of a server that just stopped.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    expect(await unreadInbox(sessionOf(w.member, w.libA.id, `http://127.0.0.1:${port}`))).toEqual(nothing);
  });

  it('takes no count from an answer that is not one: HTML, a negative or fractional count, another library, or an oversized body', async () => {
    const answers: Array<(res: import('node:http').ServerResponse) => void> = [
      (res) => res.end('<html>Sign in</html>'),
      (res) => res.end(JSON.stringify({ libraries: [{ id: w.libA.id, unread: -3 }] })),
      (res) => res.end(JSON.stringify({ libraries: [{ id: w.libA.id, unread: 1.5 }] })),
      (res) => res.end(JSON.stringify({ libraries: [{ id: w.libB.id, unread: 4 }] })),
      (res) => res.end(JSON.stringify({ libraries: [{ id: w.libA.id, unread: '4' }] })),
      (res) => { res.write(`{"libraries":[{"id":"${w.libA.id}","unread":1,"pad":"`); res.end(`${'x'.repeat(2 ** 20)}"}]}`); },
    ];
    let next = 0;
    const fake: Server = createServer((_req, res) => answers[next++]!(res));
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
      for (let i = 0; i < answers.length; i++) expect(await unreadInbox(sessionOf(w.member, w.libA.id, url)), `answer ${i}`).toEqual({ unread: null, inboxUrl: null });
      expect(next).toBe(answers.length);
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('words the count as the pages show it, "99+" above 99 (the service counts up to 100)', () => {
    expect([1, 3, 99, 100].map(unreadLabel)).toEqual(['1 unread', '3 unread', '99 unread', '99+ unread']);
  });
});
