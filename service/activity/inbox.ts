// A member's inbox ("For me"): the activity that concerns them by rule, one small query per
// kind, each read in a version window (library_id, version index) and checked in code.
import type { Role } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import { rowToObject, type StoredObject } from '../repos/objects.ts';
import { INBOX_KINDS, settingsOf, type InboxKind } from './settings.ts';
import { describe, MAX_PAGE, type ActivityEvent } from './stream.ts';
import { Related } from './tell.ts';


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
 * The rules, keyed by kind: each returns the member's objects of that kind in the window, newest
 * first. A JSON field holding the member's id is found with LIKE first (the same on SQLite and
 * PostgreSQL) and confirmed on the parsed fields.
 */
const RULES: Record<InboxKind, (db: Db, w: Window) => Promise<StoredObject[]>> = {
  async mention(db, w) {
    const rows = await db
      .selectFrom('comments')
      .selectAll()
      .where('library_id', '=', w.libraryId)
      .where('deleted', '=', 0)
      .where('version', '>', w.after)
      .where('version', '<', w.before)
      .where('created_by', '!=', w.userId)
      .where('data', 'like', `%${w.userId}%`)
      .orderBy('version', 'desc')
      .limit(w.limit * 4)
      .execute();
    return rows.map((row) => rowToObject('comment', row)).filter((comment) => has(comment.fields.mentions, w.userId));
  },
  async reply(db, w) {
    const rows = await db
      .selectFrom('replies')
      .innerJoin('questions', 'questions.id', 'replies.question_id')
      .selectAll('replies')
      .where('replies.library_id', '=', w.libraryId)
      .where('replies.deleted', '=', 0)
      .where('replies.version', '>', w.after)
      .where('replies.version', '<', w.before)
      .where('replies.created_by', '!=', w.userId)
      .where('questions.created_by', '=', w.userId)
      .where('questions.deleted', '=', 0)
      .orderBy('replies.version', 'desc')
      .limit(w.limit)
      .execute();
    return rows.map((row) => rowToObject('reply', row));
  },
  async comment(db, w) {
    const rows = await db
      .selectFrom('comments')
      .innerJoin('clips', 'clips.id', 'comments.target_id')
      .selectAll('comments')
      .where('comments.library_id', '=', w.libraryId)
      .where('comments.target_type', '=', 'clip')
      .where('comments.deleted', '=', 0)
      .where('comments.version', '>', w.after)
      .where('comments.version', '<', w.before)
      .where('comments.created_by', '!=', w.userId)
      .where('clips.captured_by', '=', w.userId)
      .where('clips.deleted', '=', 0)
      .orderBy('comments.version', 'desc')
      .limit(w.limit)
      .execute();
    return rows.map((row) => rowToObject('comment', row));
  },
  async subgroup(db, w) {
    const caseRows = await db.selectFrom('cases').selectAll().where('library_id', '=', w.libraryId).where('deleted', '=', 0).where('data', 'like', `%${w.userId}%`).execute();
    const mine = caseRows.map((row) => rowToObject('case', row)).filter((item) => has(item.fields.members, w.userId)).map((item) => item.id);
    if (!mine.length) return [];
    const rows = await db
      .selectFrom('clips')
      .selectAll()
      .where('library_id', '=', w.libraryId)
      .where('deleted', '=', 0)
      .where('version', '>', w.after)
      .where('version', '<', w.before)
      .where('updated_by', '!=', w.userId)
      // EXISTS, not IN: the clips are walked newest first by (library_id, version) and each is
      // checked by clip_cases' primary key; an IN list of every clip of the cases reads them all.
      .where((eb) => eb.exists(eb.selectFrom('clip_cases').select('clip_cases.clip_id').whereRef('clip_cases.clip_id', '=', 'clips.id').where('clip_cases.case_id', 'in', mine)))
      .orderBy('version', 'desc')
      .limit(w.limit)
      .execute();
    return rows.map((row) => rowToObject('clip', row));
  },
  async addressed(db, w) {
    const rows = await db
      .selectFrom('questions')
      .selectAll()
      .where('library_id', '=', w.libraryId)
      .where('deleted', '=', 0)
      .where('version', '>', w.after)
      .where('version', '<', w.before)
      .where('created_by', '!=', w.userId)
      .where('data', 'like', `%${w.userId}%`)
      .orderBy('version', 'desc')
      .limit(w.limit)
      .execute();
    return rows.map((row) => rowToObject('question', row)).filter((question) => has(question.fields.addressedTo, w.userId));
  },
};

export interface InboxItem extends ActivityEvent {
  kind: InboxKind;
  unread: boolean;
}

export interface InboxPage {
  items: InboxItem[];
  unread: number;
  readVersion: number;
  next?: number;
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
