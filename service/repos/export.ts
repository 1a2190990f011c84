// Reads the objects an export holds, a page at a time so that a large library is never all in
// memory: the whole library (tombstones included, for a faithful copy) or one case and what it uses.
import type { Db } from '../db/schema.ts';
import { OBJECT_TYPES, type ObjectType, type Role } from '../../shared/model.ts';
import { rowToObject, TABLE_OF, type StoredObject } from './objects.ts';

export interface ExportScope {
  libraryId: string;
  /** Only this case, its clips, its scans with their answers, and the companies they name. */
  caseId?: string;
  /**
   * Who downloads it (web and API): a hidden comment's text goes only to admins and its author,
   * as in a pull. The command line (run by whoever holds the store) leaves it out and gets all.
   */
  viewer?: { role: string; userId: string };
}

export type ExportProgress = (done: number, total: number) => void;

const PAGE = 500;
type Row = Parameters<typeof rowToObject>[1];

/** Ids of each type inside a case scope (undefined: the whole library). */
export async function scopeIds(db: Db, scope: ExportScope): Promise<Record<ObjectType, string[]> | undefined> {
  const { libraryId, caseId } = scope;
  if (!caseId) return undefined;
  const clipRows = await db
    .selectFrom('clip_cases')
    .innerJoin('clips', 'clips.id', 'clip_cases.clip_id')
    .select(['clips.id', 'clips.company_id'])
    .where('clip_cases.library_id', '=', libraryId)
    .where('clip_cases.case_id', '=', caseId)
    .where('clips.deleted', '=', 0)
    .execute();
  const scanRows = await db.selectFrom('scans').select(['id', 'company_id']).where('library_id', '=', libraryId).where('case_id', '=', caseId).where('deleted', '=', 0).execute();
  const scanIds = scanRows.map((row) => row.id);
  const answerRows = scanIds.length
    ? await db.selectFrom('answers').select('id').where('library_id', '=', libraryId).where('scan_id', 'in', scanIds).where('deleted', '=', 0).execute()
    : [];
  const companies = new Set<string>();
  for (const row of [...clipRows, ...scanRows]) if (row.company_id) companies.add(row.company_id);
  // The case's questions with their replies, and the comments on everything the scope holds.
  const questionIds = (await db.selectFrom('questions').select('id').where('library_id', '=', libraryId).where('case_id', '=', caseId).execute()).map((row) => row.id);
  const replyIds = await idsWhereIn(db, 'replies', 'question_id', libraryId, questionIds);
  const commentIds = await idsWhereIn(db, 'comments', 'target_id', libraryId, [caseId, ...clipRows.map((row) => row.id), ...scanIds, ...questionIds]);
  return {
    case: [caseId],
    clip: clipRows.map((row) => row.id),
    company: [...companies],
    scan: scanIds,
    answer: answerRows.map((row) => row.id),
    question: questionIds,
    reply: replyIds,
    comment: commentIds,
    // Common issues span cases: a case's export leaves the plenary to the library's.
    commonIssue: [],
  };
}

async function idsWhereIn(db: Db, table: 'replies' | 'comments', column: 'question_id' | 'target_id', libraryId: string, values: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < values.length; start += PAGE) {
    const rows = await db.selectFrom(table).select('id').where('library_id', '=', libraryId).where(column, 'in', values.slice(start, start + PAGE)).orderBy('version').execute();
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

export async function countObjects(db: Db, scope: ExportScope): Promise<number> {
  const ids = await scopeIds(db, scope);
  if (ids) return OBJECT_TYPES.reduce((sum, type) => sum + ids[type].length, 0);
  let total = 0;
  for (const type of OBJECT_TYPES) {
    const row = await db.selectFrom(TABLE_OF[type]).select((eb) => eb.fn.countAll<number>().as('n')).where('library_id', '=', scope.libraryId).executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}

/**
 * Every object of the scope, in an order an import can replay: companies and cases before the
 * clips and scans that point at them, answers last; clips oldest first so search keeps its order.
 */
export async function* readObjects(
  db: Db,
  scope: ExportScope,
  types: readonly ObjectType[] = ['company', 'case', 'clip', 'scan', 'answer', 'question', 'reply', 'comment', 'commonIssue'],
): AsyncGenerator<StoredObject> {
  const ids = await scopeIds(db, scope);
  for (const type of types) {
    const table = TABLE_OF[type];
    if (ids) {
      const list = ids[type];
      for (let start = 0; start < list.length; start += PAGE) {
        const chunk = list.slice(start, start + PAGE);
        const rows = await db.selectFrom(table).selectAll().where('library_id', '=', scope.libraryId).where('id', 'in', chunk).execute();
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const id of chunk) {
          const row = byId.get(id);
          if (row) yield rowToObject(type, row as Row);
        }
      }
      continue;
    }
    if (type === 'clip') {
      // Keyset paging on the clip's integer key: stable while others write, no OFFSET scans.
      let after = -1;
      for (;;) {
        const rows = await db.selectFrom('clips').selectAll().where('library_id', '=', scope.libraryId).where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
        for (const row of rows) yield rowToObject('clip', row as unknown as Row);
        if (rows.length < PAGE) break;
        after = Number(rows[rows.length - 1]!.seq);
      }
      continue;
    }
    if (type === 'comment') {
      // In the order they were written, so that a reply's parent comes before it.
      let after = -1;
      for (;;) {
        const rows = await db.selectFrom('comments').selectAll().where('library_id', '=', scope.libraryId).where('version', '>', after).orderBy('version').limit(PAGE).execute();
        for (const row of rows) yield rowToObject('comment', row as Row);
        if (rows.length < PAGE) break;
        after = Number(rows[rows.length - 1]!.version);
      }
      continue;
    }
    let after = '';
    for (;;) {
      const rows = await db.selectFrom(table).selectAll().where('library_id', '=', scope.libraryId).where('id', '>', after).orderBy('id').limit(PAGE).execute();
      for (const row of rows) yield rowToObject(type, row as Row);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** Whether a library holds any object (tombstones included): an import goes into an empty one only. */
export async function libraryHoldsObjects(db: Db, libraryId: string): Promise<boolean> {
  for (const type of OBJECT_TYPES) {
    const row = await db.selectFrom(TABLE_OF[type]).select('id').where('library_id', '=', libraryId).limit(1).executeTakeFirst();
    if (row) return true;
  }
  return false;
}

/** The first of these ids of a type that exists already in this store (ids are global), with its library. */
export async function firstTakenId(db: Db, type: ObjectType, ids: string[]): Promise<{ id: string; libraryId: string } | undefined> {
  for (let start = 0; start < ids.length; start += PAGE) {
    const taken = await db.selectFrom(TABLE_OF[type]).select(['id', 'library_id']).where('id', 'in', ids.slice(start, start + PAGE)).limit(1).executeTakeFirst();
    if (taken) return { id: taken.id, libraryId: taken.library_id };
  }
  return undefined;
}

/** A user by id, else by (normalised) e-mail. */
export async function findUserByIdOrEmail(db: Db, id: string, email: string): Promise<string | undefined> {
  const byId = await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
  if (byId) return byId.id;
  const byEmail = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  return byEmail?.id;
}

/** An imported member without an account here: no password (they sign in through a link an admin makes). */
export async function createImportedUser(db: Db, user: { id: string; email: string; name: string; organisation: string; intro: string; createdAt: string }): Promise<void> {
  await db
    .insertInto('users')
    .values({ id: user.id, email: user.email, name: user.name, organisation: user.organisation, intro: user.intro, password_hash: null, created_at: user.createdAt })
    .execute();
}

/**
 * Adds an imported member to the library. Someone already in it keeps the role they have here:
 * a file never demotes (or promotes) a member, and never leaves the library without its admin.
 */
export async function addImportedMember(db: Db, libraryId: string, userId: string, role: Role, createdAt: string): Promise<void> {
  await db.insertInto('memberships').values({ library_id: libraryId, user_id: userId, role, created_at: createdAt }).onConflict((oc) => oc.columns(['library_id', 'user_id']).doNothing()).execute();
}
