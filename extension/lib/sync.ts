// Pushes the outbox to the service and pulls the library into the local cache: at once after a
// save, then on an alarm and when the network returns, backing off on failure and honouring
// Retry-After (issue 4, "Outbox and sync").
import type { ObjectType } from '../../shared/model.ts';
import { isOfType, type Change, type MutationResult } from '../../shared/api.ts';
import { Api, ApiError } from './api.ts';
import { objectKey, type Db, type OutboxEntry } from './db.ts';
import { applyPending, describe, nextBatch, pendingByObject, pendingEntries, pendingObjectIds, remove } from './outbox.ts';
import type { Session } from './settings.ts';
import type { SyncStatus } from './types.ts';

/** Types the extension keeps offline; clips are too many and only their tags are kept. */
const CACHED_TYPES: readonly ObjectType[] = ['case', 'company', 'scan', 'answer'];
const MAX_BACKOFF_MS = 5 * 60_000;
/** The alarm that carries the next retry after a failed push (see SyncDeps.schedule). */
export const RETRY_ALARM = 'casebook-retry';

export interface SyncDeps {
  db: Db;
  session: () => Promise<Session | null>;
  api?: (session: Session) => Api;
  /** Where the status goes for pages to watch (storage.local in the extension). */
  publish: (status: SyncStatus) => Promise<void> | void;
  /**
   * Asks to be woken `delayMs` from now to push again. In the extension this is an alarm
   * (RETRY_ALARM), never a timer: Firefox suspends an idle event page and Chrome stops an idle
   * service worker, and a pending setTimeout dies with them (issue 18: offline clips then waited
   * for the one-minute alarm, 33-52 s after the service was back). Whoever wakes calls pushChanges.
   */
  schedule?: (delayMs: number) => void;
  now?: () => number;
  random?: () => number;
}

/** Delay before attempt n+1 after n consecutive failures: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffDelay(failures: number, retryAfterMs: number | null, random = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
  // Jitter keeps many browsers that lost the same server from returning in lockstep.
  const jittered = exponential * (1 + 0.2 * random());
  return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}

export class SyncEngine {
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private status: SyncStatus = {
    state: 'idle', pending: 0, runTotal: 0, runDone: 0, pendingIds: [], lastSyncedAt: null,
    nextAttemptAt: null, message: '', conflicts: 0, conflictIds: [], rejected: [],
  };

  constructor(private readonly deps: SyncDeps) {}

  private now() { return (this.deps.now ?? Date.now)(); }
  private api(session: Session) { return (this.deps.api ?? ((s) => new Api(s.serverUrl, s.token)))(session); }

  currentStatus(): SyncStatus { return this.status; }

  /** Recomputes counts from the database and publishes them. */
  async refreshStatus(patch: Partial<SyncStatus> = {}): Promise<SyncStatus> {
    const { db } = this.deps;
    const session = await this.deps.session();
    const rejected = (await db.getAll('rejected')).map(({ id, type, message }) => ({ id, type, message }));
    const conflicts = await db.getAll('conflicts');
    this.status = {
      ...this.status, ...patch,
      pending: await db.count('outbox'),
      pendingIds: (await pendingObjectIds(db)).slice(0, 500),
      conflicts: conflicts.length,
      conflictIds: [...new Set(conflicts.map((conflict) => conflict.id))],
      rejected,
    };
    if (!session) this.status.state = 'signed-out';
    else if (this.status.state === 'signed-out') this.status.state = 'idle';
    await this.deps.publish(this.status);
    return this.status;
  }

  /** Forgets the set-aside changes the service did not accept (the person has read why). */
  async dismissRejected(): Promise<SyncStatus> {
    await this.deps.db.clear('rejected');
    return this.refreshStatus();
  }

  /** Whether the outbox is due: nothing waits on a backoff, or its time has come. */
  isDue(): boolean {
    return this.status.nextAttemptAt === null || this.status.nextAttemptAt <= this.now();
  }

  /** Pushes everything in the outbox; concurrent calls share one run (and trigger one more). */
  pushChanges(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pushOnce();
        } while (this.again && this.status.state !== 'waiting' && this.status.state !== 'offline');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pushOnce(): Promise<void> {
    const { db } = this.deps;
    const session = await this.deps.session();
    if (!session) {
      await this.refreshStatus();
      return;
    }
    let entries = await pendingEntries(db);
    if (entries.length === 0) {
      await this.refreshStatus({ state: 'idle', runTotal: 0, runDone: 0, message: '', nextAttemptAt: null });
      return;
    }
    const api = this.api(session);
    let runDone = 0;
    await this.refreshStatus({ state: 'syncing', runTotal: entries.length, runDone, message: '' });
    let maxBytes: number | undefined;
    // After the service refused a whole batch (400), entries go one at a time until the one it
    // refuses is found and set aside: the others must not wait behind it.
    let singles = false;
    while (entries.length > 0) {
      const batch = singles ? nextBatch(entries, maxBytes).slice(0, 1) : nextBatch(entries, maxBytes);
      const first = batch[0]!;
      try {
        const response = await api.push(first.libraryId, first.clientId, batch.map((entry) => entry.mutation));
        const answered = await this.applyResults(batch, response.results);
        // An answer for none of them would send the same batch again at once, forever.
        if (answered === 0) throw new Error('The service answered for none of the changes sent.');
        maxBytes = undefined;
      } catch (error) {
        if (error instanceof ApiError && error.status === 413 && batch.length > 1) {
          // The service measures differently than we do: halve the batch and try again.
          maxBytes = Math.max(1024, Math.floor(JSON.stringify(batch.map((e) => e.mutation)).length / 2));
          continue;
        }
        if (error instanceof ApiError && error.status === 400 && batch.length > 1) {
          singles = true;
          continue;
        }
        if (error instanceof ApiError && error.status === 413) {
          await this.reject(first, 'too-large', 'This item is larger than the service accepts (1 MiB).');
          await remove(db, [first.seq!]);
        } else if (error instanceof ApiError && error.status === 400) {
          // The service will never take this one as it is: set it aside (kept, with the reason,
          // shown as "not accepted") instead of retrying it forever; the rest of the outbox goes on.
          await this.reject(first, error.code, error.message);
          await remove(db, [first.seq!]);
          singles = false;
        } else {
          await this.fail(error);
          return;
        }
      }
      const before = entries.length;
      entries = await pendingEntries(db);
      runDone += Math.max(0, before - entries.length);
      this.failures = 0;
      await this.refreshStatus({ state: 'syncing', runTotal: runDone + entries.length, runDone, nextAttemptAt: null });
    }
    await this.refreshStatus({ state: 'idle', lastSyncedAt: this.now(), message: '', nextAttemptAt: null, runDone, runTotal: runDone });
  }

  private async fail(error: unknown): Promise<void> {
    this.failures += 1;
    const apiError = error instanceof ApiError ? error : null;
    if (apiError && (apiError.status === 401)) {
      await this.refreshStatus({ state: 'error', nextAttemptAt: null, message: 'The service no longer accepts this sign-in. Sign in again; your clips stay saved here.' });
      return;
    }
    const delay = backoffDelay(this.failures, apiError?.retryAfterMs ?? null, this.deps.random);
    const nextAttemptAt = this.now() + delay;
    const seconds = Math.ceil(delay / 1000);
    let state: SyncStatus['state'] = 'waiting';
    let message: string;
    if (apiError?.offline) {
      state = 'offline';
      message = `Service unreachable; retrying in ${seconds} s.`;
    } else if (apiError?.status === 429) message = `The service asked us to wait; retrying in ${seconds} s.`;
    else if (apiError && apiError.status >= 500) message = `The service had an error (${apiError.status}); retrying in ${seconds} s.`;
    else message = `${apiError?.message ?? (error instanceof Error ? error.message : String(error))} Retrying in ${seconds} s.`;
    await this.refreshStatus({ state, nextAttemptAt, message });
    this.deps.schedule?.(delay);
  }

  private async reject(entry: OutboxEntry, code: string, message: string): Promise<void> {
    await this.deps.db.put('rejected', {
      key: `${entry.clientId}:${entry.libraryId}:${entry.mutation.mid}`, libraryId: entry.libraryId,
      type: entry.mutation.type, id: entry.mutation.id, message: `${describe(entry.mutation.type, entry.mutation.fields)}: ${message} (${code})`, at: this.now(),
      // Kept whole, so nothing the person typed is lost with it.
      mutation: entry.mutation,
    });
  }

  /** Stores the service's answers; returns how many entries were answered (and left the outbox). */
  private async applyResults(batch: OutboxEntry[], results: MutationResult[]): Promise<number> {
    const { db } = this.deps;
    const byMid = new Map(results.map((result) => [result.mid, result]));
    const done: number[] = [];
    for (const entry of batch) {
      const result = byMid.get(entry.mutation.mid);
      if (!result) continue; // not answered: stays for the next push
      done.push(entry.seq!);
      const key = objectKey(entry.libraryId, entry.mutation.type, entry.mutation.id);
      if (result.status === 'applied') {
        const cached = await db.get('objects', key);
        if (cached) await db.put('objects', { ...cached, version: result.version ?? cached.version, local: false });
      } else if (result.status === 'conflict') {
        await this.recordConflict(entry, result, batch.filter((other) => byMid.has(other.mutation.mid)));
      } else {
        await this.reject(entry, result.error?.code ?? 'rejected', result.error?.message ?? 'The service refused this change.');
      }
    }
    await remove(db, done);
    return done.length;
  }

  private async recordConflict(entry: OutboxEntry, result: MutationResult, answered: OutboxEntry[]): Promise<void> {
    const { db } = this.deps;
    const { type, id, fields = {} } = entry.mutation;
    const current = result.current;
    // Only long texts conflict (DESIGN.md "Conflicts"): they are the text fields whose current copy
    // differs from ours. Read from the answer rather than from shared/model.ts, whose zod schemas
    // would add ~250 kB to the worker for one constant.
    const differing = Object.keys(fields).filter((field) => typeof fields[field] === 'string' && current?.fields[field] !== fields[field]);
    for (const field of differing.length ? differing : Object.keys(fields)) {
      await db.put('conflicts', {
        key: `${entry.libraryId}:${type}:${id}:${field}`, libraryId: entry.libraryId, type, id, field,
        mine: String(fields[field] ?? ''), theirs: String(current?.fields[field] ?? ''),
        theirsVersion: current?.version ?? result.version ?? 0,
        title: describe(type, current?.fields ?? fields),
      });
    }
    if (current) {
      // Entries of this batch are answered (and leave the outbox next); later edits stay on top.
      const answeredSeqs = new Set(answered.map((e) => e.seq));
      const later = (await pendingEntries(db)).filter((e) => !answeredSeqs.has(e.seq)
        && e.libraryId === entry.libraryId && e.mutation.type === type && e.mutation.id === id);
      await this.storeChange(entry.libraryId, current, later);
    }
  }

  /** Pulls every change since the last pull into the cache (cases, companies, scans, answers, tags). */
  async pullChanges(): Promise<void> {
    const { db } = this.deps;
    const session = await this.deps.session();
    if (!session?.libraryId) return;
    const libraryId = session.libraryId;
    const api = this.api(session);
    const versionKey = `pullVersion:${session.serverUrl}:${libraryId}`;
    let since = ((await db.get('meta', versionKey)) as number | undefined) ?? 0;
    for (let page = 0; page < 100; page++) {
      const response = await api.pull(libraryId, since);
      const tags = new Set(((await db.get('meta', `tags:${libraryId}`)) as string[] | undefined) ?? []);
      const pending = pendingByObject(await pendingEntries(db));
      for (const change of response.changes) {
        if (isOfType(change, 'clip')) {
          for (const tag of change.fields.tags ?? []) tags.add(tag);
        } else if (CACHED_TYPES.includes(change.type)) {
          await this.storeChange(libraryId, change, pending.get(objectKey(libraryId, change.type, change.id)) ?? []);
        }
      }
      await db.put('meta', [...tags].sort(), `tags:${libraryId}`);
      since = response.version;
      await db.put('meta', since, versionKey);
      if (!response.more) break;
    }
  }

  /** Caches the service's copy of an object, with the person's unpushed changes (`pending`) on top. */
  private async storeChange(libraryId: string, change: Change, pending: readonly OutboxEntry[]): Promise<void> {
    const { db } = this.deps;
    const key = objectKey(libraryId, change.type, change.id);
    const cached = await db.get('objects', key);
    if (cached && cached.version > change.version) return;
    const { fields, deleted } = applyPending(change.fields, change.deleted, pending);
    await db.put('objects', { key, libraryId, type: change.type, id: change.id, version: change.version, deleted, fields, local: false });
  }
}
