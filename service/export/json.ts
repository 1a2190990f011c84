// The JSON export (a faithful copy of a library: ids, versions, fields, members) and the import
// that reads it back into an empty library.
import { z } from 'zod';
import {
  counter, describeZodError, email, partialFieldSchemas, LIMITS, LONG_TEXT_FIELDS, OBJECT_TYPES, printable, REQUIRED_ON_CREATE, ROLES, SET_FIELDS, text, uuid,
  type ObjectType,
} from '../../shared/model.ts';
import { sanitizeClipHtml } from '../../shared/sanitize.ts';
import { ALLOWED_TYPES, ATTACHMENT_LIMITS, ATTACHMENT_ROLES, SHA256_HEX, sniffContentType, type AttachmentRole } from '../../shared/attachments.ts';
import { createHash } from 'node:crypto';
import { exportAttachments, importAttachment } from '../repos/attachments.ts';
import type { Db } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import { getLibrary, membersOf, normaliseEmail } from '../repos/accounts.ts';
import { addImportedMember, createImportedUser, findUserByIdOrEmail, firstTakenId, libraryHoldsObjects } from '../repos/export.ts';
import { saveObject, type StoredObject } from '../repos/objects.ts';
import { setLibraryVersion } from '../repos/sync.ts';
import { countObjects, exportObjects, type ExportProgress, type ExportScope } from './collect.ts';

export const EXPORT_FORMAT = 'casebook-export';
export const EXPORT_FORMAT_VERSION = 1;

/** One object as exported: what the store keeps, minus the library id and search key. */
export function exportedObject(object: StoredObject) {
  return {
    type: object.type,
    id: object.id,
    version: object.version,
    deleted: object.deleted,
    fields: object.fields,
    fieldVersions: object.fieldVersions,
    createdBy: object.createdBy,
    updatedBy: object.updatedBy,
    createdAt: object.createdAt,
    updatedAt: object.updatedAt,
  };
}

/**
 * The export as a stream of text chunks: a header, then one object per line, so a library of
 * any size is written with constant memory and the file still parses as one JSON document.
 */
export async function* jsonExport(db: Db, scope: ExportScope, onProgress?: ExportProgress): AsyncGenerator<string> {
  const library = await getLibrary(db, scope.libraryId);
  if (!library) throw new Error(`no library ${scope.libraryId}`);
  const members = await membersOf(db, scope.libraryId);
  const total = await countObjects(db, scope);
  const header = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
    library: { id: library.id, name: library.name, version: Number(library.version) },
    scope: { caseId: scope.caseId ?? null },
    members: members.map((member) => ({ id: member.id, email: member.email, name: member.name, organisation: member.organisation, intro: member.intro, role: member.role })),
  };
  const head = JSON.stringify(header, null, 1);
  yield `${head.slice(0, -2)},\n "objects": [\n`;
  let done = 0;
  const clipIds = new Set<string>();
  for await (const object of exportObjects(db, scope)) {
    yield `${done > 0 ? ',\n' : ''}${JSON.stringify(exportedObject(object))}`;
    if (object.type === 'clip') clipIds.add(object.id);
    done += 1;
    if (onProgress && (done % 200 === 0 || done === total)) onProgress(done, total);
  }
  if (onProgress && done === 0) onProgress(0, 0);
  // The clips' files (issue 16): base64, one a line, only those of the exported clips.
  yield '\n ],\n "attachments": [\n';
  let files = 0;
  for await (const file of exportAttachments(db, scope.libraryId, clipIds)) yield `${files++ > 0 ? ',\n' : ''}${JSON.stringify(file)}`;
  yield '\n ]\n}\n';
}

// The import reads a file people pass around: every part is checked with the schemas a push is
// checked with (shared/model.ts), and every reference stays inside the file's library.
const isoStamp = text(64).refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date');
const userRef = text(200);

const exportedObjectSchema = z
  .object({
    type: z.enum(OBJECT_TYPES),
    id: uuid,
    version: counter,
    deleted: z.boolean(),
    fields: z.record(text(100), z.unknown()),
    fieldVersions: z.record(text(100), counter),
    createdBy: userRef,
    updatedBy: userRef,
    createdAt: isoStamp,
    updatedAt: isoStamp,
  })
  .strict();

const memberSchema = z
  .object({
    id: uuid,
    email,
    name: text(200),
    organisation: text(200),
    intro: text(LIMITS.longText),
    role: z.enum(ROLES),
  })
  .strict();

const headerSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.literal(EXPORT_FORMAT_VERSION),
  exportedAt: isoStamp.optional(),
  library: z.object({ id: text(100), name: text(200), version: counter }),
  scope: z.object({ caseId: uuid.nullable() }).optional(),
  members: z.array(z.unknown()),
  objects: z.array(z.unknown()),
  attachments: z.array(z.unknown()).max(100_000).optional(),
});

const attachmentSchema = z
  .object({
    sha256: z.string().regex(SHA256_HEX, 'must be 64 lower-case hex digits'),
    contentType: text(100),
    bytes: counter,
    data: z.string().max(Math.ceil(ATTACHMENT_LIMITS.pdf / 3) * 4 + 4),
    clips: z
      .array(z.object({ clipId: uuid, role: z.enum(ATTACHMENT_ROLES), source: text(LIMITS.url).refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL').optional() }).strict())
      .min(1)
      .max(LIMITS.listItems),
  })
  .strict();

/** A clip's file as imported: checked like an upload (hash, magic bytes, role, size). */
export interface ImportedAttachment {
  sha256: string;
  contentType: string;
  data: Uint8Array;
  clips: Array<{ clipId: string; role: AttachmentRole; source?: string }>;
}

function checkAttachment(raw: unknown, inFile: Map<string, ObjectType>): { file: ImportedAttachment } | { problem: string } {
  const parsed = attachmentSchema.safeParse(raw);
  if (!parsed.success) return { problem: describeZodError(parsed.error) };
  const item = parsed.data;
  const data = Buffer.from(item.data, 'base64');
  if (data.byteLength !== item.bytes) return { problem: `data holds ${data.byteLength} bytes, not ${item.bytes}` };
  if (createHash('sha256').update(data).digest('hex') !== item.sha256) return { problem: 'data does not have that SHA-256' };
  const sniffed = sniffContentType(data.subarray(0, 1024));
  if (sniffed !== item.contentType) return { problem: `its bytes are ${sniffed ?? 'of no accepted type'}, not ${printable(item.contentType, 40)}` };
  for (const link of item.clips) {
    if (!ALLOWED_TYPES[link.role].includes(sniffed)) return { problem: `a ${link.role} cannot be ${sniffed}` };
    if (data.byteLength > ATTACHMENT_LIMITS[link.role]) return { problem: `a ${link.role} is at most ${ATTACHMENT_LIMITS[link.role]} bytes` };
    if (inFile.get(link.clipId) !== 'clip') return { problem: `clips: no clip ${link.clipId} in this library` };
  }
  return { file: { sha256: item.sha256, contentType: sniffed, data, clips: item.clips } };
}

export type ExportedObject = z.infer<typeof exportedObjectSchema>;
export type ExportedMember = z.infer<typeof memberSchema>;
export interface LibraryExport {
  format: typeof EXPORT_FORMAT;
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  library: { id: string; name: string; version: number };
  scope?: { caseId: string | null };
  members: ExportedMember[];
  objects: ExportedObject[];
  attachments?: ImportedAttachment[];
}

export class ImportError extends Error {}

/* Pushes carry any subset of an object's fields; an export carries what the store kept: both are checked by the push schemas. */

/** At most this many problems are listed; a file with more is broken as a whole. */
const MAX_PROBLEMS = 20;

/** The references an object makes to other objects: [field, type it points at, ids]. */
function referencesOf(type: ObjectType, fields: Record<string, unknown>): Array<[string, ObjectType, string[]]> {
  const one = (value: unknown) => (typeof value === 'string' ? [value] : []);
  const many = (value: unknown) => (Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []);
  switch (type) {
    case 'clip':
      return [['caseIds', 'case', many(fields.caseIds)], ['companyId', 'company', one(fields.companyId)]];
    case 'scan':
      return [['companyId', 'company', one(fields.companyId)], ['caseId', 'case', one(fields.caseId)]];
    case 'answer':
      return [['scanId', 'scan', one(fields.scanId)]];
    case 'question':
      return [['caseId', 'case', one(fields.caseId)]];
    case 'reply':
      return [
        ['questionId', 'question', one(fields.questionId)],
        ['citations', 'clip', (Array.isArray(fields.citations) ? (fields.citations as Array<{ clipId?: unknown }>) : []).flatMap((cited) => one(cited?.clipId))],
      ];
    case 'comment': {
      const target = fields.targetType;
      const targetType: ObjectType | undefined = target === 'clip' || target === 'case' || target === 'scan' || target === 'question' ? target : undefined;
      return [...(targetType ? [['targetId', targetType, one(fields.targetId)] as [string, ObjectType, string[]]] : []), ['parentId', 'comment', one(fields.parentId)]];
    }
    case 'commonIssue':
      return [['caseIds', 'case', many(fields.caseIds)], ['clipIds', 'clip', many(fields.clipIds)]];
    default:
      return [];
  }
}

/** Checks one exported object; returns it with its fields as push would store them, or a problem. */
function checkObject(raw: unknown, inFile: Map<string, ObjectType>, memberIds: Set<string>, caseScoped: boolean): { object: ExportedObject } | { problem: string } {
  const envelope = exportedObjectSchema.safeParse(raw);
  if (!envelope.success) return { problem: describeZodError(envelope.error) };
  const item = envelope.data;
  const parsed = partialFieldSchemas[item.type].safeParse(item.fields);
  if (!parsed.success) return { problem: `fields.${describeZodError(parsed.error)}` };
  const checked = parsed.data as Record<string, unknown>;
  // Same key order as the file, values as validated (trimmed tags, lower-case domains).
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(item.fields)) fields[key] = checked[key];
  for (const field of SET_FIELDS[item.type]) {
    if (field in fields && !Array.isArray(fields[field])) return { problem: `fields.${field}: must be a list` };
    if (Array.isArray(fields[field]) && (fields[field] as unknown[]).length > LIMITS.listItems) return { problem: `fields.${field}: at most ${LIMITS.listItems} items` };
  }
  if (!item.deleted) {
    const missing = REQUIRED_ON_CREATE[item.type].filter((field) => fields[field] === undefined || fields[field] === '' || fields[field] === null);
    if (missing.length) return { problem: `fields: a ${item.type} needs ${missing.join(', ')}` };
  }
  for (const field of Object.keys(item.fieldVersions)) {
    if (!LONG_TEXT_FIELDS[item.type].includes(field)) return { problem: `fieldVersions.${printable(field, 40)}: ${item.type} has no long text of that name` };
  }
  for (const [field, refType, ids] of referencesOf(item.type, fields)) {
    for (const id of ids) {
      if (inFile.get(id) === refType) continue;
      // A case's export carries the case, not the other cases its clips are also in.
      if (caseScoped && field === 'caseIds') {
        fields.caseIds = (fields.caseIds as string[]).filter((other) => other !== id);
        continue;
      }
      // …nor the clips of other cases a reply cites.
      if (caseScoped && field === 'citations') {
        fields.citations = (fields.citations as Array<{ clipId: string }>).filter((cited) => cited.clipId !== id);
        continue;
      }
      return { problem: `fields.${field}: no ${refType} ${printable(id, 40)} in this library` };
    }
  }
  for (const field of MEMBER_SET_FIELDS[item.type] ?? []) {
    for (const id of Array.isArray(fields[field]) ? (fields[field] as string[]) : []) {
      if (!memberIds.has(id)) return { problem: `fields.${field}: ${printable(id, 40)} is not a member of this library` };
    }
  }
  return { object: { ...item, fields } };
}

/**
 * Reads and checks a whole export before anything is written: the header, every member (a valid
 * e-mail, a uuid), every object (the push schemas, references inside the file). Each bad item is
 * named in the error, with what is wrong with it; nothing of a bad file is imported.
 */
export function parseExport(textContent: string): LibraryExport {
  let raw: unknown;
  try {
    raw = JSON.parse(textContent);
  } catch {
    throw new ImportError('the file is not JSON; give a file written by `casebook export --format json`');
  }
  const header = headerSchema.safeParse(raw);
  if (!header.success) throw new ImportError(`the file is not a Casebook export (${describeZodError(header.error)})`);
  const problems: string[] = [];
  const members: ExportedMember[] = [];
  const seenMembers = new Set<string>();
  header.data.members.forEach((rawMember, index) => {
    const parsed = memberSchema.safeParse(rawMember);
    const label = (rawMember as { email?: unknown } | null)?.email;
    const name = `members[${index}]${typeof label === 'string' && label ? ` (${printable(label, 60)})` : ''}`;
    if (!parsed.success) problems.push(`${name}: ${describeZodError(parsed.error)}`);
    else {
      const key = parsed.data.email.trim().toLowerCase();
      if (seenMembers.has(parsed.data.id) || seenMembers.has(key)) problems.push(`${name}: the same member twice`);
      seenMembers.add(parsed.data.id).add(key);
      members.push(parsed.data);
    }
  });
  // Which ids the file holds, by type, so references can be checked against the file alone.
  const inFile = new Map<string, ObjectType>();
  for (const rawObject of header.data.objects) {
    const { id, type } = (rawObject ?? {}) as { id?: unknown; type?: unknown };
    if (typeof id === 'string' && typeof type === 'string' && (OBJECT_TYPES as readonly string[]).includes(type)) inFile.set(id, type as ObjectType);
  }
  const memberIds = new Set(members.map((member) => member.id));
  const caseScoped = Boolean(header.data.scope?.caseId);
  const objects: ExportedObject[] = [];
  header.data.objects.forEach((rawObject, index) => {
    const checked = checkObject(rawObject, inFile, memberIds, caseScoped);
    if ('object' in checked) objects.push(checked.object);
    else {
      const { id, type } = (rawObject ?? {}) as { id?: unknown; type?: unknown };
      const label = typeof type === 'string' ? `${printable(type, 20)} ${typeof id === 'string' ? printable(id, 40) : ''}`.trim() : '';
      problems.push(`objects[${index}]${label ? ` (${label})` : ''}: ${checked.problem}`);
    }
  });
  const attachments: ImportedAttachment[] = [];
  (header.data.attachments ?? []).forEach((rawFile, index) => {
    const checked = checkAttachment(rawFile, inFile);
    if ('file' in checked) attachments.push(checked.file);
    else problems.push(`attachments[${index}]: ${checked.problem}`);
  });
  if (problems.length) {
    // One line, as every CLI error: each bad item named with what is wrong with it.
    const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
    const more = problems.length > MAX_PROBLEMS ? `; … and ${problems.length - MAX_PROBLEMS} more` : '';
    throw new ImportError(`nothing was imported; ${problems.length} item${problems.length > 1 ? 's are' : ' is'} not valid: ${shown}${more}`);
  }
  return {
    format: header.data.format,
    formatVersion: header.data.formatVersion,
    library: header.data.library,
    ...(header.data.scope ? { scope: header.data.scope } : {}),
    members,
    objects,
    attachments,
  };
}

export interface ImportSummary {
  objects: number;
  usersCreated: number;
  usersMatched: number;
}

/** Fields that hold user ids, per type: rewritten when an exported member maps to another id here. */
const USER_FIELDS: Partial<Record<ObjectType, string[]>> = { clip: ['capturedBy'], answer: ['confirmedBy'], question: ['askedBy'], reply: ['author'], comment: ['author'] };
/** Sets of user ids, per type: each must be a member in the file, and is mapped like USER_FIELDS. */
const MEMBER_SET_FIELDS: Partial<Record<ObjectType, string[]>> = { case: ['members'], question: ['addressedTo'], comment: ['mentions'], commonIssue: ['supporters'] };

/**
 * Imports an export into an empty library of this store, keeping ids, versions and fields.
 * Members are matched by id, then by e-mail; unknown ones are created without a password (they
 * sign in through a link an admin makes). All or nothing: one transaction.
 */
export async function importLibrary(store: Store, libraryId: string, data: LibraryExport, onProgress?: ExportProgress): Promise<ImportSummary> {
  return store.writeTransaction(async ({ db: trx }) => {
    const library = await getLibrary(trx, libraryId);
    if (!library) throw new ImportError(`no library ${libraryId}; create one with \`casebook library create --name NAME\``);
    if (await libraryHoldsObjects(trx, libraryId)) throw new ImportError(`library ${libraryId} is not empty; import into a new, empty library`);
    const ids = data.objects.map((object) => object.id);
    for (const type of OBJECT_TYPES) {
      const ofType = data.objects.filter((object) => object.type === type).map((object) => object.id);
      const taken = await firstTakenId(trx, type, ofType);
      if (taken) throw new ImportError(`${type} ${taken.id} already exists in library ${taken.libraryId} of this store; object ids are global, so import into another store`);
    }
    if (new Set(ids).size !== ids.length) throw new ImportError('the export holds an object id twice');

    const userMap = new Map<string, string>();
    let usersCreated = 0;
    let usersMatched = 0;
    const stamp = new Date().toISOString();
    for (const member of data.members) {
      let userId = await findUserByIdOrEmail(trx, member.id, normaliseEmail(member.email));
      if (userId) usersMatched += 1;
      else {
        userId = member.id;
        await createImportedUser(trx, { id: userId, email: normaliseEmail(member.email), name: member.name, organisation: member.organisation, intro: member.intro, createdAt: stamp });
        usersCreated += 1;
      }
      userMap.set(member.id, userId);
      // Someone already in this library keeps the role they have here (never demoted or promoted by a file).
      await addImportedMember(trx, libraryId, userId, member.role, stamp);
    }
    const mapUser = (id: string) => userMap.get(id) ?? id;

    let done = 0;
    let maxVersion = data.library.version;
    for (const item of data.objects) {
      const fields = { ...item.fields };
      for (const field of USER_FIELDS[item.type] ?? []) if (typeof fields[field] === 'string') fields[field] = mapUser(fields[field] as string);
      for (const field of MEMBER_SET_FIELDS[item.type] ?? []) if (Array.isArray(fields[field])) fields[field] = (fields[field] as string[]).map(mapUser);
      // Exports are files people pass around: clip HTML is sanitized again on the way in.
      if (item.type === 'clip' && typeof fields.html === 'string') fields.html = sanitizeClipHtml(fields.html);
      const object: StoredObject = {
        type: item.type,
        id: item.id,
        libraryId,
        version: item.version,
        deleted: item.deleted,
        fields,
        fieldVersions: item.fieldVersions,
        createdBy: mapUser(item.createdBy),
        updatedBy: mapUser(item.updatedBy),
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
      };
      await saveObject(trx, object, true);
      maxVersion = Math.max(maxVersion, item.version);
      done += 1;
      if (onProgress && (done % 200 === 0 || done === data.objects.length)) onProgress(done, data.objects.length);
    }
    for (const file of data.attachments ?? []) await importAttachment(trx, libraryId, 'import', file);
    // The counter continues after the copied objects so new edits sort after them in pulls.
    await setLibraryVersion(trx, libraryId, maxVersion);
    return { objects: done, usersCreated, usersMatched };
  });
}
