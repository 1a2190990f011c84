// The tables of migration 8, typed beside the rest of the schema for the activity modules only.
import type { Kysely } from 'kysely';
import type { Database, Db } from '../db/schema.ts';

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

export interface ActivityDatabase extends Database {
  activity_settings: ActivitySettingsTable;
  feed_tokens: FeedTokensTable;
  digest_sends: DigestSendsTable;
}

export type ActivityDb = Kysely<ActivityDatabase>;

/** The same connection, seen with the tables of migration 8 (schema.ts is shared by every module). */
export const withActivityTables = (db: Db): ActivityDb => db as unknown as ActivityDb;
