// CSRF defence for every form POST: a secret token in the form that a third-party page cannot read,
// plus an Origin check. Signed-in forms use the session's token; the sign-in forms use a
// double-submit cookie because there is no session yet.
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { ApiError } from '../http/errors.ts';
import { newSecret } from '../auth/secrets.ts';
import { cookieOptions } from './cookies.ts';

export const CSRF_FIELD = '_csrf';
const PRE_SESSION_COOKIE = 'cb_csrf';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

const forbidden = () => new ApiError(403, 'csrf', 'This form has expired or came from another site. Go back, reload the page and send it again.');

/** Browsers send Origin on POSTs; when present it must be this service (belt to the token's braces). */
function checkOrigin(c: Context): void {
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return;
  const here = new URL(c.req.url);
  const host = c.req.header('host') ?? here.host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden();
  }
  const publicHost = (c.get('services') as { config: { publicUrl?: string } }).config.publicUrl;
  const allowed = new Set([host, here.host]);
  if (publicHost) allowed.add(new URL(publicHost).host);
  if (!allowed.has(originHost)) throw forbidden();
}

export function verifySessionCsrf(c: Context, expected: string, sent: unknown): void {
  checkOrigin(c);
  if (typeof sent !== 'string' || !same(sent, expected)) throw forbidden();
}

/** The token of the pre-session cookie, set when missing (sign-in pages). */
export function preSessionToken(c: Context): string {
  const existing = getCookie(c, PRE_SESSION_COOKIE);
  if (existing && /^csrf_[A-Za-z0-9_-]{20,}$/.test(existing)) return existing;
  const token = newSecret('csrf');
  setCookie(c, PRE_SESSION_COOKIE, token, cookieOptions(c, 60 * 60 * 12));
  return token;
}

export function verifyPreSessionCsrf(c: Context, sent: unknown): void {
  checkOrigin(c);
  const cookie = getCookie(c, PRE_SESSION_COOKIE);
  if (!cookie || typeof sent !== 'string' || !same(sent, cookie)) throw forbidden();
}
