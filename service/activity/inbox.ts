// A member's inbox ("For me"): the activity that concerns them by rule, one small query per
// kind, each read in a version window (library_id, version index) and checked in code.
import type { Role } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import { casesNaming, objectsInWindow } from '../repos/activity.ts';
import type { StoredObject } from '../repos/objects.ts';
import { INBOX_KINDS, settingsOf, type InboxKind } from './settings.ts';
import { describe, MAX_PAGE, type ActivityEvent } from './stream.ts';
import { Related } from './tell.ts';
import type { InboxItem as ApiInboxItem, InboxPage as ApiInboxPage } from '../../shared/api.ts';

export interface Window {
  libraryId: string;
  userId: string;
  /** Versions above this one (the read marker, for the unread count). */
  after: number;
  /** Versions below this one (the page cursor). */
  before: number;
  limit: number;
}

const has = (value: unknown, id: string) => Array.isArray(value) && value.includes(id);

/**
 * The rules, keyed by kind: each reads the member's objects of that kind in the window, newest
 * first (one parameterised query, repos/activity.ts). A JSON field holding the member's id is
 * found with LIKE first (the same on SQLite and PostgreSQL) and confirmed on the parsed fields.
 */
const RULES: Record<InboxKind, (db: Db, w: Window) => Promise<StoredObject[]>> = {
  async mention(db, w) {
    const comments = await objectsInWindow(db, 'comment', { ...scope(w), limit: w.limit * 4, notBy: { column: 'created_by', userId: w.userId }, naming: w.userId });
    return comments.filter((comment) => has(comment.fields.mentions, w.userId));
  },
  reply: (db, w) => objectsInWindow(db, 'reply', { ...scope(w), notBy: { column: 'created_by', userId: w.userId }, repliesToQuestionsOf: w.userId }),
  comment: (db, w) => objectsInWindow(db, 'comment', { ...scope(w), notBy: { column: 'created_by', userId: w.userId }, targetType: 'clip', onClipsCapturedBy: w.userId }),
  async subgroup(db, w) {
    const mine = (await casesNaming(db, w.libraryId, w.userId)).filter((item) => has(item.fields.members, w.userId)).map((item) => item.id);
    if (!mine.length) return [];
    return objectsInWindow(db, 'clip', { ...scope(w), notBy: { column: 'updated_by', userId: w.userId }, clipsIn: { cases: mine } });
  },
  async addressed(db, w) {
    const questions = await objectsInWindow(db, 'question', { ...scope(w), notBy: { column: 'created_by', userId: w.userId }, naming: w.userId });
    return questions.filter((question) => has(question.fields.addressedTo, w.userId));
  },
};

const scope = (w: Window) => ({ libraryId: w.libraryId, after: w.after, before: w.before, limit: w.limit });

/** The API's inbox item (shared/api.ts), its kind narrowed to the rules here. */
export interface InboxItem extends ApiInboxItem {
  kind: InboxKind;
}

export interface InboxPage extends Omit<ApiInboxPage, 'items'> {
  items: InboxItem[];
}

async function collect(db: Db, w: Window, kinds: readonly InboxKind[]): Promise<Array<{ kind: InboxKind; object: StoredObject }>> {
  const found = new Map<string, { kind: InboxKind; object: StoredObject }>();
  const results = await Promise.all(kinds.map(async (kind) => ({ kind, objects: await RULES[kind](db, w) })));
  // One line per object: the first kind in INBOX_KINDS order names it (a mention beats "on your clip").
  for (const { kind, objects } of results) {
    for (const object of objects) if (!found.has(`${object.type}:${object.id}`)) found.set(`${object.type}:${object.id}`, { kind, object });
  }
  return [...found.values()].sort((a, b) => b.object.version - a.object.version);
}

/** Items of the member's inbox, newest first, as the member may see them now. */
export async function inboxItems(db: Db, libraryId: string, userId: string, role: Role, options: { after?: number; before?: number; limit?: number; kinds?: readonly InboxKind[] } = {}): Promise<InboxItem[]> {
  const settings = await settingsOf(db, libraryId, userId);
  const limit = Math.max(1, Math.min(MAX_PAGE, options.limit ?? 50));
  const w: Window = { libraryId, userId, after: options.after ?? 0, before: options.before ?? Number.MAX_SAFE_INTEGER, limit };
  const picked = (await collect(db, w, options.kinds ?? settings.inboxKinds)).slice(0, limit);
  const kindOf = new Map(picked.map(({ kind, object }) => [object.id, kind]));
  const events = await describe(db, libraryId, role, picked.map(({ object }) => object), new Related(db, libraryId));
  return events.map((event) => ({ ...event, kind: kindOf.get(event.id)!, unread: event.version > settings.readVersion }));
}

/** Unread items counted up to a cap (the header shows "99+"). */
export async function unreadCount(db: Db, libraryId: string, userId: string, role: Role, cap = 99): Promise<number> {
  const settings = await settingsOf(db, libraryId, userId);
  const items = await inboxItems(db, libraryId, userId, role, { after: settings.readVersion, limit: Math.min(MAX_PAGE, cap + 1) });
  return items.length;
}

export async function inboxPage(db: Db, libraryId: string, userId: string, role: Role, options: { before?: number; limit?: number }): Promise<InboxPage> {
  const settings = await settingsOf(db, libraryId, userId);
  const items = await inboxItems(db, libraryId, userId, role, options);
  const limit = Math.max(1, Math.min(MAX_PAGE, options.limit ?? 50));
  const last = items[items.length - 1];
  return {
    items,
    unread: await unreadCount(db, libraryId, userId, role),
    readVersion: settings.readVersion,
    ...(items.length === limit && last ? { next: last.version } : {}),
  };
}

export { INBOX_KINDS };
