// Read queries the web pages need beyond the API's read models: scans in progress, companies,
// lesson clips, member names. Every query is scoped by library id first.
import type { Db } from '../db/schema.ts';
import { membersOf } from '../repos/accounts.ts';
import { answersOf, liveObjects } from '../repos/library-read.ts';
import type { StoredObject } from '../repos/objects.ts';

export { answersOf, clipNotes, liveObjects } from '../repos/library-read.ts';
import { searchClips, type ClipHit } from '../search/clips.ts';
import { sectionsFor } from './scan-sections.ts';

export async function memberDirectory(db: Db, libraryId: string) {
  const members = await membersOf(db, libraryId);
  return { members, byId: new Map(members.map((member) => [member.id, member])) };
}

export interface ScanProgress {
  scan: StoredObject<'scan'>;
  company: StoredObject<'company'> | undefined;
  answered: number;
  total: number;
}

/** Scans with their company and how many template questions have an answer. */
export async function scanProgress(db: Db, libraryId: string, scans: StoredObject<'scan'>[]): Promise<ScanProgress[]> {
  const companies = await liveObjects(db, libraryId, 'company', [...new Set(scans.map((scan) => String(scan.fields.companyId)))]);
  const answers = await answersOf(db, libraryId, scans.map((scan) => scan.id));
  return scans.map((scan) => {
    const keys = sectionsFor(String(scan.fields.templateId)).flatMap((section) => section.questions.map((question) => question.key));
    const answeredKeys = new Set(answers.filter((a) => a.fields.scanId === scan.id && hasValue(a.fields.value)).map((a) => String(a.fields.field)));
    return {
      scan,
      company: companies.find((company) => company.id === scan.fields.companyId),
      answered: keys.filter((key) => answeredKeys.has(key)).length,
      total: keys.length,
    };
  });
}

export function hasValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Tags that mark a clip as input for the plenary: lessons and common issues. */
export const LESSON_TAGS = ['lesson', 'lessons', 'lesson learned', 'lessons learned', 'common issue', 'common issues', 'common-issue'];

/** Every live clip carrying one of the lesson tags, newest first (a few hundred at most in practice). */
export async function lessonClips(db: Db, libraryId: string): Promise<ClipHit[]> {
  const seen = new Map<string, ClipHit>();
  for (const tag of LESSON_TAGS) {
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await searchClips(db, { libraryId, tag, limit: 100, ...(cursor ? { cursor } : {}) });
      for (const clip of result.clips) seen.set(clip.id, clip);
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
  }
  return [...seen.values()].sort((a, b) => b.capturedAt.localeCompare(a.capturedAt));
}
