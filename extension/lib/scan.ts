// The company scan for the site in a tab: proposals from the live page merged with those of
// earlier pages of the same site, the person's decisions, and the mutations that save them.
import { mergeProposals, proposalsOf } from '../../shared/facts/merge.ts';
import { browser } from 'wxt/browser';
import { readScanProposals } from './page-scripts.ts';
import { objectKey, type Db, type ScanDraft } from './db.ts';
import type { Proposal, ScanProposals } from './engines.ts';
import { CasebookError } from './messages.ts';
import type { NewMutation } from './outbox.ts';
import { originPattern, type Session } from './settings.ts';
import { siteKey } from '../../shared/site.ts';
import { isListQuestion, SCAN_TEMPLATE_ID } from './template.ts';
import { attachEvidence } from './evidence.ts';
import { isOfType } from '../../shared/api.ts';
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
  const company = companies.filter((c) => isOfType(c, 'company')).find((c) => !c.deleted && (c.fields.domains ?? []).includes(site));
  const scans = company ? await db.getAllFromIndex('objects', 'byLibraryType', [libraryId, 'scan']) : [];
  const scan = scans.find((s) => !s.deleted && s.fields.companyId === company?.id);
  const draft: ScanDraft = {
    key: draftKey(libraryId, site), libraryId, site,
    companyName: typeof company?.fields.name === 'string' ? company.fields.name : '',
    companyId: company?.id ?? null, scanId: scan?.id ?? null,
    answerIds: {}, proposals: {}, answers: {}, pages: [], saved: {},
    ...(typeof company?.fields.legalName === 'string' ? { legalName: company.fields.legalName } : {}),
  };
  if (scan) {
    for (const answer of await db.getAllFromIndex('objects', 'byLibraryType', [libraryId, 'answer'])) {
      if (!isOfType(answer, 'answer') || answer.deleted || answer.fields.scanId !== scan.id) continue;
      const field = String(answer.fields.field);
      draft.answerIds[field] = answer.id;
      draft.answers[field] = {
        value: answer.fields.value, method: answer.fields.method === 'auto' ? 'auto' : 'manual',
        evidence: answer.fields.evidence ?? [], state: 'accepted',
      };
      draft.saved[field] = JSON.stringify(draft.answers[field]);
    }
  }
  return draft;
}

const textOf = (answer: DraftAnswer | undefined, decided: boolean): string => {
  if (!answer || typeof answer.value !== 'string' || !answer.value.trim()) return '';
  if (decided && answer.state !== 'accepted' && answer.state !== 'manual') return '';
  return answer.value.trim();
};

/** The name the person accepted or wrote for "Name", else for "Legal name". */
export function acceptedName(answers: Record<string, DraftAnswer>): string {
  return textOf(answers.name, true) || textOf(answers.legalName, true);
}

/** The name the site states, accepted or not: the panel shows it until the person names the company. */
function proposedName(draft: ScanDraft): string {
  const first = (key: string) => {
    const value = draft.proposals[key]?.[0]?.value;
    return typeof value === 'string' ? value.trim() : '';
  };
  return acceptedName(draft.answers) || first('name') || first('legalName');
}

/**
 * The name a company is saved under (issue 10: it was saved under its domain). What the person
 * typed wins; an empty field or the bare domain (what older drafts held) gives way to the
 * accepted name, then the proposed one; the domain is the last resort.
 */
export function chooseCompanyName(typed: string, site: string, draft: ScanDraft, answers: Record<string, DraftAnswer>): string {
  const clean = typed.trim();
  if (clean && clean.toLowerCase() !== site.toLowerCase()) return clean;
  return acceptedName(answers) || proposedName(draft) || clean || site;
}

function toView(draft: ScanDraft, url: string, pageTitle: string, captureError: string | null, accessPattern: string | null = null): ScanView {
  return {
    site: draft.site, url, pageTitle, companyName: draft.companyName, proposedName: proposedName(draft), companyId: draft.companyId,
    scanId: draft.scanId, proposals: draft.proposals, answers: draft.answers, captureError, accessPattern,
  };
}

/** Reads the tab's page, merges its proposals into the site's draft and returns the draft. */
export async function loadScan(db: Db, session: Session, tabId: number, read = readScanProposals): Promise<ScanView> {
  const libraryId = session.libraryId;
  if (!libraryId) throw new CasebookError('no-library', 'Choose a library in the Casebook options first.');
  const tab = await browser.tabs.get(tabId);
  const site = siteKey(tab.url);
  if (!site || !tab.url) throw new CasebookError('not-a-site', 'Open a company’s website in this tab to scan it.');
  const draft = (await db.get('scanDrafts', draftKey(libraryId, site))) ?? (await startDraft(db, libraryId, site));
  let captureError: string | null = null;
  let accessPattern: string | null = null;
  try {
    const fresh = await read(tabId);
    const previous: ScanProposals = { url: draft.pages.at(-1) ?? tab.url, answers: draft.proposals };
    draft.proposals = proposalsOf(mergeProposals(previous, fresh)).answers as Record<string, Proposal[]>;
    if (!draft.pages.includes(tab.url)) draft.pages.push(tab.url);
  } catch (error) {
    captureError = error instanceof Error ? error.message : String(error);
    if (error instanceof CasebookError && error.code === 'no-access') accessPattern = originPattern(tab.url);
  }
  for (const [key, proposals] of Object.entries(draft.proposals)) {
    const current = draft.answers[key];
    // A person's decision is never overwritten by a later proposal (company-scan.md).
    if (current && current.state !== 'proposed') continue;
    const proposed = proposedAnswer(key, proposals);
    if (proposed) draft.answers[key] = proposed;
  }
  // Drafts made before issue 10 held the domain as the name after a failed first read.
  if (!draft.companyId && draft.companyName === site) draft.companyName = '';
  await db.put('scanDrafts', draft);
  return toView(draft, tab.url, tab.title ?? '', captureError, accessPattern);
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
  const companyName = chooseCompanyName(request.companyName || draft.companyName, request.site, draft, request.answers);
  // The legal name is written whenever an accepted one differs from what was written last.
  const legalName = textOf(request.answers.legalName, true);
  const legalChanged = legalName !== '' && legalName !== draft.legalName;
  if (!draft.companyId) {
    draft.companyId = newId();
    mutations.push({ type: 'company', id: draft.companyId, op: 'put', fields: {
      name: companyName, domains: [request.site], ...(legalName ? { legalName } : {}),
    } });
  } else if (companyName !== draft.companyName || legalChanged) {
    mutations.push({ type: 'company', id: draft.companyId, op: 'put', fields: {
      ...(companyName !== draft.companyName ? { name: companyName } : {}), ...(legalChanged ? { legalName } : {}),
    } });
  }
  draft.companyName = companyName;
  if (legalName) draft.legalName = legalName;
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
 * Keeps the panel's answers (accepted, rejected, written by hand) in the site's draft before
 * Save, so that they survive a re-read, a switch to another tab and back, or the panel closing
 * (issue 10: Done seemed to drop a hand-written answer). Nothing is sent to the service here.
 */
export async function keepAnswers(db: Db, session: Session, site: string, answers: Record<string, DraftAnswer>): Promise<void> {
  const libraryId = session.libraryId;
  if (!libraryId) throw new CasebookError('no-library', 'Choose a library in the Casebook options first.');
  const draft = (await db.get('scanDrafts', draftKey(libraryId, site))) ?? (await startDraft(db, libraryId, site));
  draft.answers = answers;
  await db.put('scanDrafts', draft);
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
