// The outbox keeps saves with consecutive, persisted client mids and cuts them into push-sized batches.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDbForTests, openDb } from '../../extension/lib/db.ts';
import { enqueue, mergeSetEdits, nextBatch, pendingCount, pendingEntries, pendingObjectIds, remove } from '../../extension/lib/outbox.ts';

const LIB = '11111111-1111-4111-8111-111111111111';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
let dbName = 0;
const freshDb = () => openDb(`outbox-test-${++dbName}`);

afterEach(() => closeDbForTests());

describe('outbox', () => {
  it('numbers mutations 1, 2, 3 … per client and library, and keeps counting after a restart', async () => {
    const name = `outbox-restart-${++dbName}`;
    let db = await openDb(name);
    const first = await enqueue(db, LIB, 'client-a', [
      { type: 'case', id: id(1), op: 'put', fields: { title: 'Cocoa' } },
      { type: 'clip', id: id(2), op: 'put', fields: { url: 'https://example.org/a', kind: 'article' } },
    ]);
    expect(first.map((e) => e.mutation.mid)).toEqual([1, 2]);
    await closeDbForTests(); // a service worker shut down and woke up again
    db = await openDb(name);
    const second = await enqueue(db, LIB, 'client-a', [{ type: 'clip', id: id(3), op: 'put', fields: { url: 'https://example.org/b', kind: 'link' } }]);
    expect(second[0]!.mutation.mid).toBe(3);
    const other = await enqueue(db, LIB, 'client-b', [{ type: 'clip', id: id(4), op: 'put', fields: { url: 'https://example.org/c', kind: 'link' } }]);
    expect(other[0]!.mutation.mid).toBe(1);
    expect(await pendingCount(db)).toBe(4);
    expect(await pendingObjectIds(db)).toEqual([id(1), id(2), id(3), id(4)]);
  });

  it('caches new objects locally so a case made offline is offered at once', async () => {
    const db = await freshDb();
    await enqueue(db, LIB, 'c', [{ type: 'case', id: id(1), op: 'put', fields: { title: 'Offline case' } }]);
    const cached = await db.getAllFromIndex('objects', 'byLibraryType', [LIB, 'case']);
    expect(cached).toMatchObject([{ id: id(1), local: true, fields: { title: 'Offline case' } }]);
    await enqueue(db, LIB, 'c', [{ type: 'case', id: id(1), op: 'put', fields: { members: [id(9)] } }]);
    await enqueue(db, LIB, 'c', [{ type: 'case', id: id(1), op: 'put', fields: { members: { add: [id(8)], remove: [id(9)] } } }]);
    const [after] = await db.getAllFromIndex('objects', 'byLibraryType', [LIB, 'case']);
    expect(after!.fields).toMatchObject({ title: 'Offline case', members: [id(8)] });
  });

  it('cuts batches at 50 mutations, at the byte limit, and per client', async () => {
    const db = await freshDb();
    const many = Array.from({ length: 120 }, (_, i) => ({ type: 'clip' as const, id: id(i + 1), op: 'put' as const, fields: { note: 'x'.repeat(100) } }));
    await enqueue(db, LIB, 'c', many);
    await enqueue(db, LIB, 'other', [{ type: 'clip', id: id(500), op: 'put', fields: {} }]);
    const entries = await pendingEntries(db);
    expect(nextBatch(entries)).toHaveLength(50);
    expect(nextBatch(entries).every((e) => e.clientId === 'c')).toBe(true);
    expect(nextBatch(entries, 1000).length).toBeLessThan(10);
    await remove(db, entries.slice(0, 120).map((e) => e.seq!));
    const rest = await pendingEntries(db);
    expect(nextBatch(rest).map((e) => e.clientId)).toEqual(['other']);
  });

  it('sends a single oversized entry alone rather than stalling behind it', async () => {
    const db = await freshDb();
    await enqueue(db, LIB, 'c', [{ type: 'clip', id: id(1), op: 'put', fields: { html: 'x'.repeat(5000) } }, { type: 'clip', id: id(2), op: 'put', fields: {} }]);
    expect(nextBatch(await pendingEntries(db), 1000)).toHaveLength(1);
  });
});

describe('offline copy merge rules', () => {
  it('adds to set fields but replaces list values that are not sets', () => {
    const current = { tags: ['cocoa'], value: ['+31201234567'], evidence: [{ url: 'https://a.example/', snippet: 'T 020' }] };
    expect(mergeSetEdits('clip', current, { tags: ['ghana'] })).toEqual({ tags: ['cocoa', 'ghana'] });
    expect(mergeSetEdits('clip', current, { tags: { remove: ['cocoa'] } })).toEqual({ tags: [] });
    const answer = mergeSetEdits('answer', current, { value: ['+31301234567'], evidence: [{ snippet: 'T 020', url: 'https://a.example/' }, { url: 'https://b.example/', snippet: 'T 030' }] });
    expect(answer.value).toEqual(['+31301234567']);
    expect(answer.evidence).toEqual([{ url: 'https://a.example/', snippet: 'T 020' }, { url: 'https://b.example/', snippet: 'T 030' }]);
  });
});
