// The CSV export of company scans: one row per scan question (answered or not), for a spreadsheet.
import type { Db } from '../db/schema.ts';
import { membersOf } from '../repos/accounts.ts';
import { isStoredOfType, type StoredObject } from '../repos/objects.ts';
import { answerText, sectionsFor } from '../web/scan-sections.ts';
import { exportObjects, type ExportProgress, type ExportScope } from './collect.ts';

const COLUMNS = ['scan_id', 'company', 'company_domains', 'case', 'scan_status', 'section', 'question', 'field', 'answer', 'method', 'evidence_urls', 'evidence_snippets', 'answered_by', 'confirmed_by', 'updated_at'];

/**
 * Text whose first character other than spaces is one a spreadsheet reads as the start of a
 * formula (= + - @, also full-width), or that starts with a tab or carriage return (OWASP's
 * CSV injection rules): spreadsheets trim the spaces and run the rest.
 */
const FORMULA = /^[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * One CSV field. Text that a spreadsheet would run as a formula (FORMULA) is prefixed with an
 * apostrophe, which makes it text (answers come from web pages).
 */
export function csvField(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const row = (values: string[]) => `${values.map(csvField).join(',')}\r\n`;

export async function* scansCsv(db: Db, scope: ExportScope, onProgress?: ExportProgress): AsyncGenerator<string> {
  const names = new Map((await membersOf(db, scope.libraryId)).map((member) => [member.id, member.name]));
  const objects: { company: StoredObject<'company'>[]; case: StoredObject<'case'>[]; scan: StoredObject<'scan'>[]; answer: StoredObject<'answer'>[] } = { company: [], case: [], scan: [], answer: [] };
  for await (const object of exportObjects(db, scope, ['company', 'case', 'scan', 'answer'])) {
    if (object.deleted) continue;
    if (isStoredOfType(object, 'company')) objects.company.push(object);
    else if (isStoredOfType(object, 'case')) objects.case.push(object);
    else if (isStoredOfType(object, 'scan')) objects.scan.push(object);
    else if (isStoredOfType(object, 'answer')) objects.answer.push(object);
  }
  // The byte-order mark makes spreadsheet programs read the file as UTF-8.
  yield `\uFEFF${row(COLUMNS)}`;
  let done = 0;
  for (const scan of objects.scan) {
    const company = objects.company.find((item) => item.id === scan.fields.companyId);
    const caseTitle = objects.case.find((item) => item.id === scan.fields.caseId)?.fields.title ?? '';
    const answers = objects.answer.filter((answer) => answer.fields.scanId === scan.id);
    const byField = new Map(answers.map((answer) => [answer.fields.field, answer]));
    const sections = sectionsFor(scan.fields.templateId);
    const known = new Set(sections.flatMap((section) => section.questions.map((question) => question.key)));
    const lines: Array<[string, string, string]> = sections.flatMap((section) => section.questions.map((question) => [section.title, question.label, question.key] as [string, string, string]));
    for (const answer of answers) if (!known.has(answer.fields.field)) lines.push(['Other', answer.fields.field, answer.fields.field]);
    let chunk = '';
    for (const [section, question, field] of lines) {
      const answer = byField.get(field);
      const evidence = answer?.fields.evidence ?? [];
      chunk += row([
        scan.id,
        company?.fields.name ?? '',
        company?.fields.domains.join(' ') ?? '',
        caseTitle,
        scan.fields.status,
        section,
        question,
        field,
        answer ? answerText(answer.fields.value) : '',
        answer ? answer.fields.method : '',
        evidence.map((item) => item.url).join(' '),
        evidence.map((item) => item.snippet).join(' | '),
        answer ? (names.get(answer.updatedBy) ?? answer.updatedBy) : '',
        answer && typeof answer.fields.confirmedBy === 'string' ? (names.get(answer.fields.confirmedBy) ?? answer.fields.confirmedBy) : '',
        answer ? answer.updatedAt : '',
      ]);
    }
    yield chunk;
    done += 1;
    onProgress?.(done, objects.scan.length);
  }
  if (objects.scan.length === 0) onProgress?.(0, 0);
}
