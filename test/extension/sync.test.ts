// The sync engine drains the outbox exactly once, keeps going past rejected mutations, records
// conflicts with both versions, and backs off (honouring Retry-After) when the service is away.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mutation, PushResponse } from '../../shared/protocol.ts';
import { Api } from '../../extension/lib/api.ts';
import { closeDbForTests, openDb, type Db } from '../../extension/lib/db.ts';
import { enqueue, pendingCount } from '../../extension/lib/outbox.ts';
import type { Session } from '../../extension/lib/settings.ts';
import { backoffDelay, SyncEngine } from '../../extension/lib/sync.ts';
import type { SyncStatus } from '../../extension/lib/types.ts';

const LIB = '11111111-1111-4111-8111-111111111111';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const session: Session = {
  serverUrl: 'http://127.0.0.1:9', token: 't', tokenId: null, clientId: 'client-1', libraryId: LIB,
  user: { id: id(99), name: 'Ada', email: 'ada@example.org', organisation: 'NGO' }, libraries: [{ id: LIB, name: 'L', role: 'member' }],
};
let n = 0;

type Reply = (body: { clientId: string; mutations: Mutation[] }) => Response;
function fakeService(reply: Reply) {
  const requests: { clientId: string; mutations: Mutation[] }[] = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { clientId: string; mutations: Mutation[] };
    requests.push(body);
    return reply(body);
  }) as typeof fetch;
  return { requests, api: () => new Api(session.serverUrl, session.token, fetchImpl) };
}
const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...headers } });
const applyAll: Reply = ({ mutations }) => json({ version: 10, results: mutations.map((m, i) => ({ mid: m.mid, id: m.id, status: 'applied', version: i + 1 })) } satisfies PushResponse);

async function setup(reply: Reply) {
  const db: Db = await openDb(`sync-test-${++n}`);
  const service = fakeService(reply);
  const published: SyncStatus[] = [];
  const scheduled: number[] = [];
  const engine = new SyncEngine({
    db, session: async () => session, api: service.api, publish: (s) => { published.push(structuredClone(s)); },
    schedule: (delay) => { scheduled.push(delay); }, random: () => 0,
  });
  return { db, engine, published, scheduled, ...service };
}

afterEach(() => closeDbForTests());

describe('backoffDelay', () => {
  it('doubles from one second, caps at five minutes, and never undercuts Retry-After', () => {
    expect([1, 2, 3, 4].map((f) => backoffDelay(f, null, () => 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(30, null, () => 0)).toBe(300_000);
    expect(backoffDelay(1, 45_000, () => 0)).toBe(45_000);
  });
});

describe('SyncEngine.pushChanges', () => {
  it('pushes in batches of 50 with progress and leaves the outbox empty', async () => {
    const { db, engine, requests, published } = await setup(applyAll);
    await enqueue(db, LIB, 'client-1', Array.from({ length: 120 }, (_, i) => ({ type: 'clip' as const, id: id(i + 1), op: 'put' as const, fields: {} })));
    await engine.pushChanges();
    expect(requests.map((r) => r.mutations.length)).toEqual([50, 50, 20]);
    expect(requests.flatMap((r) => r.mutations.map((m) => m.mid))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await pendingCount(db)).toBe(0);
    expect(published.some((s) => s.state === 'syncing' && s.runDone === 50 && s.runTotal === 120)).toBe(true);
    expect(published.at(-1)).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('keeps going past a rejected mutation and remembers why it was refused', async () => {
    const { db, engine } = await setup(({ mutations }) => json({
      version: 3, results: mutations.map((m) => m.mid === 1
        ? { mid: 1, id: m.id, status: 'rejected', error: { code: 'invalid', message: 'url: must be an http(s) URL' } }
        : { mid: m.mid, id: m.id, status: 'applied', version: 3 }),
    }));
    await enqueue(db, LIB, 'client-1', [
      { type: 'clip', id: id(1), op: 'put', fields: { url: 'ftp://x', kind: 'link' } },
      { type: 'clip', id: id(2), op: 'put', fields: { url: 'https://example.org', kind: 'link' } },
    ]);
    await engine.pushChanges();
    expect(await pendingCount(db)).toBe(0);
    const status = engine.currentStatus();
    expect(status.rejected).toHaveLength(1);
    expect(status.rejected[0]!.message).toContain('http(s)');
  });

  it('records a long-text conflict with both versions', async () => {
    const { db, engine } = await setup(({ mutations }) => json({
      version: 7, results: [{ mid: mutations[0]!.mid, id: id(1), status: 'conflict',
        current: { type: 'case', id: id(1), version: 6, deleted: false, fields: { title: 'Cocoa', lessons: 'Their lessons' } } }],
    }));
    await enqueue(db, LIB, 'client-1', [{ type: 'case', id: id(1), op: 'put', baseVersion: 4, fields: { lessons: 'My lessons' } }]);
    await engine.pushChanges();
    const [conflict] = await db.getAll('conflicts');
    expect(conflict).toMatchObject({ field: 'lessons', mine: 'My lessons', theirs: 'Their lessons', theirsVersion: 6, title: 'Cocoa' });
    expect(engine.currentStatus().conflicts).toBe(1);
  });

  it('goes offline with a backoff when the service cannot be reached, then drains exactly once', async () => {
    let up = false;
    const { db, engine, requests, scheduled } = await setup((body) => {
      if (!up) throw new TypeError('Failed to fetch');
      return applyAll(body);
    });
    await enqueue(db, LIB, 'client-1', [{ type: 'clip', id: id(1), op: 'put', fields: {} }, { type: 'clip', id: id(2), op: 'put', fields: {} }]);
    await engine.pushChanges();
    expect(engine.currentStatus()).toMatchObject({ state: 'offline', pending: 2 });
    expect(engine.currentStatus().message).toMatch(/unreachable/);
    await engine.pushChanges();
    expect(scheduled).toEqual([1000, 2000]);
    up = true;
    await engine.pushChanges();
    await engine.pushChanges();
    expect(await pendingCount(db)).toBe(0);
    // Every attempt resent the same mids: the service answers a repeat with its first outcome.
    expect(requests.map((r) => r.mutations.map((m) => m.mid))).toEqual([[1, 2], [1, 2], [1, 2]]);
  });

  it('waits as long as Retry-After says on 429', async () => {
    const { db, engine, scheduled } = await setup(() => json({ error: { code: 'rate_limited', message: 'slow down' } }, 429, { 'retry-after': '30' }));
    await enqueue(db, LIB, 'client-1', [{ type: 'clip', id: id(1), op: 'put', fields: {} }]);
    await engine.pushChanges();
    expect(scheduled).toEqual([30_000]);
    expect(engine.currentStatus()).toMatchObject({ state: 'waiting' });
    expect(engine.isDue()).toBe(false);
  });

  it('stops and asks for a new sign-in on 401, keeping the clips', async () => {
    const { db, engine, scheduled } = await setup(() => json({ error: { code: 'unauthorized', message: 'bad token' } }, 401));
    await enqueue(db, LIB, 'client-1', [{ type: 'clip', id: id(1), op: 'put', fields: {} }]);
    await engine.pushChanges();
    expect(engine.currentStatus()).toMatchObject({ state: 'error', pending: 1 });
    expect(scheduled).toEqual([]);
  });
});

describe('SyncEngine.pullChanges', () => {
  it('pages through changes, caches cases and companies, and gathers tags from clips', async () => {
    const { db, engine } = await setup(applyAll);
    const pages = [
      { changes: [{ type: 'case', id: id(1), version: 1, deleted: false, fields: { title: 'Cocoa' } }, { type: 'clip', id: id(2), version: 2, deleted: false, fields: { tags: ['cocoa', 'ghana'] } }], version: 2, more: true },
      { changes: [{ type: 'company', id: id(3), version: 3, deleted: false, fields: { name: 'Trader', domains: ['trader.nl'] } }], version: 3, more: false },
    ];
    const seen: string[] = [];
    const fetchImpl = (async (url: string | URL | Request) => { seen.push(String(url)); return json(pages.shift()); }) as typeof fetch;
    const puller = new SyncEngine({ db, session: async () => session, api: () => new Api(session.serverUrl, 't', fetchImpl), publish: () => undefined });
    await puller.pullChanges();
    expect(seen.map((u) => new URL(u).searchParams.get('since'))).toEqual(['0', '2']);
    expect((await db.getAllFromIndex('objects', 'byLibraryType', [LIB, 'case'])).map((c) => c.fields.title)).toEqual(['Cocoa']);
    expect(await db.get('meta', `tags:${LIB}`)).toEqual(['cocoa', 'ghana']);
  });
});

describe('SyncEngine.pullChanges with unpushed edits', () => {
  it('keeps fields edited here (not yet pushed) on top of what a pull brings', async () => {
    const { db } = await setup(applyAll);
    const member = id(50);
    // Cached from an earlier pull, then edited here while offline: nothing pushed yet.
    await db.put('objects', { key: `${LIB}:case:${id(1)}`, libraryId: LIB, type: 'case', id: id(1), version: 3, deleted: false, local: false,
      fields: { title: 'Cocoa', description: 'Old', members: [id(40)] } });
    await enqueue(db, LIB, 'client-1', [
      { type: 'case', id: id(1), op: 'put', fields: { title: 'Cocoa Trading partnership' } },
      { type: 'case', id: id(1), op: 'put', fields: { members: { add: [member] } } },
      { type: 'answer', id: id(2), op: 'delete' },
    ]);
    const pages = [{ changes: [
      // A colleague changed the description and the title meanwhile; the answer was edited elsewhere.
      { type: 'case', id: id(1), version: 8, deleted: false, fields: { title: 'Cocoa (colleague)', description: 'New from a colleague', members: [id(40), id(41)] } },
      { type: 'answer', id: id(2), version: 9, deleted: false, fields: { field: 'emails', value: ['info@trader.nl'] } },
      { type: 'company', id: id(3), version: 10, deleted: false, fields: { name: 'Trader' } },
    ], version: 10, more: false }];
    const fetchImpl = (async () => json(pages.shift())) as typeof fetch;
    const puller = new SyncEngine({ db, session: async () => session, api: () => new Api(session.serverUrl, 't', fetchImpl), publish: () => undefined });
    await puller.pullChanges();

    const cached = await db.get('objects', `${LIB}:case:${id(1)}`);
    expect(cached).toMatchObject({ version: 8, deleted: false });
    expect(cached!.fields).toMatchObject({ title: 'Cocoa Trading partnership', description: 'New from a colleague' });
    expect(cached!.fields.members).toEqual([id(40), id(41), member]);
    expect(await db.get('objects', `${LIB}:answer:${id(2)}`)).toMatchObject({ version: 9, deleted: true });
    expect(await db.get('objects', `${LIB}:company:${id(3)}`)).toMatchObject({ fields: { name: 'Trader' } });
  });

  it('takes the service copy alone once the edits have been pushed', async () => {
    const { db, engine } = await setup(applyAll);
    await enqueue(db, LIB, 'client-1', [{ type: 'case', id: id(1), op: 'put', fields: { title: 'Mine' } }]);
    await engine.pushChanges();
    const fetchImpl = (async () => json({ changes: [{ type: 'case', id: id(1), version: 12, deleted: false, fields: { title: 'Renamed later' } }], version: 12, more: false })) as typeof fetch;
    await new SyncEngine({ db, session: async () => session, api: () => new Api(session.serverUrl, 't', fetchImpl), publish: () => undefined }).pullChanges();
    expect((await db.get('objects', `${LIB}:case:${id(1)}`))!.fields.title).toBe('Renamed later');
  });
});
