// In-process helpers of the web-library tests: a demo store on SQLite :memory:, the app, and a
// signed-in browser-like client that keeps cookies and reads CSRF tokens from forms.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { openStore, type Store } from '../../service/db/connect.ts';
import { createApp } from '../../service/app.ts';
import { createDemoLibrary, type DemoLibrary } from '../../service/demo/create.ts';

export interface WebWorld {
  store: Store;
  app: ReturnType<typeof createApp>;
  demo: DemoLibrary;
}

export async function webWorld(config: Parameters<typeof createApp>[0]['config'] = {}): Promise<WebWorld> {
  const store = await openStore(':memory:');
  const demo = await createDemoLibrary(store);
  return { store, app: createApp({ store, config }), demo };
}

/** The world's app listening on 127.0.0.1 (a real HTTP server, as a browser meets it). */
export async function listen(world: WebWorld): Promise<{ base: string; close: () => Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: world.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

export class Client {
  cookies = new Map<string, string>();
  /** With `base`, requests go over HTTP to that server; without, through app.request. */
  constructor(
    private readonly app: WebWorld['app'],
    private readonly base?: string,
  ) {}

  async request(path: string, init: RequestInit & { form?: Record<string, string | string[]> } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    let body = init.body;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(init.form)) for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
      body = params.toString();
      headers.set('content-type', 'application/x-www-form-urlencoded');
    }
    const request = { ...init, headers, ...(body !== undefined ? { body } : {}) };
    const response = this.base ? await fetch(`${this.base}${path}`, { ...request, redirect: 'manual' }) : await this.app.request(path, request);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name!);
      else this.cookies.set(name!, value ?? '');
    }
    return response;
  }

  async page(path: string): Promise<{ status: number; html: string; response: Response }> {
    const response = await this.request(path);
    return { status: response.status, html: await response.text(), response };
  }

  async signIn(email: string, password: string): Promise<Response> {
    const form = await this.page('/signin');
    return this.request('/signin', { method: 'POST', form: { _csrf: csrfOf(form.html), email, password, next: '/' } });
  }
}

export async function signedIn(world: WebWorld, base?: string): Promise<Client> {
  const client = new Client(world.app, base);
  const response = await client.signIn(world.demo.admin.email, world.demo.admin.password!);
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
  return client;
}
