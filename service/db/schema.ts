// The database's tables, typed once for kysely (STYLE.md "Queries you can read").
import type { Generated, Kysely } from 'kysely';

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
}

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';
