// Cookie attributes of the web library: HttpOnly, SameSite=Lax, and Secure whenever the browser
// talks https: the public URL is https, the connection is TLS, or a trusted proxy
// (CASEBOOK_TRUST_PROXY) says it terminated TLS with X-Forwarded-Proto: https.
import type { Context } from 'hono';
import type { CookieOptions } from 'hono/utils/cookie';
import { cameOverTls } from '../http/client.ts';

export function cookieOptions(c: Context, maxAgeSeconds: number): CookieOptions {
  const publicUrl = (c.get('services') as { config: { publicUrl?: string } }).config.publicUrl ?? '';
  const secure = publicUrl.startsWith('https:') || cameOverTls(c);
  return { httpOnly: true, sameSite: 'Lax', secure, path: '/', maxAge: maxAgeSeconds };
}
