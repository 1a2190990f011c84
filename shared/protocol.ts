// The sync protocol of DESIGN.md ("Sync protocol"): push and pull bodies, shared by the
// service (validation) and the extension (building requests).
import { z } from 'zod';
import { OBJECT_TYPES, uuid, type ObjectType } from './model.ts';

export { PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_BYTES, PUSH_MAX_MUTATIONS } from './protocol-limits.ts';

export const mutation = z
  .object({
    mid: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    type: z.enum(OBJECT_TYPES),
    id: uuid,
    op: z.enum(['put', 'delete']),
    baseVersion: z.number().int().nonnegative().optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type Mutation = z.infer<typeof mutation>;

export const pushRequest = z
  .object({
    clientId: z.string().min(1).max(100),
    // The array's length is checked separately so that too many mutations answers 413, not 400.
    mutations: z.array(z.unknown()),
  })
  .strict();

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
