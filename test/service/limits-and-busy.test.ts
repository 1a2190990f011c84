// Issue 9, findings 4 and 8, over a real listening server: every request body is bounded before
// it is read (a chunked body far over the bound gets 413 while the process's memory stays flat
// and the connection is closed, not left hanging), a store locked by another process's write
// answers 503 + Retry-After without freezing the event loop, and a full store answers a clear
// 503 with nothing half-written.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../service/app.ts';
import type { PullResponse, PushResponse } from '../../shared/protocol.ts';
import { runCli, startServer, type ServerProcess } from '../helpers/processes.ts';
import { freshStoreTarget, TEST_STORE } from '../helpers/store.ts';
import { makeWorld, newId } from '../helpers/world.ts';
import { Client } from '../web/helpers.ts';

const MiB = 1024 * 1024;
const PASSWORD = 'a long enough password';

/** A store with a library, a member who has a password, and that member's API token (real CLI). */
function prepareStore(db: string) {
  const library = runCli(['library', 'create', '--name', 'Limits', '--db', db]).stdout.trim();
  const added = runCli(['user', 'add', '--email', 'lee@example.org', '--name', 'Lee', '--library', library, '--role', 'admin', '--db', db], { input: `${PASSWORD}\n` });
  expect(added.code, added.stderr).toBe(0);
  const token = runCli(['token', 'create', '--email', 'lee@example.org', '--db', db]).stdout.trim();
  expect(token).toMatch(/^cbk_/);
  return { library, token };
}

/** The hidden fields of the first form on a page that has them (CSRF token, one-time form token). */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="(_[a-z]+)"/.exec(tag)?.[1];
    const value = /\bvalue="([^"]*)"/.exec(tag)?.[1];
    if (/\btype="hidden"/.test(tag) && name && value !== undefined) fields[name] ??= value;
  }
  return fields;
}

/** Peak resident memory of a process so far, in MiB (Linux); undefined where /proc is absent. */
function peakRssMiB(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Streamed {
  status?: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  sent: number;
  /** Whether the server ended the exchange (socket closed) within the wait. */
  closed: boolean;
}

/**
 * Streams up to `total` bytes as fast as the socket takes them, stopping as soon as the server
 * answers (like a browser or curl would); resolves once the socket is closed, or after `waitMs`
 * with closed: false if the server left it hanging.
 */
function stream(base: string, path: string, options: { headers: Record<string, string>; total: number; chunk?: Buffer; waitMs?: number; end?: boolean }): Promise<Streamed> {
  const url = new URL(path, base);
  const chunk = options.chunk ?? Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve) => {
    const result: Streamed = { headers: {}, body: '', sent: 0, closed: false };
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      request.destroy();
      agent.destroy();
      resolve(result);
    };
    const timer = setTimeout(finish, options.waitMs ?? 30_000);
    // A keep-alive connection, as browsers and fetch use: the server must close it itself.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const request = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: options.headers, agent });
    request.on('response', (response) => {
      result.status = response.statusCode;
      result.headers = response.headers;
      response.setEncoding('utf8');
      response.on('data', (text: string) => (result.body += text));
    });
    request.on('error', () => {});
    request.on('close', () => {
      result.closed = true;
      finish();
    });
    const pump = () => {
      while (!finished && result.status === undefined && result.sent < options.total) {
        result.sent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', pump);
          return;
        }
      }
      // Answered early: stop sending. Sent everything: end the request, unless it claims more.
      if (!finished && result.sent >= options.total && options.end !== false) request.end();
    };
    pump();
  });
}

describe('request bodies are bounded before they are read (finding 4)', () => {
  let server: ServerProcess;
  let library: string;
  let token: string;

  beforeAll(async () => {
    const db = await freshStoreTarget('casebook.db');
    ({ library, token } = prepareStore(db));
    server = await startServer(db);
    // Warm up every route once so the peak below measures the bodies, not first-use code.
    await fetch(`${server.url}/signin`);
    await fetch(`${server.url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  });
  afterAll(async () => {
    await server?.kill();
  });

  const SENT = 96 * MiB;
  const cases = [
    { name: 'the web sign-in form (anonymous)', path: () => '/signin', headers: (): Record<string, string> => ({ 'content-type': 'application/x-www-form-urlencoded' }), html: true },
    { name: 'a multipart web form (anonymous)', path: () => '/signin', headers: (): Record<string, string> => ({ 'content-type': 'multipart/form-data; boundary=xyz' }), html: true },
    { name: 'the API sign-in (anonymous JSON)', path: () => '/api/v1/tokens', headers: (): Record<string, string> => ({ 'content-type': 'application/json' }), html: false },
    {
      name: 'a push (signed in, 1 MiB bound)',
      path: () => `/api/v1/libraries/${library}/sync/push`,
      headers: (): Record<string, string> => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` }),
      html: false,
    },
  ];

  for (const entry of cases) {
    it(`refuses a chunked body far over the bound with 413, memory flat, connection closed: ${entry.name}`, async () => {
      const before = peakRssMiB(server.process.pid!);
      const reply = await stream(server.url, entry.path(), { headers: { ...entry.headers(), 'transfer-encoding': 'chunked' }, total: SENT });
      const after = peakRssMiB(server.process.pid!);

      expect(reply.status).toBe(413);
      if (entry.html) {
        expect(reply.headers['content-type']).toMatch(/text\/html/);
        expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
        expect(reply.body).toContain('too large');
      } else {
        expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'too_large' } });
      }
      // The server stopped the upload and closed the connection rather than reading it all.
      expect(reply.closed).toBe(true);
      expect(reply.sent).toBeLessThan(SENT);
      // Generous: reading the 96 MiB body (as before) grows the peak by hundreds of MiB.
      if (before !== undefined && after !== undefined) expect(after - before).toBeLessThan(48);
    });
  }

  it('refuses a declared length over the bound without reading it', async () => {
    const reply = await stream(server.url, '/api/v1/tokens', { headers: { 'content-type': 'application/json', 'content-length': String(200 * MiB) }, total: 4 * MiB, end: false });
    expect(reply.status).toBe(413);
    expect(reply.closed).toBe(true);
    const form = await stream(server.url, '/signin', { headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(200 * MiB) }, total: 4 * MiB, end: false });
    expect(form.status).toBe(413);
    expect(form.headers['content-type']).toMatch(/text\/html/);
  });

  it('still takes bodies within the bound, chunked or not', async () => {
    const clientId = 'bounded-client';
    const mutation = { mid: 1, type: 'case', id: newId(), op: 'put', fields: { title: 'Within the bound', description: 'd'.repeat(150_000) } };
    const body = Buffer.from(JSON.stringify({ clientId, mutations: [mutation] }));
    const reply = await stream(server.url, `/api/v1/libraries/${library}/sync/push`, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' },
      total: body.length,
      chunk: body,
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).results[0].status).toBe('applied');
    const signin = await fetch(`${server.url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lee@example.org', password: PASSWORD }) });
    expect(signin.status).toBe(201);
  });
});

describe('the bound leaves room for every form a member may send', () => {
  it('takes a case description of 200,000 Chinese characters (3.6 MB as a form) over a real socket', async () => {
    const db = await freshStoreTarget('casebook.db');
    const { library, token } = prepareStore(db);
    const server = await startServer(db);
    try {
      const client = new Client({
        request: (path: string, init?: RequestInit) => fetch(new URL(path, server.url), { ...init, redirect: 'manual' }),
      } as unknown as ConstructorParameters<typeof Client>[0]);
      expect((await client.signIn('lee@example.org', PASSWORD)).status).toBe(303);
      const list = await client.page(`/l/${library}/cases`);
      const created = await client.request(`/l/${library}/cases`, { method: 'POST', form: { ...hiddenFields(list.html), title: 'Long reading' } });
      expect(created.status).toBe(303);
      const editUrl = new URL(created.headers.get('location')!, server.url).pathname;
      const edit = await client.page(editUrl);
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(edit.html)?.[1] ?? '';
      const description = '中'.repeat(200_000);
      const lessons = '文'.repeat(200_000);
      const saved = await client.request(editUrl, {
        method: 'POST',
        form: { _csrf: field('_csrf'), baseVersion: field('baseVersion'), title: 'Long reading', status: 'open', description, lessons },
      });
      expect(saved.status).toBe(303);
      const pull = (await (await fetch(`${server.url}/api/v1/libraries/${library}/sync/pull?since=0`, { headers: { authorization: `Bearer ${token}` } })).json()) as PullResponse;
      const stored = pull.changes.find((change) => change.type === 'case' && change.fields.title === 'Long reading');
      expect(stored?.fields.description).toBe(description);
      expect(stored?.fields.lessons).toBe(lessons);
    } finally {
      await server.kill();
    }
  });
});

describe('another process holding the write lock (finding 8)', () => {
  let db: string;
  let server: ServerProcess;
  let library: string;
  let token: string;

  beforeAll(async () => {
    db = await freshStoreTarget('casebook.db');
    ({ library, token } = prepareStore(db));
    // Postgres waits for a row lock without blocking the loop; it gives up after lock_timeout.
    server = await startServer(db, { CASEBOOK_PG_LOCK_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await server?.kill();
  });

  const push = (body: unknown) =>
    fetch(`${server.url}/api/v1/libraries/${library}/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const pullAll = async () =>
    (await (await fetch(`${server.url}/api/v1/libraries/${library}/sync/pull?since=0&limit=1000`, { headers: { authorization: `Bearer ${token}` } })).json()) as PullResponse;
  const titled = (pull: PullResponse, title: string) => pull.changes.filter((change) => change.type === 'case' && change.fields.title === title);

  /**
   * Holds the write lock from another connection, as a long `casebook import` or a second
   * service process would: SQLite's database write lock, or the library's row on Postgres.
   */
  async function holdWriteLock(): Promise<() => Promise<void>> {
    if (TEST_STORE === 'sqlite') {
      const other = new SQLite(db);
      other.exec('BEGIN IMMEDIATE');
      return async () => {
        other.exec('ROLLBACK');
        other.close();
      };
    }
    const other = new pg.Client({ connectionString: db });
    await other.connect();
    await other.query('BEGIN');
    await other.query('SELECT id FROM libraries WHERE id = $1 FOR UPDATE', [library]);
    return async () => {
      await other.query('ROLLBACK');
      await other.end();
    };
  }

  it('answers 503 with Retry-After while locked, keeps /health fast, and applies the retried push exactly once', async () => {
    const caseId = newId();
    const batch = { clientId: 'laptop', mutations: [{ mid: 1, type: 'case', id: caseId, op: 'put', fields: { title: 'Written during an import' } }] };
    const release = await holdWriteLock();
    let released = false;
    try {
      const pushed = push(batch);
      // Others write meanwhile, as a busy community would; every one of them waits too.
      const others = Array.from({ length: 8 }, (_, i) =>
        push({ clientId: `desk-${i}`, mutations: [{ mid: 1, type: 'case', id: newId(), op: 'put', fields: { title: `Queued ${i}` } }] }),
      );
      // The event loop stays free while the pushes wait for the lock (it blocked for 5 s before).
      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
        latencies.push(performance.now() - started);
      }
      const reply = await pushed;
      expect(reply.status).toBe(503);
      expect((await Promise.all(others)).map((other) => other.status)).toEqual(Array(8).fill(503));
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await reply.json()).toMatchObject({ error: { code: 'busy', message: expect.stringMatching(/busy.*nothing was saved/i) } });
      expect(Math.max(...latencies)).toBeLessThan(2000);
      // Reads go on while the lock is held, and the refused push left nothing.
      expect(titled(await pullAll(), 'Written during an import')).toHaveLength(0);
      await release();
      released = true;
    } finally {
      if (!released) await release();
    }

    // The client retries after Retry-After: applied once, and a resend replays the outcome.
    const retried = (await (await push(batch)).json()) as PushResponse;
    expect(retried.results[0]).toMatchObject({ id: caseId, status: 'applied' });
    const again = (await (await push(batch)).json()) as PushResponse;
    expect(again.results[0]?.version).toBe(retried.results[0]?.version);
    expect(titled(await pullAll(), 'Written during an import')).toHaveLength(1);
  });

  it('waits out a short lock on its own, without the client noticing, and writes once', async () => {
    const batch = { clientId: 'laptop-2', mutations: [{ mid: 1, type: 'case', id: newId(), op: 'put', fields: { title: 'Written after a short lock' } }] };
    const release = await holdWriteLock();
    const pushed = push(batch);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await release();
    const reply = await pushed;
    // Either the server's retry saw the lock go, or (on a slow machine) it gave up: never a 500.
    expect([200, 503]).toContain(reply.status);
    if (reply.status === 503) expect((await (await push(batch)).json()).results[0].status).toBe('applied');
    expect(titled(await pullAll(), 'Written after a short lock')).toHaveLength(1);
  });

  it('shows a web form a 503 page with Retry-After while locked, and saves nothing', async () => {
    const client = new Client({
      request: (path: string, init?: RequestInit) => fetch(new URL(path, server.url), { ...init, redirect: 'manual' }),
    } as unknown as ConstructorParameters<typeof Client>[0]);
    expect((await client.signIn('lee@example.org', PASSWORD)).status).toBe(303);
    const form = await client.page(`/l/${library}/cases`);
    const hidden = hiddenFields(form.html);
    const release = await holdWriteLock();
    let reply: Response;
    try {
      reply = await client.request(`/l/${library}/cases`, { method: 'POST', form: { ...hidden, title: 'Made on the web during an import' } });
    } finally {
      await release();
    }
    expect(reply.status).toBe(503);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(reply.headers.get('content-type')).toMatch(/text\/html/);
    expect(await reply.text()).toMatch(/busy.*nothing was saved/i);
    expect(titled(await pullAll(), 'Made on the web during an import')).toHaveLength(0);
    const again = await client.request(`/l/${library}/cases`, { method: 'POST', form: { ...hidden, title: 'Made on the web during an import' } });
    expect(again.status).toBe(303);
    expect(titled(await pullAll(), 'Made on the web during an import')).toHaveLength(1);
  });
});

describe('a full store (finding 8)', () => {
  let server: ServerType;
  let base: string;
  let world: Awaited<ReturnType<typeof makeWorld>>;

  beforeAll(async () => {
    world = await makeWorld();
    const app = createApp({ store: world.store });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await world?.store.close();
  });

  /** Makes the store refuse to grow, as a full disk does: a real SQLITE_FULL or SQLSTATE 53100. */
  async function fillStore(): Promise<() => Promise<void>> {
    const { db } = world.store;
    if (TEST_STORE === 'sqlite') {
      const pages = Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0]!.page_count);
      await sql.raw(`PRAGMA max_page_count = ${pages}`).execute(db);
      return async () => {
        await sql.raw('PRAGMA max_page_count = 1073741823').execute(db);
      };
    }
    await sql.raw(`CREATE FUNCTION disk_is_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$`).execute(db);
    await sql.raw('CREATE TRIGGER disk_is_full BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION disk_is_full()').execute(db);
    return async () => {
      await sql.raw('DROP TRIGGER disk_is_full ON cases').execute(db);
    };
  }

  it('answers a clear 503, keeps nothing of the batch, and takes the same push once there is room', async () => {
    const noise = () => Array.from({ length: 2_000 }, () => Math.random().toString(36).slice(2, 12)).join(' ');
    const ids = [newId(), newId()];
    const batch = {
      clientId: 'full-disk',
      mutations: ids.map((id, i) => ({ mid: i + 1, type: 'case', id, op: 'put', fields: { title: `Case ${i} on a full disk`, description: noise() } })),
    };
    const url = `${base}/api/v1/libraries/${world.libA.id}/sync/push`;
    const send = () => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${world.member.token}`, 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    const before = await world.pull(world.member);

    const makeRoom = await fillStore();
    let reply: Response;
    try {
      reply = await send();
    } finally {
      await makeRoom();
    }
    expect(reply.status).toBe(503);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await reply.json()).toMatchObject({ error: { code: 'store_full', message: expect.stringMatching(/disk is full.*nothing was saved/i) } });
    const during = await world.pull(world.member);
    expect(during.body.version).toBe(before.body.version);
    expect(during.body.changes.filter((change: { id: string }) => ids.includes(change.id))).toHaveLength(0);

    const retried = (await (await send()).json()) as PushResponse;
    expect(retried.results.map((result) => result.status)).toEqual(['applied', 'applied']);
    const after = await world.pull(world.member);
    expect(after.body.changes.filter((change: { id: string }) => ids.includes(change.id))).toHaveLength(2);
  });
});
