// The activity of a library or a case, read from the objects' own versions (DESIGN.md "Sync
// protocol": every accepted write stamps the object with the new library version). Each live
// object appears once, at its latest version, newest first; pages continue below a version.
import type { ActivityEvent } from '../../shared/api.ts';
import type { ObjectType, Role } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import { clipIdsOf, clipsByIds, namesOf, objectsInWindow } from '../repos/activity.ts';
import type { StoredObject } from '../repos/objects.ts';
import { excerptOf, Related, TOLD_TYPES, WORTH_TELLING } from './tell.ts';

/** One event of the stream: the API's declaration (shared/api.ts), used as is. */
export type { ActivityEvent };

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
  const ids = await clipIdsOf(db, query.libraryId, by, value, SMALL_SET + 1);
  return ids.length <= SMALL_SET ? { by, value, ids } : { by, value };
}

/** Rows of one type in a version window, newest first. */
async function window(db: Db, type: ObjectType, query: ActivityQuery, below: number, limit: number, narrowing: ClipNarrowing | undefined): Promise<StoredObject[]> {
  const w = { libraryId: query.libraryId, after: query.since ?? 0, before: below, limit };
  if (type === 'clip' && narrowing?.ids) return clipsByIds(db, w, narrowing.ids);
  const clipsIn = type === 'clip' && narrowing ? (narrowing.by === 'case' ? { cases: [narrowing.value] } : { tag: narrowing.value }) : undefined;
  return objectsInWindow(db, type, { ...w, ...(clipsIn ? { clipsIn } : {}) });
}

export { namesOf };

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
