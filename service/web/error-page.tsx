/** @jsxImportSource hono/jsx */
// Errors on web pages are shown as pages (the API answers JSON): 404 for another library's
// objects, 403 for a stale form, 429 for too many sign-in attempts.
import type { Context } from 'hono';
import { ApiError, handleError } from '../http/errors.ts';
import type { WebEnv } from './env.ts';
import { chromeOf, sendPage } from './layout.tsx';

const TITLES: Record<number, string> = { 400: 'That did not work', 403: 'Not allowed', 404: 'Not found', 410: 'Gone', 429: 'Too many attempts' };

export async function errorPage(error: Error, c: Context<WebEnv>) {
  if (!(error instanceof ApiError)) return handleError(error, c);
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const title = TITLES[error.status] ?? 'Something went wrong';
  return sendPage(
    c,
    chromeOf(c),
    title,
    <div class="card">
      <h1>{title}</h1>
      <p>{error.message}</p>
      <p>
        <a href="/">Go to your library</a>
      </p>
    </div>,
    error.status,
  );
}
