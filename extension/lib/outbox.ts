// The outbox: every save is written here first, numbered with this client's next mid in the same
// transaction, and leaves only when the service has answered for it (DESIGN.md "Sync protocol").
import type { Mutation } from '../../shared/protocol.ts';
import { PUSH_MAX_BYTES, PUSH_MAX_MUTATIONS } from '../../shared/protocol-limits.ts';
import type { ObjectType } from '../../shared/model.ts';
import { applySetEdit, isSetField, type SetEdit } from '../../shared/merge-rules.ts';
import { objectKey, type Db, type OutboxEntry } from './db.ts';

export type NewMutation = Omit<Mutation, 'mid'>;

const midKey = (clientId: string, libraryId: string) => `mid:${clientId}:${libraryId}`;

/**
 * Text as the service accepts it (shared/model.ts textProblem): page content is hostile, and a
 * title cut in the middle of an emoji carries a lone surrogate, so lone surrogates become U+FFFD
 * and NUL characters go. Without this the service rejects the whole clip. Walked with a stack,
 * not recursion; everything else is left as it is.
 */
export function wellFormedFields(fields: Record<string, unknown>): Record<string, unknown> {
  const clean = (text: string) => (/[\uD800-\uDFFF\u0000]/u.test(text) ? text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD').replace(/\u0000/g, '') : text);
  const root: Record<string, unknown> = { ...fields };
  const stack: Array<Record<string, unknown> | unknown[]> = [root];
  for (let seen = 0; stack.length > 0 && seen < 100_000; seen++) {
    const container = stack.pop()!;
    const keys: Array<string | number> = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
    for (const key of keys) {
      const value = (container as Record<string | number, unknown>)[key];
      if (typeof value === 'string') (container as Record<string | number, unknown>)[key] = clean(value);
      else if (Array.isArray(value)) stack.push(((container as Record<string | number, unknown>)[key] = [...value]) as unknown[]);
      else if (value !== null && typeof value === 'object') stack.push(((container as Record<string | number, unknown>)[key] = { ...value }) as Record<string, unknown>);
    }
  }
  return root;
}

/**
 * Adds mutations for one library, numbering them with consecutive mids. Counter and entries are
 * written in one transaction so a worker killed half-way never reuses or skips a mid.
 * Created objects are also written to the local cache so that, offline, a new case is offered at once.
 */
export async function enqueue(db: Db, libraryId: string, clientId: string, mutations: NewMutation[]): Promise<OutboxEntry[]> {
  const tx = db.transaction(['outbox', 'meta', 'objects'], 'readwrite');
  const meta = tx.objectStore('meta');
  const objects = tx.objectStore('objects');
  let next = ((await meta.get(midKey(clientId, libraryId))) as number | undefined) ?? 1;
  const entries: OutboxEntry[] = [];
  for (const raw of mutations) {
    const draft: NewMutation = raw.fields ? { ...raw, fields: wellFormedFields(raw.fields) } : raw;
    const entry: OutboxEntry = { libraryId, clientId, mutation: { ...draft, mid: next++ }, createdAt: Date.now() };
    entry.seq = await tx.objectStore('outbox').add(entry);
    entries.push(entry);
    const key = objectKey(libraryId, draft.type, draft.id);
    const cached = await objects.get(key);
    await objects.put({
      key, libraryId, type: draft.type, id: draft.id, version: cached?.version ?? 0,
      deleted: draft.op === 'delete', fields: { ...cached?.fields, ...mergeSetEdits(draft.type, cached?.fields ?? {}, draft.fields ?? {}) },
      local: cached ? cached.local : true,
    });
  }
  await meta.put(next, midKey(clientId, libraryId));
  await tx.done;
  return entries;
}

/** Applies set edits (a plain list adds; `{ add, remove }`) to the cached copy, as the service will. */
export function mergeSetEdits(type: ObjectType, current: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    merged[name] = isSetField(type, name) ? applySetEdit(current[name], value as SetEdit<unknown>) : value;
  }
  return merged;
}

export async function pendingEntries(db: Db): Promise<OutboxEntry[]> {
  return db.getAll('outbox');
}

export async function pendingCount(db: Db): Promise<number> {
  return db.count('outbox');
}

/**
 * Lays the changes still waiting in the outbox over a copy from the service, in mid order: what the
 * person changed here stays visible until the service has it (a pull must not undo an unpushed edit).
 */
export function applyPending(fields: Record<string, unknown>, deleted: boolean, pending: readonly OutboxEntry[]): { fields: Record<string, unknown>; deleted: boolean } {
  let merged = fields;
  let gone = deleted;
  for (const { mutation } of [...pending].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))) {
    if (mutation.op === 'delete') gone = true;
    else {
      merged = { ...merged, ...mergeSetEdits(mutation.type, merged, mutation.fields ?? {}) };
      gone = false; // an edit beats a concurrent delete (DESIGN.md "Conflicts")
    }
  }
  return { fields: merged, deleted: gone };
}

/** Outbox entries by the cached object they change (objectKey). */
export function pendingByObject(entries: readonly OutboxEntry[]): Map<string, OutboxEntry[]> {
  const byKey = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const key = objectKey(entry.libraryId, entry.mutation.type, entry.mutation.id);
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  return byKey;
}

/** The ids of objects still waiting: the UI shows them as "saved locally". */
export async function pendingObjectIds(db: Db): Promise<string[]> {
  return [...new Set((await db.getAll('outbox')).map((entry) => entry.mutation.id))];
}

/**
 * The next request's worth of entries: same library and client as the oldest entry, in mid order,
 * at most PUSH_MAX_MUTATIONS and under the size limit (a single oversized entry goes alone so that
 * the service can reject it, and the queue does not stall behind it).
 */
export function nextBatch(entries: OutboxEntry[], maxBytes = PUSH_MAX_BYTES - 16 * 1024): OutboxEntry[] {
  const first = entries[0];
  if (!first) return [];
  const same = entries
    .filter((entry) => entry.libraryId === first.libraryId && entry.clientId === first.clientId)
    .sort((a, b) => a.mutation.mid - b.mutation.mid);
  const batch: OutboxEntry[] = [];
  let bytes = 0;
  for (const entry of same) {
    const size = new TextEncoder().encode(JSON.stringify(entry.mutation)).length;
    if (batch.length >= PUSH_MAX_MUTATIONS || (batch.length > 0 && bytes + size > maxBytes)) break;
    batch.push(entry);
    bytes += size;
  }
  return batch;
}

/** Removes answered entries. */
export async function remove(db: Db, seqs: number[]): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  for (const seq of seqs) await tx.store.delete(seq);
  await tx.done;
}

export function describe(type: ObjectType, fields: Record<string, unknown> | undefined): string {
  const title = fields?.title ?? fields?.name ?? fields?.field ?? fields?.url;
  return typeof title === 'string' && title ? title : type;
}
