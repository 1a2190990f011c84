// Applies one mutation to the store inside the push transaction: validation, permission to
// reference, field and set merge, long-text conflicts, tombstones (DESIGN.md "Conflicts").
import { DEFAULTS, describeZodError, LIMITS, partialFieldSchemas, LONG_TEXT_FIELDS, REQUIRED_ON_CREATE, SET_FIELDS, textProblem, type ObjectType } from '../../shared/model.ts';
import { applySetEdit, type SetEdit } from '../../shared/merge-rules.ts';
import { mutation as mutationSchema, type Mutation, type MutationResult } from '../../shared/protocol.ts';
import { sanitizeClipHtml } from '../../shared/sanitize.ts';
import type { Db } from '../db/schema.ts';
import { contentHash, loadObject, saveObject, type StoredObject } from '../repos/objects.ts';
import { checkDiscussionDelete, checkDiscussionPut, isDiscussionType } from './discussion.ts';

export interface ApplyContext {
  db: Db;
  libraryId: string;
  userId: string;
  /** Hands out the next library version; called once per applied change. */
  nextVersion: () => number;
  /** Whether a user id is a member of this library (for case members). */
  isMember: (userId: string) => Promise<boolean>;
}


function rejected(mid: number, id: string, code: string, message: string): MutationResult {
  return { mid, id, status: 'rejected', error: { code, message } };
}

function current(object: StoredObject): NonNullable<MutationResult['current']> {
  return { type: object.type, id: object.id, version: object.version, deleted: object.deleted, fields: object.deleted ? {} : object.fields };
}

const zodMessage = describeZodError;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Parses a raw mutation; an unusable one is rejected without touching anything. Its answer
 * carries the mid it was sent with when that is a number, so the client can match it, but only
 * a usable mid (isMid) is ever stored or deduplicated.
 */
export function parseMutation(raw: unknown): { mutation: Mutation } | { result: MutationResult } {
  const parsed = mutationSchema.safeParse(raw);
  if (parsed.success) return { mutation: parsed.data };
  const source = (raw !== null && typeof raw === 'object' ? raw : {}) as { mid?: unknown; id?: unknown };
  const id = typeof source.id === 'string' ? source.id.slice(0, 100) : '';
  return {
    result: rejected(
      typeof source.mid === 'number' && Number.isFinite(source.mid) ? source.mid : 0,
      // The id is echoed only when it is text every store and client can hold.
      textProblem(id) ? '' : id,
      'invalid',
      zodMessage(parsed.error),
    ),
  };
}

/** Checks that the ids an object points at are live objects of the same library. */
async function checkReferences(ctx: ApplyContext, type: ObjectType, fields: Record<string, unknown>, changed: Record<string, unknown>): Promise<string | undefined> {
  const refs: Array<[ObjectType, string, string]> = [];
  if (type === 'clip') {
    if (typeof changed.companyId === 'string') refs.push(['company', changed.companyId, 'companyId']);
    if ('caseIds' in changed) for (const id of fields.caseIds as string[]) refs.push(['case', id, 'caseIds']);
  } else if (type === 'scan') {
    if (typeof changed.companyId === 'string') refs.push(['company', changed.companyId, 'companyId']);
    if (typeof changed.caseId === 'string') refs.push(['case', changed.caseId, 'caseId']);
  } else if (type === 'answer') {
    if (typeof changed.scanId === 'string') refs.push(['scan', changed.scanId, 'scanId']);
  }
  for (const [refType, refId, field] of refs) {
    const target = await loadObject(ctx.db, refType, refId);
    // Tombstones count: deleting a case keeps the clips that point at it.
    if (!target || target.libraryId !== ctx.libraryId) return `${field}: no ${refType} ${refId} in this library`;
  }
  if (type === 'case' && 'members' in changed) {
    for (const id of fields.members as string[]) {
      if (!(await ctx.isMember(id))) return `members: ${id} is not a member of this library`;
    }
  }
  return undefined;
}

export async function applyMutation(ctx: ApplyContext, mutation: Mutation): Promise<MutationResult> {
  const { mid, type, id } = mutation;
  const existing = await loadObject(ctx.db, type, id);
  // Another library's object is as unknown as one that does not exist (DESIGN.md "Errors").
  if (existing && existing.libraryId !== ctx.libraryId) return rejected(mid, id, 'not_found', `no ${type} ${id} in this library`);

  if (mutation.op === 'delete') return applyDelete(ctx, mutation, existing);

  const rawFields = mutation.fields ?? {};
  const parsed = partialFieldSchemas[type].safeParse(rawFields);
  if (!parsed.success) return rejected(mid, id, 'invalid', zodMessage(parsed.error));
  const changed = parsed.data;

  // Long texts edited since the version the client saw come back as a conflict, whole.
  if (existing && !existing.deleted && mutation.baseVersion !== undefined) {
    for (const field of LONG_TEXT_FIELDS[type]) {
      if (!(field in changed)) continue;
      const changedAt = existing.fieldVersions[field] ?? 0;
      if (changedAt > mutation.baseVersion && !sameJson(existing.fields[field], changed[field])) {
        return { mid, id, status: 'conflict', version: existing.version, current: current(existing), error: { code: 'conflict', message: `${field} was changed by someone else since version ${mutation.baseVersion}` } };
      }
    }
  }

  const before = existing ? existing.fields : { ...DEFAULTS[type] };
  const fields: Record<string, unknown> = { ...DEFAULTS[type], ...before };
  for (const [field, value] of Object.entries(changed)) {
    if (value === undefined) continue;
    fields[field] = SET_FIELDS[type].includes(field) ? applySetEdit(before[field], value as SetEdit<unknown>) : value;
  }
  for (const field of SET_FIELDS[type]) if ((fields[field] as unknown[]).length > LIMITS.listItems) return rejected(mid, id, 'invalid', `${field}: at most ${LIMITS.listItems} items`);

  if (type === 'clip') {
    // Server-owned facts: who captured it, sanitized HTML, a hash of the text.
    if (!existing) {
      fields.capturedBy = ctx.userId;
      if (!fields.capturedAt) fields.capturedAt = new Date().toISOString();
    } else {
      fields.capturedBy = existing.fields.capturedBy;
    }
    if ('html' in changed) fields.html = sanitizeClipHtml(fields.html as string);
    if ('text' in changed || !fields.contentHash) fields.contentHash = contentHash(String(fields.text || fields.url));
  }
  if (type === 'answer' && 'confirmedBy' in changed && changed.confirmedBy !== null) fields.confirmedBy = ctx.userId;

  if (!existing || existing.deleted) {
    const missing = REQUIRED_ON_CREATE[type].filter((field) => fields[field] === undefined || fields[field] === '' || fields[field] === null);
    if (missing.length) return rejected(mid, id, 'invalid', `a new ${type} needs ${missing.join(', ')}`);
  }
  const referenceError = await checkReferences(ctx, type, fields, changed);
  if (referenceError) return rejected(mid, id, 'invalid', referenceError);
  // Questions, replies, comments, common issues: server-owned authors and who may change what.
  if (isDiscussionType(type)) {
    const denied = await checkDiscussionPut(ctx, type, existing, fields);
    if (denied) return rejected(mid, id, denied.code, denied.message);
  }

  if (existing && !existing.deleted && sameJson(existing.fields, fields)) {
    return { mid, id, status: 'applied', version: existing.version };
  }

  const version = ctx.nextVersion();
  const stamp = new Date().toISOString();
  const fieldVersions = { ...(existing?.fieldVersions ?? {}) };
  for (const field of LONG_TEXT_FIELDS[type]) {
    if (!existing || !sameJson(existing.fields[field], fields[field])) fieldVersions[field] = version;
  }
  const object: StoredObject = {
    type, id, libraryId: ctx.libraryId, version, deleted: false, fields, fieldVersions,
    createdBy: existing?.createdBy ?? ctx.userId,
    updatedBy: ctx.userId,
    createdAt: existing?.createdAt ?? stamp,
    updatedAt: stamp,
    ...(existing?.seq !== undefined ? { seq: existing.seq } : {}),
  };
  await saveObject(ctx.db, object, !existing);
  return { mid, id, status: 'applied', version };
}

async function applyDelete(ctx: ApplyContext, mutation: Mutation, existing: StoredObject | undefined): Promise<MutationResult> {
  const { mid, type, id } = mutation;
  if (!existing) return rejected(mid, id, 'not_found', `no ${type} ${id} in this library`);
  if (existing.deleted) return { mid, id, status: 'applied', version: existing.version };
  if (isDiscussionType(type)) {
    const denied = await checkDiscussionDelete(ctx, type, existing);
    if (denied) return rejected(mid, id, denied.code, denied.message);
  }
  // An edit beats a concurrent delete: a delete that has not seen the latest edit loses.
  if (mutation.baseVersion !== undefined && existing.version > mutation.baseVersion) {
    return { mid, id, status: 'conflict', version: existing.version, current: current(existing), error: { code: 'conflict', message: `${type} was edited since version ${mutation.baseVersion}; the edit wins` } };
  }
  const version = ctx.nextVersion();
  const object: StoredObject = { ...existing, version, deleted: true, updatedBy: ctx.userId, updatedAt: new Date().toISOString() };
  await saveObject(ctx.db, object, false);
  return { mid, id, status: 'applied', version };
}
