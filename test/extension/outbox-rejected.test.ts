// The extension's outbox against a real listening service (issue 9, finding 7): a change the
// service refuses, alone (`rejected`) or as a whole request (400), is set aside with its reason,
// kept and shown as "not accepted", never retried forever; the rest of the outbox goes on; a 5xx
// still waits and retries.
import 'fake-indexeddb/auto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../extension/lib/api.ts';
import { closeDbForTests, openDb, type Db } from '../../extension/lib/db.ts';
import { enqueue, pendingCount, type NewMutation } from '../../extension/lib/outbox.ts';
import type { Session } from '../../extension/lib/settings.ts';
import { SyncEngine } from '../../extension/lib/sync.ts';
import { describeSync } from '../../extension/ui/sync-status.tsx';
import { createApp } from '../../service/app.ts';
import { openStore, type Store } from '../../service/db/connect.ts';
import { createLibrary, createToken, createUser, setMembership } from '../../service/repos/accounts.ts';

let store: Store;
let server: ServerType;
let session: Session;
let n = 0;

beforeEach(async () => {
  store = await openStore(':memory:');
  const library = await createLibrary(store.db, 'Community');
  const user = await createUser(store.db, { email: 'ada@example.org', name: 'Ada', organisation: 'NGO', password: 'correct horse battery' });
  await setMembership(store.db, library.id, user.id, 'member');
  const { token } = await createToken(store.db, user.id, 'laptop');
  const app = createApp({ store: store, config: {} });
  server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  session = {
    serverUrl: `http://127.0.0.1:${port}`, token, tokenId: null, clientId: 'laptop-1', libraryId: library.id,
    user: { id: user.id, name: 'Ada', email: 'ada@example.org', organisation: 'NGO' }, libraries: [{ id: library.id, name: 'Community', role: 'member' }],
  };
});

afterEach(async () => {
  await closeDbForTests();
  await new Promise((resolve) => server.close(resolve));
  await store.close();
});

const uuid = (k: number) => `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
const clip = (k: number, fields: Record<string, unknown> = {}): NewMutation => ({
  type: 'clip', id: uuid(k), op: 'put', fields: { url: `https://news.example.org/${k}`, kind: 'article', title: `Clip ${k}`, ...fields },
});

/** A sync engine on a fresh IndexedDB that talks to the listening service through `fetchImpl`. */
async function engineFor(fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {
  const db: Db = await openDb(`outbox-rejected-${++n}`);
  const scheduled: number[] = [];
  const engine = new SyncEngine({
    db, session: async () => session, api: (s) => new Api(s.serverUrl, s.token, fetchImpl),
    publish: () => undefined, schedule: (delay: number) => { scheduled.push(delay); }, random: () => 0,
  });
  return { db, engine, scheduled };
}

async function storedClipTitles(): Promise<string[]> {
  const rows = await store.db.selectFrom('clips').select('title').where('deleted', '=', 0).orderBy('title').execute();
  return rows.map((row) => row.title);
}

describe('the outbox sets aside what the service will not accept', () => {
  it('keeps a rejected mutation with its reason, shows it as not accepted, and pushes the rest', async () => {
    const { db, engine, scheduled } = await engineFor();
    await enqueue(db, session.libraryId!, session.clientId, [
      clip(1),
      clip(2, { url: 'javascript:alert(1)' }),
      clip(3, { tags: ['t'.repeat(101)] }),
      clip(4),
    ]);
    await engine.pushChanges();
    expect(await pendingCount(db)).toBe(0);
    expect(await storedClipTitles()).toEqual(['Clip 1', 'Clip 4']);
    const status = engine.currentStatus();
    expect(status.state).toBe('idle');
    expect(status.rejected.map((item) => item.id).sort()).toEqual([uuid(2), uuid(3)]);
    expect(status.rejected.find((item) => item.id === uuid(2))!.message).toMatch(/url.*http/);
    expect(status.rejected.find((item) => item.id === uuid(3))!.message).toMatch(/tags/);
    // Kept whole: what the person typed is still there.
    const kept = await db.getAll('rejected');
    expect(kept.find((item) => item.id === uuid(2))!.mutation?.fields?.url).toBe('javascript:alert(1)');
    expect(describeSync(status)).toMatchObject({ tone: 'bad' });
    expect(describeSync(status).text).toMatch(/not accepted: Clip [23]: (url|tags)/);
    // Nothing is retried: a second run sends nothing and schedules nothing.
    await engine.pushChanges();
    expect(scheduled).toEqual([]);
    expect(await storedClipTitles()).toEqual(['Clip 1', 'Clip 4']);
    // Once read, the person dismisses them.
    const dismissed = await engine.dismissRejected();
    expect(dismissed.rejected).toEqual([]);
    expect(describeSync(dismissed)).toEqual({ tone: 'ok', text: 'All synced' });
  });

  it('sets aside the entries of a request the service refuses as a whole (400), and the rest goes on', async () => {
    const requests: number[] = [];
    const { db, engine, scheduled } = await engineFor(async (input, init) => {
      requests.push((JSON.parse(String(init?.body)) as { mutations: unknown[] }).mutations.length);
      return fetch(input, init);
    });
    // A client id the service refuses (too long): every request of it answers 400.
    const badClient = 'x'.repeat(101);
    await enqueue(db, session.libraryId!, badClient, [clip(1), clip(2)]);
    await enqueue(db, session.libraryId!, session.clientId, [clip(3), clip(4)]);
    await engine.pushChanges();
    expect(await pendingCount(db)).toBe(0);
    expect(await storedClipTitles()).toEqual(['Clip 3', 'Clip 4']);
    const status = engine.currentStatus();
    expect(status.state).toBe('idle');
    expect(status.rejected.map((item) => item.id).sort()).toEqual([uuid(1), uuid(2)]);
    expect(status.rejected[0]!.message).toMatch(/clientId/);
    expect(describeSync(status).text).toMatch(/not accepted: Clip \d: .*clientId/);
    expect(scheduled).toEqual([]);
    // The batch of two, then each alone, then the good client's batch.
    expect(requests).toEqual([2, 1, 1, 2]);
  });

  it('sends page text cut inside an emoji or holding a NUL as text the service accepts', async () => {
    const { db, engine } = await engineFor();
    await enqueue(db, session.libraryId!, session.clientId, [
      clip(1, { title: 'Cocoa \ud83c', tags: ['fair\u0000trade'], selection: { text: 'a \udc00 b', quoteUrl: 'https://news.example.org/1' } }),
    ]);
    await engine.pushChanges();
    expect(engine.currentStatus().rejected).toEqual([]);
    expect(await storedClipTitles()).toEqual(['Cocoa \ufffd']);
    const row = await store.db.selectFrom('clips').select('data').executeTakeFirstOrThrow();
    const fields = JSON.parse(row.data) as { tags: string[]; selection: { text: string } };
    expect(fields.tags).toEqual(['fairtrade']);
    expect(fields.selection.text).toBe('a \ufffd b');
  });

  it('still waits and retries, keeping everything, when the service has an error (5xx)', async () => {
    let broken = true;
    const { db, engine, scheduled } = await engineFor(async (input, init) => {
      if (broken) return new Response(JSON.stringify({ error: { code: 'internal', message: 'boom' } }), { status: 500, headers: { 'content-type': 'application/json' } });
      return fetch(input, init);
    });
    await enqueue(db, session.libraryId!, session.clientId, [clip(1), clip(2)]);
    await engine.pushChanges();
    expect(await pendingCount(db)).toBe(2);
    expect(engine.currentStatus()).toMatchObject({ state: 'waiting', rejected: [] });
    expect(scheduled).toEqual([1000]);
    broken = false;
    await engine.pushChanges();
    expect(await pendingCount(db)).toBe(0);
    expect(await storedClipTitles()).toEqual(['Clip 1', 'Clip 2']);
    expect(engine.currentStatus().rejected).toEqual([]);
  });
});
