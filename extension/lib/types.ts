// Plain data shapes that cross the message boundary between extension pages and the background.
import type { CompanyHolding, HeldClip, HoldingsResponse, LibraryRef, SiteDiscussion, UserRef } from '../../shared/api.ts';
import type { ChosenClipKind } from '../../shared/vocabulary.ts';
import type { Proposal } from './engines.ts';

// The API's bodies are declared once, in shared/api.ts.
export type { CompanyHolding, HeldClip, LibraryRef, SiteDiscussion, UserRef };

export interface SessionView {
  signedIn: boolean;
  serverUrl: string;
  user: UserRef | null;
  libraries: LibraryRef[];
  libraryId: string | null;
}

/** Either email + password (exchanged for a token) or a pasted token. */
export interface SignInRequest { serverUrl: string; email?: string; password?: string; token?: string }

/** The kinds a person picks in the popup and menus (a pdf clip is made from a PDF tab). */
export type ClipKind = ChosenClipKind;

export interface CapturePreview {
  url: string;
  title: string;
  siteName: string;
  excerpt: string;
  wordCount: number;
  /** The kind the popup offers first: a selection when the person selected text. */
  suggestedKind: 'article' | 'selection' | 'link';
  /** Whether text is selected on the page (the popup offers "Selection" only then). */
  hasSelection: boolean;
}

/**
 * What the popup sends to save: the page itself stays in the background, captured when the popup
 * asked for its preview (issue 10: a 500 KB page no longer travels to the popup and back).
 */
export interface ClipSaveRequest {
  /** The tab the preview was read from. */
  tabId: number;
  kind: ClipKind;
  caseIds: string[];
  /** A case created on the spot (offline too): it is pushed before the clip. */
  newCaseTitle?: string;
  tags: string[];
  note: string;
}
export interface ClipSaveResult {
  clipId: string;
  caseIds: string[];
  /** Titles of the cases, in the order of caseIds, for the confirmation. */
  caseTitles: string[];
  tags: string[];
  /** The clip's page in the web library (it opens once the clip is synced). */
  libraryUrl: string;
}

export interface CachedCase { id: string; title: string; status: 'open' | 'closed'; version: number; local: boolean }

export type SyncState = 'signed-out' | 'idle' | 'syncing' | 'waiting' | 'offline' | 'error';
export interface SyncStatus {
  state: SyncState;
  /** Mutations still in the outbox. */
  pending: number;
  /** Size of the current run, for "Syncing 35 of 120". */
  runTotal: number;
  runDone: number;
  /** Object ids that still wait in the outbox: a page shows "saved locally" for these. */
  pendingIds: string[];
  lastSyncedAt: number | null;
  nextAttemptAt: number | null;
  message: string;
  conflicts: number;
  /** Object ids with a conflict waiting for the person: not "synced" until resolved. */
  conflictIds: string[];
  rejected: { id: string; type: string; message: string }[];
}

export interface ConflictView {
  key: string;
  type: string;
  id: string;
  field: string;
  title: string;
  mine: string;
  theirs: string;
  theirsVersion: number;
}

export interface Evidence { url: string; snippet: string }

/** Text sent with "Add to company scan", waiting in the side panel to be attached to a question. */
export interface PendingEvidence {
  id: string;
  /** Registrable domain of the page: the scan it belongs to. */
  site: string;
  url: string;
  pageTitle: string;
  snippet: string;
  /** The question key proposed first (suggestQuestion). */
  suggested: string;
  at: number;
}
export type AnswerState = 'proposed' | 'accepted' | 'rejected' | 'manual';
export interface DraftAnswer {
  value: unknown;
  method: 'auto' | 'manual';
  evidence: Evidence[];
  state: AnswerState;
}

export interface ScanView {
  site: string;
  url: string;
  pageTitle: string;
  /** The name the library or the person gave the company; empty until one of them did. */
  companyName: string;
  /** The name the site states (its "name" or "legal name" proposal): what Save uses when none was given. */
  proposedName: string;
  companyId: string | null;
  scanId: string | null;
  proposals: Record<string, Proposal[]>;
  answers: Record<string, DraftAnswer>;
  /** Why proposals could not be read from the page (no access to it, a browser page). */
  captureError: string | null;
  /**
   * Set when the page could not be read for want of access: the origin to ask for
   * (permissions.request from the person's click in the panel, issue 10).
   */
  accessPattern: string | null;
}

export interface ScanSaveRequest {
  site: string;
  companyName: string;
  answers: Record<string, DraftAnswer>;
  complete: boolean;
}
export interface ScanSaveResult { companyId: string; scanId: string; saved: number }

/** What the library holds for a site (GET …/holdings?domain=), as the badge and the panel show it. */
export interface SiteHoldings extends HoldingsResponse {
  /** The web library of the chosen library (`https://server/l/ID/`), for links. */
  libraryUrl?: string;
  fetchedAt: number;
  error: string | null;
}
