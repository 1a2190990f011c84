// A small world for service tests: two libraries, users of every role, their tokens, and
// helpers to call the API in-process through app.request.
import { randomUUID } from 'node:crypto';
import { createApp } from '../../service/app.ts';
import type { Store } from '../../service/db/connect.ts';
import type { AppConfig } from '../../service/http/env.ts';
import { createLibrary, createToken, createUser, setMembership } from '../../service/repos/accounts.ts';
import type { Role } from '../../shared/model.ts';
import type { ApiError, PullResponse, PushResponse } from '../../shared/protocol.ts';
import { freshStore } from './store.ts';
import { hashPassword } from '../../service/auth/secrets.ts';

export interface Person {
  id: string;
  email: string;
  token: string;
}

// Tests read arbitrary JSON shapes; each assertion states what it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The password every person of a world signs in with. */
export const WORLD_PASSWORD = 'correct horse battery';
let worldHash: Promise<string> | undefined;
const testPasswordHash = () => (worldHash ??= hashPassword(WORLD_PASSWORD));

export async function makeWorld(config: Partial<AppConfig> = {}) {
  const store: Store = await freshStore();
  const app = createApp({ store: store, config });
  const libA = await createLibrary(store.db, 'Community A');
  const libB = await createLibrary(store.db, 'Community B');

  async function person(name: string, library: string, role: Role): Promise<Person> {
    const email = `${name}@example.org`;
    const user = await createUser(store.db, { email, name, organisation: 'Org ' + name });
    // Every person shares one password hash, made once per test process: a world costs no
    // scrypt of its own (four per world made the service tests pay 0.6 s in every file).
    await store.db.updateTable('users').set({ password_hash: await testPasswordHash() }).where('id', '=', user.id).execute();
    await setMembership(store.db, library, user.id, role);
    const { token } = await createToken(store.db, user.id, 'test');
    return { id: user.id, email, token };
  }
  const admin = await person('ada', libA.id, 'admin');
  const member = await person('mo', libA.id, 'member');
  const reader = await person('rita', libA.id, 'reader');
  const outsider = await person('otto', libB.id, 'member');

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Reply
  async function call<T = any>(who: Person | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (who) (init.headers as Record<string, string>).authorization = `Bearer ${who.token}`;
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await app.request(path, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  const clientIds = new Map<string, number>();
  /** Pushes with fresh mids for the given client (default: one per person). */
  async function push(who: Person, mutations: Array<Record<string, unknown>>, options: { clientId?: string; library?: string } = {}) {
    const clientId = options.clientId ?? `client-${who.email}`;
    let mid = clientIds.get(clientId) ?? 0;
    const withMids = mutations.map((m) => ('mid' in m ? m : { mid: ++mid, ...m }));
    clientIds.set(clientId, mid);
    return call<PushResponse & Partial<ApiError>>(who, 'POST', `/api/v1/libraries/${options.library ?? libA.id}/sync/push`, { clientId, mutations: withMids });
  }

  async function pull(who: Person, since = 0, limit = 1000, library = libA.id) {
    return call<PullResponse>(who, 'GET', `/api/v1/libraries/${library}/sync/pull?since=${since}&limit=${limit}`);
  }

  return { store, app, libA, libB, admin, member, reader, outsider, call, push, pull };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;

export const newId = (): string => randomUUID();

export function clipFields(overrides: Record<string, unknown> = {}) {
  return {
    url: 'https://news.example.org/cocoa-prices',
    kind: 'article',
    title: 'Cocoa prices reach a record as harvests fail',
    text: 'Cocoa farmers in Ghana and Côte d’Ivoire see prices soar while harvests fail. Traders worry about child labour in supply chains.',
    html: '<p>Cocoa farmers in Ghana see prices soar.</p>',
    tags: ['cocoa'],
    ...overrides,
  };
}
