// The sync protocol of DESIGN.md ("Sync protocol"): push and pull bodies, shared by the
// service (validation) and the extension (building requests).
import { z } from 'zod';
import { counter, OBJECT_TYPES, text, uuid, type ObjectType } from './model.ts';

export { PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_BYTES, PUSH_MAX_MUTATIONS } from './protocol-limits.ts';

export const mutation = z
  .object({
    mid: z.number('must be a number').int('must be a whole number').positive('must be 1 or more').max(Number.MAX_SAFE_INTEGER, 'must be at most 2^53 - 1'),
    type: z.enum(OBJECT_TYPES),
    id: uuid,
    op: z.enum(['put', 'delete']),
    baseVersion: counter.optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type Mutation = z.infer<typeof mutation>;

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

export type MutationStatus = 'applied' | 'conflict' | 'rejected';

export interface MutationResult {
  mid: number;
  id: string;
  status: MutationStatus;
  version?: number;
  current?: { type: ObjectType; id: string; version: number; deleted: boolean; fields: Record<string, unknown> };
  error?: { code: string; message: string };
}

export interface PushResponse {
  version: number;
  results: MutationResult[];
}

export interface Change {
  type: ObjectType;
  id: string;
  version: number;
  deleted: boolean;
  fields: Record<string, unknown>;
}

export interface PullResponse {
  changes: Change[];
  version: number;
  more: boolean;
}

export interface ApiError {
  error: { code: string; message: string };
}
