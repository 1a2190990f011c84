// Text a person selected on a company's site and sent with "Add to company scan": kept until they
// attach it, as evidence (url + snippet), to a scan question in the side panel (issue 4,
// "Context menus"). The question it most likely belongs to is proposed first.
import { browser } from 'wxt/browser';
import { SCAN_QUESTIONS } from '../../shared/scan-template.ts';
import type { DraftAnswer, Evidence, PendingEvidence } from './types.ts';

const STORAGE_KEY = 'scanEvidence';
/** The service keeps at most 2,000 characters of a snippet (shared/model.ts `evidence`). */
export const SNIPPET_MAX = 2_000;
/** Enough for a few sessions of clipping; the oldest go first. */
const MAX_PENDING = 50;

/**
 * Words that point at a question, first match wins: most specific first, so that "KvK 12345678"
 * is a registration before it is a number, and a code of conduct in a PDF is not just any report.
 */
const CUES: readonly [key: string, cue: RegExp][] = [
  ['emails', /\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/],
  ['vatIds', /\b(btw|vat|ust-?id|tva)\b/i],
  ['registrations', /\b(kvk|chamber of commerce|kamer van koophandel|handelsregister|companies house|company (no|number)|registration (no|number)|lei)\b/i],
  ['codeOfConduct', /\b(code of conduct|supplier code|gedragscode)\b/i],
  ['humanRightsStatement', /\b(human rights|modern slavery|mensenrechten)\b/i],
  ['whistleblowing', /\b(whistle-?blow\w*|speak[- ]up|grievance|klokkenluider\w*|complaints? procedure)\b/i],
  ['reports', /\b(annual|sustainability|integrated|impact) report\b|\bjaarverslag|\.pdf\b/i],
  ['reportingStandards', /\b(GRI|CSRD|ESRS|global compact|TCFD)\b/],
  ['certifications', /\b(certified|certification|fairtrade|rainforest alliance|utz|b corp|iso \d{4,5}|sa8000|amfori|bsci|member of)\b/i],
  ['controversies', /\b(lawsuit|court|fined|accused|scandal|campaign against|allegations?)\b/i],
  ['supplyChainRisks', /\b(child labou?r|forced labou?r|deforestation|supply[- ]chain risk)\b/i],
  ['foundingYear', /\b(founded|established|opgericht|since (1[89]|20)\d\d)\b/i],
  ['employees', /\b\d[\d.,]*\s*(employees|staff|medewerkers|people)\b/i],
  ['phones', /(\+|\b00)\d[\d\s().-]{7,}\d/],
  ['parentOrganization', /\b(part of|subsidiary of|owned by|onderdeel van)\b/i],
  ['ownership', /\b(family[- ]owned|listed on|stock exchange|cooperative|coöperatie)\b/i],
  ['countries', /\b(operates in|offices in|countries|sourcing from|we source)\b/i],
  ['legalName', /\b(B\.V\.|N\.V\.|GmbH|Ltd\.?|Limited|Inc\.|S\.A\.|AG)(?=\s|$|[,.;)])/],
  ['csrPage', /\b(sustainab\w*|csr|mvo|esg|duurzaam\w*|responsib\w*)\b/i],
  ['products', /\b(products?|brands?|we (make|produce|sell|trade))\b/i],
];

/** The scan question a snippet most likely answers; a long passage with no cue describes the company. */
export function suggestQuestion(snippet: string): string {
  for (const [key, cue] of CUES) if (cue.test(snippet)) return key;
  return 'description';
}

/** Collapses the selection's white space and bounds it to what the service stores. */
export function cleanSnippet(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_MAX);
}

export async function pendingEvidence(): Promise<PendingEvidence[]> {
  const stored = await browser.storage.local.get(STORAGE_KEY);
  return (stored[STORAGE_KEY] as PendingEvidence[] | undefined) ?? [];
}

export async function addPendingEvidence(item: PendingEvidence): Promise<void> {
  const items = (await pendingEvidence()).filter((other) => other.id !== item.id);
  await browser.storage.local.set({ [STORAGE_KEY]: [...items, item].slice(-MAX_PENDING) });
}

export async function removePendingEvidence(id: string): Promise<PendingEvidence | null> {
  const items = await pendingEvidence();
  const found = items.find((item) => item.id === id) ?? null;
  if (found) await browser.storage.local.set({ [STORAGE_KEY]: items.filter((item) => item.id !== id) });
  return found;
}

/**
 * The answer after attaching evidence to a question. An answer already there keeps its value and
 * gains the evidence; a question without one (or a rejected one) is answered by hand with the
 * snippet itself, or the link for link questions, which the person can then edit.
 */
export function attachEvidence(key: string, answer: DraftAnswer | undefined, evidence: Evidence): DraftAnswer {
  if (answer && answer.state !== 'rejected') {
    const known = answer.evidence.some((e) => e.url === evidence.url && e.snippet === evidence.snippet);
    return { ...answer, evidence: known ? answer.evidence : [...answer.evidence, evidence] };
  }
  const question = SCAN_QUESTIONS.get(key);
  const isLink = question?.kind === 'url' || question?.kind === 'urls' || question?.kind === 'reports';
  const text = isLink ? evidence.url : evidence.snippet;
  return { value: question?.list ? [text] : text, method: 'manual', evidence: [evidence], state: 'manual' };
}
