// Merges the proposals of several pages of one site into one set per question, keeping the
// best first and the evidence of every page, and never replacing an answer a person gave.
import { type Evidence, type Proposal, type ProposableKey, type ScanAnswers, type ScanProposals } from './types.ts';

/**
 * An answer a person gave: typed in (`method: 'manual'`) or a proposal they confirmed or
 * edited (`confirmedBy` set). It is kept as is: proposals for its key are not merged into it.
 */
export interface PersonAnswer {
  value: unknown;
  method: 'manual' | 'auto';
  confirmedBy?: string | null;
  evidence?: Evidence[];
}

/** A merged proposal: one value, its best confidence, and the evidence of every page that showed it. */
export interface MergedProposal<V = unknown> extends Proposal<V> {
  /** Evidence from all pages (the first equals `evidence`). */
  sources?: Evidence[];
}

/** What merging holds per key: proposals, or a person's answer that later pages must not replace. */
export type MergedAnswers = Partial<Record<ProposableKey | string, MergedProposal[] | PersonAnswer>>;

export interface MergedScan {
  url: string;
  answers: MergedAnswers;
}

export function isPersonAnswer(value: unknown): value is PersonAnswer {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const answer = value as Partial<PersonAnswer>;
  return answer.method === 'manual' || (typeof answer.confirmedBy === 'string' && answer.confirmedBy !== '');
}

/** The identity of a value for deduplication: case, spaces and trailing slashes do not count. */
export function valueKey(value: unknown): string {
  if (typeof value === 'string') return value.trim().toLowerCase().replace(/\/+$/, '').replace(/^https?:\/\/(?:www\.)?/, '');
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const v = value as Record<string, unknown>;
  // Phones by number, registrations by scheme and value, reports by URL, addresses by postcode and street.
  if (typeof v.number === 'string') return `phone:${v.number}`;
  if (typeof v.scheme === 'string') return `reg:${v.scheme}:${String(v.value)}`;
  if (typeof v.url === 'string') return `url:${valueKey(v.url)}`;
  if (typeof v.postalCode === 'string') return `addr:${v.postalCode.replace(/\s/g, '').toLowerCase()}|${String(v.street ?? '').toLowerCase().replace(/\s+/g, ' ')}`;
  if (typeof v.name === 'string') return `name:${v.name.toLowerCase()}`;
  return JSON.stringify(value);
}

function sameEvidence(a: Evidence, b: Evidence): boolean {
  return a.url === b.url && a.snippet === b.snippet;
}

// Single- and list-valued keys merge alike: a single-valued question keeps its alternatives
// too (a person picks one), best first.
function mergeList(previous: MergedProposal[], next: MergedProposal[]): MergedProposal[] {
  const byValue = new Map<string, MergedProposal>();
  for (const p of [...previous, ...next]) {
    const key = valueKey(p.value);
    const known = byValue.get(key);
    const sources = p.sources ?? [p.evidence];
    if (!known) {
      byValue.set(key, { ...p, sources: [...sources] });
      continue;
    }
    const all = [...(known.sources ?? [known.evidence])];
    for (const e of sources) if (!all.some((x) => sameEvidence(x, e))) all.push(e);
    const best = p.confidence > known.confidence ? p : known;
    byValue.set(key, { value: best.value, method: best.method, confidence: Math.max(known.confidence, p.confidence), evidence: best.evidence, sources: all });
  }
  return [...byValue.values()].sort((a, b) => b.confidence - a.confidence);
}

/**
 * Merges `next` (a newly read page) into `previous` (what the site's earlier pages and the
 * people gave). A person's answer in `previous` stays exactly as it is. The result's url is
 * `next.url`, the page read last.
 */
export function mergeProposals(previous: MergedScan | ScanProposals | null | undefined, next: ScanProposals | MergedScan): MergedScan {
  const answers: MergedAnswers = {};
  const prev = (previous?.answers ?? {}) as MergedAnswers;
  const nextAnswers = next.answers as MergedAnswers;
  for (const key of new Set([...Object.keys(prev), ...Object.keys(nextAnswers)])) {
    const before = prev[key];
    const after = nextAnswers[key];
    if (isPersonAnswer(before)) {
      answers[key] = before;
      continue;
    }
    if (isPersonAnswer(after)) {
      answers[key] = after;
      continue;
    }
    const list = mergeList(Array.isArray(before) ? before : [], Array.isArray(after) ? after : []);
    if (list.length > 0) answers[key] = list;
  }
  return { url: next.url, answers };
}

/** Only the proposals of a merged scan (person answers left out), in the shape proposeScanAnswers returns. */
export function proposalsOf(scan: MergedScan): ScanProposals {
  const answers: Record<string, Proposal<unknown>[]> = {};
  for (const [key, value] of Object.entries(scan.answers)) if (Array.isArray(value)) answers[key] = value;
  return { url: scan.url, answers: answers as ScanAnswers };
}
