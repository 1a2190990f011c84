// Sync routes: push and pull (DESIGN.md "Sync protocol").
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeZodError } from '../../shared/model.ts';
import { PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_BYTES, PUSH_MAX_MUTATIONS, pushRequest } from '../../shared/protocol.ts';
import type { PullResponse, PushResponse } from '../../shared/api.ts';
import { assertCanWrite } from '../http/auth.ts';
import { ApiError, badRequest, readJson } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { pullChanges } from '../sync/pull.ts';
import { pushChanges } from '../sync/push.ts';
import { redactHidden } from '../sync/discussion.ts';

const tooLarge = (message: string) => new ApiError(413, 'too_large', message);

export const syncRoutes = new Hono<AppEnv>()
  .post(
    '/push',
    bodyLimit({ maxSize: PUSH_MAX_BYTES, onError: () => { throw tooLarge(`a push may carry at most ${PUSH_MAX_BYTES} bytes; send fewer mutations`); } }),
    async (c) => {
      assertCanWrite(c.get('role'));
      const parsed = pushRequest.safeParse(await readJson(c));
      if (!parsed.success) throw badRequest(`send { clientId, mutations: [...] } (${describeZodError(parsed.error)})`);
      const { clientId, mutations } = parsed.data;
      if (mutations.length > PUSH_MAX_MUTATIONS) throw tooLarge(`a push may carry at most ${PUSH_MAX_MUTATIONS} mutations, got ${mutations.length}`);
      const { store } = c.get('services');
      const response = await pushChanges(store, { libraryId: c.get('libraryId'), userId: c.get('user').id, clientId, mutations });
      return c.json(response satisfies PushResponse);
    },
  )
  .get('/pull', async (c) => {
    const since = Number(c.req.query('since') ?? '0');
    const limit = Number(c.req.query('limit') ?? PULL_DEFAULT_LIMIT);
    if (!Number.isSafeInteger(since) || since < 0) throw badRequest('since must be a whole number ≥ 0');
    if (!Number.isSafeInteger(limit) || limit < 1) throw badRequest('limit must be a whole number ≥ 1');
    const { store } = c.get('services');
    const pulled = await pullChanges(store, c.get('libraryId'), since, Math.min(limit, PULL_MAX_LIMIT));
    // A comment an admin hid keeps its place, not its text, for other members (issue 14).
    return c.json({ ...pulled, changes: redactHidden(pulled.changes, c.get('role'), c.get('user').id) } satisfies PullResponse);
  });
