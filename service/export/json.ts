// The JSON export (a faithful copy of a library: ids, versions, fields, members) and the import
// that reads it back into an empty library.
import { z } from 'zod';
import { OBJECT_TYPES, uuid, type ObjectType } from '../../shared/model.ts';
import { sanitizeClipHtml } from '../../shared/sanitize.ts';
import type { Db, Dialect } from '../db/schema.ts';
import { withWriteTransaction } from '../db/transaction.ts';
import { getLibrary, membersOf, normaliseEmail } from '../repos/accounts.ts';
import { saveObject, TABLE_OF, type StoredObject } from '../repos/objects.ts';
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
  for await (const object of exportObjects(db, scope)) {
    yield `${done > 0 ? ',\n' : ''}${JSON.stringify(exportedObject(object))}`;
    done += 1;
    if (onProgress && (done % 200 === 0 || done === total)) onProgress(done, total);
  }
  if (onProgress && done === 0) onProgress(0, 0);
  yield '\n ]\n}\n';
}

const exportedObjectSchema = z.object({
  type: z.enum(OBJECT_TYPES),
  id: uuid,
  version: z.number().int().nonnegative(),
  deleted: z.boolean(),
  fields: z.record(z.string(), z.unknown()),
  fieldVersions: z.record(z.string(), z.number()),
  createdBy: z.string(),
  updatedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const exportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.literal(EXPORT_FORMAT_VERSION),
  library: z.object({ id: z.string(), name: z.string(), version: z.number().int().nonnegative() }),
  members: z.array(
    z.object({ id: z.string().min(1), email: z.string(), name: z.string(), organisation: z.string(), intro: z.string(), role: z.enum(['admin', 'member', 'reader']) }),
  ),
  objects: z.array(exportedObjectSchema),
});

export type LibraryExport = z.infer<typeof exportSchema>;

export class ImportError extends Error {}

export function parseExport(text: string): LibraryExport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ImportError('the file is not JSON; give a file written by `casebook export --format json`');
  }
  const parsed = exportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ImportError(`the file is not a Casebook export (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
  }
  return parsed.data;
}

export interface ImportSummary {
  objects: number;
  usersCreated: number;
  usersMatched: number;
}

/** Fields that hold user ids, per type: rewritten when an exported member maps to another id here. */
const USER_FIELDS: Partial<Record<ObjectType, string[]>> = { clip: ['capturedBy'], answer: ['confirmedBy'] };

/**
 * Imports an export into an empty library of this store, keeping ids, versions and fields.
 * Members are matched by id, then by e-mail; unknown ones are created without a password (they
 * sign in through a link an admin makes). All or nothing: one transaction.
 */
export async function importLibrary(db: Db, dialect: Dialect, libraryId: string, data: LibraryExport, onProgress?: ExportProgress): Promise<ImportSummary> {
  return withWriteTransaction(db, dialect, async (trx) => {
    const library = await getLibrary(trx, libraryId);
    if (!library) throw new ImportError(`no library ${libraryId}; create one with \`casebook library create --name NAME\``);
    for (const type of OBJECT_TYPES) {
      const row = await trx.selectFrom(TABLE_OF[type]).select('id').where('library_id', '=', libraryId).limit(1).executeTakeFirst();
      if (row) throw new ImportError(`library ${libraryId} is not empty; import into a new, empty library`);
    }
    const ids = data.objects.map((object) => object.id);
    for (const type of OBJECT_TYPES) {
      const ofType = data.objects.filter((object) => object.type === type).map((object) => object.id);
      for (let start = 0; start < ofType.length; start += 500) {
        const taken = await trx.selectFrom(TABLE_OF[type]).select(['id', 'library_id']).where('id', 'in', ofType.slice(start, start + 500)).limit(1).executeTakeFirst();
        if (taken) throw new ImportError(`${type} ${taken.id} already exists in library ${taken.library_id} of this store; object ids are global, so import into another store`);
      }
    }
    if (new Set(ids).size !== ids.length) throw new ImportError('the export holds an object id twice');

    const userMap = new Map<string, string>();
    let usersCreated = 0;
    let usersMatched = 0;
    const stamp = new Date().toISOString();
    for (const member of data.members) {
      const byId = await trx.selectFrom('users').select('id').where('id', '=', member.id).executeTakeFirst();
      const byEmail = byId ? undefined : await trx.selectFrom('users').select('id').where('email', '=', normaliseEmail(member.email)).executeTakeFirst();
      let userId = byId?.id ?? byEmail?.id;
      if (userId) usersMatched += 1;
      else {
        userId = member.id;
        await trx
          .insertInto('users')
          .values({ id: userId, email: normaliseEmail(member.email), name: member.name, organisation: member.organisation, intro: member.intro, password_hash: null, created_at: stamp })
          .execute();
        usersCreated += 1;
      }
      userMap.set(member.id, userId);
      await trx
        .insertInto('memberships')
        .values({ library_id: libraryId, user_id: userId, role: member.role, created_at: stamp })
        .onConflict((oc) => oc.columns(['library_id', 'user_id']).doUpdateSet({ role: member.role }))
        .execute();
    }
    const mapUser = (id: string) => userMap.get(id) ?? id;

    let done = 0;
    let maxVersion = data.library.version;
    for (const item of data.objects) {
      const fields = { ...item.fields };
      for (const field of USER_FIELDS[item.type] ?? []) if (typeof fields[field] === 'string') fields[field] = mapUser(fields[field] as string);
      if (item.type === 'case' && Array.isArray(fields.members)) fields.members = (fields.members as string[]).map(mapUser);
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
      await saveObject(trx, dialect, object, true);
      maxVersion = Math.max(maxVersion, item.version);
      done += 1;
      if (onProgress && (done % 200 === 0 || done === data.objects.length)) onProgress(done, data.objects.length);
    }
    // The counter continues after the copied objects so new edits sort after them in pulls.
    await trx.updateTable('libraries').set({ version: maxVersion }).where('id', '=', libraryId).execute();
    return { objects: done, usersCreated, usersMatched };
  });
}
