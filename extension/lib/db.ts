// The extension's IndexedDB: the outbox, the offline cache of the library, and drafts of scans.
// It outlives service-worker shutdowns and browser restarts, which storage in memory does not.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Mutation } from '../../shared/protocol.ts';
import type { ObjectType } from '../../shared/model.ts';
import type { Proposal } from './engines.ts';
import type { DraftAnswer, SiteHoldings } from './types.ts';

export interface OutboxEntry {
  /** Local order of entries across libraries and sign-ins. */
  seq?: number;
  libraryId: string;
  clientId: string;
  mutation: Mutation;
  createdAt: number;
}

export interface CachedObject {
  key: string;
  libraryId: string;
  type: ObjectType;
  id: string;
  version: number;
  deleted: boolean;
  fields: Record<string, unknown>;
  /** True until the service has stored it: created here and still in the outbox. */
  local: boolean;
}

export interface ConflictEntry {
  key: string;
  libraryId: string;
  type: ObjectType;
  id: string;
  field: string;
  mine: string;
  theirs: string;
  theirsVersion: number;
  title: string;
}

export interface RejectedEntry {
  key: string; libraryId: string; type: string; id: string; message: string; at: number;
  /** The change the service would not accept, kept so nothing typed is lost (issue 9). */
  mutation?: Mutation;
}

/** Merged proposals and the person's decisions for one site (registrable domain) in one library. */
export interface ScanDraft {
  key: string;
  libraryId: string;
  site: string;
  companyName: string;
  companyId: string | null;
  scanId: string | null;
  /** Answer object id per question key: answers are objects of their own (DESIGN.md). */
  answerIds: Record<string, string>;
  proposals: Record<string, Proposal[]>;
  answers: Record<string, DraftAnswer>;
  pages: string[];
  /** The answer as last saved, per question key: only changed answers are sent again. */
  saved: Record<string, string>;
  /** The company's legal name as last written, so an accepted change is written again (issue 10). */
  legalName?: string;
}

export interface HoldingsEntry { key: string; fetchedAt: number; value: SiteHoldings }

interface CasebookDb extends DBSchema {
  outbox: { key: number; value: OutboxEntry; indexes: { byLibrary: string } };
  meta: { key: string; value: unknown };
  objects: { key: string; value: CachedObject; indexes: { byLibraryType: [string, string] } };
  conflicts: { key: string; value: ConflictEntry };
  rejected: { key: string; value: RejectedEntry };
  scanDrafts: { key: string; value: ScanDraft };
  holdings: { key: string; value: HoldingsEntry };
}

export type Db = IDBPDatabase<CasebookDb>;

let opened: Promise<Db> | null = null;

export function openDb(name = 'casebook'): Promise<Db> {
  opened ??= openDB<CasebookDb>(name, 1, {
    upgrade(db) {
      const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      outbox.createIndex('byLibrary', 'libraryId');
      db.createObjectStore('meta');
      const objects = db.createObjectStore('objects', { keyPath: 'key' });
      objects.createIndex('byLibraryType', ['libraryId', 'type']);
      db.createObjectStore('conflicts', { keyPath: 'key' });
      db.createObjectStore('rejected', { keyPath: 'key' });
      db.createObjectStore('scanDrafts', { keyPath: 'key' });
      db.createObjectStore('holdings', { keyPath: 'key' });
    },
  });
  return opened;
}

/** For tests: forget the open handle so the next openDb starts from a fresh database. */
export async function closeDbForTests(): Promise<void> {
  if (opened) (await opened).close();
  opened = null;
}

export const objectKey = (libraryId: string, type: ObjectType, id: string) => `${libraryId}:${type}:${id}`;
