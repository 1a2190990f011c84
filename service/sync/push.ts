// Push: applies a client's batch of mutations in one transaction, storing each outcome under
// (clientId, mid) with its effect so that a resent mutation returns its first outcome.
import { isMid, type MutationResult, type PushResponse } from '../../shared/protocol.ts';
import { withSavepoint } from '../db/savepoint.ts';
import type { Store } from '../db/store.ts';
import { isMember, keepOutcome, lockLibraryVersion, setLibraryVersion, storedOutcomes } from '../repos/sync.ts';
import { applyMutation, parseMutation } from './apply.ts';

/**
 * Test-only fault injection: a pause inside the transaction after each mutation, so a test can
 * kill the process while a batch is half applied (issue 2: all or nothing after SIGKILL).
 */
const FAULT_DELAY_MS = Number(process.env.CASEBOOK_FAULT_DELAY_MS ?? 0);

export interface PushInput {
  libraryId: string;
  userId: string;
  clientId: string;
  mutations: unknown[];
}

/**
 * Whether a database error was caused by the data one mutation carried (a value or row the store
 * refuses: PostgreSQL's data exceptions and integrity violations, SQLite's constraint, type and
 * size errors), as opposed to the store's state (busy, full, gone), which fails the request.
 */
export function isDataError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return false;
  if (code.startsWith('SQLITE_')) return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG' || code === 'SQLITE_RANGE';
  return /^2[23][0-9A-Z]{3}$/.test(code);
}

/**
 * Applies a batch in one transaction. Validation (shared/model.ts) keeps out what a store cannot
 * hold, but should a mutation still carry something the store refuses, the batch is run again
 * with each mutation in a savepoint of its own: that one comes back rejected, nothing of it is
 * written, and the rest applies. A batch never fails for one bad mutation; the usual path pays
 * for no savepoints.
 */
export async function pushChanges(store: Store, input: PushInput): Promise<PushResponse> {
  try {
    return await store.writeTransaction((tx) => applyBatch(tx, input, false));
  } catch (error) {
    if (!isDataError(error)) throw error;
    return store.writeTransaction((tx) => applyBatch(tx, input, true));
  }
}

async function applyBatch(tx: Store, input: PushInput, isolate: boolean): Promise<PushResponse> {
  const trx = tx.db;
  const { libraryId, userId, clientId } = input;
  // Reading the counter row first takes the library's write lock on Postgres.
  let version = await lockLibraryVersion(tx, libraryId);
  const startVersion = version;
  const memberCache = new Map<string, boolean>();
  const ctx = {
    db: trx,
    libraryId,
    userId,
    nextVersion: () => ++version,
    isMember: async (memberId: string) => {
      if (!memberCache.has(memberId)) memberCache.set(memberId, await isMember(trx, libraryId, memberId));
      return memberCache.get(memberId)!;
    },
  };

  // Outcomes are kept per user and client: another member who happens to send the same
  // clientId neither sees nor replays someone else's outcomes.
  const clientKey = `${userId}/${clientId}`;
  const parsedAll = input.mutations.map(parseMutation);
  // Only a usable mid (a positive safe integer) is looked up, stored and deduplicated; a
  // rejected mutation may echo any number the client sent, like 1.5, which no store keeps.
  const midOf = (parsed: ReturnType<typeof parseMutation>) => ('mutation' in parsed ? parsed.mutation.mid : isMid(parsed.result.mid) ? parsed.result.mid : 0);
  // One query for the stored outcomes of the whole batch instead of one per mutation.
  const mids = parsedAll.map(midOf).filter((mid) => mid > 0);
  const stored = await storedOutcomes(trx, libraryId, clientKey, mids);

  const results: MutationResult[] = [];
  for (const parsed of parsedAll) {
    const mid = midOf(parsed);
    const earlier = mid > 0 ? stored.get(mid) : undefined;
    if (earlier !== undefined) {
      results.push(JSON.parse(earlier) as MutationResult);
      continue;
    }
    let result: MutationResult;
    if (!('mutation' in parsed)) result = parsed.result;
    else if (!isolate) result = await applyMutation(ctx, parsed.mutation);
    else {
      const versionBefore = version;
      const { id } = parsed.mutation;
      result = await withSavepoint(trx, 'push_mutation', () => applyMutation(ctx, parsed.mutation), (error): MutationResult => {
        if (!isDataError(error)) throw error;
        version = versionBefore;
        const reason = error instanceof Error ? error.message.slice(0, 200) : 'refused';
        return { mid, id, status: 'rejected', error: { code: 'invalid', message: `the store could not keep this change (${reason})` } };
      });
    }
    if (FAULT_DELAY_MS > 0) {
      // A marker the test waits for before it kills the process (instead of guessing a sleep).
      process.stderr.write(`fault delay: ${results.length + 1} of ${parsedAll.length} applied, transaction open\n`);
      await new Promise((resolve) => setTimeout(resolve, FAULT_DELAY_MS));
    }
    results.push(result);
    // A mutation without a usable mid cannot be deduplicated, so its outcome is not stored.
    if (mid > 0) {
      // The same mid twice in one batch: the second is a resend of the first.
      stored.set(mid, JSON.stringify(result));
      await keepOutcome(trx, { libraryId, clientKey, mid, userId, result: stored.get(mid)! });
    }
  }
  if (version !== startVersion) {
    await setLibraryVersion(trx, libraryId, version);
  }
  return { version, results };
}
