// The signed-in session kept in storage.local (never storage.sync: a token must not travel
// to the person's other browsers).
import { browser } from 'wxt/browser';
import type { LibraryRef, SessionView, UserRef } from './types.ts';

export interface Session {
  serverUrl: string;
  token: string;
  tokenId: string | null;
  user: UserRef;
  libraries: LibraryRef[];
  libraryId: string | null;
  /** Names this browser's mutations; new at each sign-in so mids restart at 1 (DESIGN.md "Push"). */
  clientId: string;
}

const SESSION_KEY = 'session';
const LAST_SERVER_KEY = 'lastServerUrl';
const LAST_CASES_KEY = 'lastCaseIds';

export async function loadSession(): Promise<Session | null> {
  const stored = await browser.storage.local.get(SESSION_KEY);
  return (stored[SESSION_KEY] as Session | undefined) ?? null;
}

export async function saveSession(session: Session | null): Promise<void> {
  if (session) await browser.storage.local.set({ [SESSION_KEY]: session, [LAST_SERVER_KEY]: session.serverUrl });
  else await browser.storage.local.remove(SESSION_KEY);
}

export async function lastServerUrl(): Promise<string> {
  const stored = await browser.storage.local.get(LAST_SERVER_KEY);
  return (stored[LAST_SERVER_KEY] as string | undefined) ?? '';
}

/** The cases a person clipped into last: the popup offers them first, the shortcut uses them. */
export async function lastCaseIds(): Promise<string[]> {
  const stored = await browser.storage.local.get(LAST_CASES_KEY);
  return (stored[LAST_CASES_KEY] as string[] | undefined) ?? [];
}
export async function rememberCaseIds(ids: string[]): Promise<void> {
  await browser.storage.local.set({ [LAST_CASES_KEY]: ids });
}

export function sessionView(session: Session | null, fallbackServer = ''): SessionView {
  if (!session) return { signedIn: false, serverUrl: fallbackServer, user: null, libraries: [], libraryId: null };
  return {
    signedIn: true, serverUrl: session.serverUrl, user: session.user,
    libraries: session.libraries, libraryId: session.libraryId,
  };
}

/** Normalises what a person types as the server address: scheme added, trailing slash and path dropped. */
export function normaliseServerUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const url = new URL(withScheme);
  return url.origin;
}

/**
 * The host-permission pattern for exactly one origin (the server's, or a company site's asked
 * from the scan panel), port included
 * ("http://127.0.0.1:8787/*"): Chrome matches ports, so the prompt names the one server and not
 * every service on that host (issue 10). Firefox does not accept a port in a match pattern
 * (bug 1362809): there the pattern names the host.
 */
export function originPattern(pageOrServerUrl: string, withPort = !import.meta.env.FIREFOX): string {
  const url = new URL(pageOrServerUrl);
  // url.host carries the port unless it is the scheme's default; url.hostname never does.
  return `${url.protocol}//${withPort ? url.host : url.hostname}/*`;
}

/** The server's origin as a host-permission pattern, asked at sign-in. */
export const serverOriginPattern = (serverUrl: string): string => originPattern(serverUrl);
