// The sync protocol of DESIGN.md ("Sync protocol"): push and pull bodies, shared by the
// service (validation) and the extension (building requests).
import { z } from 'zod';
import { counter, OBJECT_TYPES, text, uuid } from './model.ts';
import { MUTATION_OPS } from './vocabulary.ts';
import type { Mutation } from './api.ts';

export { PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_BYTES, PUSH_MAX_MUTATIONS } from './protocol-limits.ts';

export const mutation = z
  .object({
    mid: z.number('must be a number').int('must be a whole number').positive('must be 1 or more').max(Number.MAX_SAFE_INTEGER, 'must be at most 2^53 - 1'),
    type: z.enum(OBJECT_TYPES),
    id: uuid,
    op: z.enum(MUTATION_OPS),
    baseVersion: counter.optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The schema and the declared body (shared/api.ts) must say the same, or this fails to build. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const mutationIsTheApiBody: Same<z.infer<typeof mutation>, Mutation> = true;
void mutationIsTheApiBody;

export const pushRequest = z
  .object({
    clientId: text(100).min(1),
    // The array's length is checked separately so that too many mutations answers 413, not 400.
    mutations: z.array(z.unknown()),
  })
  .strict();

/** Whether a value can serve as a mutation's mid (and so be deduplicated under it). */
export function isMid(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

// The bodies the routes answer with live in shared/api.ts, free of zod; re-exported for the
// code that validates and answers in one place.
export type { ApiError, Change, Mutation, MutationResult, MutationStatus, PullResponse, PushRequest, PushResponse } from './api.ts';
