// The real service process over a real socket: data survives restarts, and a push cut off by
// SIGKILL leaves all or nothing of its batch, completed exactly once when sent again.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../helpers/world.ts';
import { runCli, startServer, type ServerProcess } from '../helpers/processes.ts';
import { freshStoreTarget, TEST_STORE } from '../helpers/store.ts';
import type { PullResponse, PushResponse } from '../../shared/protocol.ts';

let db: string;
let token: string;
let library: string;
const running: ServerProcess[] = [];

beforeAll(async () => {
  // A SQLite file, or a fresh Postgres schema's URL in the Postgres run (npm run test:pg).
  db = await freshStoreTarget('casebook.db');
  library = runCli(['library', 'create', '--name', 'Process test', '--db', db]).stdout.trim();
  const added = runCli(['user', 'add', '--email', 'pat@example.org', '--name', 'Pat', '--library', library, '--role', 'member', '--db', db], { input: 'a long enough password\n' });
  expect(added.code, added.stderr).toBe(0);
  token = runCli(['token', 'create', '--email', 'pat@example.org', '--db', db]).stdout.trim();
  expect(token).toMatch(/^cbk_/);
});

afterEach(async () => {
  for (const server of running.splice(0)) await server.kill();
});

async function serve(env: Record<string, string> = {}) {
  const server = await startServer(db, env);
  running.push(server);
  return server;
}

function api(server: ServerProcess, path: string, body?: unknown) {
  return fetch(`${server.url}/api/v1/libraries/${library}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

async function pullAll(server: ServerProcess): Promise<PullResponse> {
  return (await (await api(server, '/sync/pull?since=0&limit=1000')).json()) as PullResponse;
}

/** Resolves once `done()` holds, polling every 10 ms; fails after `ms`. */
async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A realistic large batch: 50 clips of ~18 KB each (just under the 1 MiB push limit). */
function largeBatch(clientId: string) {
  const paragraph = 'Smallholder cocoa farmers negotiate with the trader about premiums and traceability. ';
  return {
    clientId,
    mutations: Array.from({ length: 50 }, (_, i) => ({
      mid: i + 1,
      type: 'clip',
      id: newId(),
      op: 'put',
      fields: {
        url: `https://news.example.org/story-${i}`,
        kind: 'article',
        title: `Story ${i}`,
        text: paragraph.repeat(110),
        html: `<p>${paragraph.repeat(100)}</p>`,
        tags: ['batch'],
      },
    })),
  };
}

describe('service process', () => {
  it('serves over a real socket and keeps data across a restart', async () => {
    let server = await serve();
    const health = await fetch(`${server.url}/api/v1/health`);
    expect(await health.json()).toEqual({ ok: true, store: TEST_STORE });
    const caseId = newId();
    const push = await api(server, '/sync/push', { clientId: 'restart', mutations: [{ mid: 1, type: 'case', id: caseId, op: 'put', fields: { title: 'Kept' } }] });
    expect(push.status).toBe(200);
    await server.stop();
    server = await serve();
    const detail = await (await api(server, `/cases/${caseId}`)).json();
    expect(detail.case.title).toBe('Kept');
  });

  it('leaves all or nothing of a push killed mid-transaction, and the resend applies it exactly once', async () => {
    const batch = largeBatch('kill-test');
    expect(JSON.stringify(batch).length).toBeLessThan(1024 * 1024);
    // Each mutation pauses 20 ms inside the transaction, so the kill lands mid-batch.
    const slow = await serve({ CASEBOOK_FAULT_DELAY_MS: '20' });
    const before = await pullAll(slow);
    const inFlight = api(slow, '/sync/push', batch).then(() => 'answered', () => 'cut off');
    // Kill once the service says five mutations are applied and the transaction is still open.
    await until(() => /fault delay: 5 of 50 applied, transaction open/.test(slow.output()), 30_000);
    await slow.kill();
    expect(await inFlight).toBe('cut off');

    const server = await serve();
    const afterKill = await pullAll(server);
    const batchIds = new Set(batch.mutations.map((m) => m.id));
    const landed = afterKill.changes.filter((c) => batchIds.has(c.id));
    expect([0, 50]).toContain(landed.length);
    expect(landed.length).toBe(0); // killed mid-transaction: nothing of it
    expect(afterKill.version).toBe(before.version);

    const resent = (await (await api(server, '/sync/push', batch)).json()) as PushResponse;
    expect(resent.results.map((r) => r.status)).toEqual(Array(50).fill('applied'));
    expect(resent.version).toBe(before.version + 50);
    const again = (await (await api(server, '/sync/push', batch)).json()) as PushResponse;
    expect(again).toEqual(resent);

    const final = await pullAll(server);
    const finalIds = final.changes.filter((c) => batchIds.has(c.id)).map((c) => c.id);
    expect(new Set(finalIds).size).toBe(50);
    expect(finalIds).toHaveLength(50);
    expect(final.version).toBe(before.version + 50);
  });
});
