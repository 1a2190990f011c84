// proposeScanAnswers: the company-scan proposals one page supports (company-scan.md), from a
// live Document in a content script or an HTML string in Node. Pure: it reads the page once
// (page.ts), never changes it, and calls no browser or database API.
import { proposeAddresses } from './addresses.ts';
import { proposeCertifications } from './certifications.ts';
import { createContext, type FactContext } from './context.ts';
import { countryOfHost } from './country.ts';
import { proposeCsrLinks } from './csr-links.ts';
import { NO_HOST, documentOf, type PageHost } from '../page/host.ts';
import { proposeEmails } from './emails.ts';
import { proposeDescription, proposeLegalName, proposeProfileText, proposeWebsiteAndLogo } from './identity.ts';
import { parseJsonLd, type JsonLd } from '../page/structured.ts';
import { allTypes, ownOrganizations } from './jsonld.ts';
import { microdataOrganizations } from './microdata.ts';
import { proposeName } from './name.ts';
import { registrableDomain } from '../site.ts';
import { scanPage, type PageScan } from './page.ts';
import { proposePhones } from './phones.ts';
import { proposeRegistrations } from './registrations.ts';
import { profileUrl, proposeSocial } from './social.ts';
import { proposeFromOrganization } from './structured.ts';
import { classifyPage, markThirdParty } from './third-party.ts';
import type { Proposal, ScanAnswers, ScanProposals } from './types.ts';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { proposeVatIds } from './vat.ts';

export type { ScanProposals, Proposal } from './types.ts';

/** The country used to read local phone numbers before the page's own address is known. */
function guessCountry(scan: PageScan): string {
  const fromHost = countryOfHost(scan.host);
  if (fromHost) return fromHost;
  const region = /^[a-z]{2}-([a-z]{2})$/i.exec(scan.lang)?.[1];
  if (region) return region.toUpperCase();
  const lang = scan.lang.slice(0, 2);
  return ({ nl: 'NL', de: 'DE', fr: 'FR' } as Record<string, string>)[lang] ?? '';
}

/** A profile page (LinkedIn, a register): only what it says about whose profile it is. */
function proposeFromProfile(ctx: FactContext): void {
  const { scan } = ctx;
  const title = scan.meta.get('og:title')?.[0] ?? scan.title;
  const name = title.split(/\s+[|–—-]\s+/)[0]?.replace(/\s*\((?:LinkedIn|Facebook)\)$/i, '').trim();
  if (name && name.length <= 80 && !/linkedin|facebook|log ?in|sign ?in|kvk|opencorporates/i.test(name)) ctx.add('name', name, 'meta', 0.6, title);
  const profile = profileUrl(scan.canonical || scan.url);
  if (profile) ctx.add('social', profile, 'link', 0.8, scan.canonical || scan.url, profile.toLowerCase());
  // The company's own website as the profile states it ("Website | https://…"), never the network's.
  for (const link of scan.links) {
    if (!/^https?:/i.test(link.href) || (registrableDomain(link.href) ?? '') === scan.domain || profileUrl(link.href)) continue;
    const block = scan.blocks[link.block];
    const before = block ? block.text.slice(Math.max(0, link.offset - 40), link.offset) : '';
    if (!/\b(?:web\s?site|webseite|site\s+web|homepage|sitio\s+web)\b[\s:|]*$/i.test(before)) continue;
    try {
      const origin = new URL(link.href).origin;
      ctx.add('website', origin, 'link', 0.75, `${before.trim()} ${link.text || link.href}`.trim().slice(0, 300), origin.toLowerCase());
      break;
    } catch { /* not a URL */ }
  }
}

/** On a news page: the publisher's name, legal name, logo and website (JSON-LD, else og:site_name and the origin), at lower confidence. */
function proposePublisher(ctx: FactContext, ld: JsonLd, siteNames: string[]): void {
  const { scan } = ctx;
  const identity = new Set(['name', 'legalName', 'logo', 'url', '@type', '@id']);
  for (const org of ownOrganizations(ld, scan.domain, siteNames)) {
    const only = Object.fromEntries(Object.entries(org).filter(([key]) => identity.has(key)));
    proposeFromOrganization(ctx, only, ld, 'jsonld');
  }
  const site = scan.meta.get('og:site_name')?.[0]?.trim() ?? '';
  if (!ctx.answers().name && site && site.length <= 60 && !/^(?:https?:\/\/)?(?:www\.)?[\w-]+(?:\.[\w-]+)+\/?$/i.test(site)) {
    ctx.add('name', site, 'meta', 0.6, `<meta property="og:site_name" content="${site}">`);
  }
  if (ctx.answers().name) {
    try {
      const origin = new URL(scan.canonical || scan.url).origin;
      if (/^https?:/.test(origin)) ctx.add('website', origin, 'dom', 0.6, scan.canonical || scan.url, origin.toLowerCase());
    } catch { /* not a URL */ }
  }
  for (const key of ['name', 'legalName', 'logo', 'website'] as const) for (const p of ctx.answers()[key] ?? []) p.confidence = Math.min(p.confidence, 0.7);
}

/** Country of the company: main address, then VAT prefix and register, then phone code, then the domain. */
function proposeCountry(ctx: FactContext, answers: ScanAnswers): void {
  const address = answers.addresses?.find((p) => p.value.country);
  if (address) ctx.add('country', address.value.country, address.method, Math.min(0.88, address.confidence), address.evidence.snippet);
  const vat = answers.vatIds?.[0];
  if (vat && /^[A-Z]{2}/.test(vat.value)) ctx.add('country', vat.value.slice(0, 2).replace('EL', 'GR'), vat.method, 0.8, vat.evidence.snippet);
  const reg = answers.registrations?.find((p) => /^(?:NL|GB|DE|FR|BE)-/.test(p.value.scheme));
  if (reg) ctx.add('country', reg.value.scheme.slice(0, 2), reg.method, 0.8, reg.evidence.snippet);
  const fromHost = countryOfHost(ctx.scan.host);
  if (fromHost) ctx.add('country', fromHost, 'dom', 0.6, ctx.scan.host);
  // A visible number's country code (+61, +353): not +1, which NANP shares between the US, Canada and the Caribbean.
  const phone = answers.phones?.find((p) => (p.method === 'text' || p.method === 'link') && !p.value.number.startsWith('+1') && !p.value.number.startsWith('+800'));
  const fromPhone = phone ? parsePhoneNumberFromString(phone.value.number)?.country : undefined;
  if (phone && fromPhone) ctx.add('country', fromPhone, phone.method, 0.55, phone.evidence.snippet);
}

/** JSON-LD phones that the visible text does not show rank below the visible ones (company-scan.md). */
function preferVisiblePhones(answers: ScanAnswers): void {
  const phones = answers.phones;
  if (!phones) return;
  const visible = new Set(phones.filter((p) => p.method === 'text' || p.method === 'link').map((p) => p.value.number));
  if (visible.size === 0) return;
  for (const p of phones) if ((p.method === 'jsonld' || p.method === 'microdata') && !visible.has(p.value.number)) p.confidence = Math.min(p.confidence, 0.6);
  phones.sort((a, b) => b.confidence - a.confidence);
}

/** What went wrong inside one proposeScanAnswers call: the extractor's name and its error message. */
export interface ExtractorFailure {
  extractor: string;
  message: string;
}

/**
 * Runs one extractor; when it throws, what it proposed before failing is taken back and the
 * failure is noted, so one broken extractor loses only its own answers, never the page.
 */
export function guarded(ctx: FactContext, failures: ExtractorFailure[], extractor: string, run: () => void): void {
  const saved = ctx.snapshot();
  try {
    run();
  } catch (error) {
    ctx.restore(saved);
    failures.push({ extractor, message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * proposeScanAnswers with the failures it survived (for the bench and tests): every extractor
 * runs inside a guard, and a page that cannot be read at all gives no answers rather than an error.
 */
export function proposeScanAnswersReport(input: Document, url: string): { proposals: ScanProposals; failures: ExtractorFailure[] };
export function proposeScanAnswersReport(input: Document | string, url: string, host: PageHost): { proposals: ScanProposals; failures: ExtractorFailure[] };
export function proposeScanAnswersReport(input: Document | string, url: string, host?: PageHost): { proposals: ScanProposals; failures: ExtractorFailure[] } {
  // A string without a parser is the caller's mistake, not the page's: said at once, not as a page failure.
  if (typeof input === 'string' && !host) throw new TypeError(NO_HOST);
  const failures: ExtractorFailure[] = [];
  let scan: PageScan;
  let ld: ReturnType<typeof parseJsonLd>;
  let page: ReturnType<typeof classifyPage>;
  try {
    scan = scanPage(documentOf(input, host, url), url);
    ld = parseJsonLd(scan.jsonld);
    page = classifyPage(scan, allTypes(ld));
  } catch (error) {
    failures.push({ extractor: 'scanPage', message: error instanceof Error ? error.message : String(error) });
    return { proposals: { url, answers: {} }, failures };
  }
  try {
    markThirdParty(scan);
  } catch (error) {
    // Without the third-party marks nothing on the page can be told apart from someone else's: propose nothing.
    failures.push({ extractor: 'markThirdParty', message: error instanceof Error ? error.message : String(error) });
    return { proposals: { url, answers: {} }, failures };
  }
  const ctx = createContext(scan, page.kind);
  const run = (name: string, fn: () => void) => guarded(ctx, failures, name, fn);
  ctx.add('isOwnSite', page.kind === 'own', 'dom', page.kind === 'own' ? 0.7 : 0.9, page.snippet);
  const siteNames = [scan.meta.get('og:site_name')?.[0] ?? '', ...scan.title.split(/\s+[|–—-]\s+/)].filter(Boolean);
  // A news page is about other companies: only the site's own identity (its publisher) is
  // proposed, and less surely; the contacts, numbers and footers of the companies it reports
  // on are not the site's, and the publisher's own contacts are not what the page is about.
  if (page.kind === 'news') {
    run('publisher', () => proposePublisher(ctx, ld, siteNames));
    return { proposals: { url, answers: ctx.answers() }, failures };
  }
  ctx.country = guessCountry(scan);
  if (page.kind === 'profile') {
    run('profile', () => proposeFromProfile(ctx));
    return { proposals: { url, answers: ctx.answers() }, failures };
  }

  run('addresses', () => proposeAddresses(ctx));
  const firstCountry = ctx.answers().addresses?.find((p) => p.value.country)?.value.country;
  if (firstCountry && !countryOfHost(scan.host)) ctx.country = firstCountry;
  run('jsonld', () => {
    for (const org of ownOrganizations(ld, scan.domain, siteNames)) proposeFromOrganization(ctx, org, ld, 'jsonld');
  });
  run('microdata', () => {
    for (const org of microdataOrganizations(scan.microdata)) proposeFromOrganization(ctx, org, null, 'microdata');
  });
  run('name', () => proposeName(ctx));
  run('legalName', () => proposeLegalName(ctx));
  run('websiteAndLogo', () => proposeWebsiteAndLogo(ctx));
  run('registrations', () => proposeRegistrations(ctx));
  run('vatIds', () => proposeVatIds(ctx));
  run('phones', () => proposePhones(ctx));
  run('emails', () => proposeEmails(ctx));
  run('social', () => proposeSocial(ctx));
  run('description', () => proposeDescription(ctx));
  run('profileText', () => proposeProfileText(ctx));
  run('csrLinks', () => proposeCsrLinks(ctx));
  run('certifications', () => proposeCertifications(ctx));
  run('country', () => proposeCountry(ctx, ctx.answers()));
  const answers = ctx.answers();
  run('preferVisiblePhones', () => preferVisiblePhones(answers));
  return { proposals: { url, answers }, failures };
}

/**
 * Proposes company-scan answers for one page. `input` is the live `document` (not changed)
 * or an HTML string parsed by `host` (shared/page/node.ts gives linkedom's and Node entry
 * points); `url` is the page's address. Never throws for a page: an extractor that fails loses
 * only its own answers.
 */
export function proposeScanAnswers(input: Document, url: string): ScanProposals;
export function proposeScanAnswers(input: Document | string, url: string, host: PageHost): ScanProposals;
export function proposeScanAnswers(input: Document | string, url: string, host?: PageHost): ScanProposals {
  return proposeScanAnswersReport(input, url, host as PageHost).proposals;
}

export type { Proposal as ScanProposal };
export type AnyProposal = Proposal<unknown>;
