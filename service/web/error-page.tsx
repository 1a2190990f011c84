/** @jsxImportSource hono/jsx */
// Errors on web pages are shown as pages (the API answers JSON): 404 for another library's
// objects, 403 for a stale form, 429 for too many sign-in attempts, 413 for an oversized form,
// 503 when the store is busy with another process's write or its disk is full.
import type { Context } from 'hono';
import { handleError, knownError } from '../http/errors.ts';
import type { WebEnv } from './env.ts';
import { chromeOf, sendPage } from './layout.tsx';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Not found',
  410: 'Gone',
  413: 'Too large',
  429: 'Too many attempts',
  503: 'Try again in a moment',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- also called from the app's own middleware, before the web router
export async function errorPage(error: Error, c: Context<WebEnv> | Context<any>) {
  const known = knownError(error);
  if (!known) return handleError(error, c);
  for (const [name, value] of Object.entries(known.headers)) c.header(name, value);
  // Also for errors raised before the web router (body limit), which sets it for its own pages.
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  const title = TITLES[known.status] ?? 'Something went wrong';
  return sendPage(
    c,
    chromeOf(c),
    title,
    <div class="card">
      <h1>{title}</h1>
      <p>{known.message}</p>
      <p>
        <a href="/">Go to your library</a>
      </p>
    </div>,
    known.status,
  );
}
