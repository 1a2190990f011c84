// The company-scan template as the side panel and the scan draft use it: sections of questions
// read from the versioned template in shared/ (company-scan.md), never restated here.
import { LIST_KEYS, type ProposableKey } from '../../shared/facts/types.ts';
import { SCAN_TEMPLATE } from '../../shared/scan-template.ts';

export type Fill = 'auto' | 'suggest' | 'link' | 'human';
export interface TemplateQuestion { key: string; label: string; fill: Fill; help?: string }
export interface TemplateSection { title: string; questions: TemplateQuestion[] }

export const SCAN_TEMPLATE_ID: string = SCAN_TEMPLATE.id;

export const SCAN_SECTIONS: TemplateSection[] = SCAN_TEMPLATE.sections.map((section) => ({
  title: section.title,
  questions: section.questions.map((question) => ({ key: question.key, label: question.label, fill: question.fill })),
}));

export function isListQuestion(key: string): boolean {
  return LIST_KEYS.has(key as ProposableKey);
}
