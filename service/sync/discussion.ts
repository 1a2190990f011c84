// Who may write what in the discussion objects of issue 14 (questions, replies, comments, common
// issues), applied inside the push transaction after the fields are merged (service/sync/apply.ts).
// Readers never push (routes refuse them); these rules are the ones between members and admins:
// - the asker (or an admin) edits a question; only the question's asker marks a reply helpful;
// - only the author edits or deletes a reply or a comment; only an admin hides a comment;
// - anyone may link a common issue to cases and clips, but supports it only as themself;
// - askedBy and author are the server's: the pusher on creation, kept ever after.
import type { ObjectType } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import { loadObject, type StoredObject } from '../repos/objects.ts';
import { membershipRole } from '../repos/accounts.ts';

export const DISCUSSION_TYPES = ['question', 'reply', 'comment', 'commonIssue'] as const satisfies readonly ObjectType[];
export type DiscussionType = (typeof DISCUSSION_TYPES)[number];

export function isDiscussionType(type: ObjectType): type is DiscussionType {
  return (DISCUSSION_TYPES as readonly string[]).includes(type);
}

export interface RuleContext {
  db: Db;
  libraryId: string;
  userId: string;
  isMember: (userId: string) => Promise<boolean>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const list = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);

async function roleOf(ctx: RuleContext): Promise<string | undefined> {
  return membershipRole(ctx.db, ctx.libraryId, ctx.userId);
}

/** A live-or-tombstoned object of this library, or undefined (another library's is unknown). */
async function inLibrary(ctx: RuleContext, type: ObjectType, id: unknown): Promise<StoredObject | undefined> {
  if (typeof id !== 'string') return undefined;
  const object = await loadObject(ctx.db, type, id);
  return object && object.libraryId === ctx.libraryId ? object : undefined;
}

/**
 * Sets the server-owned fields of a put and checks who may make it; returns why not, or
 * undefined. `fields` is the object after the merge (changed in place for askedBy/author);
 * `before` what was stored (undefined for a new object).
 */
export async function checkDiscussionPut(ctx: RuleContext, type: DiscussionType, before: StoredObject | undefined, fields: Record<string, unknown>): Promise<Denied | undefined> {
  const problem = await putProblem(ctx, type, before, fields);
  if (!problem) return undefined;
  // "field: …" names bad input (400-like); anything else is a permission (403-like).
  return /^[a-zA-Z]+: /.test(problem) && !/^(helpful|hidden|supporters): /.test(problem) ? { code: 'invalid', message: problem } : { code: 'forbidden', message: problem };
}

export interface Denied {
  code: 'invalid' | 'forbidden';
  message: string;
}

function ownerOf(type: DiscussionType, object: StoredObject): unknown {
  return type === 'question' ? object.fields.askedBy : type === 'commonIssue' ? object.createdBy : object.fields.author;
}

async function putProblem(ctx: RuleContext, type: DiscussionType, before: StoredObject | undefined, fields: Record<string, unknown>): Promise<string | undefined> {
  // A tombstone keeps its fields and its owner: bringing it back is an edit like any other.
  const isNew = !before;
  const old = before?.fields ?? {};
  const changedFields = Object.keys(fields).filter((field) => !same(old[field], fields[field]));
  const changed = (field: string) => !isNew && changedFields.includes(field);
  const role = await roleOf(ctx);
  if (!role || role === 'reader') return 'readers may read the discussion, not write it';
  const admin = role === 'admin';
  const me = ctx.userId;
  if (before?.deleted && ownerOf(type, before) !== me && (type === 'comment' || !admin)) return `this ${type} was deleted; only its author brings it back`;

  if (type === 'question') {
    fields.askedBy = isNew ? me : old.askedBy;
    if (!isNew && changedFields.length && old.askedBy !== me && !admin) return 'only the member who asked (or an admin) edits a question';
    if (typeof fields.caseId === 'string' && !(await inLibrary(ctx, 'case', fields.caseId))) return `caseId: no case ${fields.caseId} in this library`;
    for (const id of list(fields.addressedTo)) if (!(await ctx.isMember(String(id)))) return `addressedTo: ${String(id)} is not a member of this library`;
    return undefined;
  }

  if (type === 'reply') {
    fields.author = isNew ? me : old.author;
    if (changed('questionId')) return 'questionId: a reply stays with its question';
    const question = await inLibrary(ctx, 'question', fields.questionId);
    if (!question) return `questionId: no question ${String(fields.questionId)} in this library`;
    const helpfulChanged = isNew ? fields.helpful === true : changed('helpful');
    if (helpfulChanged && question.fields.askedBy !== me) return 'helpful: only the member who asked marks a reply helpful';
    const edits = changedFields.filter((field) => field !== 'helpful' && field !== 'author');
    if (!isNew && edits.length && old.author !== me) return 'only its author edits a reply';
    for (const cited of list(fields.citations) as Array<{ clipId?: unknown }>) {
      if (!(await inLibrary(ctx, 'clip', cited.clipId))) return `citations: no clip ${String(cited.clipId)} in this library`;
    }
    return undefined;
  }

  if (type === 'comment') {
    fields.author = isNew ? me : old.author;
    for (const field of ['targetType', 'targetId', 'parentId']) if (changed(field)) return `${field}: a comment stays where it was written`;
    const hiddenChanged = isNew ? fields.hidden === true : changed('hidden');
    if (hiddenChanged && !admin) return 'hidden: only an admin hides a comment';
    const edits = changedFields.filter((field) => field !== 'hidden' && field !== 'author');
    if (!isNew && edits.length && old.author !== me) return 'only its author edits a comment';
    const targetType = fields.targetType as ObjectType;
    if (!(await inLibrary(ctx, targetType, fields.targetId))) return `targetId: no ${targetType} ${String(fields.targetId)} in this library`;
    if (typeof fields.parentId === 'string') {
      const parent = await inLibrary(ctx, 'comment', fields.parentId);
      if (!parent || parent.fields.targetId !== fields.targetId) return `parentId: no comment ${fields.parentId} on the same ${targetType}`;
    }
    for (const id of list(fields.mentions)) if (!(await ctx.isMember(String(id)))) return `mentions: ${String(id)} is not a member of this library`;
    return undefined;
  }

  // commonIssue
  if (!isNew && (changed('title') || changed('body')) && before!.createdBy !== me && !admin) return 'only the member who proposed it (or an admin) edits a common issue';
  const was = new Set(list(isNew ? [] : old.supporters).map(String));
  const now = new Set(list(fields.supporters).map(String));
  for (const id of [...now].filter((item) => !was.has(item)).concat([...was].filter((item) => !now.has(item)))) {
    if (id !== me) return 'supporters: each member adds or removes only themself';
  }
  for (const id of list(fields.caseIds)) if (!(await inLibrary(ctx, 'case', id))) return `caseIds: no case ${String(id)} in this library`;
  for (const id of list(fields.clipIds)) if (!(await inLibrary(ctx, 'clip', id))) return `clipIds: no clip ${String(id)} in this library`;
  return undefined;
}

/** Who may delete: the asker, author or proposer, or an admin (a comment: its author only; admins hide). */
export async function checkDiscussionDelete(ctx: RuleContext, type: DiscussionType, existing: StoredObject): Promise<Denied | undefined> {
  const role = await roleOf(ctx);
  const deny = (message: string): Denied => ({ code: 'forbidden', message });
  if (!role || role === 'reader') return deny('readers may read the discussion, not write it');
  if (ownerOf(type, existing) === ctx.userId) return undefined;
  if (type === 'comment') return deny('only its author deletes a comment; an admin may hide it');
  return role === 'admin' ? undefined : deny(`only its author (or an admin) deletes a ${type === 'commonIssue' ? 'common issue' : type}`);
}

/**
 * What a pull shows of a hidden comment: its text only to admins and to its author; everyone
 * else gets the comment (its place in the thread) without body or mentions.
 */
export function redactHidden<T extends { type: ObjectType; deleted: boolean; fields: Record<string, unknown> }>(changes: T[], role: string, userId: string): T[] {
  if (role === 'admin') return changes;
  return changes.map((change) =>
    change.type === 'comment' && !change.deleted && change.fields.hidden === true && change.fields.author !== userId ? { ...change, fields: { ...change.fields, body: '', mentions: [] } } : change,
  );
}
