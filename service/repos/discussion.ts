// Reads of the discussion objects (issue 14) for the web pages, the plenary report and the
// extension's counts. Every query is scoped by library id first; another library's rows never show.
import type { Db } from '../db/schema.ts';
import { rowToObject, type StoredObject } from './objects.ts';

const CHUNK = 500;

/** Questions of a library (live), newest first; of one case when caseId is given. */
export async function questionsOf(db: Db, libraryId: string, options: { caseId?: string; openOnly?: boolean } = {}): Promise<StoredObject<'question'>[]> {
  let query = db.selectFrom('questions').selectAll().where('library_id', '=', libraryId).where('deleted', '=', 0);
  if (options.caseId) query = query.where('case_id', '=', options.caseId);
  if (options.openOnly) query = query.where('status', '=', 'open');
  const rows = await query.orderBy('created_at', 'desc').limit(1000).execute();
  return rows.map((row) => rowToObject('question', row));
}

/** Open questions addressed to a member, newest first. */
export async function openQuestionsFor(db: Db, libraryId: string, userId: string): Promise<StoredObject<'question'>[]> {
  const open = await questionsOf(db, libraryId, { openOnly: true });
  return open.filter((question) => Array.isArray(question.fields.addressedTo) && question.fields.addressedTo.includes(userId));
}

/** Live replies of some questions, oldest first. */
export async function repliesOf(db: Db, libraryId: string, questionIds: string[]): Promise<StoredObject<'reply'>[]> {
  const out: StoredObject<'reply'>[] = [];
  for (let start = 0; start < questionIds.length; start += CHUNK) {
    const rows = await db
      .selectFrom('replies')
      .selectAll()
      .where('library_id', '=', libraryId)
      .where('question_id', 'in', questionIds.slice(start, start + CHUNK))
      .where('deleted', '=', 0)
      .orderBy('version')
      .execute();
    out.push(...rows.map((row) => rowToObject('reply', row)));
  }
  return out;
}

/** Comments on one object, tombstones included (a deleted comment keeps its place in the thread), in the order written. */
export async function commentsOn(db: Db, libraryId: string, targetType: string, targetId: string): Promise<StoredObject<'comment'>[]> {
  const rows = await db
    .selectFrom('comments')
    .selectAll()
    .where('library_id', '=', libraryId)
    .where('target_id', '=', targetId)
    .where('target_type', '=', targetType)
    .orderBy('created_at')
    .orderBy('version')
    .limit(2000)
    .execute();
  return rows.map((row) => rowToObject('comment', row));
}

/** Live comments on each of some objects, counted. */
export async function commentCounts(db: Db, libraryId: string, targetIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let start = 0; start < targetIds.length; start += CHUNK) {
    const rows = await db
      .selectFrom('comments')
      .select(['target_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('library_id', '=', libraryId)
      .where('target_id', 'in', targetIds.slice(start, start + CHUNK))
      .where('deleted', '=', 0)
      .groupBy('target_id')
      .execute();
    for (const row of rows) counts.set(row.target_id, Number(row.n));
  }
  return counts;
}

/** Common issues of a library, most supported first. */
export async function commonIssuesOf(db: Db, libraryId: string): Promise<StoredObject<'commonIssue'>[]> {
  const rows = await db.selectFrom('common_issues').selectAll().where('library_id', '=', libraryId).where('deleted', '=', 0).limit(1000).execute();
  const issues = rows.map((row) => rowToObject('commonIssue', row));
  const support = (issue: StoredObject<'commonIssue'>) => (Array.isArray(issue.fields.supporters) ? issue.fields.supporters.length : 0);
  return issues.sort((a, b) => support(b) - support(a) || a.createdAt.localeCompare(b.createdAt));
}

export interface SiteDiscussion {
  /** Live comments on the site's clips and on its companies' scans. */
  comments: number;
  /** Open questions of the cases that hold the site's clips. */
  openQuestions: number;
  /** Web-library paths (relative to the server) where they are read. */
  links: { comments: string | null; questions: string | null };
}

/**
 * The discussion around a site, for the extension's popup and side panel (issue 14, item 5):
 * counts and where to read them, and each given clip's own comment count.
 */
export async function siteDiscussion(
  db: Db,
  libraryId: string,
  input: { site: string; companyIds: string[]; scanIds: string[]; clipIds: string[] },
): Promise<{ summary: SiteDiscussion; clipComments: Map<string, number> }> {
  const { site, companyIds, scanIds, clipIds } = input;
  // Driven from the site's clips (the domain and company indexes), then by each clip's comments
  // (comments_target): cost follows the site's size, not the library's count of comments.
  const siteClips = () =>
    db
      .selectFrom('clips')
      .where('clips.library_id', '=', libraryId)
      .where('clips.deleted', '=', 0)
      .where((eb) => (companyIds.length ? eb.or([eb('clips.domain', '=', site), eb('clips.company_id', 'in', companyIds)]) : eb('clips.domain', '=', site)));
  const onClips = await siteClips()
    .innerJoin('comments', (join) => join.onRef('comments.target_id', '=', 'clips.id').on('comments.target_type', '=', 'clip'))
    // No comments.library_id test: a comment on a clip is in the clip's library (push checks the
    // target), and that test led SQLite to walk all the library's comments instead (6 ms for 2,000).
    .where('comments.deleted', '=', 0)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const onScans = scanIds.length
    ? await db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('target_id', 'in', scanIds)
        .where('target_type', '=', 'scan')
        .where('library_id', '=', libraryId)
        .where('deleted', '=', 0)
        .executeTakeFirstOrThrow()
    : { n: 0 };
  const caseRows = await siteClips().innerJoin('clip_cases', 'clip_cases.clip_id', 'clips.id').select('clip_cases.case_id').distinct().limit(500).execute();
  const questionRows = caseRows.length
    ? await db
        .selectFrom('questions')
        .select(['id', 'case_id'])
        .where('library_id', '=', libraryId)
        .where('case_id', 'in', caseRows.map((row) => row.case_id))
        .where('deleted', '=', 0)
        .where('status', '=', 'open')
        .limit(1000)
        .execute()
    : [];
  const commentRow = { n: Number(onClips.n) + Number(onScans.n) };
  const clipComments = await commentCounts(db, libraryId, clipIds);
  const comments = Number(commentRow.n);
  const cases = [...new Set(questionRows.map((row) => row.case_id))];
  const base = `/l/${libraryId}/`;
  const commentedClip = clipIds.find((id) => (clipComments.get(id) ?? 0) > 0);
  return {
    summary: {
      comments,
      openQuestions: questionRows.length,
      links: {
        comments: comments === 0 ? null : companyIds.length === 1 && scanIds.length ? `${base}companies/${companyIds[0]}` : commentedClip ? `${base}clips/${commentedClip}#discussion-${commentedClip}` : null,
        questions: questionRows.length === 0 ? null : cases.length === 1 ? `${base}cases/${cases[0]}#questions-h` : `${base}questions`,
      },
    },
    clipComments,
  };
}
