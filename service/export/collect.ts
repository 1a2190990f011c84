// Reads the objects an export holds, a page at a time so that a large library is never all in
// memory: the whole library (tombstones included, for a faithful copy) or one case and what it uses.
import { redactHidden } from '../sync/discussion.ts';
import type { Db } from '../db/schema.ts';
import { OBJECT_TYPES, type ObjectType } from '../../shared/model.ts';
import { rowToObject, TABLE_OF, type StoredObject } from '../repos/objects.ts';

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
export async function* exportObjects(
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
          if (row) yield shown(rowToObject(type, row as Row), scope);
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
        for (const row of rows) yield shown(rowToObject('comment', row as Row), scope);
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

/** An object as the export's viewer may see it (hidden comments redacted as a pull does). */
function shown(object: StoredObject, scope: ExportScope): StoredObject {
  return scope.viewer ? redactHidden([object], scope.viewer.role, scope.viewer.userId)[0]! : object;
}
