// The activity of a library or a case, read from the objects' own versions (DESIGN.md "Sync
// protocol": every accepted write stamps the object with the new library version). Each live
// object appears once, at its latest version, newest first; pages continue below a version.
import type { ObjectType, Role } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import { rowToObject, TABLE_OF, type StoredObject } from '../repos/objects.ts';
import { excerptOf, Related, TOLD_TYPES, WORTH_TELLING } from './tell.ts';

export interface ActivityEvent {
  version: number;
  type: ObjectType;
  id: string;
  /** Created by this version (the object's first write), or changed. */
  isNew: boolean;
  verb: string;
  title: string;
  excerpt: string;
  caseIds: string[];
  /** Path of its web page under /l/:lib/. */
  path: string;
  who: { id: string; name: string };
  when: string;
}

export interface ActivityQuery {
  libraryId: string;
  role: Role;
  /** Only changes concerning this case. */
  caseId?: string;
  /** Only clips carrying this tag. */
  tag?: string;
  /** Only versions above this one. */
  since?: number;
  /** Only versions below this one (the cursor of the next page). */
  before?: number;
  limit: number;
}

export interface ActivityPage {
  events: ActivityEvent[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: number;
}


/** Objects read per type and round; a filtered page reads further rounds until it is full. */
const BATCH = 200;
export const MAX_PAGE = 100;

/**
 * How clips are narrowed to a case or a tag. A clip set smaller than this is listed from its
 * link table (IN, by the (library_id, case_id|tag) index); a larger one is checked clip by clip
 * while walking newest first (EXISTS by the link table's primary key). Either way a page reads
 * about as many rows as it shows, for a tag on one clip as for one on every clip.
 */
const SMALL_SET = 2_000;

/** Clips of a case or tag: their ids when few, else how to check each clip. */
type ClipNarrowing = { by: 'case' | 'tag'; value: string; ids?: string[] };

async function clipNarrowing(db: Db, query: ActivityQuery): Promise<ClipNarrowing | undefined> {
  const by = query.caseId ? 'case' : query.tag !== undefined ? 'tag' : undefined;
  if (!by) return undefined;
  const value = (by === 'case' ? query.caseId : query.tag)!;
  const rows =
    by === 'case'
      ? await db.selectFrom('clip_cases').select('clip_id').where('library_id', '=', query.libraryId).where('case_id', '=', value).limit(SMALL_SET + 1).execute()
      : await db.selectFrom('clip_tags').select('clip_id').where('library_id', '=', query.libraryId).where('tag', '=', value).limit(SMALL_SET + 1).execute();
  return rows.length <= SMALL_SET ? { by, value, ids: rows.map((row) => row.clip_id) } : { by, value };
}

/** Rows of one type in a version window, newest first. */
async function window(db: Db, type: ObjectType, query: ActivityQuery, below: number, limit: number, narrowing: ClipNarrowing | undefined): Promise<StoredObject[]> {
  if (type === 'clip' && narrowing?.ids) return clipsByIds(db, query, below, limit, narrowing.ids);
  let select = db
    .selectFrom(TABLE_OF[type])
    .selectAll()
    .where('library_id', '=', query.libraryId)
    .where('deleted', '=', 0)
    .where('version', '<', below)
    .where('version', '>', query.since ?? 0);
  if (type === 'clip' && narrowing) {
    const table = TABLE_OF[type];
    const { value } = narrowing;
    select =
      narrowing.by === 'case'
        ? select.where((eb) => eb.exists(eb.selectFrom('clip_cases').select('clip_cases.clip_id').whereRef('clip_cases.clip_id', '=', `${table}.id` as 'clips.id').where('clip_cases.case_id', '=', value)))
        : select.where((eb) => eb.exists(eb.selectFrom('clip_tags').select('clip_tags.clip_id').whereRef('clip_tags.clip_id', '=', `${table}.id` as 'clips.id').where('clip_tags.tag', '=', value)));
  }
  const rows = await select.orderBy('version', 'desc').limit(limit).execute();
  return rows.map((row) => rowToObject(type, row));
}

/**
 * A few clips by id, newest first: versions first (500 ids a query, well under both stores'
 * bound-parameter limits), then only the rows the page needs, whole.
 */
async function clipsByIds(db: Db, query: ActivityQuery, below: number, limit: number, ids: string[]): Promise<StoredObject[]> {
  const heads: Array<{ id: string; version: number }> = [];
  for (let start = 0; start < ids.length; start += 500) {
    // By primary key only, filtered here: with the version range in SQL, SQLite prefers walking
    // the (library_id, version) index over the whole library.
    const rows = await db.selectFrom('clips').select(['id', 'version', 'library_id', 'deleted']).where('id', 'in', ids.slice(start, start + 500)).execute();
    for (const row of rows) {
      const version = Number(row.version);
      if (row.library_id === query.libraryId && Number(row.deleted) === 0 && version < below && version > (query.since ?? 0)) heads.push({ id: row.id, version });
    }
  }
  const wanted = heads.sort((a, b) => b.version - a.version).slice(0, limit).map((head) => head.id);
  if (!wanted.length) return [];
  const rows = await db.selectFrom('clips').selectAll().where('id', 'in', wanted).orderBy('version', 'desc').execute();
  return rows.map((row) => rowToObject('clip', row));
}

/** Names of the people on a page, in one query. */
export async function namesOf(db: Db, userIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)].filter(Boolean);
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Describes objects as activity lines for a member with `role`; objects they may not see are dropped. */
export async function describe(db: Db, libraryId: string, role: Role, objects: StoredObject[], related = new Related(db, libraryId)): Promise<ActivityEvent[]> {
  const names = await namesOf(db, objects.map((object) => object.updatedBy));
  const events: ActivityEvent[] = [];
  for (const object of objects) {
    const teller = WORTH_TELLING[object.type];
    if (!teller || object.deleted || (teller.visibleTo && !teller.visibleTo(object, role))) continue;
    // A comment on an object hidden from this member is hidden with it.
    if (object.type === 'comment') {
      const target = await related.get(object.fields.targetType as ObjectType, object.fields.targetId);
      if (!target || target.deleted) continue;
    }
    const isNew = object.createdAt === object.updatedAt;
    events.push({
      version: object.version,
      type: object.type,
      id: object.id,
      isNew,
      verb: teller.verb(object, isNew),
      title: await teller.title(object, related),
      excerpt: excerptOf(object),
      caseIds: await teller.cases(object, related),
      path: await teller.path(object, related),
      who: { id: object.updatedBy, name: names.get(object.updatedBy) ?? 'someone no longer here' },
      when: object.updatedAt,
    });
  }
  return events;
}

/**
 * One page of activity, newest first. Each told type is read in a version window below the
 * cursor; everything above the highest "bottom" of a full window is complete across types, so
 * it can be filtered and returned in version order without missing an older row of another type.
 */
export async function activityPage(db: Db, query: ActivityQuery): Promise<ActivityPage> {
  const limit = Math.max(1, Math.min(MAX_PAGE, query.limit));
  const related = new Related(db, query.libraryId);
  const types = query.tag !== undefined ? (['clip'] as ObjectType[]) : TOLD_TYPES;
  const events: ActivityEvent[] = [];
  let below = query.before ?? Number.MAX_SAFE_INTEGER;
  const narrowing = await clipNarrowing(db, query);
  for (;;) {
    const windows = await Promise.all(types.map((type) => window(db, type, query, below, BATCH, narrowing)));
    let horizon = 0;
    for (const rows of windows) if (rows.length === BATCH) horizon = Math.max(horizon, rows[rows.length - 1]!.version);
    const candidates = windows
      .flat()
      .filter((object) => object.version >= horizon)
      .sort((a, b) => b.version - a.version);
    for (const event of await describe(db, query.libraryId, query.role, candidates, related)) {
      if (query.caseId && !event.caseIds.includes(query.caseId)) continue;
      events.push(event);
      if (events.length === limit) return { events, next: event.version };
    }
    if (horizon === 0) return { events };
    below = horizon;
  }
}
