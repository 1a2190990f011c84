// Read models of a library for the API and the web library: cases, scans, companies.
import type { ExpressionBuilder } from 'kysely';
import type { Database, Db } from '../db/schema.ts';
import { loadLive, publicObject, rowToObject, type StoredObject } from './objects.ts';
import { siteKeyOfHost } from '../../shared/site.ts';
import { siteDiscussion } from './discussion.ts';
import type { ClipSummary } from '../../shared/api.ts';

export async function listCases(db: Db, libraryId: string) {
  const rows = await db.selectFrom('cases').selectAll().where('library_id', '=', libraryId).where('deleted', '=', 0).orderBy('updated_at', 'desc').execute();
  // clip_cases holds live clips only (objects.ts reindex drops a deleted clip's rows), so the
  // counts come from its (library_id, case_id) index alone: joining every clip of the library to
  // check it was live took 200 ms a request at 100,000 clips and held the event loop that long.
  const counts = await db
    .selectFrom('clip_cases')
    .select(['case_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('library_id', '=', libraryId)
    .groupBy('case_id')
    .execute();
  const countOf = new Map(counts.map((row) => [row.case_id, Number(row.n)]));
  return rows.map((row) => {
    const object = rowToObject('case', row);
    return { ...publicObject(object), clipCount: countOf.get(object.id) ?? 0 };
  });
}

/** How many clip summaries a case answers with (GET …/cases/:id): the newest, as the clip list orders them. */
export const CASE_CLIPS_SHOWN = 200;

/** A clip as a case lists it: its fields without the captured text. */
function clipSummary(row: Parameters<typeof rowToObject>[1]): ClipSummary {
  const { html: _html, markdown: _markdown, text: _text, ...rest } = publicObject(rowToObject('clip', row));
  return rest;
}

/**
 * A case, its live scans and its newest live clips (at most `shown`, newest first by seq as the
 * clip list orders them) with the count of all of them: a case may hold thousands of clips,
 * and the store orders, limits and counts them so that only the page shown is read.
 */
export async function getCaseDetail(db: Db, libraryId: string, caseId: string, shown = CASE_CLIPS_SHOWN) {
  const found = await loadLive(db, libraryId, 'case', caseId);
  if (!found) return undefined;
  const clips = await db
    .selectFrom('clip_cases')
    .innerJoin('clips', 'clips.id', 'clip_cases.clip_id')
    .where('clip_cases.library_id', '=', libraryId)
    .where('clip_cases.case_id', '=', caseId)
    .where('clips.library_id', '=', libraryId)
    .where('clips.deleted', '=', 0)
    .selectAll('clips')
    .orderBy('clips.seq', 'desc')
    .limit(shown)
    .execute();
  // Counted as the case list counts: clip_cases holds live clips only.
  const counted = await db.selectFrom('clip_cases').select((eb) => eb.fn.countAll<number>().as('n')).where('library_id', '=', libraryId).where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return {
    case: publicObject(found),
    clips: clips.map(clipSummary),
    clipsTotal: Number(counted.n),
    scans: (await scansOfCase(db, libraryId, caseId)).map(publicObject),
  };
}

/** A case's live company scans (the case page lists them). */
export async function scansOfCase(db: Db, libraryId: string, caseId: string): Promise<StoredObject<'scan'>[]> {
  const rows = await db.selectFrom('scans').selectAll().where('library_id', '=', libraryId).where('case_id', '=', caseId).where('deleted', '=', 0).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => rowToObject('scan', row));
}

export async function getScanDetail(db: Db, libraryId: string, scanId: string) {
  const scan = await loadLive(db, libraryId, 'scan', scanId);
  if (!scan) return undefined;
  const company = await loadLive(db, libraryId, 'company', scan.fields.companyId);
  const answers = await db.selectFrom('answers').selectAll().where('library_id', '=', libraryId).where('scan_id', '=', scanId).where('deleted', '=', 0).orderBy('field').execute();
  return {
    scan: publicObject(scan),
    company: company ? publicObject(company) : null,
    answers: answers.map((row) => publicObject(rowToObject('answer', row))),
  };
}

/**
 * What the library holds for a site: companies whose domains share the registrable domain,
 * their scans with who answered, and clips captured on that site.
 */
export async function companiesForDomain(db: Db, libraryId: string, domain: string) {
  const registrable = siteKeyOfHost(domain);
  if (!registrable) return [];
  const domainRows = await db
    .selectFrom('company_domains')
    .select(['company_id', 'domain'])
    .where('library_id', '=', libraryId)
    .where((eb) => eb.or([eb('domain', '=', registrable), eb('domain', 'like', `%.${registrable.replace(/[%_]/g, '')}`)]))
    .execute();
  const companyIds = [...new Set(domainRows.map((row) => row.company_id))];
  const result = [];
  for (const companyId of companyIds) {
    const company = await loadLive(db, libraryId, 'company', companyId);
    if (!company) continue;
    result.push(await companySummary(db, libraryId, company));
  }
  return result;
}

async function companySummary(db: Db, libraryId: string, company: StoredObject<'company'>) {
  const scans = await db.selectFrom('scans').selectAll().where('library_id', '=', libraryId).where('company_id', '=', company.id).where('deleted', '=', 0).execute();
  const scanSummaries = [];
  for (const row of scans) {
    const scan = rowToObject('scan', row);
    const answerers = await db
      .selectFrom('answers')
      .innerJoin('users', 'users.id', 'answers.updated_by')
      .select(['users.name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('answers.scan_id', '=', scan.id)
      .where('answers.deleted', '=', 0)
      .groupBy('users.name')
      .execute();
    scanSummaries.push({
      id: scan.id,
      version: scan.version,
      status: scan.fields.status,
      caseId: scan.fields.caseId,
      templateId: scan.fields.templateId,
      answeredBy: answerers.map((a) => a.name),
      answerCount: answerers.reduce((sum, a) => sum + Number(a.n), 0),
    });
  }
  const clips = await db
    .selectFrom('clips')
    .innerJoin('users', 'users.id', 'clips.captured_by')
    .select(['clips.id', 'clips.title', 'clips.url', 'users.name as capturedBy'])
    .where('clips.library_id', '=', libraryId)
    .where('clips.company_id', '=', company.id)
    .where('clips.deleted', '=', 0)
    .orderBy('clips.seq', 'desc')
    .limit(10)
    .execute();
  const clipCount = await db
    .selectFrom('clips')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('library_id', '=', libraryId)
    .where('company_id', '=', company.id)
    .where('deleted', '=', 0)
    .executeTakeFirstOrThrow();
  return { ...publicObject(company), scans: scanSummaries, clipCount: Number(clipCount.n), recentClips: clips };
}

/** How many recent clips of a site the holdings answer lists. */
const RECENT_CLIPS = 10;

/**
 * What the library holds for a site, counted (issue 10): the clips made on its registrable
 * domain or filed under one of its companies, the scans of those companies, and the companies
 * with their scans. The badge shows these counts; the side panel lists them.
 */
export async function holdingsForDomain(db: Db, libraryId: string, domain: string) {
  const site = siteKeyOfHost(domain);
  if (!site) return null;
  const companies = await companiesForDomain(db, libraryId, site);
  const companyIds = companies.map((company) => company.id);
  const ofSite = (eb: ExpressionBuilder<Database, 'clips'>) =>
    companyIds.length ? eb.or([eb('clips.domain', '=', site), eb('clips.company_id', 'in', companyIds)]) : eb('clips.domain', '=', site);
  const clipsOf = () => db.selectFrom('clips').where('clips.library_id', '=', libraryId).where('clips.deleted', '=', 0);
  const counted = await clipsOf().where(ofSite).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const recentClips = await clipsOf()
    .where(ofSite)
    .innerJoin('users', 'users.id', 'clips.captured_by')
    .select(['clips.id', 'clips.title', 'clips.url', 'clips.kind', 'users.name as capturedBy'])
    .orderBy('clips.seq', 'desc')
    .limit(RECENT_CLIPS)
    .execute();
  // Comments and open questions around the site, and each recent clip's comments (issue 14).
  const scanIds = companies.flatMap((company) => company.scans.map((scan) => scan.id));
  const talk = await siteDiscussion(db, libraryId, { site, companyIds, scanIds, clipIds: recentClips.map((clip) => clip.id) });
  return {
    site,
    clipCount: Number(counted.n),
    scanCount: companies.reduce((sum, company) => sum + company.scans.length, 0),
    companies,
    recentClips: recentClips.map((clip) => ({ ...clip, comments: talk.clipComments.get(clip.id) ?? 0 })),
    discussion: talk.summary,
  };
}

/** Live companies, scans or cases of a library (all, or these ids). */
export async function liveObjects<T extends 'company' | 'scan' | 'case'>(db: Db, libraryId: string, type: T, ids?: string[]): Promise<StoredObject<T>[]> {
  const table = type === 'company' ? 'companies' : type === 'scan' ? 'scans' : 'cases';
  if (ids && ids.length === 0) return [];
  let query = db.selectFrom(table).selectAll().where('library_id', '=', libraryId).where('deleted', '=', 0);
  if (ids) query = query.where('id', 'in', ids);
  const rows = await query.execute();
  return rows.map((row) => rowToObject(type, row));
}

export async function answersOf(db: Db, libraryId: string, scanIds: string[]): Promise<StoredObject<'answer'>[]> {
  if (scanIds.length === 0) return [];
  const rows = await db.selectFrom('answers').selectAll().where('library_id', '=', libraryId).where('scan_id', 'in', scanIds).where('deleted', '=', 0).execute();
  return rows.map((row) => rowToObject('answer', row));
}

/** Each clip's note, by clip id. */
export async function clipNotes(db: Db, libraryId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('clips').select(['id', 'data']).where('library_id', '=', libraryId).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, String((JSON.parse(row.data) as { note?: string }).note ?? '')]));
}
