// The typed message map between extension pages and the background: every message is declared
// once here, and the background answers each with one entry of a lookup table (STYLE.md).
import { browser } from 'wxt/browser';
import type {
  CapturePreview, ClipSaveRequest, ClipSaveResult, CachedCase, ConflictView, DraftAnswer, ScanView,
  ScanSaveRequest, SessionView, SignInRequest, SiteHoldings, SyncStatus, ScanSaveResult,
} from './types.ts';
import type { UnreadInbox } from './inbox.ts';

/** Request and response of each message the background understands. */
export interface MessageMap {
  'session.get': { req: Record<string, never>; res: SessionView };
  'session.signIn': { req: SignInRequest; res: SessionView };
  'session.signOut': { req: Record<string, never>; res: SessionView };
  'session.chooseLibrary': { req: { libraryId: string }; res: SessionView };
  'capture.preview': { req: { tabId: number }; res: CapturePreview };
  'clip.save': { req: ClipSaveRequest; res: ClipSaveResult };
  'clip.editNote': { req: { clipId: string; note: string }; res: { clipId: string } };
  'cases.list': { req: Record<string, never>; res: { cases: CachedCase[]; lastCaseIds: string[] } };
  'tags.list': { req: Record<string, never>; res: { tags: string[] } };
  'sync.now': { req: Record<string, never>; res: SyncStatus };
  'sync.status': { req: Record<string, never>; res: SyncStatus };
  /** Forgets the changes the service did not accept, once the person has read why. */
  'sync.dismissRejected': { req: Record<string, never>; res: SyncStatus };
  'conflicts.list': { req: Record<string, never>; res: { conflicts: ConflictView[] } };
  'conflicts.resolve': { req: { key: string; keep: 'mine' | 'theirs'; text?: string }; res: { conflicts: ConflictView[] } };
  'scan.load': { req: { tabId: number; refresh?: boolean }; res: ScanView };
  'scan.save': { req: ScanSaveRequest; res: ScanSaveResult };
  'scan.attachEvidence': { req: { evidenceId: string; field: string; current?: DraftAnswer }; res: { field: string; answer: DraftAnswer } };
  'scan.dismissEvidence': { req: { evidenceId: string }; res: { ok: true } };
  'scan.keepAnswers': { req: { site: string; answers: Record<string, DraftAnswer> }; res: { ok: true } };
  'site.holdings': { req: { tabId: number }; res: SiteHoldings };
  /** The member's unread inbox count for the chosen library; never an error (extension/lib/inbox.ts). */
  'inbox.unread': { req: Record<string, never>; res: UnreadInbox };
}

export type MessageType = keyof MessageMap;
export type Request<K extends MessageType> = MessageMap[K]['req'];
export type Response<K extends MessageType> = MessageMap[K]['res'];
export type Message = { [K in MessageType]: { type: K; payload: Request<K> } }[MessageType];

/**
 * A notice the background sends to every open extension page (no answer expected): the page in
 * this tab could just be read, e.g. because a toolbar click granted activeTab. The scan panel,
 * waiting for access to that tab, reads it again by itself (issue 10).
 */
export interface TabReadableNotice { notice: 'tab-readable'; tabId: number }

export function isTabReadableNotice(value: unknown): value is TabReadableNotice {
  return typeof value === 'object' && value !== null && (value as { notice?: unknown }).notice === 'tab-readable'
    && typeof (value as { tabId?: unknown }).tabId === 'number';
}

/** Errors cross the message boundary as data: a thrown Error loses its code on the way. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** An error with a code a page can act on (e.g. 'offline', 'unauthorized', 'no-access'). */
export class CasebookError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'CasebookError';
  }
}

export type Handlers = {
  [K in MessageType]: (payload: Request<K>, sender: { tabId?: number }) => Promise<Response<K>>;
};

/** Sends one message to the background and unwraps its envelope. */
export async function send<K extends MessageType>(type: K, payload: Request<K>): Promise<Response<K>> {
  const envelope = (await browser.runtime.sendMessage({ type, payload })) as Envelope<Response<K>> | undefined;
  if (!envelope) throw new CasebookError('no-background', 'The extension background did not answer. Reload the extension.');
  if (!envelope.ok) throw new CasebookError(envelope.error.code, envelope.error.message);
  return envelope.value;
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Answers one message with the handler table; unknown types and thrown errors become error envelopes. */
export async function dispatch(handlers: Handlers, message: unknown, sender: { tabId?: number }): Promise<Envelope<unknown>> {
  if (!isMessage(message) || !Object.hasOwn(handlers, message.type)) {
    return { ok: false, error: { code: 'unknown-message', message: 'Unknown message type.' } };
  }
  // The table is indexed by the message's own type, so payload and handler agree.
  const handler = handlers[message.type] as (payload: unknown, sender: { tabId?: number }) => Promise<unknown>;
  try {
    return { ok: true, value: await handler(message.payload ?? {}, sender) };
  } catch (error) {
    const code = error instanceof CasebookError ? error.code : 'internal';
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code, message: text } };
  }
}
