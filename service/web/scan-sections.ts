// The company-scan template as the web pages and exports need it: sections with their
// questions, and answer values as short text.
import { SCAN_TEMPLATE } from '../../shared/scan-template.ts';

export interface TemplateQuestion {
  key: string;
  label: string;
  fill: 'auto' | 'suggest' | 'link' | 'human';
}

export interface TemplateSection {
  key: string;
  title: string;
  questions: TemplateQuestion[];
}

/**
 * The sections of the shared template (shared/scan-template.ts). A scan made with another
 * template version still shows under the current questions: answers are keyed by question key,
 * and answers to keys the template no longer has are listed apart by the pages.
 */
const SECTIONS: TemplateSection[] = SCAN_TEMPLATE.sections.map((section) => ({
  key: section.id,
  title: `${section.id}. ${section.title}`,
  questions: section.questions.map((question) => ({ key: question.key, label: question.label, fill: question.fill })),
}));

export function sectionsFor(_templateId: string): TemplateSection[] {
  return SECTIONS;
}

/** Renders an answer's value (text, list, records, boolean) as short plain text. */
export function answerText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(answerText).filter(Boolean).join('; ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('scheme' in record && 'value' in record) return `${answerText(record.scheme)} ${answerText(record.value)}`;
    if ('name' in record) return answerText(record.name);
    if ('number' in record) return answerText(record.number);
    return Object.values(record).map(answerText).filter(Boolean).join(', ');
  }
  return String(value);
}

/** JSON-LD's own keys say nothing to a reader. */
const LD_NOISE = new Set(['@context', '@id', '@graph']);

function ldValueText(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (depth > 3) return '…';
  if (Array.isArray(value)) return value.map((item) => ldValueText(item, depth + 1)).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !key.startsWith('@'))
      .map(([, item]) => ldValueText(item, depth + 1))
      .filter(Boolean)
      .join(', ');
  }
  return '';
}

function ldObjectText(record: Record<string, unknown>): string {
  const parts: string[] = [];
  const type = record['@type'];
  if (type !== undefined) parts.push(ldValueText(type));
  for (const [key, value] of Object.entries(record)) {
    if (key === '@type' || LD_NOISE.has(key)) continue;
    const text = ldValueText(value);
    if (text) parts.push(`${key.replace(/^@/, '')}: ${text}`);
  }
  return parts.filter(Boolean).join(' · ');
}

/**
 * An evidence snippet as a person reads it. Evidence from a page's structured data is a piece
 * of JSON-LD (`"@type": "Organization", "name": "X", "address": {…}`); it reads as
 * "Organization · name: X · address: Street 1, Town". A snippet cut short (…) that no longer
 * parses is read key by key. Any other snippet (text from the page) is kept as it is.
 */
export function evidenceText(snippet: unknown): string {
  if (typeof snippet !== 'string') return '';
  const trimmed = snippet.trim();
  if (!/^[{["]/.test(trimmed) || !/"[^"]*"\s*:/.test(trimmed)) return snippet;
  for (const candidate of [trimmed, `{${trimmed}}`]) {
    try {
      const parsed = JSON.parse(candidate) as unknown;
      if (Array.isArray(parsed)) return parsed.map((item) => (item && typeof item === 'object' ? ldObjectText(item as Record<string, unknown>) : ldValueText(item))).join('; ');
      if (parsed && typeof parsed === 'object') return ldObjectText(parsed as Record<string, unknown>);
    } catch {
      // Not whole JSON: read it key by key below.
    }
  }
  const cut = trimmed.endsWith('…');
  const text = trimmed
    .replace(/\s+/g, ' ')
    .replace(/…$/, '')
    .replace(/"@type"\s*:\s*"([^"]*)"\s*,?/g, '$1 · ')
    .replace(/"@(?:context|id)"\s*:\s*"[^"]*"\s*,?/g, '')
    .replace(/"([^"]+)"\s*:\s*/g, (_match, key: string) => `· ${key.replace(/^@/, '')}: `)
    .replace(/[{}[\]"]/g, '')
    .replace(/\s*,\s*·/g, ' ·')
    .replace(/\s*·\s*(·\s*)+/g, ' · ')
    .replace(/\s+/g, ' ')
    .replace(/:\s*·\s*/g, ': ')
    .replace(/^\s*·\s*|\s*·\s*$/g, '')
    .trim();
  return cut ? `${text} …` : text;
}

/** The text a person edits for an answer's value: one item a line for lists. */
export function answerEditText(value: unknown): string {
  if (Array.isArray(value)) return value.map(answerText).filter(Boolean).join('\n');
  return answerText(value);
}

/**
 * The value of an answer typed on the web: a list (one item a line) where the question's answer
 * was a list, a text otherwise; undefined when nothing was typed.
 */
export function answerFromText(text: string, previous: unknown): string | string[] | undefined {
  const clean = text.replace(/\r\n/g, '\n').trim();
  if (!clean) return undefined;
  if (Array.isArray(previous)) {
    const items = [...new Set(clean.split('\n').map((line) => line.trim()).filter(Boolean))];
    return items.length ? items : undefined;
  }
  return clean;
}
