// What is worth telling about each type of synced object, in one table keyed by type: the phrase
// an activity line shows, the cases it concerns (for per-case activity and the subgroup rule),
// where it is read on the web, and who may see it. A type absent from the table is not told.
import type { ObjectType, Role } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import { loadObject, type StoredObject } from '../repos/objects.ts';

/** Loads the objects an activity line refers to (a reply's question, an answer's scan), once per request. */
export class Related {
  private readonly cache = new Map<string, Promise<StoredObject | undefined>>();
  constructor(
    private readonly db: Db,
    private readonly libraryId: string,
  ) {}

  get<T extends ObjectType>(type: T, id: unknown): Promise<StoredObject<T> | undefined> {
    if (typeof id !== 'string' || !id) return Promise.resolve(undefined);
    const key = `${type}:${id}`;
    let found = this.cache.get(key);
    if (!found) {
      found = loadObject(this.db, type, id).then((object) => (object && object.libraryId === this.libraryId ? object : undefined));
      this.cache.set(key, found);
    }
    // The key holds the type: what it finds is of that type.
    return found as Promise<StoredObject<T> | undefined>;
  }
}

/** What is told of one type; its methods read that type's fields, typed (shared/model.ts). */
export interface TellingOf<T extends ObjectType> {
  /** "clipped", "asked", … in the past tense; `isNew` says whether this version created it. */
  verb(object: StoredObject<T>, isNew: boolean): string;
  /** A one-line title of the object. */
  title(object: StoredObject<T>, related: Related): Promise<string>;
  /** The cases the change concerns. */
  cases(object: StoredObject<T>, related: Related): Promise<string[]>;
  /** Path of the web page that shows it, under /l/:lib/. */
  path(object: StoredObject<T>, related: Related): Promise<string>;
  /** Whether a member with this role may see it (default: every member). */
  visibleTo?(object: StoredObject<T>, role: Role): boolean;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const some = (value: string | null | undefined): string[] => (value ? [value] : []);
const oneLine = (value: string, max = 120): string => {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const changed = (isNew: boolean, added: string, edited: string) => (isNew ? added : edited);

async function caseOfScan(scan: StoredObject<'scan'> | undefined): Promise<string[]> {
  return some(scan?.fields.caseId);
}

/** Cases a comment's target belongs to. */
async function casesOfTarget(object: StoredObject<'comment'>, related: Related): Promise<string[]> {
  const { targetType, targetId } = object.fields;
  if (targetType === 'case') return [targetId];
  const teller = WORTH_TELLING[targetType];
  const target = teller ? await related.get(targetType, targetId) : undefined;
  return target && teller ? teller.cases(target, related) : [];
}

const TELLERS: { [T in ObjectType]?: TellingOf<T> } = {
  clip: {
    verb: (_clip, isNew) => changed(isNew, 'clipped', 'updated the clip'),
    title: async (clip) => oneLine(clip.fields.title || clip.fields.url),
    cases: async (clip) => clip.fields.caseIds,
    path: async (clip) => `clips/${clip.id}`,
  },
  case: {
    // fieldVersions says which long text this version wrote (apply.ts): lessons are worth naming.
    verb: (item, isNew) => changed(isNew, 'opened the case', item.fieldVersions.lessons === item.version ? 'added lessons to the case' : 'updated the case'),
    title: async (item) => oneLine(item.fields.title),
    cases: async (item) => [item.id],
    path: async (item) => `cases/${item.id}`,
  },
  scan: {
    verb: (scan, isNew) => changed(isNew, 'started a company scan', scan.fields.status === 'complete' ? 'completed the company scan' : 'updated the company scan'),
    title: async (scan, related) => oneLine(str((await related.get('company', scan.fields.companyId))?.fields.name) || 'a company'),
    cases: async (scan) => caseOfScan(scan),
    path: async (scan) => `companies/${scan.fields.companyId}`,
  },
  answer: {
    verb: (_answer, isNew) => changed(isNew, 'answered a scan question', 'changed a scan answer'),
    title: async (answer, related) => {
      const scan = await related.get('scan', answer.fields.scanId);
      const company = await related.get('company', scan?.fields.companyId);
      return oneLine(`${str(company?.fields.name) || 'scan'}: ${answer.fields.field}`);
    },
    cases: async (answer, related) => caseOfScan(await related.get('scan', answer.fields.scanId)),
    path: async (answer, related) => `companies/${str((await related.get('scan', answer.fields.scanId))?.fields.companyId)}`,
  },
  question: {
    verb: (question, isNew) => changed(isNew, 'asked', question.fields.status === 'answered' ? 'marked answered' : 'edited the question'),
    title: async (question) => oneLine(question.fields.title),
    cases: async (question) => some(question.fields.caseId),
    path: async (question) => `questions/${question.id}`,
  },
  reply: {
    verb: (reply, isNew) => changed(isNew, 'replied to', reply.fields.helpful ? 'had a reply marked helpful on' : 'edited a reply to'),
    title: async (reply, related) => oneLine(str((await related.get('question', reply.fields.questionId))?.fields.title) || 'a question'),
    cases: async (reply, related) => some((await related.get('question', reply.fields.questionId))?.fields.caseId),
    path: async (reply) => `questions/${reply.fields.questionId}`,
  },
  comment: {
    verb: (_comment, isNew) => changed(isNew, 'commented on', 'edited a comment on'),
    title: async (comment, related) => {
      const { targetType } = comment.fields;
      const teller = WORTH_TELLING[targetType];
      const target = await related.get(targetType, comment.fields.targetId);
      return target && teller ? teller.title(target, related) : `a ${targetType}`;
    },
    cases: casesOfTarget,
    path: async (comment, related) => {
      const { targetType } = comment.fields;
      const teller = WORTH_TELLING[targetType];
      const target = await related.get(targetType, comment.fields.targetId);
      return target && teller ? teller.path(target, related) : '';
    },
    // Admins hide comments; only admins still see them (issue 14).
    visibleTo: (comment, role) => comment.fields.hidden !== true || role === 'admin',
  },
  commonIssue: {
    verb: (_issue, isNew) => changed(isNew, 'raised the common issue', 'updated the common issue'),
    title: async (issue) => oneLine(issue.fields.title),
    cases: async (issue) => issue.fields.caseIds,
    path: async () => 'plenary/report',
  },
};

/** A teller for an object whose type is known only at run time (stream.ts, digest). */
export interface Telling {
  verb(object: StoredObject, isNew: boolean): string;
  title(object: StoredObject, related: Related): Promise<string>;
  cases(object: StoredObject, related: Related): Promise<string[]>;
  path(object: StoredObject, related: Related): Promise<string>;
  visibleTo?(object: StoredObject, role: Role): boolean;
}

/** The table by a type known only at run time: an object is told by its own type's teller. */
export const WORTH_TELLING: Partial<Record<ObjectType, Telling>> = TELLERS;

export const TOLD_TYPES = Object.keys(WORTH_TELLING) as ObjectType[];

/** A short excerpt of what was written, for feeds and mails. */
export function excerptOf(object: StoredObject): string {
  const f = object.fields;
  const text = str(f.body) || str(f.note) || str(f.excerpt) || str(f.description) || str((f.selection as { text?: unknown } | null)?.text) || '';
  return oneLine(text, 300);
}
