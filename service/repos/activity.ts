// The rows behind activity, the inbox and the member's activity settings: objects of one type
// in a version window (one parameterised query for the stream and every inbox rule), clips of a
// case or tag, names, and the activity_settings row (migration 008).
import { sql } from 'kysely';
import type { ObjectType } from '../../shared/model.ts';
import type { ActivitySettingsTable, Db } from '../db/schema.ts';
import { rowToObject, TABLE_OF, type StoredObject } from './objects.ts';

type Row = Parameters<typeof rowToObject>[1];

/** Which objects of one type a window reads, newest first, live only. */
export interface VersionWindow {
  libraryId: string;
  /** Versions above this one. */
  after: number;
  /** Versions below this one. */
  before: number;
  limit: number;
  /** Not written by this member: created_by (the first write) or updated_by (the latest). */
  notBy?: { column: 'created_by' | 'updated_by'; userId: string };
  /** Whose id the object's JSON fields hold (a LIKE the caller confirms on the parsed fields). */
  naming?: string;
  /** Comments on this type of object only. */
  targetType?: string;
  /** Replies to questions asked by this member (live questions). */
  repliesToQuestionsOf?: string;
  /** Comments on clips captured by this member (live clips). */
  onClipsCapturedBy?: string;
  /** Clips linked to one of these cases, or carrying this tag (EXISTS by the link table's key). */
  clipsIn?: { cases: string[] } | { tag: string };
}

/**
 * Objects of a type in a version window by the (library_id, version) index, newest first, with
 * the narrowing each caller needs: the activity stream of a library, case or tag and every rule
 * of the inbox are this one query.
 */
export async function objectsInWindow(db: Db, type: ObjectType, w: VersionWindow): Promise<StoredObject[]> {
  const table: (typeof TABLE_OF)[ObjectType] = TABLE_OF[type];
  const id = sql.ref(`${table}.id`);
  let query = db
    .selectFrom(table)
    .selectAll()
    .where('library_id', '=', w.libraryId)
    .where('deleted', '=', 0)
    .where('version', '>', w.after)
    .where('version', '<', w.before);
  if (w.notBy) query = query.where(w.notBy.column, '!=', w.notBy.userId);
  if (w.naming !== undefined) query = query.where('data', 'like', `%${w.naming}%`);
  if (w.targetType !== undefined) query = query.where(sql<boolean>`${sql.ref(`${table}.target_type`)} = ${w.targetType}`);
  if (w.repliesToQuestionsOf !== undefined) {
    const asker = w.repliesToQuestionsOf;
    query = query.where(({ exists, selectFrom }) => exists(selectFrom('questions').select('questions.id').where(sql<boolean>`questions.id = ${sql.ref(`${table}.question_id`)}`).where('questions.created_by', '=', asker).where('questions.deleted', '=', 0)));
  }
  if (w.onClipsCapturedBy !== undefined) {
    const author = w.onClipsCapturedBy;
    query = query.where(({ exists, selectFrom }) => exists(selectFrom('clips as target').select('target.id').where(sql<boolean>`target.id = ${sql.ref(`${table}.target_id`)}`).where('target.captured_by', '=', author).where('target.deleted', '=', 0)));
  }
  const clipsIn = w.clipsIn;
  if (clipsIn) {
    // EXISTS, not IN: the clips are walked newest first by (library_id, version) and each is
    // checked by the link table's primary key; an IN list of every clip of a case reads them all.
    query =
      'tag' in clipsIn
        ? query.where(({ exists, selectFrom }) => exists(selectFrom('clip_tags').select('clip_tags.clip_id').where(sql<boolean>`clip_tags.clip_id = ${id}`).where('clip_tags.tag', '=', clipsIn.tag)))
        : query.where(({ exists, selectFrom }) => exists(selectFrom('clip_cases').select('clip_cases.clip_id').where(sql<boolean>`clip_cases.clip_id = ${id}`).where('clip_cases.case_id', 'in', clipsIn.cases)));
  }
  const rows = await query.orderBy('version', 'desc').limit(w.limit).execute();
  return rows.map((row) => rowToObject(type, row as Row));
}

/** The ids of the clips of a case or carrying a tag, at most `limit`. */
export async function clipIdsOf(db: Db, libraryId: string, by: 'case' | 'tag', value: string, limit: number): Promise<string[]> {
  const rows =
    by === 'case'
      ? await db.selectFrom('clip_cases').select('clip_id').where('library_id', '=', libraryId).where('case_id', '=', value).limit(limit).execute()
      : await db.selectFrom('clip_tags').select('clip_id').where('library_id', '=', libraryId).where('tag', '=', value).limit(limit).execute();
  return rows.map((row) => row.clip_id);
}

/**
 * A few clips by id in a version window, newest first: versions first (500 ids a query, well
 * under both stores' bound-parameter limits), then only the rows the page needs, whole.
 */
export async function clipsByIds(db: Db, w: Pick<VersionWindow, 'libraryId' | 'after' | 'before' | 'limit'>, ids: string[]): Promise<StoredObject<'clip'>[]> {
  const heads: Array<{ id: string; version: number }> = [];
  for (let start = 0; start < ids.length; start += 500) {
    // By primary key only, filtered here: with the version range in SQL, SQLite prefers walking
    // the (library_id, version) index over the whole library.
    const rows = await db.selectFrom('clips').select(['id', 'version', 'library_id', 'deleted']).where('id', 'in', ids.slice(start, start + 500)).execute();
    for (const row of rows) {
      const version = Number(row.version);
      if (row.library_id === w.libraryId && Number(row.deleted) === 0 && version < w.before && version > w.after) heads.push({ id: row.id, version });
    }
  }
  const wanted = heads.sort((a, b) => b.version - a.version).slice(0, w.limit).map((head) => head.id);
  if (!wanted.length) return [];
  const rows = await db.selectFrom('clips').selectAll().where('id', 'in', wanted).orderBy('version', 'desc').execute();
  return rows.map((row) => rowToObject('clip', row as Row));
}

/** The live cases whose fields hold a member's id (the caller confirms it is in their members). */
export async function casesNaming(db: Db, libraryId: string, userId: string): Promise<StoredObject<'case'>[]> {
  const rows = await db.selectFrom('cases').selectAll().where('library_id', '=', libraryId).where('deleted', '=', 0).where('data', 'like', `%${userId}%`).execute();
  return rows.map((row) => rowToObject('case', row as Row));
}

/** Names of people by id, in one query. */
export async function namesOf(db: Db, userIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)].filter(Boolean);
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

export type ActivitySettingsRow = Omit<ActivitySettingsTable, 'library_id' | 'user_id'>;

export async function activitySettingsRow(db: Db, libraryId: string, userId: string): Promise<ActivitySettingsRow | undefined> {
  return db
    .selectFrom('activity_settings')
    .select(['inbox_kinds', 'digest', 'digest_since', 'read_version', 'updated_at'])
    .where('library_id', '=', libraryId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Writes a member's settings row: `row` when it is new, `changes` over an existing one. */
export async function upsertActivitySettings(db: Db, libraryId: string, userId: string, row: ActivitySettingsRow, changes: Partial<ActivitySettingsRow>): Promise<void> {
  await db
    .insertInto('activity_settings')
    .values({ library_id: libraryId, user_id: userId, ...row })
    .onConflict((oc) => oc.columns(['library_id', 'user_id']).doUpdateSet(changes))
    .execute();
}

/** The library's version, 0 for an unknown library. */
export async function currentVersion(db: Db, libraryId: string): Promise<number> {
  const row = await db.selectFrom('libraries').select('version').where('id', '=', libraryId).executeTakeFirst();
  return Number(row?.version ?? 0);
}
