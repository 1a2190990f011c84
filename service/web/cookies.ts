// Cookie attributes of the web library: HttpOnly, SameSite=Lax, Secure when served over https.
import type { Context } from 'hono';
import type { CookieOptions } from 'hono/utils/cookie';

export function cookieOptions(c: Context, maxAgeSeconds: number): CookieOptions {
  const publicUrl = (c.get('services') as { config: { publicUrl?: string } }).config.publicUrl ?? '';
  const secure = publicUrl.startsWith('https:') || new URL(c.req.url).protocol === 'https:';
  return { httpOnly: true, sameSite: 'Lax', secure, path: '/', maxAge: maxAgeSeconds };
}
