// The data model of DESIGN.md, declared once: validation and TypeScript types for the
// objects a library holds. The service validates pushes with it; the extension builds
// mutations with it.
import { z } from 'zod';

export const OBJECT_TYPES = ['case', 'clip', 'company', 'scan', 'answer'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const ROLES = ['admin', 'member', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** Size bounds: page content is hostile, so every string and list has a ceiling. */
export const LIMITS = {
  shortText: 2_000,
  url: 4_096,
  longText: 200_000,
  html: 600_000,
  listItems: 200,
  tag: 100,
} as const;

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

const shortText = z.string().max(LIMITS.shortText);
const longText = z.string().max(LIMITS.longText);
const httpUrl = z
  .string()
  .max(LIMITS.url)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL');
const optionalUrl = z.union([httpUrl, z.literal('')]);
const isoDate = z
  .string()
  .max(64)
  .refine((value) => value === '' || !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date');
const tag = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.tag)
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

export const caseFields = z
  .object({
    title: z.string().trim().min(1).max(500),
    description: longText,
    status: z.enum(['open', 'closed']),
    members: setField(uuid),
    lessons: longText,
  })
  .strict();

export const clipFields = z
  .object({
    url: httpUrl,
    canonicalUrl: optionalUrl,
    kind: z.enum(['article', 'selection', 'link', 'image']),
    title: shortText,
    byline: shortText,
    siteName: shortText,
    publishedAt: isoDate,
    lang: z.string().max(35),
    excerpt: z.string().max(5_000),
    leadImage: optionalUrl,
    html: z.string().max(LIMITS.html),
    markdown: longText,
    text: longText,
    selection: z
      .object({ text: z.string().max(20_000), quoteUrl: z.string().max(LIMITS.url * 2) })
      .strict()
      .nullable(),
    note: longText,
    tags: setField(tag),
    caseIds: setField(uuid),
    companyId: uuid.nullable(),
    capturedAt: isoDate,
    capturedBy: z.string().max(200),
    contentHash: z.string().max(128),
  })
  .strict();

export const companyFields = z
  .object({
    name: z.string().trim().min(1).max(500),
    domains: setField(z.string().trim().toLowerCase().min(1).max(253)),
    legalName: shortText,
    identifiers: z.record(z.string().max(40), z.string().max(100)).refine((value) => Object.keys(value).length <= 50, 'too many identifiers'),
  })
  .strict();

export const scanFields = z
  .object({
    companyId: uuid,
    caseId: uuid.nullable(),
    templateId: z.string().min(1).max(100),
    status: z.enum(['draft', 'complete']),
  })
  .strict();

export const evidence = z.object({ url: z.string().max(LIMITS.url), snippet: z.string().max(2_000) }).strict();

export const answerFields = z
  .object({
    scanId: uuid,
    field: z.string().min(1).max(100),
    // Any JSON value: text, a list of registrations, a boolean; bounded by the push size.
    value: z.unknown(),
    method: z.enum(['auto', 'manual']),
    evidence: setField(evidence),
    confirmedBy: z.string().max(200).nullable(),
    note: longText,
  })
  .strict();

export const fieldSchemas = {
  case: caseFields,
  clip: clipFields,
  company: companyFields,
  scan: scanFields,
  answer: answerFields,
} as const;

export { LONG_TEXT_FIELDS, SET_FIELDS } from './merge-rules.ts';

/** Fields an object must have when it is first created. */
export const REQUIRED_ON_CREATE: Record<ObjectType, readonly string[]> = {
  case: ['title'],
  clip: ['url', 'kind'],
  company: ['name'],
  scan: ['companyId', 'templateId'],
  answer: ['scanId', 'field'],
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
};

type Stored<S extends z.ZodObject> = {
  [K in keyof z.infer<S>]: z.infer<S>[K] extends SetEdit | undefined ? string[] : z.infer<S>[K];
};
export type CaseFields = Stored<typeof caseFields>;
export type ClipFields = Stored<typeof clipFields>;
export type CompanyFields = Stored<typeof companyFields>;
export type ScanFields = Stored<typeof scanFields>;
export type Evidence = z.infer<typeof evidence>;
export type AnswerFields = Omit<Stored<typeof answerFields>, 'evidence'> & { evidence: Evidence[] };

export interface ObjectFieldsByType {
  case: CaseFields;
  clip: ClipFields;
  company: CompanyFields;
  scan: ScanFields;
  answer: AnswerFields;
}
