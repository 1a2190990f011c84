// One validation of the activity, inbox and feed parameters for the API, the feeds and the web.
import { z } from 'zod';
import { describeZodError, textProblem, uuid } from '../../shared/model.ts';
import { badRequest } from '../http/errors.ts';
import { MAX_PAGE } from './stream.ts';

const version = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const activityParams = z
  .object({
    since: version.optional(),
    before: version.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
    case: uuid.optional(),
    library: uuid.optional(),
    tag: z.string().min(1).max(200).refine((value) => !textProblem(value), 'must be text').optional(),
  })
  .strip();

export type ActivityParams = z.infer<typeof activityParams>;

/** Parses query parameters (empty ones count as absent); a bad one is a 400 naming it. */
export function parseActivityParams(query: Record<string, string>): ActivityParams {
  const present = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
  const parsed = activityParams.safeParse(present);
  if (!parsed.success) throw badRequest(describeZodError(parsed.error));
  return parsed.data;
}
