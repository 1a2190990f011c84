// Proposals from structured data (JSON-LD and microdata Organization nodes of the site's own
// company): the most trustworthy source, read before the visible text.
import { certificationName } from './certifications.ts';
import type { FactContext } from './context.ts';
import { asArray, isNode, resolve, type JsonLd, type LdNode } from '../page/structured.ts';
import { ldSnippet } from './jsonld.ts';
import { registrableDomain } from '../site.ts';
import { absoluteUrl } from './page.ts';
import { isValidLei } from './registrations.ts';
import { profileUrl } from './social.ts';
import { toE164 } from './phones.ts';
import { normaliseVat } from './vat.ts';
import { normaliseEmail } from './emails.ts';
import { countryCode } from './country.ts';
import { addressKey } from './addresses.ts';
import type { Address, FactMethod } from './types.ts';

// A legal form closing a name: "X GmbH", "X B.V.", "X Sp. z o.o.", "X S.L.".
const TRAILING_FORM = /,?\s+(?:B\.\s?V\.?|BV|N\.\s?V\.?|NV|V\.O\.F\.?|VOF|GmbH(?:\s*&\s*Co\.?\s*KG)?|gGmbH|AG|KG|SE|e\.\s?V\.|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|Inc\.?|PLC|plc|S\.A\.?|SAS|SARL|S\.L\.?|S\.r\.l\.?|S\.p\.A\.?|Sp\.\s?z\s?o\.\s?o\.?|Corp\.?|Oy|AB|A\/S|ApS)$/;

function strings(value: unknown): string[] {
  return asArray(value).flatMap((v) => (typeof v === 'string' ? [v.trim()] : typeof v === 'number' ? [String(v)] : [])).filter(Boolean);
}

function nameOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (isNode(value)) return strings(value.name)[0] ?? '';
  return '';
}

function imageUrl(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isNode(value)) return strings(value.url)[0] ?? strings(value.contentUrl)[0] ?? strings(value['@id']).find((id) => /\.(?:png|jpe?g|svg|gif|webp)/i.test(id)) ?? '';
  return '';
}

export function proposeFromOrganization(ctx: FactContext, org: LdNode, ld: JsonLd | null, method: FactMethod): void {
  const { scan } = ctx;
  const r = (v: unknown) => (ld ? resolve(ld, v) : v);
  const conf = method === 'jsonld' ? 0.95 : 0.9;
  for (const name of strings(org.name).slice(0, 1)) {
    // "OnlineMarketing.de GmbH": the legal name, and the name people use without its form.
    const form = TRAILING_FORM.exec(name);
    const bare = form ? name.slice(0, form.index).replace(/[\s,]+$/, '') : name;
    if (form && bare.length >= 2) {
      if (strings(org.legalName).length === 0) ctx.add('legalName', name, method, conf - 0.1, ldSnippet('name', name));
      ctx.add('name', bare, method, conf - 0.07, ldSnippet('name', name));
    } else ctx.add('name', name, method, conf, ldSnippet('name', name));
  }
  for (const name of strings(org.legalName).slice(0, 1)) ctx.add('legalName', name, method, conf, ldSnippet('legalName', name));
  for (const raw of strings(org.url).slice(0, 1)) {
    // "%20http://…": an encoded space before the address is no part of it.
    const url = raw.replace(/^(?:%20|\s)+/i, '');
    if (/^(?!https?:).*https?:\/\//i.test(url)) continue;
    let abs = absoluteUrl(url, scan.url);
    // As written: "https://www.giga.de" stays without the slash URL parsing adds.
    if (abs === `${url}/`) abs = url;
    if (abs && (registrableDomain(abs) ?? '') === scan.domain) ctx.add('website', abs, method, conf, `${ldSnippet('url', url)}${abs === url ? '' : ` (${abs})`}`, abs.replace(/\/$/, '').toLowerCase());
  }
  for (const logo of asArray(org.logo).map(r).map(imageUrl).filter(Boolean).slice(0, 1)) {
    const abs = absoluteUrl(logo, scan.url);
    // A logo is an image: not the site's home page given in its place.
    if (!abs || /^https?:\/\/[^/]+\/?$/i.test(abs)) continue;
    ctx.add('logo', abs, method, conf, `${ldSnippet('logo', logo)}${abs === logo ? '' : ` (${abs})`}`);
  }
  for (const same of strings(org.sameAs)) {
    const url = profileUrl(same);
    if (url) ctx.add('social', url, method, 0.93, ldSnippet('sameAs', same), url.toLowerCase());
  }
  const contactPoints = asArray(org.contactPoint).map(r).filter(isNode);
  for (const [prop, type, node] of [
    ...strings(org.telephone).map((t) => ['telephone', 'phone', t] as const),
    ...strings(org.faxNumber).map((t) => ['faxNumber', 'fax', t] as const),
    ...contactPoints.flatMap((c) => strings(c.telephone).map((t) => ['telephone', 'phone', t] as const)),
  ]) {
    const e164 = toE164(node, ctx.country);
    if (e164) ctx.add('phones', { number: e164, type }, method, 0.85, ldSnippet(prop, node), `${e164}|${type}`);
  }
  for (const raw of [...strings(org.email), ...contactPoints.flatMap((c) => strings(c.email))]) {
    const email = normaliseEmail(raw.replace(/^mailto:/i, ''));
    if (email) ctx.add('emails', email, method, 0.9, ldSnippet('email', raw));
  }
  for (const a of asArray(org.address).map(r)) {
    if (!isNode(a)) continue;
    const street = strings(a.streetAddress)[0] ?? '';
    const postalCode = strings(a.postalCode)[0] ?? '';
    const locality = strings(a.addressLocality)[0] ?? '';
    if (!street && !postalCode) continue;
    const country = countryCode(nameOf(r(a.addressCountry)) || strings(a.addressCountry)[0] || '');
    const address: Address = { role: 'visiting', street, postalCode, locality, region: strings(a.addressRegion)[0] ?? '', country };
    ctx.add('addresses', address, method, 0.9, ldSnippet('address', { streetAddress: street, postalCode, addressLocality: locality }), addressKey(address));
  }
  for (const raw of [...strings(org.vatID), ...strings(org.taxID)]) {
    const id = normaliseVat(raw, 'vat', ctx.country);
    if (id) ctx.add('vatIds', id, method, conf, ldSnippet('vatID', raw), id);
  }
  for (const raw of strings(org.leiCode)) if (isValidLei(raw.toUpperCase())) ctx.add('registrations', { scheme: 'LEI', value: raw.toUpperCase() }, method, conf, ldSnippet('leiCode', raw));
  for (const ident of asArray(org.identifier).map(r)) {
    if (!isNode(ident)) continue;
    const scheme = (strings(ident.propertyID)[0] ?? strings(ident.name)[0] ?? '').toLowerCase();
    const value = (strings(ident.value)[0] ?? '').replace(/\s|\./g, '');
    if (/kvk|kamer van koophandel|chamber of commerce/.test(scheme) && /^\d{8}$/.test(value)) {
      ctx.add('registrations', { scheme: 'NL-KVK', value }, method, conf, ldSnippet('identifier', ident));
    }
  }
  for (const raw of strings(org.foundingDate)) {
    const year = /\b(1[6-9]\d{2}|20\d{2})\b/.exec(raw)?.[1];
    if (year) ctx.add('foundingYear', Number(year), method, 0.9, ldSnippet('foundingDate', raw));
  }
  for (const parent of asArray(org.parentOrganization).map(r)) {
    const name = nameOf(parent);
    if (name) ctx.add('parentOrganization', name, method, 0.85, ldSnippet('parentOrganization', name));
  }
  for (const n of asArray(org.numberOfEmployees).map(r)) {
    const raw = typeof n === 'number' || typeof n === 'string' ? String(n) : isNode(n) ? strings(n.value)[0] ?? strings(n.maxValue)[0] ?? '' : '';
    const count = Number(raw.replace(/[,.\s]/g, ''));
    if (raw && Number.isFinite(count) && count > 0) ctx.add('employees', count, method, 0.85, ldSnippet('numberOfEmployees', n));
  }
  for (const d of strings(org.description).slice(0, 1)) ctx.add('description', d, method, 0.85, ldSnippet('description', d));
  for (const prop of ['naics', 'isicV4'] as const) for (const code of strings(org[prop])) ctx.add('sector', `${prop === 'naics' ? 'NAICS' : 'ISIC'} ${code}`, method, 0.85, ldSnippet(prop, code));
  for (const area of asArray(org.areaServed).map(r)) {
    const name = nameOf(area);
    if (name) ctx.add('countries', name, method, 0.8, ldSnippet('areaServed', name));
  }
  for (const brand of [...asArray(org.brand), ...asArray(org.owns)].map(r)) {
    const name = nameOf(brand);
    if (name) ctx.add('products', name, method, 0.75, ldSnippet('brand', name));
  }
  for (const prop of ['hasCertification', 'award', 'memberOf'] as const) {
    for (const item of asArray(org[prop]).map(r)) {
      const text = nameOf(item);
      const name = text ? certificationName(text) : '';
      if (name) ctx.add('certifications', { name, evidence: 'jsonld' }, method, 0.8, ldSnippet(prop, text), name);
    }
  }
  for (const url of strings(org.ethicsPolicy)) {
    const abs = absoluteUrl(url, scan.url);
    if (abs) ctx.add('codeOfConduct', abs, method, 0.85, ldSnippet('ethicsPolicy', url), abs);
  }
}
