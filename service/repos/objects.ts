// Storage of the synced objects (cases, clips, companies, scans, answers): one row per object
// with its fields as JSON, plus the derived index rows used by filters and search.
import { createHash } from 'node:crypto';
import type { Db, ObjectColumns } from '../db/schema.ts';
import { DEFAULTS, type FieldsOf, type ObjectFieldsByType, type ObjectType } from '../../shared/model.ts';
import type { PublicObject } from '../../shared/api.ts';
import { siteKey } from '../../shared/site.ts';
import { clipSearchDocument } from '../search/document.ts';
import { searchIndexOf } from '../search/index.ts';

/** What a clip's search row holds (search/document.ts), for the migrations that re-index clips. */
export { clipSearchDocument };

export const TABLE_OF = {
  case: 'cases',
  clip: 'clips',
  company: 'companies',
  scan: 'scans',
  answer: 'answers',
  question: 'questions',
  reply: 'replies',
  comment: 'comments',
  commonIssue: 'common_issues',
} as const satisfies Record<ObjectType, string>;

/**
 * An object as its table holds it. `StoredObject<'clip'>` carries a clip's fields, typed; a plain
 * `StoredObject` (type known only at run time, or one of several) carries any JSON fields.
 */
export type StoredObject<T extends ObjectType = ObjectType> = FieldsOf<T> extends ObjectFieldsByType[T] ? StoredObjectOf<T> : AnyStoredObject;

/** One type's object: its fields typed by that type's schema (shared/model.ts). */
export interface StoredObjectOf<T extends ObjectType> extends StoredObjectBase {
  type: T;
  fields: ObjectFieldsByType[T];
}

/** An object whose type is known only at run time. */
export interface AnyStoredObject extends StoredObjectBase {
  type: ObjectType;
  fields: Record<string, unknown>;
}

interface StoredObjectBase {
  id: string;
  libraryId: string;
  version: number;
  deleted: boolean;
  fieldVersions: Record<string, number>;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
  /** Integer key of a clip's search row. */
  seq?: number;
}

/** A row as the driver returns it: Postgres may hand bigints back as strings. */
type ObjectRow = Omit<ObjectColumns, 'version'> & { version: number | string; seq?: number | string };

export function rowToObject<T extends ObjectType>(type: T, row: ObjectRow): StoredObject<T> {
  const object: AnyStoredObject = {
    type,
    id: row.id,
    libraryId: row.library_id,
    version: Number(row.version),
    deleted: Number(row.deleted) === 1,
    // The defaults under the stored fields: an object imported from a file may lack a field push
    // would have filled (a case without lessons), and readers may count on every one.
    fields: { ...DEFAULTS[type], ...(JSON.parse(row.data) as Record<string, unknown>) },
    fieldVersions: JSON.parse(row.field_versions) as Record<string, number>,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.seq !== undefined ? { seq: Number(row.seq) } : {}),
  };
  // Every write validated the fields against the type's schema (sync/apply.ts, import) and
  // required its required ones, so the type read decides the fields: the one place a row becomes
  // a typed object.
  return object as StoredObject<T>;
}

/** Loads an object by id whatever library holds it; callers compare libraryId. */
/** Every object id is a UUID (shared/model.ts); anything else names nothing. */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loadObject<T extends ObjectType>(db: Db, type: T, id: string): Promise<StoredObject<T> | undefined> {
  // An id from a URL may hold anything, a NUL among it, which PostgreSQL refuses with an error.
  if (typeof id !== 'string' || !OBJECT_ID.test(id)) return undefined;
  const table: (typeof TABLE_OF)[ObjectType] = TABLE_OF[type];
  const row = await db
    .selectFrom(table)
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowToObject(type, row as ObjectRow) : undefined;
}

/** Loads an object only when it is live in the given library. */
export async function loadLive<T extends ObjectType>(db: Db, libraryId: string, type: T, id: string): Promise<StoredObject<T> | undefined> {
  const object = await loadObject(db, type, id);
  return object && object.libraryId === libraryId && !object.deleted ? object : undefined;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? (value as string[]) : []);

/** Columns derived from the fields, per table (kept in step with the JSON on every write). */
function projection(type: ObjectType, fields: Record<string, unknown>) {
  switch (type) {
    case 'case':
      return { title: str(fields.title), status: str(fields.status) };
    case 'clip':
      return {
        url: str(fields.url),
        kind: str(fields.kind),
        title: str(fields.title),
        company_id: (fields.companyId as string | null) ?? null,
        captured_by: str(fields.capturedBy),
        captured_at: str(fields.capturedAt),
        domain: siteKey(str(fields.url)),
      };
    case 'company':
      return { name: str(fields.name) };
    case 'scan':
      return { company_id: str(fields.companyId), case_id: (fields.caseId as string | null) ?? null, status: str(fields.status) };
    case 'answer':
      return { scan_id: str(fields.scanId), field: str(fields.field) };
    case 'question':
      return { case_id: (fields.caseId as string | null) ?? null, status: str(fields.status) };
    case 'reply':
      return { question_id: str(fields.questionId) };
    case 'comment':
      return { target_type: str(fields.targetType), target_id: str(fields.targetId) };
    case 'commonIssue':
      return { title: str(fields.title) };
  }
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Inserts or updates an object and its index rows. */
export async function saveObject(db: Db, object: StoredObject, isNew: boolean): Promise<StoredObject> {
  const table = TABLE_OF[object.type];
  const columns = {
    library_id: object.libraryId,
    version: object.version,
    deleted: object.deleted ? 1 : 0,
    data: JSON.stringify(object.fields),
    field_versions: JSON.stringify(object.fieldVersions),
    created_by: object.createdBy,
    updated_by: object.updatedBy,
    created_at: object.createdAt,
    updated_at: object.updatedAt,
    ...projection(object.type, object.fields),
  };
  let seq = object.seq;
  if (isNew) {
    // The union of table shapes is too wide for kysely's per-table typing; `columns` matches `table`.
    const inserted = await db
      .insertInto(table)
      .values({ id: object.id, ...columns } as never)
      .returning(object.type === 'clip' ? ['id', 'seq' as 'id'] : ['id'])
      .executeTakeFirstOrThrow();
    if (object.type === 'clip') seq = Number((inserted as unknown as { seq: number }).seq);
  } else {
    await db.updateTable(table).set(columns as never).where('id', '=', object.id).execute();
  }
  const saved = seq === undefined ? object : { ...object, seq };
  await reindex(db, saved, isNew);
  return saved;
}

/** Rewrites the derived rows (tags, cases, domains, search) of one object. */
async function reindex(db: Db, object: StoredObject, isNew: boolean): Promise<void> {
  const { id, libraryId, fields, deleted } = object;
  if (object.type === 'clip') {
    // A new object has no derived rows yet: skipping the deletes is most of a bulk push's saving.
    if (!isNew) {
      await db.deleteFrom('clip_tags').where('clip_id', '=', id).execute();
      await db.deleteFrom('clip_cases').where('clip_id', '=', id).execute();
    }
    if (!deleted) {
      const tags = list(fields.tags);
      const caseIds = list(fields.caseIds);
      if (tags.length) await db.insertInto('clip_tags').values(tags.map((tag) => ({ library_id: libraryId, clip_id: id, tag }))).execute();
      if (caseIds.length) await db.insertInto('clip_cases').values(caseIds.map((caseId) => ({ library_id: libraryId, clip_id: id, case_id: caseId }))).execute();
    }
    if (object.seq !== undefined) {
      const search = searchIndexOf(db);
      if (deleted) await search.remove(db, object.seq);
      else await search.index(db, object.seq, clipSearchDocument(object), isNew);
    }
  } else if (object.type === 'company') {
    if (!isNew) await db.deleteFrom('company_domains').where('company_id', '=', id).execute();
    const domains = deleted ? [] : list(fields.domains);
    if (domains.length) {
      await db.insertInto('company_domains').values(domains.map((domain) => ({ library_id: libraryId, company_id: id, domain }))).execute();
    }
  }
}

/** Narrows an object read from the store to one type, so that its fields read typed. */
export function isStoredOfType<T extends ObjectType>(object: StoredObject, type: T): object is StoredObject<T> {
  return object.type === type;
}

/** The object as the API shows it: id, version and its fields. */
export function publicObject<T extends ObjectType>(object: StoredObject<T>): PublicObject<T> {
  const shown: PublicObject = { id: object.id, version: object.version, ...object.fields, createdAt: object.createdAt, updatedAt: object.updatedAt };
  return shown as PublicObject<T>;
}
