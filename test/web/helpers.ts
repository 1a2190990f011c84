// In-process helpers of the web-library tests: a demo store on SQLite :memory:, the app, and a
// signed-in browser-like client that keeps cookies and reads CSRF tokens from forms.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { openStore, type Store } from '../../service/db/connect.ts';
import { createApp } from '../../service/app.ts';
import { createDemoLibrary, type DemoLibrary } from '../../service/demo/create.ts';
import { WORLD_PASSWORD } from '../helpers/world.ts';

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

/** The one-time form token a create form carries (service/web/form-token.ts), sent back as a browser does. */
export const formTokenOf = (html: string): Record<string, string> => {
  const token = /name="_form" value="([^"]+)"/.exec(html)?.[1];
  return token ? { _form: token } : {};
};

/** What a posted form answered, its body read once (text() gives it again). */
export interface Posted {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
  text: () => Promise<string>;
}

export class Client {
  cookies = new Map<string, string>();
  /**
   * With `base`, requests go over HTTP to that server; without, through app.request, from the
   * socket address `address` when given (what the rate limits count).
   */
  constructor(
    private readonly app: Pick<WebWorld['app'], 'request'>,
    private readonly base?: string,
    readonly address?: string,
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
    const socket = this.address ? { incoming: { socket: { remoteAddress: this.address } } } : undefined;
    const response = this.base ? await fetch(`${this.base}${path}`, { ...request, redirect: 'manual' }) : await this.app.request(path, request, socket);
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

  async signIn(email: string, password: string = WORLD_PASSWORD, next = '/'): Promise<Response> {
    const form = await this.page('/signin');
    return this.request('/signin', { method: 'POST', form: { _csrf: csrfOf(form.html), email, password, next } });
  }

  /** Posts a form the way a person does: opens the page for its CSRF and form tokens first. */
  async submit(pagePath: string, action: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Posted> {
    const page = await this.page(pagePath);
    const response = await this.request(action, { method: 'POST', form: { _csrf: csrfOf(page.html), ...formTokenOf(page.html), ...form }, headers });
    const html = await response.text();
    return { status: response.status, html, location: response.headers.get('location'), headers: response.headers, text: async () => html };
  }
}

/** A browser of the web library talking through app.request, from its own socket address if given. */
export class Browser extends Client {
  constructor(app: Pick<WebWorld['app'], 'request'>, address?: string) {
    super(app, undefined, address);
  }
}

export async function signedIn(world: WebWorld, base?: string): Promise<Client> {
  const client = new Client(world.app, base);
  const response = await client.signIn(world.demo.admin.email, world.demo.admin.password!);
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
  return client;
}
