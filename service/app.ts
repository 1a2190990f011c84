// The service as a factory: createApp({ store, config }) builds the Hono app on a given store so
// that tests run it on a fresh database (DESIGN.md "Layout").
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Store } from './db/store.ts';
import { requireLibrary, requireToken } from './http/auth.ts';
import { DEFAULT_CONFIG, type AppConfig, type AppEnv, type Services } from './http/env.ts';
import { errorResponse, handleError, MAX_BODY_BYTES, tooLarge } from './http/errors.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { accountRoutes } from './routes/account.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { libraryRoutes } from './routes/library.ts';
import { holdingsRoutes } from './routes/holdings.ts';
import { linkRoutes } from './routes/links.ts';
import { syncRoutes } from './routes/sync.ts';
import { exportRoutes } from './routes/export.ts';
import { openapiRoutes } from './routes/openapi.ts';
import { activityRoutes } from './routes/activity.ts';
import { startDigestTimer } from './digest/run.ts';
import { errorPage } from './web/error-page.tsx';
import { MAX_FORM_BYTES } from './web/forms.ts';
import { webRoutes } from './web/routes.ts';

export interface CreateAppOptions {
  store: Store;
  config?: Partial<AppConfig>;
}

/** Sign-in links carry their secret in the path: never let one reach a log. */
export function redactSecrets(path: string): string {
  return path.replace(/\b(cb[a-z])_[A-Za-z0-9_-]+/g, '$1_…');
}

/** Extension pages are the only cross-origin callers the API answers (issue 2, item 8). */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[a-z0-9.-]+$/i;

/** The API answers JSON, everything else is a page of the web library. */
const isApi = (c: Context) => c.req.path.startsWith('/api/');

export function createApp(options: CreateAppOptions) {
  const config: AppConfig = { ...DEFAULT_CONFIG, ...options.config };
  // A serving process never waits seconds on its event loop for another process's write lock.
  options.store.useServingBusyTimeout();
  const services: Services = {
    store: options.store,
    db: options.store.db,
    config,
    limits: {
      signin: new RateLimiter(config.signinPerMinute, 60_000),
      api: new RateLimiter(config.requestsPerMinute, 60_000),
    },
  };
  startDigestTimer(services, config.digestEveryMs);

  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.use('*', async (c, next) => {
    c.set('services', services);
    const started = performance.now();
    await next();
    // Path and status only: query strings may hold search words, headers hold tokens.
    if (config.log) console.log(`${c.req.method} ${redactSecrets(c.req.path)} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`);
  });
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-site', referrerPolicy: 'no-referrer' }));
  app.use(
    '/api/*',
    cors({
      origin: (origin) => (EXTENSION_ORIGIN.test(origin) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type'],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );
  // A clip's files bound their own bodies (per role, streamed): before the 1 MiB limit below.
  app.route('/api/v1/libraries/:lib/attachments', attachmentRoutes);
  // Every body, anonymous or not, is bounded before anything reads it: a declared length above
  // the bound is refused unread, a chunked body is counted as it streams and refused as soon as
  // it passes the bound (issue 9, finding 4). JSON bodies of the API and forms of the web library
  // have their own bounds; routes may bound tighter (push).
  const apiBodyLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => handleError(tooLarge(MAX_BODY_BYTES), c) });
  const formBodyLimit = bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => errorPage(tooLarge(MAX_FORM_BYTES), c) });
  app.use('*', (c, next) => (isApi(c) ? apiBodyLimit(c, next) : formBodyLimit(c, next)));

  app.route('/api/v1', accountRoutes);
  app.route('/api/v1', openapiRoutes);
  app.use('/api/v1/libraries/:lib/*', requireToken, requireLibrary);
  app.route('/api/v1/libraries/:lib/sync', syncRoutes);
  app.route('/api/v1/libraries/:lib', libraryRoutes);
  app.route('/api/v1/libraries/:lib', holdingsRoutes);
  app.route('/api/v1/libraries/:lib', linkRoutes);
  app.route('/api/v1/libraries/:lib', exportRoutes);
  app.route('/', activityRoutes);
  // The web library (issue 5): server-rendered pages behind a cookie session, after the API.
  app.route('/', webRoutes());
  return app;
}

export type CasebookApp = ReturnType<typeof createApp>;
