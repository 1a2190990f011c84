// Generates a realistic library for benchmarks: clips of 2-30 KB HTML whose words follow a
// Zipf-like distribution, so common words are in most clips and rare ones in a handful.
import { randomUUID } from 'node:crypto';

/** A seeded PRNG (mulberry32): the same seed gives the same library in every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ter', 'san', 'do', 're', 'vo', 'lin', 'gra', 'pe', 'tu', 'mon', 'ci', 'ra', 'be', 'no', 'fi', 'zu', 'har', 'el', 'ost', 'wen', 'dri'];

export interface Vocabulary {
  words: string[];
  /** Draws a word index with probability ∝ 1 / (rank + 1)^s. */
  draw: () => number;
}

export function vocabulary(size: number, rand: () => number, s = 1.05): Vocabulary {
  const words: string[] = [];
  const seen = new Set<string>();
  const domain = ['cocoa', 'cooperative', 'farmers', 'partnership', 'company', 'sustainability', 'supply', 'chain', 'trader', 'dairy', 'telecom', 'mobile', 'money', 'ghana', 'kenya', 'uganda', 'premium', 'labour', 'certification', 'impact'];
  for (const word of domain) {
    words.push(word);
    seen.add(word);
  }
  while (words.length < size) {
    const length = 2 + Math.floor(rand() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  // Cumulative weights for inverse-transform sampling by binary search.
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    total += 1 / Math.pow(i + 1, s);
    cumulative[i] = total;
  }
  const draw = () => {
    const target = rand() * total;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { words, draw };
}

export interface GeneratedClip {
  id: string;
  fields: {
    url: string;
    kind: 'article';
    title: string;
    siteName: string;
    excerpt: string;
    html: string;
    text: string;
    tags: string[];
    caseIds: string[];
    capturedAt: string;
    lang: string;
  };
}

const SITES = ['news.example.org', 'thebrokeronline.example', 'devex.example', 'nos.example.nl', 'reuters.example.com', 'ft.example.com'];
const TAGS = ['cocoa', 'dairy', 'telecom', 'lesson', 'common issue', 'due diligence', 'living income', 'child labour', 'csr', 'finance'];

/** Bytes of HTML per generated clip: drawn uniformly between min and max. */
export interface ClipSize {
  min: number;
  max: number;
}
export const ARTICLE_SIZE: ClipSize = { min: 2_000, max: 30_000 };

export function generateClip(vocab: Vocabulary, rand: () => number, index: number, caseIds: string[], size: ClipSize = ARTICLE_SIZE): GeneratedClip {
  const targetHtmlBytes = size.min + Math.floor(rand() * (size.max - size.min));
  const paragraphs: string[] = [];
  const texts: string[] = [];
  let bytes = 0;
  while (bytes < targetHtmlBytes) {
    const count = 40 + Math.floor(rand() * 60);
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(vocab.words[vocab.draw()]!);
    const sentence = words.join(' ');
    const text = sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.';
    texts.push(text);
    const html = `<p>${text}</p>`;
    paragraphs.push(html);
    bytes += html.length;
  }
  const titleWords = Array.from({ length: 4 + Math.floor(rand() * 6) }, () => vocab.words[vocab.draw()]!);
  const site = SITES[Math.floor(rand() * SITES.length)]!;
  const tags = TAGS.filter(() => rand() < 0.15);
  const clipCases = caseIds.length && rand() < 0.3 ? [caseIds[Math.floor(rand() * caseIds.length)]!] : [];
  const text = texts.join('\n\n');
  // Mostly English, as a Dutch NGO's library is, with Dutch, German and French clips: each
  // language's stemmer indexes its share (issue 17).
  const roll = rand();
  const lang = roll < 0.6 ? 'en' : roll < 0.8 ? 'nl' : roll < 0.9 ? 'de' : 'fr';
  return {
    id: randomUUID(),
    fields: {
      url: `https://${site}/${index}/${titleWords.slice(0, 3).join('-')}`,
      kind: 'article',
      title: titleWords.join(' '),
      siteName: site,
      excerpt: text.slice(0, 200),
      html: paragraphs.join('\n'),
      text,
      tags,
      caseIds: clipCases,
      capturedAt: new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString(),
      lang,
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function formatTable(rows: Array<Record<string, string | number>>): string {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(columns.map((c) => String(row[c]))))].join('\n');
}

export function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2);
    flags[key!] = inline ?? (argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true');
  }
  return flags;
}

/** The seed of the benchmark library (bench/corpus.ts): its vocabulary is the first thing drawn, so queries rebuild it from this seed. */
export const SEED_VOCABULARY = 6;
