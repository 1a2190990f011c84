// Push: applies a client's batch of mutations in one transaction, storing each outcome under
// (clientId, mid) with its effect so that a resent mutation returns its first outcome.
import { sql } from 'kysely';
import type { MutationResult, PushResponse } from '../../shared/protocol.ts';
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

export async function pushChanges(db: Db, dialect: Dialect, input: PushInput): Promise<PushResponse> {
  return withWriteTransaction(db, dialect, async (trx) => {
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

    const results: MutationResult[] = [];
    for (const raw of input.mutations) {
      const parsed = parseMutation(raw);
      const mid = 'mutation' in parsed ? parsed.mutation.mid : parsed.result.mid;
      if (mid > 0) {
        const stored = await trx
          .selectFrom('mutations')
          .select('result')
          .where('library_id', '=', libraryId)
          .where('client_id', '=', clientId)
          .where('mid', '=', mid)
          .executeTakeFirst();
        if (stored) {
          results.push(JSON.parse(stored.result) as MutationResult);
          continue;
        }
      }
      const result = 'mutation' in parsed ? await applyMutation(ctx, parsed.mutation) : parsed.result;
      if (FAULT_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, FAULT_DELAY_MS));
      results.push(result);
      // A mutation without a usable mid cannot be deduplicated, so its outcome is not stored.
      if (mid > 0) {
        await trx
          .insertInto('mutations')
          .values({ library_id: libraryId, client_id: clientId, mid, user_id: userId, result: JSON.stringify(result), created_at: new Date().toISOString() })
          .execute();
      }
    }
    if (version !== startVersion) {
      await trx.updateTable('libraries').set({ version }).where('id', '=', libraryId).execute();
    }
    return { version, results };
  });
}
