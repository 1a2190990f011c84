// The database's tables, typed once for kysely (STYLE.md "Queries you can read").
import type { Generated, Kysely } from 'kysely';
import type { Role } from '../../shared/model.ts';

export interface LibrariesTable {
  id: string;
  name: string;
  /** The library version: bumped inside every write transaction (DESIGN.md "Sync protocol"). */
  version: number;
  created_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  organisation: string;
  intro: string;
  password_hash: string | null;
  created_at: string;
}

export interface MembershipsTable {
  library_id: string;
  user_id: string;
  role: 'admin' | 'member' | 'reader';
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  /** sha256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SigninLinksTable {
  token_hash: string;
  user_id: string;
  purpose: string;
  expires_at: string;
  used_at: string | null;
}

/** Columns every synced object table has. */
export interface ObjectColumns {
  id: string;
  library_id: string;
  version: number;
  deleted: number;
  /** All fields of the object as JSON (kept for tombstones so that an edit can revive them). */
  data: string;
  /** Version at which each long-text field last changed, for baseVersion conflicts. */
  field_versions: string;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

export interface CasesTable extends ObjectColumns {
  title: string;
  status: string;
}

export interface ClipsTable extends ObjectColumns {
  /** Integer key of the clip's full-text row. */
  seq: Generated<number>;
  url: string;
  kind: string;
  title: string;
  company_id: string | null;
  captured_by: string;
  captured_at: string;
  /** Registrable domain of the clip's URL (migration 005): what the badge counts by. */
  domain: string | null;
}

export interface CompaniesTable extends ObjectColumns {
  name: string;
}

export interface ScansTable extends ObjectColumns {
  company_id: string;
  case_id: string | null;
  status: string;
}

export interface AnswersTable extends ObjectColumns {
  scan_id: string;
  field: string;
}

/** Learning together (migration 7): questions, replies, comments, common issues. */
export interface QuestionsTable extends ObjectColumns {
  case_id: string | null;
  status: string;
}

export interface RepliesTable extends ObjectColumns {
  question_id: string;
}

export interface CommentsTable extends ObjectColumns {
  target_type: string;
  target_id: string;
}

export interface CommonIssuesTable extends ObjectColumns {
  title: string;
}

export interface ClipTagsTable {
  library_id: string;
  clip_id: string;
  tag: string;
}

export interface ClipCasesTable {
  library_id: string;
  clip_id: string;
  case_id: string;
}

export interface CompanyDomainsTable {
  library_id: string;
  company_id: string;
  domain: string;
}

export interface MutationsTable {
  library_id: string;
  client_id: string;
  mid: number;
  user_id: string;
  /** The stored outcome, returned as it was when the same mutation is sent again. */
  result: string;
  created_at: string;
}

// Tables of later migrations: sessions and form tokens of the web library (002, 006),
// invitations (003), activity (008), a clip's files (009, 010) and linked libraries (012).

export interface ActivitySettingsTable {
  library_id: string;
  user_id: string;
  /** JSON list of the inbox kinds the member wants (inbox.ts INBOX_KINDS). */
  inbox_kinds: string;
  digest: 'off' | 'daily' | 'weekly';
  digest_since: number | string;
  /** Inbox items at or below this library version are read. */
  read_version: number | string;
  updated_at: string;
}

export interface FeedTokensTable {
  user_id: string;
  token_hash: string;
  created_at: string;
}

export interface DigestSendsTable {
  library_id: string;
  user_id: string;
  period: string;
  from_version: number | string;
  to_version: number | string;
  items: number;
  status: 'sending' | 'sent' | 'empty';
  unsubscribe_hash: string | null;
  decided_at: string;
  sent_at: string | null;
}

export interface InvitationsTable {
  id: string;
  library_id: string;
  email: string;
  name: string;
  organisation: string;
  role: Role;
  token_hash: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface LibraryLinksTable {
  id: string;
  from_library: string;
  to_library: string;
  status: string;
  requested_by: string;
  accepted_by: string | null;
  created_at: string;
  accepted_at: string | null;
}

export interface AttachmentsTable {
  library_id: string;
  sha256: string;
  content_type: string;
  bytes: number;
  created_by: string;
  created_at: string;
  data: Uint8Array;
}

export interface ClipAttachmentsTable {
  library_id: string;
  clip_id: string;
  sha256: string;
  role: string;
  created_at: string;
  /** Where an image was clipped from (migration 10): the clip page shows the kept copy instead. */
  source_url: string | null;
}

export interface WebSessionsTable {
  secret_hash: string;
  id: string;
  user_id: string;
  library_id: string | null;
  csrf: string;
  last_mid: number | string;
  created_at: string;
  expires_at: string;
}

export interface FormTokensTable {
  user_id: string;
  token: string;
  library_id: string;
  object_id: string;
  result_url: string | null;
  created_at: string;
}

export interface Database {
  libraries: LibrariesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_tokens: ApiTokensTable;
  signin_links: SigninLinksTable;
  cases: CasesTable;
  clips: ClipsTable;
  companies: CompaniesTable;
  scans: ScansTable;
  answers: AnswersTable;
  questions: QuestionsTable;
  replies: RepliesTable;
  comments: CommentsTable;
  common_issues: CommonIssuesTable;
  clip_tags: ClipTagsTable;
  clip_cases: ClipCasesTable;
  company_domains: CompanyDomainsTable;
  mutations: MutationsTable;
  web_sessions: WebSessionsTable;
  form_tokens: FormTokensTable;
  invitations: InvitationsTable;
  activity_settings: ActivitySettingsTable;
  feed_tokens: FeedTokensTable;
  digest_sends: DigestSendsTable;
  attachments: AttachmentsTable;
  clip_attachments: ClipAttachmentsTable;
  library_links: LibraryLinksTable;
}

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';
