// The words of the data model, each written once and free of any validation library: object
// types, clip kinds, roles, statuses, size limits, set fields and long-text fields. The zod
// schemas (shared/model.ts), the merge rules, the service and the extension (which must not
// bundle zod into its background) all import them from here.

export const OBJECT_TYPES = ['case', 'clip', 'company', 'scan', 'answer', 'question', 'reply', 'comment', 'commonIssue'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const ROLES = ['admin', 'member', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** Every kind a clip may have. A pdf clip is made by the extension from a PDF tab, never chosen. */
export const CLIP_KINDS = ['article', 'selection', 'link', 'image', 'pdf'] as const;
export type ClipKind = (typeof CLIP_KINDS)[number];
/** The kinds a person picks (popup, context menus) and filters search by. */
export const CHOSEN_CLIP_KINDS = ['article', 'selection', 'link', 'image'] as const satisfies readonly ClipKind[];
export type ChosenClipKind = (typeof CHOSEN_CLIP_KINDS)[number];

export const CASE_STATUSES = ['open', 'closed'] as const;
export const SCAN_STATUSES = ['draft', 'complete'] as const;
export const QUESTION_STATUSES = ['open', 'answered'] as const;
export const ANSWER_METHODS = ['auto', 'manual'] as const;
/** How much of a PDF page a clip keeps (issue 16). */
export const PDF_PAGE_KEPT = ['full', 'summary', 'none', 'unread'] as const;
export const COMMENT_TARGETS = ['clip', 'case', 'scan', 'question'] as const;
/** What a copy shared from a linked library may be (issue 14, item 4). */
export const SHAREABLE_TYPES = ['clip', 'question', 'case'] as const;
export const MUTATION_OPS = ['put', 'delete'] as const;

/** Size bounds: page content is hostile, so every string and list has a ceiling. */
export const LIMITS = {
  shortText: 2_000,
  url: 4_096,
  longText: 200_000,
  html: 600_000,
  listItems: 200,
  tag: 100,
  /** A case's, question's or common issue's title; a company's name. */
  title: 500,
  /** A BCP 47 language tag. */
  lang: 35,
  excerpt: 5_000,
  /** The quoted text of a selection clip. */
  selectionText: 20_000,
  /** A user id or name a server-owned field holds (capturedBy, author, askedBy, confirmedBy). */
  person: 200,
  contentHash: 128,
  /** A host name (RFC 1035). */
  domain: 253,
} as const;

/**
 * Ceilings the capture code keeps under the clip schema's (LIMITS), leaving room for the
 * mutation envelope.
 */
export const CLIP_LIMITS = { html: 500_000, markdown: 190_000, text: 190_000, excerpt: 600, short: 500 } as const;

/** Size limits of the sync protocol (DESIGN.md "Sync protocol"). */
export const PUSH_MAX_MUTATIONS = 50;
export const PUSH_MAX_BYTES = 1024 * 1024;
export const PULL_DEFAULT_LIMIT = 500;
export const PULL_MAX_LIMIT = 1000;

/** Fields whose value is a set: merged as sets, never overwritten (DESIGN.md "Conflicts"). */
export const SET_FIELDS: Readonly<Record<ObjectType, readonly string[]>> = {
  case: ['members'],
  clip: ['tags', 'caseIds'],
  company: ['domains'],
  scan: [],
  // Two colleagues attaching evidence to one answer must both keep theirs.
  answer: ['evidence'],
  question: ['addressedTo'],
  reply: ['citations'],
  comment: ['mentions'],
  // Each member adds or removes only themself (service/sync/discussion.ts checks who).
  commonIssue: ['caseIds', 'clipIds', 'supporters'],
};

/** Long texts: carry baseVersion; a stale edit comes back as a conflict with the current copy. */
export const LONG_TEXT_FIELDS: Readonly<Record<ObjectType, readonly string[]>> = {
  case: ['description', 'lessons'],
  clip: ['note'],
  company: [],
  scan: [],
  answer: [],
  question: ['body'],
  reply: ['body'],
  comment: ['body'],
  commonIssue: ['body'],
};

/** Whether `value` is one of `words` (a kind from a query string, a role from a form). */
export function isOneOf<const W extends readonly string[]>(words: W, value: unknown): value is W[number] {
  return typeof value === 'string' && (words as readonly string[]).includes(value);
}
