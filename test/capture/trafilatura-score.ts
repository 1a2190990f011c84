// Scores clips on trafilatura's development set (../shared/fixtures/trafilatura-dev) the way
// trafilatura's own evaluation does: whitespace-normalised substring per passage; over all pages
// tp = `with` passages found, fn = `with` passages missing, fp = `without` passages found.
// Shared by the corpus suite (trafilatura.test.ts) and `npm run bench:capture`, and by the
// classifier's training script, so all three split and count alike.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getDomain, getHostname } from 'tldts';
import { decodePage } from '../../service/cli/batch.ts';
import { sharedFixtures } from './corpus-score.ts';

export const trafilaturaDev = path.join(sharedFixtures, 'trafilatura-dev');

export type Part = 'tuning' | 'held-back';

export interface LabelledPage {
  /** The key of evaldata.json: the page's URL, or a `hard::…`/`recall::…` name. */
  key: string;
  /** The URL to extract with: the key, or https://example.com/… for keys that are not URLs. */
  url: string;
  file: string;
  with: string[];
  without: string[];
  /** Registrable domain (or the file name for keys without one): whole sites stay in one part. */
  site: string;
  part: Part;
  /** Two-letter language of the page ('other' when unknown). */
  lang: string;
}

/**
 * Which part a site belongs to: a third of the sites, fixed by a hash of the site name, are held
 * back from tuning (rules, thresholds and the classifier's training never see them).
 */
export function partOf(site: string): Part {
  let hash = 0x811c9dc5;
  for (let index = 0; index < site.length; index++) hash = Math.imul(hash ^ site.charCodeAt(index), 0x01000193) >>> 0;
  return hash % 3 === 0 ? 'held-back' : 'tuning';
}

export function loadTrafilaturaDev(): LabelledPage[] {
  const file = path.join(trafilaturaDev, 'evaldata.json');
  if (!existsSync(file)) return [];
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { file: string; with?: string[]; without?: string[] }>;
  return Object.entries(data)
    .map(([key, entry]) => {
      const isUrl = /^https?:\/\//i.test(key);
      const url = isUrl ? key : `https://example.com/${encodeURIComponent(key)}`;
      const site = (isUrl ? getDomain(key) || getHostname(key) : '') || `file:${entry.file}`;
      return { key, url, file: entry.file, with: entry.with ?? [], without: entry.without ?? [], site, part: partOf(site), lang: '' };
    })
    .filter((page) => existsSync(path.join(trafilaturaDev, 'pages', page.file)));
}

/** A page's HTML decoded as `casebook extract` decodes a saved page (BOM, then <meta charset>, else UTF-8). */
export function readPage(page: LabelledPage): string {
  const bytes = readFileSync(path.join(trafilaturaDev, 'pages', page.file));
  try {
    return decodePage(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** Stopwords that tell the set's languages apart (the pages' lang attributes are often missing or wrong). */
const STOPWORDS: Record<string, string[]> = {
  de: ['der', 'die', 'und', 'nicht', 'das', 'ist', 'mit', 'sich', 'auf', 'für', 'auch', 'ein', 'eine', 'wird', 'werden', 'dem', 'den', 'bei'],
  en: ['the', 'and', 'of', 'to', 'is', 'that', 'for', 'with', 'was', 'are', 'this', 'have', 'from', 'by', 'which', 'were'],
  fr: ['le', 'les', 'des', 'est', 'et', 'une', 'dans', 'pour', 'qui', 'pas', 'sur', 'au', 'avec', 'sont', 'du', 'ce'],
  es: ['el', 'los', 'las', 'y', 'que', 'del', 'por', 'una', 'con', 'para', 'es', 'se', 'su', 'como', 'más', 'pero'],
  pl: ['i', 'w', 'na', 'nie', 'się', 'z', 'że', 'do', 'jest', 'to', 'jak', 'od', 'po', 'przez', 'dla', 'są'],
  it: ['il', 'di', 'che', 'e', 'della', 'per', 'non', 'sono', 'gli', 'delle', 'nel', 'alla', 'una', 'anche', 'è', 'questo'],
  pt: ['o', 'os', 'da', 'do', 'em', 'não', 'uma', 'para', 'com', 'que', 'dos', 'mais', 'são', 'foi', 'pelo', 'ao'],
};

/** The language of a page, from the text of its labelled passages and its visible text. */
export function guessLanguage(text: string): string {
  const words = text.toLowerCase().split(/[^\p{L}]+/u);
  let best = 'other';
  let bestScore = 2;
  for (const [lang, list] of Object.entries(STOPWORDS)) {
    const set = new Set(list);
    let score = 0;
    for (const word of words) if (set.has(word)) score++;
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  return best;
}

/** Visible words of a raw page, roughly (no parse): for telling its language only. */
export function roughText(html: string): string {
  return html
    .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .slice(0, 50_000);
}

/** Fills each page's language from its labelled passages and its text. */
export function withLanguages(pages: LabelledPage[]): LabelledPage[] {
  return pages.map((page) => ({ ...page, lang: guessLanguage([...page.with, ...page.with, roughText(readPage(page))].join(' ')) }));
}

export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export interface Counts {
  tp: number;
  fn: number;
  fp: number;
  pages: number;
  failed: number;
}

export const emptyCounts = (): Counts => ({ tp: 0, fn: 0, fp: 0, pages: 0, failed: 0 });

/** Counts one page. `text` null: the extractor failed on it (every `with` passage is missing). */
export function scorePage(page: LabelledPage, text: string | null, into: Counts): Counts {
  into.pages++;
  if (text === null) {
    into.failed++;
    into.fn += page.with.length;
    return into;
  }
  const haystack = normalizeWhitespace(text);
  for (const passage of page.with) {
    if (haystack.includes(normalizeWhitespace(passage))) into.tp++;
    else into.fn++;
  }
  for (const passage of page.without) if (haystack.includes(normalizeWhitespace(passage))) into.fp++;
  return into;
}

export function prf(counts: Counts): { precision: number; recall: number; f1: number } {
  const precision = counts.tp + counts.fp === 0 ? 0 : counts.tp / (counts.tp + counts.fp);
  const recall = counts.tp + counts.fn === 0 ? 0 : counts.tp / (counts.tp + counts.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Counts per group (a part, a language, 'all'), for several extractors side by side. */
export class Scoreboard {
  readonly groups = new Map<string, Map<string, Counts>>();

  add(extractor: string, page: LabelledPage, text: string | null): void {
    for (const group of ['all', `part:${page.part}`, `lang:${page.lang}`, `${page.part}/${page.lang}`]) {
      let byExtractor = this.groups.get(group);
      if (!byExtractor) this.groups.set(group, (byExtractor = new Map()));
      let counts = byExtractor.get(extractor);
      if (!counts) byExtractor.set(extractor, (counts = emptyCounts()));
      scorePage(page, text, counts);
    }
  }

  counts(group: string, extractor: string): Counts {
    return this.groups.get(group)?.get(extractor) ?? emptyCounts();
  }

  /** Rows for console.table: one per group, F1/P/R of each extractor. */
  table(extractors: string[], groups = this.orderedGroups()): Record<string, Record<string, string | number>> {
    const rows: Record<string, Record<string, string | number>> = {};
    for (const group of groups) {
      const row: Record<string, string | number> = { pages: this.counts(group, extractors[0] as string).pages };
      for (const extractor of extractors) {
        const counts = this.counts(group, extractor);
        const { precision, recall, f1 } = prf(counts);
        row[`${extractor} F1`] = f1.toFixed(3);
        row[`${extractor} P`] = precision.toFixed(3);
        row[`${extractor} R`] = recall.toFixed(3);
        if (counts.failed > 0) row[`${extractor} failed`] = counts.failed;
      }
      rows[group] = row;
    }
    return rows;
  }

  orderedGroups(): string[] {
    const groups = [...this.groups.keys()];
    const rank = (group: string) => (group === 'all' ? 0 : group.startsWith('part:') ? 1 : group.startsWith('lang:') ? 2 : 3);
    return groups.sort((a, b) => rank(a) - rank(b) || (this.counts(b, [...(this.groups.get(b)?.keys() ?? [])][0] ?? '').pages - this.counts(a, [...(this.groups.get(a)?.keys() ?? [])][0] ?? '').pages) || a.localeCompare(b));
  }
}
