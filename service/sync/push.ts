// Push: applies a client's batch of mutations in one transaction, storing each outcome under
// (clientId, mid) with its effect so that a resent mutation returns its first outcome.
import { sql } from 'kysely';
import { isMid, type MutationResult, type PushResponse } from '../../shared/protocol.ts';
import type { Db, Dialect } from '../db/schema.ts';
import { withWriteTransaction } from '../db/transaction.ts';
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
export async function pushChanges(db: Db, dialect: Dialect, input: PushInput): Promise<PushResponse> {
  try {
    return await withWriteTransaction(db, dialect, (trx) => applyBatch(trx, dialect, input, false));
  } catch (error) {
    if (!isDataError(error)) throw error;
    return withWriteTransaction(db, dialect, (trx) => applyBatch(trx, dialect, input, true));
  }
}

async function applyBatch(trx: Db, dialect: Dialect, input: PushInput, isolate: boolean): Promise<PushResponse> {
  const { libraryId, userId, clientId } = input;
  const lock = dialect === 'postgres' ? sql` FOR UPDATE` : sql``;
  // Reading the counter row first takes the library's write lock on Postgres.
  const counter = await sql<{ version: number | string }>`SELECT version FROM libraries WHERE id = ${libraryId}${lock}`.execute(trx);
  let version = Number(counter.rows[0]?.version ?? 0);
  const startVersion = version;
  const memberCache = new Map<string, boolean>();
  const ctx = {
    db: trx,
    dialect,
    libraryId,
    userId,
    nextVersion: () => ++version,
    isMember: async (memberId: string) => {
      if (!memberCache.has(memberId)) {
        const row = await trx.selectFrom('memberships').select('role').where('library_id', '=', libraryId).where('user_id', '=', memberId).executeTakeFirst();
        memberCache.set(memberId, row !== undefined);
      }
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
  const storedRows = mids.length
    ? await trx.selectFrom('mutations').select(['mid', 'result']).where('library_id', '=', libraryId).where('client_id', '=', clientKey).where('mid', 'in', mids).execute()
    : [];
  const stored = new Map(storedRows.map((row) => [Number(row.mid), row.result]));

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
      await sql`SAVEPOINT push_mutation`.execute(trx);
      try {
        result = await applyMutation(ctx, parsed.mutation);
      } catch (error) {
        if (!isDataError(error)) throw error;
        await sql`ROLLBACK TO SAVEPOINT push_mutation`.execute(trx);
        version = versionBefore;
        const reason = error instanceof Error ? error.message.slice(0, 200) : 'refused';
        result = { mid, id: parsed.mutation.id, status: 'rejected', error: { code: 'invalid', message: `the store could not keep this change (${reason})` } };
      }
      await sql`RELEASE SAVEPOINT push_mutation`.execute(trx);
    }
    if (FAULT_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, FAULT_DELAY_MS));
    results.push(result);
    // A mutation without a usable mid cannot be deduplicated, so its outcome is not stored.
    if (mid > 0) {
      // The same mid twice in one batch: the second is a resend of the first.
      stored.set(mid, JSON.stringify(result));
      await trx
        .insertInto('mutations')
        .values({ library_id: libraryId, client_id: clientKey, mid, user_id: userId, result: stored.get(mid)!, created_at: new Date().toISOString() })
        .execute();
    }
  }
  if (version !== startVersion) {
    await trx.updateTable('libraries').set({ version }).where('id', '=', libraryId).execute();
  }
  return { version, results };
}
