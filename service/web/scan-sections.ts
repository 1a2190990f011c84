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
