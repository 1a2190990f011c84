// The company scan for the site in a tab: proposals from the live page merged with those of
// earlier pages of the same site, the person's decisions, and the mutations that save them.
import { mergeProposals, proposalsOf } from '../../shared/facts/merge.ts';
import { browser } from 'wxt/browser';
import { readScanProposals } from './capture.ts';
import { objectKey, type Db, type ScanDraft } from './db.ts';
import type { Proposal, ScanProposals } from './engines.ts';
import { CasebookError } from './messages.ts';
import type { NewMutation } from './outbox.ts';
import type { Session } from './settings.ts';
import { siteOf } from './holdings.ts';
import { isListQuestion, SCAN_TEMPLATE_ID } from './template.ts';
import { attachEvidence } from './evidence.ts';
import type { DraftAnswer, Evidence, ScanSaveRequest, ScanView } from './types.ts';

const draftKey = (libraryId: string, site: string) => `${libraryId}:${site}`;

/** The answer a set of proposals suggests: the best one, or every element of a list. */
export function proposedAnswer(key: string, proposals: Proposal[]): DraftAnswer | null {
  const best = proposals[0];
  if (!best) return null;
  if (isListQuestion(key)) {
    return { value: proposals.map((p) => p.value), method: 'auto', evidence: proposals.map((p) => p.evidence), state: 'proposed' };
  }
  return { value: best.value, method: 'auto', evidence: [best.evidence], state: 'proposed' };
}

/** A fresh draft, continuing the scan the library already holds for this site if there is one. */
async function startDraft(db: Db, libraryId: string, site: string): Promise<ScanDraft> {
  const companies = await db.getAllFromIndex('objects', 'byLibraryType', [libraryId, 'company']);
  const company = companies.find((c) => !c.deleted && ((c.fields.domains as string[] | undefined) ?? []).includes(site));
  const scans = company ? await db.getAllFromIndex('objects', 'byLibraryType', [libraryId, 'scan']) : [];
  const scan = scans.find((s) => !s.deleted && s.fields.companyId === company?.id);
  const draft: ScanDraft = {
    key: draftKey(libraryId, site), libraryId, site,
    companyName: typeof company?.fields.name === 'string' ? company.fields.name : '',
    companyId: company?.id ?? null, scanId: scan?.id ?? null,
    answerIds: {}, proposals: {}, answers: {}, pages: [], saved: {},
  };
  if (scan) {
    for (const answer of await db.getAllFromIndex('objects', 'byLibraryType', [libraryId, 'answer'])) {
      if (answer.deleted || answer.fields.scanId !== scan.id) continue;
      const field = String(answer.fields.field);
      draft.answerIds[field] = answer.id;
      draft.answers[field] = {
        value: answer.fields.value, method: answer.fields.method === 'auto' ? 'auto' : 'manual',
        evidence: (answer.fields.evidence as DraftAnswer['evidence'] | undefined) ?? [], state: 'accepted',
      };
      draft.saved[field] = JSON.stringify(draft.answers[field]);
    }
  }
  return draft;
}

function toView(draft: ScanDraft, url: string, pageTitle: string, captureError: string | null): ScanView {
  return {
    site: draft.site, url, pageTitle, companyName: draft.companyName, companyId: draft.companyId,
    scanId: draft.scanId, proposals: draft.proposals, answers: draft.answers, captureError,
  };
}

/** Reads the tab's page, merges its proposals into the site's draft and returns the draft. */
export async function loadScan(db: Db, session: Session, tabId: number, read = readScanProposals): Promise<ScanView> {
  const libraryId = session.libraryId;
  if (!libraryId) throw new CasebookError('no-library', 'Choose a library in the Casebook options first.');
  const tab = await browser.tabs.get(tabId);
  const site = siteOf(tab.url);
  if (!site || !tab.url) throw new CasebookError('not-a-site', 'Open a company’s website in this tab to scan it.');
  const draft = (await db.get('scanDrafts', draftKey(libraryId, site))) ?? (await startDraft(db, libraryId, site));
  let captureError: string | null = null;
  try {
    const fresh = await read(tabId);
    const previous: ScanProposals = { url: draft.pages.at(-1) ?? tab.url, answers: draft.proposals };
    draft.proposals = proposalsOf(mergeProposals(previous, fresh)).answers as Record<string, Proposal[]>;
    if (!draft.pages.includes(tab.url)) draft.pages.push(tab.url);
  } catch (error) {
    captureError = error instanceof Error ? error.message : String(error);
  }
  for (const [key, proposals] of Object.entries(draft.proposals)) {
    const current = draft.answers[key];
    // A person's decision is never overwritten by a later proposal (company-scan.md).
    if (current && current.state !== 'proposed') continue;
    const proposed = proposedAnswer(key, proposals);
    if (proposed) draft.answers[key] = proposed;
  }
  const name = draft.proposals.name?.[0]?.value;
  if (!draft.companyName) draft.companyName = typeof name === 'string' ? name : site;
  await db.put('scanDrafts', draft);
  return toView(draft, tab.url, tab.title ?? '', captureError);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Records the person's decisions and returns the mutations that save them: the company and the
 * scan when new, then one answer object per accepted or hand-written question (only those that
 * changed since the last save, so a colleague's answers are not rewritten for nothing).
 */
export async function saveScan(db: Db, session: Session, request: ScanSaveRequest, newId = () => crypto.randomUUID()): Promise<{ draft: ScanDraft; mutations: NewMutation[]; saved: number }> {
  const libraryId = session.libraryId;
  if (!libraryId) throw new CasebookError('no-library', 'Choose a library in the Casebook options first.');
  const draft = (await db.get('scanDrafts', draftKey(libraryId, request.site))) ?? (await startDraft(db, libraryId, request.site));
  const mutations: NewMutation[] = [];
  const companyName = request.companyName.trim() || draft.companyName || request.site;
  if (!draft.companyId) {
    draft.companyId = newId();
    const legalName = request.answers.legalName?.value;
    mutations.push({ type: 'company', id: draft.companyId, op: 'put', fields: {
      name: companyName, domains: [request.site], ...(typeof legalName === 'string' ? { legalName } : {}),
    } });
  } else if (companyName !== draft.companyName) {
    mutations.push({ type: 'company', id: draft.companyId, op: 'put', fields: { name: companyName } });
  }
  draft.companyName = companyName;
  const status = request.complete ? 'complete' : 'draft';
  if (!draft.scanId) {
    draft.scanId = newId();
    mutations.push({ type: 'scan', id: draft.scanId, op: 'put', fields: { companyId: draft.companyId, templateId: SCAN_TEMPLATE_ID, status } });
  } else {
    const cached = await db.get('objects', objectKey(libraryId, 'scan', draft.scanId));
    if (cached?.fields.status !== status) mutations.push({ type: 'scan', id: draft.scanId, op: 'put', fields: { status } });
  }
  let saved = 0;
  for (const [field, answer] of Object.entries(request.answers)) {
    draft.answers[field] = answer;
    const serialised = JSON.stringify(answer);
    const keep = (answer.state === 'accepted' || answer.state === 'manual') && !isEmpty(answer.value);
    if (keep && draft.saved[field] !== serialised) {
      const id = (draft.answerIds[field] ??= newId());
      mutations.push({ type: 'answer', id, op: 'put', fields: {
        scanId: draft.scanId, field, value: answer.value, method: answer.method,
        evidence: answer.evidence.slice(0, 50), confirmedBy: session.user.name,
      } });
      draft.saved[field] = serialised;
      saved++;
    } else if (!keep && draft.saved[field] && draft.answerIds[field]) {
      // Rejected or emptied after it had been saved: the answer object goes.
      mutations.push({ type: 'answer', id: draft.answerIds[field]!, op: 'delete' });
      delete draft.saved[field];
      delete draft.answerIds[field];
    }
  }
  await db.put('scanDrafts', draft);
  return { draft, mutations, saved };
}

/**
 * Attaches evidence the person sent from a page ("Add to company scan") to one question of the
 * site's draft, on top of the answer the panel shows (`current`), and keeps it in the draft so
 * that it survives the panel closing before "Save scan".
 */
export async function attachToDraft(db: Db, session: Session, site: string, field: string, evidence: Evidence, current?: DraftAnswer): Promise<DraftAnswer> {
  const libraryId = session.libraryId;
  if (!libraryId) throw new CasebookError('no-library', 'Choose a library in the Casebook options first.');
  const draft = (await db.get('scanDrafts', draftKey(libraryId, site))) ?? (await startDraft(db, libraryId, site));
  const answer = attachEvidence(field, current ?? draft.answers[field], evidence);
  draft.answers[field] = answer;
  await db.put('scanDrafts', draft);
  return answer;
}
