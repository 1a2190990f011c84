// The company-scan template (company-scan.md) as versioned data: the extension's side panel
// and the web library render their forms from it, and answers point to its question keys.

/** auto: proposed with high precision; suggest: proposed, a person confirms; link: a page or document a person reads; human: judgement only. */
export type QuestionFill = 'auto' | 'suggest' | 'link' | 'human';

/** The shape of a question's value (the proposal value shapes of shared/facts/types.ts). */
export type ValueKind =
  | 'text' | 'longText' | 'url' | 'year' | 'number' | 'boolean' | 'country'
  | 'registrations' | 'texts' | 'addresses' | 'phones' | 'urls' | 'reports' | 'certifications' | 'countries';

export interface ScanQuestion {
  key: string;
  label: string;
  kind: ValueKind;
  /** True when the answer is a list (one proposal per element). */
  list: boolean;
  fill: QuestionFill;
  help: string;
}

export interface ScanSection {
  id: 'A' | 'B' | 'C' | 'D' | 'E';
  title: string;
  questions: ScanQuestion[];
}

export interface ScanTemplate {
  /** Stored on every scan (scan.templateId); a changed question set gets a new version. */
  id: string;
  version: number;
  title: string;
  sections: ScanSection[];
}

const q = (key: string, label: string, kind: ValueKind, fill: QuestionFill, help: string, list = false): ScanQuestion => ({ key, label, kind, list, fill, help });

export const SCAN_TEMPLATE: ScanTemplate = {
  id: 'company-scan/1',
  version: 1,
  title: 'Company scan',
  sections: [
    {
      id: 'A',
      title: 'Identity and registration',
      questions: [
        q('name', 'Name', 'text', 'auto', 'The name the company uses on its own site.'),
        q('legalName', 'Legal name', 'text', 'auto', 'The registered name with its legal form (B.V., GmbH, Ltd …), as in the footer or imprint.'),
        q('website', 'Website', 'url', 'auto', 'The company’s own site.'),
        q('logo', 'Logo', 'url', 'auto', 'The logo image the site shows.'),
        q('registrations', 'Registration numbers', 'registrations', 'auto', 'Chamber of commerce (KvK, 8 digits), Companies House, LEI, Handelsregister … Never a bank account.', true),
        q('vatIds', 'VAT numbers', 'texts', 'auto', 'BTW / VAT / USt-IdNr, written without dots or spaces (NL009691108B01).', true),
        q('addresses', 'Addresses', 'addresses', 'auto', 'Registered, visiting, postal and branch addresses.', true),
        q('country', 'Country', 'country', 'auto', 'Where the company is established (ISO code), from its main address.'),
        q('phones', 'Phone numbers', 'phones', 'auto', 'In international format; visible text wins over structured data.', true),
        q('emails', 'E-mail addresses', 'texts', 'auto', 'General contact addresses of the company.', true),
        q('social', 'Social profiles', 'urls', 'auto', 'The company’s own profiles on LinkedIn, Facebook, X, Instagram, YouTube, Xing.', true),
        q('foundingYear', 'Founding year', 'year', 'suggest', '“Founded / opgericht / since …”: check it.'),
        q('parentOrganization', 'Parent organisation', 'text', 'suggest', 'The group the company is part of, if any.'),
        q('isOwnSite', 'Company’s own site?', 'boolean', 'auto', 'No on profiles, directories, registers and news pages about the company.'),
      ],
    },
    {
      id: 'B',
      title: 'Business profile',
      questions: [
        q('description', 'What the company does', 'longText', 'suggest', 'From the site’s description or about page.'),
        q('sector', 'Sector', 'text', 'suggest', 'Map the description to an SBI / NACE code.'),
        q('products', 'Products and brands', 'texts', 'suggest', 'Main products, services and brands.', true),
        q('employees', 'Employees', 'number', 'suggest', 'Number of employees the site states.'),
        q('ownership', 'Ownership', 'text', 'suggest', 'Stock listing (e.g. NYSE: MDT); family-owned, listed or cooperative is your call.'),
        q('countries', 'Countries of operation', 'countries', 'suggest', 'Where the company produces, sources and sells.', true),
      ],
    },
    {
      id: 'C',
      title: 'CSR policy and reporting',
      questions: [
        q('csrPage', 'CSR / sustainability page', 'url', 'link', 'Sustainability, MVO, ESG or responsibility page: read it.'),
        q('reports', 'Reports', 'reports', 'link', 'Annual, sustainability or integrated reports, with their year.', true),
        q('codeOfConduct', 'Code of conduct', 'url', 'link', 'Code of conduct or supplier code.'),
        q('humanRightsStatement', 'Human rights statement', 'url', 'link', 'Human rights policy, modern slavery statement.'),
        q('whistleblowing', 'Whistleblowing / grievance', 'url', 'link', 'Speak-up line, complaints or grievance procedure.'),
        q('reportingStandards', 'Reporting standards', 'texts', 'suggest', 'GRI, ESRS / CSRD, UN Global Compact communication on progress.', true),
      ],
    },
    {
      id: 'D',
      title: 'Standards, certifications, memberships',
      questions: [
        q('certifications', 'Certifications and memberships', 'certifications', 'suggest', 'A logo is a claim, not proof: check it in the issuer’s register.', true),
      ],
    },
    {
      id: 'E',
      title: 'Judgement',
      questions: [
        q('supplyChainRisks', 'Supply-chain risks', 'longText', 'human', 'Products × countries, e.g. with a CSR risk check.'),
        q('exclusionScreen', 'Exclusion screen', 'longText', 'human', 'Arms, tobacco, gambling, pornography, sanctions, child or forced labour.'),
        q('controversies', 'Controversies', 'longText', 'human', 'From outside sources: campaigns, court cases, news.'),
        q('partnershipFit', 'Partnership fit', 'longText', 'human', 'Shared goals, relevance to the core business.'),
        q('decision', 'Decision', 'longText', 'human', 'Go / no-go / conditions, and the risks to monitor.'),
      ],
    },
  ],
};

/** Every question by key. */
export const SCAN_QUESTIONS: ReadonlyMap<string, ScanQuestion> = new Map(SCAN_TEMPLATE.sections.flatMap((s) => s.questions.map((question) => [question.key, question] as const)));
