// The company-scan template as the company page needs it: sections with their questions, and
// how complete a scan is per section. Falls back to the question keys of company-scan.md for
// scans whose template this service does not know.
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

const q = (key: string, label: string, fill: TemplateQuestion['fill']): TemplateQuestion => ({ key, label, fill });

/** The questions of shared/company-scan.md, used until shared/scan-template.ts is available. */
export const FALLBACK_SECTIONS: TemplateSection[] = [
  {
    key: 'identity',
    title: 'A. Identity and registration',
    questions: [
      q('name', 'Name', 'auto'), q('legalName', 'Legal name', 'auto'), q('website', 'Website', 'auto'), q('logo', 'Logo', 'auto'),
      q('registrations', 'Registrations', 'auto'), q('vatIds', 'VAT ids', 'auto'), q('addresses', 'Addresses', 'auto'),
      q('country', 'Country', 'auto'), q('phones', 'Phone numbers', 'auto'), q('emails', 'E-mail addresses', 'auto'),
      q('social', 'Social profiles', 'auto'), q('foundingYear', 'Founding year', 'suggest'),
      q('parentOrganization', 'Parent organisation', 'suggest'), q('isOwnSite', "Company's own site", 'auto'),
    ],
  },
  {
    key: 'business',
    title: 'B. Business profile',
    questions: [
      q('description', 'Description', 'suggest'), q('sector', 'Sector', 'suggest'), q('products', 'Products and brands', 'suggest'),
      q('employees', 'Employees', 'suggest'), q('ownership', 'Ownership', 'suggest'), q('countries', 'Countries of operation', 'suggest'),
    ],
  },
  {
    key: 'csr',
    title: 'C. CSR policy and reporting',
    questions: [
      q('csrPage', 'CSR / sustainability page', 'link'), q('reports', 'Annual and sustainability reports', 'link'),
      q('codeOfConduct', 'Code of conduct', 'link'), q('humanRightsStatement', 'Human rights statement', 'link'),
      q('whistleblowing', 'Whistleblowing / grievance procedure', 'link'), q('reportingStandards', 'Reporting standards', 'suggest'),
    ],
  },
  {
    key: 'standards',
    title: 'D. Standards, certifications, memberships',
    questions: [q('certifications', 'Certifications and memberships', 'suggest')],
  },
  {
    key: 'judgement',
    title: 'E. Judgement',
    questions: [
      q('supplyChainRisks', 'Supply-chain risks', 'human'), q('exclusionScreen', 'Exclusion screen', 'human'),
      q('controversies', 'Controversies', 'human'), q('partnershipFit', 'Partnership fit', 'human'), q('decision', 'Decision', 'human'),
    ],
  },
];

export function sectionsFor(_templateId: string): TemplateSection[] {
  return FALLBACK_SECTIONS;
}

/** Renders an answer's value (text, list, records, boolean) as short plain text. */
export function answerText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return value ? String(value) === 'true' ? 'yes' : String(value) : 'no';
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
