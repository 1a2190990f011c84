// Identity and profile facts from meta tags, the title, the header logo and the visible text:
// name, legal name, website, logo, founding year, parent, description, employees, listing.
import { blockAt, snippetAt, type FactContext } from './context.ts';
import { Zone, absoluteUrl, domainOf } from './page.ts';
import { isThirdPartyLink } from './third-party.ts';
import { resemblesDomain } from './similarity.ts';

// A company name with its legal form: "Bakkerij Jansen B.V.", "Muster GmbH", "Acme Ltd".
const LEGAL_FORM = /(?:\b(?:Stichting|Coöperatie|Cooperatie|Vereniging)[ \u00a0]+(?:[\p{Lu}\d][\p{L}\d&'’.-]*[ \u00a0]?){1,5}(?:U\.A\.)?|(?:(?:[\p{Lu}\d][\p{L}\d&'’.-]*|&[\p{Lu}][\p{L}'’.-]*|\([\p{Lu}][\p{L}\d&'’.-]*\)|&|van|de|der|den|en|und|and|of|la|le|by|at|du|des|et)(?:[ \u00a0]+|(?<=&)[ \u00a0]*\n[ \u00a0]*)){0,5}(?:[\p{Lu}\d][\p{L}\d&'’.-]*|\([\p{Lu}][\p{L}\d&'’.-]*\)),?[ \u00a0]+(?:B\.[ \u00a0]?V\.|BV|N\.[ \u00a0]?V\.|NV|V\.O\.F\.|VOF|C\.V\.|GmbH(?:[ \u00a0]*&[ \u00a0]*Co\.[ \u00a0]*KG)?|AG|KG|OHG|UG[ \u00a0]*\(haftungsbeschränkt\)|e\.[ \u00a0]?K\.|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|Inc\.?|Incorporated|PLC|plc|S\.A\.|SAS|SARL|S\.à[ \u00a0]?r\.l\.|Corp\.?|Corporation|Company|B\.V\.B\.A\.|BVBA|SRL|S\.r\.l\.|S\.p\.A\.))(?![\p{L}])/gu;

export function proposeLegalName(ctx: FactContext): void {
  const { text, scan } = ctx;
  const candidates = new Map<string, { score: number; start: number; end: number; inMeta: boolean }>();
  const siteName = scan.meta.get('og:site_name')?.[0] ?? '';
  // The company's mail domain is its other name: "Focus Furnishing (On-Line) Limited" with
  // info@focusfurnishing.com on londonbedroomfurniture.co.uk.
  const mailDomains = [...new Set(scan.links.filter((l) => /^mailto:/i.test(l.href) && !isThirdPartyLink(scan, l)).map((l) => domainOf(`http://${l.href.split('@')[1]?.split('?')[0] ?? ''}`)).filter(Boolean))];
  const description = scan.meta.get('description')?.[0] ?? '';
  // The meta description may be the only place that spells the legal form ("… Dow AgroSciences LLC").
  const matches = [...text.matchAll(LEGAL_FORM), ...[...description.matchAll(LEGAL_FORM)].map((m) => Object.assign(m, { inMeta: true }))];
  for (const m of matches) {
    const inMeta = 'inMeta' in m;
    // Joining words ("by", "and") never open a name: "© 2014 by Lovely, Inc." is "Lovely, Inc.".
    const value = m[0].replace(/^(?:©|\(c\)|copyright|\d{4}|[-–\s])+/i, '').replace(/^(?:(?:by|at|for|on|of|and|en|und|du|des|et|van|de|der|den|la|le)\s+)+/, '').replace(/\s+/g, ' ').trim();
    if (value.split(' ').length < 2 || /^(?:de|the|een|a|die|der|het)\s/i.test(value) && value.split(' ').length < 3) continue;
    const block = inMeta ? undefined : blockAt(ctx, m.index);
    const before = inMeta ? '' : text.slice(Math.max(0, m.index - 30), m.index);
    let score = 0;
    if (/(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*$/i.test(before)) score = 0.85;
    else if (block && block.zone & (Zone.footer | Zone.contact | Zone.address)) score = 0.72;
    else score = 0.6;
    // "Company" is also a plain word ("a Colorado Mortgage Company"): less sure than Inc. or B.V.
    if (/Company$/.test(value)) score -= 0.1;
    // Any name that does not resemble the site's domain is only kept when it is the copyright holder.
    // A name that resembles neither the domain nor the site's name is someone else's (a
    // widget's "© TripAdvisor LLC", a partner), even in a copyright line.
    if (!resemblesDomain(value, scan.domain) && !(siteName && resemblesDomain(value, siteName.replace(/\s+/g, ''))) && !mailDomains.some((d) => resemblesDomain(value, d))) continue;
    const known = candidates.get(value);
    if (!known || known.score < score) candidates.set(value, { score, start: m.index, end: m.index + m[0].length, inMeta });
  }
  const ranked = [...candidates.entries()].sort((a, b) => b[1].score - a[1].score).slice(0, 2);
  for (const [value, { score, start, end, inMeta }] of ranked) {
    ctx.add('legalName', value, inMeta ? 'meta' : 'text', score, inMeta ? description.slice(Math.max(0, start - 100), end + 100) : snippetAt(text, start, end));
  }
}

export function proposeWebsiteAndLogo(ctx: FactContext): void {
  const { scan } = ctx;
  if (ctx.kind !== 'own') return;
  try {
    const origin = new URL(scan.canonical || scan.url).origin;
    if (/^https?:/.test(origin)) ctx.add('website', origin, 'dom', 0.8, scan.canonical || scan.url, origin.toLowerCase());
  } catch { /* not a URL: no website */ }
  const logo = scan.images.find((i) => i.src && /(?:^|[\s_/-])logo/i.test(`${i.hints} ${i.src.split('/').pop() ?? ''} ${i.alt}`) && !(i.zone & Zone.footer) && !/sponsor|partner|client|member|cert|iso|award|franchise|brand|facebook|twitter|linkedin|youtube|instagram|social|pinterest|google/i.test(`${i.hints} ${i.src} ${i.alt}`));
  if (logo) ctx.add('logo', logo.src, 'dom', logo.zone & Zone.header ? 0.82 : 0.72, `<img src="${logo.src}"${logo.alt ? ` alt="${logo.alt}"` : ''}>`);
  const ogImage = scan.meta.get('og:image')?.[0];
  if (ogImage && /logo/i.test(ogImage)) ctx.add('logo', absoluteUrl(ogImage, scan.url), 'meta', 0.6, `<meta property="og:image" content="${ogImage}">`);
}

export function proposeDescription(ctx: FactContext): void {
  const { meta } = ctx.scan;
  const description = meta.get('description')?.[0] ?? meta.get('og:description')?.[0];
  if (description && description.length >= 20) ctx.add('description', description, 'meta', 0.7, description.slice(0, 300));
}

const FOUNDED = /\b(?:founded|established|est\.|since|opgericht|sinds|gegründet|seit|fondée?|depuis|fundada|in business since)\s+(?:in\s+|im\s+jahr(?:e)?\s+|en\s+)?(1[7-9]\d{2}|20[0-2]\d)\b/gi;
const PARENT = /\b(?:part of|a member of|a subsidiary of|subsidiary of|onderdeel van|dochteronderneming van|ein Unternehmen der|Teil der|une filiale (?:du|de)|filiale du)\s+(?:the\s+|de\s+|het\s+)?((?:[\p{Lu}][\p{L}\d&'’.-]*\s?){1,4}(?:Group|Groep|Gruppe|Groupe|Holding|Inc\.?|plc|N\.V\.|B\.V\.|AG|SE))/gu;
const EMPLOYEES = /(?:\b(?:employees|medewerkers|werknemers|mitarbeiter(?:innen)?|mitarbeitende|salariés|collaborateurs|staff|fte)\b\s*(?:[:|]|\(\w+\))?\s*(?:approx\.?|ca\.?|circa|ongeveer|over|more than|meer dan|rund|über|plus de)?\s*(\d{1,3}(?:[,.\u00a0 ]\d{3})+|\d{1,6})(?![\d%])|(?:approximately|around|about|over|more than|nearly|some|ruim|circa|meer dan|ongeveer|rund|über|mehr als|plus de|bijna)\s+(\d{1,3}(?:[,.\u00a0 ]\d{3})+|\d{2,6})\+?\s+(?:employees|people|medewerkers|werknemers|mitarbeiter|collaborateurs|salariés)\b)/gi;
const LISTING = /\b(NYSE|NASDAQ|Nasdaq|Euronext(?:\s+(?:Amsterdam|Brussels|Paris|Lisbon|Dublin))?|LSE|LON|TSX|ASX|XETRA|FWB|SIX|AEX|NYSE American|OTC)\s*:\s*([A-Z][A-Z0-9.]{0,6})\b/g;

export function proposeProfileText(ctx: FactContext): void {
  const { text } = ctx;
  for (const m of text.matchAll(FOUNDED)) {
    const year = Number(m[1]);
    if (year <= new Date().getFullYear()) ctx.add('foundingYear', year, 'text', 0.6, snippetAt(text, m.index, m.index + m[0].length));
  }
  // The year is also told in the meta description ("… home loans since 1977") and in a
  // banner's alt text ("Top banner: X Logo(TM). Established 1989.").
  const { scan } = ctx;
  const extra = [scan.meta.get('description')?.[0] ?? '', ...scan.images.filter((i) => i.alt.length > 12).map((i) => i.alt)];
  for (const source of extra) {
    for (const m of source.matchAll(FOUNDED)) {
      const year = Number(m[1]);
      if (year <= new Date().getFullYear()) ctx.add('foundingYear', year, source === extra[0] ? 'meta' : 'dom', 0.55, source.slice(Math.max(0, m.index - 100), m.index + m[0].length + 60));
    }
  }
  for (const m of text.matchAll(PARENT)) ctx.add('parentOrganization', m[1]!.trim(), 'text', 0.55, snippetAt(text, m.index, m.index + m[0].length));
  for (const m of text.matchAll(EMPLOYEES)) {
    const raw = m[1] ?? m[2] ?? '';
    const count = Number(raw.replace(/[,.\u00a0 ]/g, ''));
    if (count > 0 && count < 5_000_000) ctx.add('employees', count, 'text', 0.6, snippetAt(text, m.index, m.index + m[0].length));
  }
  for (const m of text.matchAll(LISTING)) ctx.add('ownership', `${m[1]}: ${m[2]}`, 'text', 0.75, snippetAt(text, m.index, m.index + m[0].length));
}
