// The data model of DESIGN.md, declared once: validation and TypeScript types for the
// objects a library holds. The service validates pushes with it; the extension builds
// mutations with it.
import { z } from 'zod';
import {
  ANSWER_METHODS, CASE_STATUSES, CLIP_KINDS, COMMENT_TARGETS, LIMITS, OBJECT_TYPES, PDF_PAGE_KEPT, QUESTION_STATUSES,
  SCAN_STATUSES, SHAREABLE_TYPES, type ObjectType,
} from './vocabulary.ts';

// The vocabulary is re-exported so that code which validates needs one import.
export { CLIP_KINDS, COMMENT_TARGETS, LIMITS, LONG_TEXT_FIELDS, OBJECT_TYPES, ROLES, SET_FIELDS } from './vocabulary.ts';
export type { ClipKind, ObjectType, Role } from './vocabulary.ts';

/** How deep an answer value may nest (arrays and objects): real answers use two or three levels. */
export const MAX_JSON_DEPTH = 32;
/** How many strings, numbers, arrays and objects one answer value may hold in all. */
export const MAX_JSON_NODES = 10_000;

// In a `u` regex a lone surrogate is a code point of its own, so this matches only those.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// String.prototype.isWellFormed (Node 20, Chrome 111, Firefox 119) checks 100 KB in ~0.4 ms,
// five times faster than the regex; the regex serves older runtimes.
const wellFormed: (value: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (value) => (value as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (value) => !LONE_SURROGATE.test(value);

/**
 * What is wrong with a string every store and page can hold, or undefined: it must be
 * well-formed Unicode (a lone surrogate breaks encodeURIComponent and UTF-8) and carry no NUL
 * (PostgreSQL cannot store it in text). Every entry point checks text with this, through the
 * schemas below: push, web forms (they push), import and the CLI.
 */
export function textProblem(value: string): string | undefined {
  if (!wellFormed(value)) return 'must be well-formed Unicode (it holds a lone surrogate)';
  if (value.includes('\u0000')) return 'must not contain a NUL character';
  return undefined;
}

/** A string that passes textProblem, at most `max` UTF-16 units long. */
export function text(max: number) {
  return z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const problem = textProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * What is wrong with a JSON value (an answer's value), or undefined: nesting deeper than
 * MAX_JSON_DEPTH, more than MAX_JSON_NODES parts, a bad string or key (textProblem), a number
 * that is not finite, or something JSON cannot hold. Walked with an explicit stack, so a value
 * nested 100,000 deep is refused without overflowing the call stack.
 */
export function jsonValueProblem(value: unknown, maxStringLength: number = LIMITS.longText): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  let nodes = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    const where = item.path ? ` at ${item.path}` : '';
    if (++nodes > MAX_JSON_NODES) return `holds more than ${MAX_JSON_NODES} values`;
    const current = item.value;
    if (current === null || typeof current === 'boolean') continue;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return `must hold finite numbers only${where}`;
      continue;
    }
    if (typeof current === 'string') {
      if (current.length > maxStringLength) return `text longer than ${maxStringLength} characters${where}`;
      const problem = textProblem(current);
      if (problem) return `text${where} ${problem}`;
      continue;
    }
    if (typeof current !== 'object') return `must be JSON (text, number, true/false, null, list or object)${where}`;
    if (item.depth >= MAX_JSON_DEPTH) return `is nested more than ${MAX_JSON_DEPTH} levels deep`;
    // A list or object larger than the whole allowance fails before its parts are queued.
    if (Array.isArray(current) && current.length > MAX_JSON_NODES) return `holds more than ${MAX_JSON_NODES} values`;
    if (Array.isArray(current)) {
      current.forEach((child, index) => stack.push({ value: child, depth: item.depth + 1, path: `${item.path}[${index}]` }));
      continue;
    }
    if (Object.getPrototypeOf(current) !== Object.prototype && Object.getPrototypeOf(current) !== null) return `must be JSON${where}`;
    const entries = Object.entries(current as Record<string, unknown>);
    if (entries.length > MAX_JSON_NODES) return `holds more than ${MAX_JSON_NODES} values`;
    for (const [key, child] of entries) {
      if (key.length > 200) return `has a key longer than 200 characters${where}`;
      const problem = textProblem(key);
      if (problem) return `key${where} ${problem}`;
      stack.push({ value: child, depth: item.depth + 1, path: item.path ? `${item.path}.${key.slice(0, 40)}` : key.slice(0, 40) });
    }
  }
  return undefined;
}

/** Any JSON value within the bounds of jsonValueProblem. */
export const jsonValue = z.unknown().superRefine((value, ctx) => {
  const problem = jsonValueProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Text safe to echo in a message: lone surrogates and NULs shown, not carried, and short. */
export function printable(value: string, max = 60): string {
  const clean = value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD').replace(/\u0000/g, '\\0');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * One line saying what is wrong, for a person: the path of the first problem and its message.
 * Goes into nested issues (a record's bad key, the closest branch of a union such as a set
 * field's list-or-{add, remove}) so the message names the real cause, not "Invalid input".
 */
export function describeZodError(error: z.ZodError): string {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  let path: PropertyKey[] = issue ? [...issue.path] : [];
  for (let hops = 0; issue && hops < 10; hops++) {
    let inner: z.core.$ZodIssue | undefined;
    if (issue.code === 'invalid_key' || issue.code === 'invalid_element') inner = issue.issues[0];
    else if (issue.code === 'invalid_union' && issue.errors.length) {
      // The branch that got furthest: the one whose first problem lies deepest.
      const branches = issue.errors.map((branch) => branch[0]).filter((first): first is z.core.$ZodIssue => first !== undefined);
      inner = branches.sort((a, b) => b.path.length - a.path.length || Number(a.code === 'invalid_type') - Number(b.code === 'invalid_type'))[0];
    }
    if (!inner) break;
    issue = inner;
    path = [...path, ...inner.path];
  }
  if (!issue) return 'invalid';
  const where = path.map((part) => printable(String(part), 40)).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

/** A version number or another counter: a whole number from 0 up to 2^53 - 1. */
export const counter = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** An e-mail address as accounts store it (import and account forms share it). */
export const email = text(320).pipe(z.email('must be an e-mail address'));

const shortText = text(LIMITS.shortText);
const longText = text(LIMITS.longText);
const httpUrl = text(LIMITS.url).refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL');
const optionalUrl = z.union([httpUrl, z.literal('')]);
const isoDate = text(64).refine((value) => value === '' || !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date');
const tag = text(LIMITS.tag)
  .trim()
  .min(1)
  .refine((value) => !/[\u0000-\u001f]/.test(value), 'must not contain control characters');

/**
 * A set-valued field (tags, case ids, members, domains). A plain list adds to the set
 * (concurrent additions merge, DESIGN.md "Conflicts"); `{ add, remove }` says both ways.
 */
export function setField<T extends z.ZodType>(item: T) {
  const list = z.array(item).max(LIMITS.listItems);
  return z.union([list, z.object({ add: list.optional(), remove: list.optional() }).strict()]);
}
import type { SetEdit } from './merge-rules.ts';
export type { SetEdit };

/**
 * Where a copy shared from a linked library came from (issue 14, item 4): that library, the
 * type and id of the original. Absent on everything made here.
 */
export const sharedFrom = z.object({ libraryId: uuid, type: z.enum(SHAREABLE_TYPES), id: uuid }).strict().nullable();

export const caseFields = z
  .object({
    title: text(LIMITS.title).trim().min(1),
    description: longText,
    status: z.enum(CASE_STATUSES),
    members: setField(uuid),
    lessons: longText,
    sharedFrom,
  })
  .strict();

export const clipFields = z
  .object({
    url: httpUrl,
    canonicalUrl: optionalUrl,
    kind: z.enum(CLIP_KINDS),
    title: shortText,
    byline: shortText,
    siteName: shortText,
    publishedAt: isoDate,
    lang: text(LIMITS.lang),
    excerpt: text(LIMITS.excerpt),
    leadImage: optionalUrl,
    html: text(LIMITS.html),
    markdown: longText,
    text: longText,
    selection: z
      .object({ text: text(LIMITS.selectionText), quoteUrl: text(LIMITS.url * 2) })
      .strict()
      .nullable(),
    note: longText,
    tags: setField(tag),
    caseIds: setField(uuid),
    companyId: uuid.nullable(),
    capturedAt: isoDate,
    capturedBy: text(LIMITS.person),
    contentHash: text(LIMITS.contentHash),
    sharedFrom,
    // A PDF clip (issue 16): its page count and where each page's text sits in `text`.
    pages: z
      .object({
        count: z.number().int().nonnegative().max(1_000_000),
        index: z
          .array(
            z
              .object({
                page: z.number().int().positive().max(1_000_000),
                start: z.number().int().nonnegative().max(LIMITS.longText),
                end: z.number().int().nonnegative().max(LIMITS.longText),
                kept: z.enum(PDF_PAGE_KEPT),
              })
              .strict(),
          )
          .max(2_000),
      })
      .strict()
      .nullable(),
  })
  .strict();

export const companyFields = z
  .object({
    name: text(LIMITS.title).trim().min(1),
    domains: setField(text(LIMITS.domain).trim().toLowerCase().min(1)),
    legalName: shortText,
    identifiers: z.record(text(40), text(100)).refine((value) => Object.keys(value).length <= 50, 'too many identifiers'),
  })
  .strict();

export const scanFields = z
  .object({
    companyId: uuid,
    caseId: uuid.nullable(),
    templateId: text(100).min(1),
    status: z.enum(SCAN_STATUSES),
  })
  .strict();

export const evidence = z.object({ url: text(LIMITS.url), snippet: text(2_000) }).strict();

export const answerFields = z
  .object({
    scanId: uuid,
    field: text(100).min(1),
    // Any JSON value (text, a list of registrations, a boolean), bounded in size and nesting.
    value: jsonValue,
    method: z.enum(ANSWER_METHODS),
    evidence: setField(evidence),
    confirmedBy: text(LIMITS.person).nullable(),
    note: longText,
  })
  .strict();

// Learning together (issue 14): questions and their replies, comments, the plenary's common
// issues. Who asked or wrote is kept by the server (askedBy, author), never taken from a client.
/** Where a reply's citation points: a clip, and a passage of it by its text-fragment link. */
export const citation = z
  .object({
    clipId: uuid,
    quoteUrl: text(LIMITS.url * 2)
      .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL')
      .optional(),
  })
  .strict();

export const questionFields = z
  .object({
    caseId: uuid.nullable(),
    title: text(LIMITS.title).trim().min(1),
    body: longText,
    addressedTo: setField(uuid),
    status: z.enum(QUESTION_STATUSES),
    askedBy: text(LIMITS.person),
    sharedFrom,
  })
  .strict();

export const replyFields = z
  .object({
    questionId: uuid,
    body: longText,
    citations: setField(citation),
    helpful: z.boolean(),
    author: text(LIMITS.person),
  })
  .strict();

export const commentFields = z
  .object({
    targetType: z.enum(COMMENT_TARGETS),
    targetId: uuid,
    parentId: uuid.nullable(),
    body: longText,
    mentions: setField(uuid),
    hidden: z.boolean(),
    author: text(LIMITS.person),
  })
  .strict();

export const commonIssueFields = z
  .object({
    title: text(LIMITS.title).trim().min(1),
    body: longText,
    caseIds: setField(uuid),
    clipIds: setField(uuid),
    supporters: setField(uuid),
  })
  .strict();

export const fieldSchemas = {
  case: caseFields,
  clip: clipFields,
  company: companyFields,
  scan: scanFields,
  answer: answerFields,
  question: questionFields,
  reply: replyFields,
  comment: commentFields,
  commonIssue: commonIssueFields,
} as const;

/** What a mutation (push, web write, import) may carry: any subset of the type's fields, each validated. */
export const partialFieldSchemas: { [T in ObjectType]: z.ZodType<Record<string, unknown>> } = {
  case: caseFields.partial(),
  clip: clipFields.partial(),
  company: companyFields.partial(),
  scan: scanFields.partial(),
  answer: answerFields.partial(),
  question: questionFields.partial(),
  reply: replyFields.partial(),
  comment: commentFields.partial(),
  commonIssue: commonIssueFields.partial(),
};


/** Fields an object must have when it is first created. */
export const REQUIRED_ON_CREATE: Record<ObjectType, readonly string[]> = {
  case: ['title'],
  clip: ['url', 'kind'],
  company: ['name'],
  scan: ['companyId', 'templateId'],
  answer: ['scanId', 'field'],
  question: ['title'],
  reply: ['questionId', 'body'],
  comment: ['targetType', 'targetId', 'body'],
  commonIssue: ['title'],
};

/** Values a new object starts with before its first mutation's fields are applied. */
export const DEFAULTS: Record<ObjectType, Record<string, unknown>> = {
  case: { description: '', status: 'open', members: [], lessons: '' },
  clip: {
    canonicalUrl: '', title: '', byline: '', siteName: '', publishedAt: '', lang: '', excerpt: '',
    leadImage: '', html: '', markdown: '', text: '', selection: null, note: '', tags: [], caseIds: [],
    companyId: null, capturedAt: '', capturedBy: '', contentHash: '',
  },
  company: { domains: [], legalName: '', identifiers: {} },
  scan: { caseId: null, status: 'draft' },
  answer: { value: null, method: 'manual', evidence: [], confirmedBy: null, note: '' },
  question: { caseId: null, body: '', addressedTo: [], status: 'open', askedBy: '' },
  reply: { body: '', citations: [], helpful: false, author: '' },
  comment: { parentId: null, body: '', mentions: [], hidden: false, author: '' },
  commonIssue: { body: '', caseIds: [], clipIds: [], supporters: [] },
};

/** Fields DEFAULTS does not fill: a row written before they existed, or never given them, lacks them. */
type Unfilled = 'sharedFrom' | 'pages';
/**
 * A set field (list or set edit) as stored is the merged list of its items: the edit only travels
 * in mutations. Only set fields hold a list at the top level.
 */
type StoredValue<V> = [Extract<V, readonly unknown[]>] extends [never] ? V : Extract<V, readonly unknown[]>;
type Stored<S extends z.ZodObject> = { [K in Exclude<keyof z.infer<S>, Unfilled>]: StoredValue<z.infer<S>[K]> } & {
  [K in Extract<keyof z.infer<S>, Unfilled>]?: z.infer<S>[K];
};
export type CaseFields = Stored<typeof caseFields>;
export type ClipFields = Stored<typeof clipFields>;
export type CompanyFields = Stored<typeof companyFields>;
export type ScanFields = Stored<typeof scanFields>;
export type Evidence = z.infer<typeof evidence>;
export type AnswerFields = Stored<typeof answerFields>;
export type Citation = z.infer<typeof citation>;
export type QuestionFields = Stored<typeof questionFields>;
export type ReplyFields = Stored<typeof replyFields>;
export type CommentFields = Stored<typeof commentFields>;
export type CommonIssueFields = Stored<typeof commonIssueFields>;

export interface ObjectFieldsByType {
  case: CaseFields;
  clip: ClipFields;
  company: CompanyFields;
  scan: ScanFields;
  answer: AnswerFields;
  question: QuestionFields;
  reply: ReplyFields;
  comment: CommentFields;
  commonIssue: CommonIssueFields;
}

/**
 * The fields of an object of type T as the store holds them (every write was validated by the
 * schemas above, so a read may trust them). Where the type is only known as "some ObjectType",
 * any JSON fields (so too for a union of some types): narrow with isOfType (shared/api.ts) to
 * read them typed.
 */
export type FieldsOf<T extends ObjectType> = true extends IsUnion<T> ? Record<string, unknown> : ObjectFieldsByType[T];
type IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never;
