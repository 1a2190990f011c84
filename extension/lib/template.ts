// The company-scan template as the side panel and the scan draft use it: read from the versioned
// template in shared/ (company-scan.md), never restated here.
import { SCAN_QUESTIONS, SCAN_TEMPLATE, type ScanQuestion, type ScanSection } from '../../shared/scan-template.ts';

export type TemplateQuestion = ScanQuestion;
export type TemplateSection = ScanSection;

export const SCAN_TEMPLATE_ID: string = SCAN_TEMPLATE.id;
export const SCAN_SECTIONS: readonly ScanSection[] = SCAN_TEMPLATE.sections;

export function isListQuestion(key: string): boolean {
  return SCAN_QUESTIONS.get(key)?.list ?? false;
}
