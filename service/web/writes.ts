// Web edits go through the sync service's push, as a client of their own (`web:<session id>`):
// the same validation, set merge and long-text conflicts as the extension, and the extension
// sees every web edit on its next pull.
import type { Context } from 'hono';
import type { Mutation, MutationResult } from '../../shared/protocol.ts';
import { assertCanWrite } from '../http/auth.ts';
import { pushChanges } from '../sync/push.ts';
import type { WebEnv } from './env.ts';
import { reserveMids } from '../repos/sessions.ts';

export type WebMutation = Omit<Mutation, 'mid'>;

export async function pushFromWeb(c: Context<WebEnv>, mutations: WebMutation[]): Promise<MutationResult[]> {
  assertCanWrite(c.get('role'));
  const { db, store } = c.get('services');
  const session = c.get('session');
  const mids = await reserveMids(db, session.id, mutations.length);
  const response = await pushChanges(store, {
    libraryId: c.get('libraryId'),
    userId: session.userId,
    clientId: `web:${session.id}`,
    mutations: mutations.map((mutation, i) => ({ ...mutation, mid: mids[i]! })),
  });
  return response.results;
}

/** The `{ add, remove }` edit that turns the set the form showed into the set it sent. */
export function setEdit(shown: string[], sent: string[]): { add: string[]; remove: string[] } | undefined {
  const before = new Set(shown);
  const after = new Set(sent);
  const add = [...after].filter((item) => !before.has(item));
  const remove = [...before].filter((item) => !after.has(item));
  return add.length || remove.length ? { add, remove } : undefined;
}
