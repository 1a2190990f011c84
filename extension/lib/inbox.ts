// The signed-in member's unread inbox count for the chosen library (issue 15, item 5), asked of
// the service when a page wants it. Quiet by design: signed out, offline, a refusal or an answer
// of the wrong shape all give "nothing to show", never an error a person would have to read.
import type { Session } from './settings.ts';

/** What the popup and the side panel show: a count and the web inbox it links to, or nothing. */
export interface UnreadInbox {
  /** Unread items; the service counts up to 100 (shown as "99+"). Null: nothing to show. */
  unread: number | null;
  /** The web library's inbox page, e.g. https://casebook.example/l/<library>/inbox. */
  inboxUrl: string | null;
}

const NOTHING: UnreadInbox = { unread: null, inboxUrl: null };
/** A popup must not wait on a slow service: after this the count is simply not shown. */
const TIMEOUT_MS = 5_000;
/** The largest answer read: the route answers a few hundred bytes for limit=1. */
const MAX_BYTES = 256 * 1024;

/** "3 unread", "99+ unread": the words the pages show for a count above 0. */
export function unreadLabel(unread: number): string {
  return `${unread > 99 ? '99+' : unread} unread`;
}

/** The count read from GET /api/v1/me/inbox?library=…&limit=1, or null when the answer is not one. */
export function unreadOf(body: unknown, libraryId: string): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const libraries = (body as { libraries?: unknown }).libraries;
  if (!Array.isArray(libraries)) return null;
  const entry: unknown = libraries.find((l: unknown) => typeof l === 'object' && l !== null && (l as { id?: unknown }).id === libraryId);
  const unread = (entry as { unread?: unknown } | undefined)?.unread;
  return typeof unread === 'number' && Number.isInteger(unread) && unread >= 0 ? unread : null;
}

export async function unreadInbox(
  session: Session | null,
  // Wrapped: a bare `fetch` called as a method throws "Illegal invocation" in a worker.
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<UnreadInbox> {
  if (!session?.libraryId) return NOTHING;
  const libraryId = session.libraryId;
  let inboxUrl: string;
  let apiUrl: string;
  try {
    inboxUrl = new URL(`/l/${encodeURIComponent(libraryId)}/inbox`, session.serverUrl).href;
    apiUrl = new URL(`/api/v1/me/inbox?library=${encodeURIComponent(libraryId)}&limit=1`, session.serverUrl).href;
  } catch {
    return NOTHING;
  }
  try {
    const response = await fetchImpl(apiUrl, {
      headers: { accept: 'application/json', authorization: `Bearer ${session.token}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) return NOTHING;
    const text = await response.text();
    if (text.length > MAX_BYTES) return NOTHING;
    const unread = unreadOf(JSON.parse(text), libraryId);
    return unread === null ? NOTHING : { unread, inboxUrl };
  } catch {
    return NOTHING;
  }
}
