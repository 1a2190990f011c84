// The shapes of company-scan proposals (company-scan.md "Rules for every proposed answer"),
// shared by every extractor in shared/facts/ and by the extension, service and CLI.

/** Where a proposal came from: structured data first, visible text last. */
export type FactMethod = 'jsonld' | 'microdata' | 'meta' | 'link' | 'text' | 'dom';

export interface Evidence {
  /** The page the value was read on. */
  url: string;
  /** A short piece of the page that contains the value (its raw form when the value is normalised). */
  snippet: string;
}

/** One proposed answer for one question (or one element of a list-valued question). */
export interface Proposal<V = ProposalValue> {
  value: V;
  method: FactMethod;
  /** 0..1: how sure the extractor is that the value is right and belongs to the site's company. */
  confidence: number;
  evidence: Evidence;
}

export interface Registration {
  /** org-id.guide style scheme id: NL-KVK, GB-COH, LEI, DE-CR, FR-RCS, BE-BCE_KBO. */
  scheme: string;
  value: string;
}

export type AddressRole = 'registered' | 'visiting' | 'postal' | 'branch';

export interface Address {
  role: AddressRole;
  street: string;
  postalCode: string;
  locality: string;
  region: string;
  /** ISO 3166-1 alpha-2, '' when unknown. */
  country: string;
}

export type PhoneType = 'phone' | 'mobile' | 'fax';

export interface Phone {
  /** E.164, e.g. +31201234567. */
  number: string;
  type: PhoneType;
}

/** A certification, label or membership the site claims; `evidence` says what kind of claim it is. */
export interface Certification {
  name: string;
  evidence: 'text' | 'logo' | 'jsonld';
}

/** An annual / sustainability report link; `year` only when the page states it. */
export interface ReportLink {
  url: string;
  title: string;
  year?: number;
}

export type ProposalValue = string | number | boolean | Registration | Address | Phone | Certification | ReportLink;

/** The value shape of every key the extractor may propose. */
export interface ScanValueByKey {
  name: string;
  legalName: string;
  website: string;
  logo: string;
  registrations: Registration;
  vatIds: string;
  addresses: Address;
  country: string;
  phones: Phone;
  emails: string;
  social: string;
  foundingYear: number;
  parentOrganization: string;
  isOwnSite: boolean;
  description: string;
  sector: string;
  products: string;
  employees: number;
  ownership: string;
  countries: string;
  csrPage: string;
  reports: ReportLink;
  codeOfConduct: string;
  humanRightsStatement: string;
  whistleblowing: string;
  reportingStandards: string;
  certifications: Certification;
}

export type ProposableKey = keyof ScanValueByKey;

/** Proposals per key: a key is present only when something was found; best proposal first. */
export type ScanAnswers = { [K in ProposableKey]?: Proposal<ScanValueByKey[K]>[] };

/** What proposeScanAnswers returns and `casebook facts` prints (company-scan.md "Command-line contract"). */
export interface ScanProposals {
  url: string;
  answers: ScanAnswers;
}

/** Keys whose answer is a list: one proposal per element, all of them kept when pages merge. */
export const LIST_KEYS: ReadonlySet<ProposableKey> = new Set<ProposableKey>([
  'registrations', 'vatIds', 'addresses', 'phones', 'emails', 'social', 'products', 'countries',
  'reports', 'reportingStandards', 'certifications',
]);
