// The working state one proposeScanAnswers call shares between extractors: the page's own
// text (third-party parts blanked), its zones, the default country, and the collector that
// keeps the best proposal per normalised value.
import type { PageScan, TextBlock } from './page.ts';
import { ownText } from './third-party.ts';
import type { FactMethod, Proposal, ProposableKey, ScanAnswers, ScanValueByKey } from './types.ts';
import type { PageKind } from './third-party.ts';

export interface FactContext {
  scan: PageScan;
  kind: PageKind;
  /** All own text of the page, blocks joined by '\n'; third-party parts are blanked with '\n'. */
  text: string;
  /** Start offset of each block in `text`. */
  starts: number[];
  /** ISO country used to read phone numbers written without +, '' when unknown. */
  country: string;
  add: <K extends ProposableKey>(key: K, value: ScanValueByKey[K], method: FactMethod, confidence: number, snippet: string, dedupe?: string) => void;
  answers: () => ScanAnswers;
  /** Forgets every proposal for a key (a rule found them unreliable on this page). */
  drop: (key: ProposableKey) => void;
  /** Forgets the proposals for a key that `test` picks (a later rule found them to be someone else's). */
  remove: (key: ProposableKey, test: (proposal: Proposal<unknown>) => boolean) => void;
  /** A copy of what has been proposed so far; `restore` puts it back (an extractor that failed half-way). */
  snapshot: () => unknown;
  restore: (saved: unknown) => void;
}

/** The block that holds offset `at` of the page text. */
export function blockAt(ctx: FactContext, at: number): TextBlock | undefined {
  let lo = 0;
  let hi = ctx.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return ctx.scan.blocks[lo];
}

/** The line(s) around a match, clipped to ~200 characters, always containing the match. */
export function snippetAt(text: string, start: number, end: number): string {
  let from = text.lastIndexOf('\n', start - 1) + 1;
  let to = text.indexOf('\n', end);
  if (to < 0) to = text.length;
  // A label on the line before ("Bezoekadres:") helps a person judge the value.
  if (end - from < 30 && from > 1) {
    const prev = text.lastIndexOf('\n', from - 2) + 1;
    if (from - prev < 60) from = prev;
  }
  from = Math.max(from, start - 100);
  to = Math.min(to, end + 100);
  return text.slice(from, to).replace(/\s*\n+\s*/g, ' / ').replace(/\s+/g, ' ').trim();
}

function stableKey(value: unknown): string {
  if (typeof value === 'string') return value.toLowerCase();
  return JSON.stringify(value);
}

export function createContext(scan: PageScan, kind: PageKind): FactContext {
  const parts: string[] = [];
  const starts: number[] = [];
  let length = 0;
  for (const block of scan.blocks) {
    starts.push(length);
    const own = ownText(block) || '\n'.repeat(block.text.length);
    parts.push(own);
    length += own.length + 1;
  }
  const byKey = new Map<ProposableKey, Map<string, Proposal<unknown>>>();
  const ctx: FactContext = {
    scan,
    kind,
    text: parts.join('\n'),
    starts,
    country: '',
    add(key, value, method, confidence, snippet, dedupe) {
      const id = dedupe ?? stableKey(value);
      let forKey = byKey.get(key);
      if (!forKey) byKey.set(key, (forKey = new Map()));
      const known = forKey.get(id);
      const proposal: Proposal<unknown> = {
        value,
        method,
        confidence: Math.round(Math.max(0, Math.min(1, confidence)) * 100) / 100,
        evidence: { url: scan.url, snippet: snippet.length > 300 ? snippet.slice(0, 300) : snippet },
      };
      if (!known) {
        forKey.set(id, proposal);
        return;
      }
      const best = proposal.confidence > known.confidence ? proposal : known;
      // A value seen twice by different means (structured data and visible text) is a little more certain.
      if (known.method !== method) best.confidence = Math.min(0.99, Math.round((best.confidence + 0.03) * 100) / 100);
      forKey.set(id, best);
    },
    drop(key) {
      byKey.delete(key);
    },
    remove(key, test) {
      const forKey = byKey.get(key);
      if (!forKey) return;
      for (const [id, p] of forKey) if (test(p)) forKey.delete(id);
      if (forKey.size === 0) byKey.delete(key);
    },
    snapshot() {
      return new Map([...byKey].map(([key, forKey]) => [key, new Map([...forKey].map(([id, p]) => [id, { ...p, evidence: { ...p.evidence } }]))]));
    },
    restore(saved) {
      byKey.clear();
      for (const [key, forKey] of saved as typeof byKey) byKey.set(key, forKey);
    },
    answers() {
      const out: Record<string, Proposal<unknown>[]> = {};
      for (const [key, forKey] of byKey) {
        // Stable sort: equal confidence keeps document order.
        const list = [...forKey.values()].sort((a, b) => b.confidence - a.confidence);
        if (list.length > 0) out[key] = list;
      }
      return out as ScanAnswers;
    },
  };
  return ctx;
}

/** Finds `value` within `window` characters after each `label` match; the gap may hold only a few words and punctuation. */
export function* labelled(
  text: string,
  label: RegExp,
  value: RegExp,
  window = 40,
): Generator<{ raw: string; index: number; labelIndex: number; label: string; groups: RegExpExecArray }> {
  label.lastIndex = 0;
  for (let m = label.exec(text); m; m = label.exec(text)) {
    const from = m.index + m[0].length;
    const slice = text.slice(from, from + window);
    const v = new RegExp(value.source, value.flags.replace('g', '')).exec(slice);
    if (v) {
      const gap = slice.slice(0, v.index);
      // Another value or a second line break between label and value: not this label's value.
      if (!/\d/.test(gap) && (gap.match(/\n/g)?.length ?? 0) <= 1 && gap.replace(/[^A-Za-zÀ-ÿ]/g, '').length <= 20) {
        yield { raw: v[0], index: from + v.index, labelIndex: m.index, label: m[0], groups: v };
      }
    }
    if (label.lastIndex === m.index) label.lastIndex++;
  }
}
