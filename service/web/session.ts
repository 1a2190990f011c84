// Middleware of the web library: who is signed in (cookie session) and which library a page belongs to.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../http/errors.ts';
import { getLibrary, getUser, librariesOf, membershipRole } from '../repos/accounts.ts';
import { cookieOptions } from './cookies.ts';
import type { WebEnv } from './env.ts';
import { createSession, endSession, findSession, SESSION_DAYS, setSessionLibrary } from '../repos/sessions.ts';

export const SESSION_COOKIE = 'cb_session';

/** Reads the session cookie; pages decide themselves whether they need someone signed in. */
export const loadSession = createMiddleware<WebEnv>(async (c, next) => {
  const secret = getCookie(c, SESSION_COOKIE);
  if (secret) {
    const { db } = c.get('services');
    const session = await findSession(db, secret);
    const user = session && (await getUser(db, session.userId));
    if (session && user) {
      c.set('session', session);
      c.set('user', user);
    } else {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
    }
  }
  await next();
});

export function signedIn(c: Context<WebEnv>): boolean {
  return c.get('session') !== undefined;
}

/** Pages for members only: anyone else is sent to sign in and comes back afterwards. */
export const requireSignedIn = createMiddleware<WebEnv>(async (c, next) => {
  if (!signedIn(c)) {
    const url = new URL(c.req.url);
    const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
    return c.redirect(`/signin${back}`, 303);
  }
  await next();
});

/**
 * Scopes a /l/:lib page to one library: someone who is not a member gets the same 404 as for a
 * library that does not exist (the library owns its data; its existence is not revealed).
 */
export const requireMember = createMiddleware<WebEnv>(async (c, next) => {
  const libraryId = c.req.param('lib') ?? '';
  const { db } = c.get('services');
  const session = c.get('session');
  const role = await membershipRole(db, libraryId, session.userId);
  const library = role ? await getLibrary(db, libraryId) : undefined;
  if (!role || !library) throw new ApiError(404, 'not_found', 'There is no such library, or you are not one of its members.');
  c.set('libraryId', libraryId);
  c.set('role', role);
  c.set('library', { id: library.id, name: library.name, version: Number(library.version) });
  c.set('libraries', await librariesOf(db, session.userId));
  // The home page after sign-in is the library the member last worked in.
  if (session.libraryId !== libraryId) {
    await setSessionLibrary(db, session.id, libraryId);
    session.libraryId = libraryId;
  }
  await next();
});

export async function startSession(c: Context<WebEnv>, userId: string): Promise<void> {
  const { db } = c.get('services');
  const libraries = await librariesOf(db, userId);
  const { secret } = await createSession(db, userId, libraries[0]?.id ?? null);
  setCookie(c, SESSION_COOKIE, secret, cookieOptions(c, SESSION_DAYS * 86_400));
}

export async function stopSession(c: Context<WebEnv>): Promise<void> {
  const secret = getCookie(c, SESSION_COOKIE);
  if (secret) await endSession(c.get('services').db, secret);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
