// The service API's request and response bodies, declared once (DESIGN.md "Sync protocol" and
// "Other API"): the service routes answer with these types and the extension's client reads
// them, so a change to one side breaks the build of the other. Types only, apart from one
// narrowing helper, and free of zod so the extension's background bundles nothing.
import type { FieldsOf } from './model.ts';
import type { MUTATION_OPS, ObjectType, Role } from './vocabulary.ts';

export type { FieldsOf };

/** Every refusal: a code a program can test and a message a person can act on (DESIGN.md "Errors"). */
export interface ApiError {
  error: { code: string; message: string };
}

/** An object as the read routes show it (GET …/cases/:id, …/clips/:id): its fields beside id and version. */
export type PublicObject<T extends ObjectType = ObjectType> = { id: string; version: number } & FieldsOf<T> & { createdAt: string; updatedAt: string };

// ---- Sync (POST …/sync/push, GET …/sync/pull) ----

/** One change a client asks for (shared/protocol.ts validates it; `fields` per the type's schema). */
export interface Mutation {
  /** The client's number for it: a retried push answers the same mid without applying it twice. */
  mid: number;
  type: ObjectType;
  id: string;
  op: (typeof MUTATION_OPS)[number];
  /** The version the client last saw: a stale long-text edit or delete comes back as a conflict. */
  baseVersion?: number | undefined;
  fields?: Record<string, unknown> | undefined;
}

export interface PushRequest {
  clientId: string;
  mutations: Mutation[];
}

export type MutationStatus = 'applied' | 'conflict' | 'rejected';

/**
 * An object as the library holds it at `version`, with the fields of its type (narrow with
 * isOfType). Partial: a tombstone carries none, and a hidden comment reaches most members
 * without its text.
 */
export interface Change<T extends ObjectType = ObjectType> {
  type: T;
  id: string;
  version: number;
  deleted: boolean;
  fields: Partial<FieldsOf<T>>;
}

export interface MutationResult {
  mid: number;
  id: string;
  status: MutationStatus;
  version?: number;
  /** With a conflict: the current copy, for the client to show beside its own. */
  current?: Change;
  error?: { code: string; message: string };
}

export interface PushResponse {
  version: number;
  results: MutationResult[];
}

export interface PullResponse {
  changes: Change[];
  version: number;
  more: boolean;
}

// ---- Account (GET /api/v1/health, POST /api/v1/tokens, GET /api/v1/me) ----

export interface HealthResponse {
  ok: true;
  /** Which store the service runs on: sqlite or postgres. */
  store: string;
}

export interface UserRef {
  id: string;
  name: string;
  email: string;
  organisation: string;
}

export interface LibraryRef {
  id: string;
  name: string;
  role: Role;
}

export interface TokenRequest {
  email: string;
  password: string;
  label?: string;
}

export interface TokenResponse {
  token: string;
  id: string;
  user: UserRef;
}

export interface RevokedResponse {
  revoked: true;
}

export interface MeResponse {
  user: UserRef;
  libraries: LibraryRef[];
}

// ---- A case (GET …/cases/:id) ----

/** A clip as a case lists it: its fields without the captured text (html, markdown, text). */
export type ClipSummary = Omit<PublicObject<'clip'>, 'html' | 'markdown' | 'text'>;

export interface CaseDetailResponse {
  case: PublicObject<'case'>;
  /** The case's newest live clips, newest first (at most 200). */
  clips: ClipSummary[];
  /** How many live clips the case holds. */
  clipsTotal: number;
  /** When the case holds more clips than `clips` shows: the API path of the clip list of the case, newest first, to page through all of them with nextCursor. */
  clipsMore?: string;
  scans: PublicObject<'scan'>[];
}

// ---- What a library holds for a site (GET …/holdings?domain=) ----

export interface ScanHolding {
  id: string;
  status: string;
  caseId: string | null;
  answeredBy: string[];
  answerCount: number;
}

export interface CompanyHolding {
  id: string;
  name: string;
  domains: string[];
  scans: ScanHolding[];
  clipCount: number;
  recentClips: { id: string; title: string; url: string; capturedBy: string }[];
}

export interface HeldClip {
  id: string;
  title: string;
  url: string;
  kind: string;
  capturedBy: string;
  /** Live comments on it (issue 14). */
  comments?: number;
}

/** Comments and open questions around a site, with web-library paths to read them (issue 14). */
export interface SiteDiscussion {
  comments: number;
  openQuestions: number;
  links: { comments: string | null; questions: string | null };
}

export interface HoldingsResponse {
  /** The registrable domain asked about. */
  site: string;
  clipCount: number;
  scanCount: number;
  companies: CompanyHolding[];
  recentClips: HeldClip[];
  discussion?: SiteDiscussion;
}

// ---- Activity and inbox (GET …/activity, GET /api/v1/me/inbox) ----

export interface ActivityEvent {
  version: number;
  type: ObjectType;
  id: string;
  /** Created by this version (the object's first write), or changed. */
  isNew: boolean;
  verb: string;
  title: string;
  excerpt: string;
  caseIds: string[];
  /** Path of its web page under /l/:lib/. */
  path: string;
  who: { id: string; name: string };
  when: string;
}

export interface ActivityPage {
  events: ActivityEvent[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: number;
}

export interface InboxItem extends ActivityEvent {
  /** Why it is in the inbox (a mention, a reply to my question, …). */
  kind: string;
  unread: boolean;
}

export interface InboxPage {
  items: InboxItem[];
  unread: number;
  readVersion: number;
  next?: number;
}

export interface InboxResponse {
  /** Unread items over all the libraries answered. */
  unread: number;
  libraries: Array<InboxPage & { id: string; name: string }>;
}

/**
 * Narrows an object whose type is only known at run time (a change, a stored object) to one type,
 * so that its fields read typed: the service validated them against that type's schema. Each
 * field may still be missing (a tombstone, an older row).
 */
export function isOfType<T extends ObjectType, O extends { type: ObjectType }>(object: O, type: T): object is O & { type: T; fields: Partial<FieldsOf<T>> } {
  return object.type === type;
}
