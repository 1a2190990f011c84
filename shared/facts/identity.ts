// Identity and profile facts from meta tags, the title, the header logo and the visible text:
// name, legal name, website, logo, founding year, parent, description, employees, listing.
import { blockAt, snippetAt, type FactContext } from './context.ts';
import { registrableDomain } from '../site.ts';
import { Zone, absoluteUrl } from './page.ts';
import { isThirdPartyLink } from './third-party.ts';
import { resemblesDomain, squash } from './similarity.ts';

// A company name with its legal form: "Bakkerij Jansen B.V.", "Muster GmbH", "Acme Ltd".
const LEGAL_FORM = /(?:\b(?:Stichting|Coöperatie|Cooperatie|Vereniging)[ \u00a0]+(?:[\p{Lu}\d][\p{L}\d&'’.-]*[ \u00a0]?){1,5}(?:U\.A\.)?|(?:(?:[\p{Lu}\d][\p{L}\d&'’.-]*|&[\p{Lu}][\p{L}'’.-]*|\([\p{Lu}][\p{L}\d&'’.-]*\)|&|van|de|der|den|en|und|and|of|la|le|by|at|du|des|et)(?:[ \u00a0]+|(?<=&)[ \u00a0]*\n[ \u00a0]*)){0,5}(?:[\p{Lu}\d][\p{L}\d&'’.-]*|\([\p{Lu}][\p{L}\d&'’.-]*\)),?[ \u00a0]+(?:B\.[ \u00a0]?V\.|BV|N\.[ \u00a0]?V\.|NV|V\.O\.F\.|VOF|C\.V\.|GmbH(?:[ \u00a0]*&[ \u00a0]*Co\.[ \u00a0]*KG)?|AG|KG|OHG|UG[ \u00a0]*\(haftungsbeschränkt\)|e\.[ \u00a0]?K\.|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|Inc\.?|Incorporated|PLC|plc|S\.A\.|SAS|SARL|S\.à[ \u00a0]?r\.l\.|Corp\.?|Corporation|Company|B\.V\.B\.A\.|BVBA|SRL|S\.r\.l\.|S\.p\.A\.))(?![\p{L}])/gu;

// What a site says when its company trades under another name: the legal name follows.
const TRADING_NAME = /(?:(?:een\s+)?handelsnaam\s+van|h\.o\.d\.n\.?|(?:is\s+)?a\s+trading\s+(?:name|style)\s+of|trading\s+(?:name|style)\s+of|eine\s+marke\s+der|ein\s+angebot\s+der|une\s+marque\s+de|operated\s+by|betrieben\s+von|exploité\s+par)\s*[:]?\s*$/i;

export function proposeLegalName(ctx: FactContext): void {
  const { text, scan } = ctx;
  const candidates = new Map<string, { score: number; start: number; end: number; inMeta: boolean }>();
  const siteName = scan.meta.get('og:site_name')?.[0] ?? '';
  // The company's mail domain is its other name: "Focus Furnishing (On-Line) Limited" with
  // info@focusfurnishing.com on londonbedroomfurniture.co.uk.
  const mailDomains = [...new Set(scan.links.filter((l) => /^mailto:/i.test(l.href) && !isThirdPartyLink(scan, l)).map((l) => (registrableDomain(`http://${l.href.split('@')[1]?.split('?')[0] ?? ''}`) ?? '')).filter(Boolean))];
  const description = scan.meta.get('description')?.[0] ?? '';
  // The meta description may be the only place that spells the legal form ("… Dow AgroSciences LLC").
  const matches = [...text.matchAll(LEGAL_FORM), ...[...description.matchAll(LEGAL_FORM)].map((m) => Object.assign(m, { inMeta: true }))];
  // The name the page gave itself (proposed before): "Quaker Steak & Lube" ~ "Quaker Steak & Lube, Inc.".
  const ownName = squash(String(ctx.answers().name?.[0]?.value ?? ''));
  const imprint = /impressum|imprint|colofon|colophon|mentions[\s-]l[ée]gales|legal[\s-]notice|disclaimer|over[\s-]ons\/bedrijfsgegevens/i.test(`${scan.url} ${scan.title}`);
  let imprintFirst: string | undefined;
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
    // A name that resembles neither the domain nor the site's name is someone else's (a
    // widget's "© TripAdvisor LLC", a partner), even in a copyright line — unless the page
    // says outright that it is the company behind the site: "X is een handelsnaam van Y B.V.",
    // "a trading name of Y Ltd", or the operator named first in an imprint. (A footer's last
    // copyright holder alone is not enough: forum software and shop platforms sign there too.)
    if (!resemblesDomain(value, scan.domain) && !(siteName && resemblesDomain(value, siteName.replace(/\s+/g, ''))) && !mailDomains.some((d) => resemblesDomain(value, d)) && !(ownName.length >= 4 && squash(value).startsWith(ownName))) {
      if (inMeta) continue;
      // The words before the name, including joining words the match took in ("… handelsnaam van").
      const lead = text.slice(Math.max(0, m.index - 60), m.index + Math.max(0, m[0].indexOf(value.slice(0, 4))));
      if (TRADING_NAME.test(lead)) score = 0.88;
      else if (imprint && !block?.thirdParty && !(block && block.zone & (Zone.footer | Zone.nav | Zone.aside)) && imprintFirst === undefined) {
        imprintFirst = value;
        score = 0.7;
      } else continue;
    }
    const known = candidates.get(value);
    if (!known || known.score < score) candidates.set(value, { score, start: m.index, end: m.index + m[0].length, inMeta });
  }
  const ranked = [...candidates.entries()].sort((a, b) => b[1].score - a[1].score).slice(0, 2);
  for (const [value, { score, start, end, inMeta }] of ranked) {
    let snippet = inMeta ? description.slice(Math.max(0, start - 100), end + 100) : snippetAt(text, start, end);
    // A name broken over two lines ("Applause Theatre &" / "Entertainment Service, Inc.") is shown joined, as read.
    if (!snippet.includes(value)) snippet = (inMeta ? description : text).slice(Math.max(0, start - 60), end + 40).replace(/\s+/g, ' ').trim();
    ctx.add('legalName', value, inMeta ? 'meta' : 'text', score, snippet);
  }
}

// Images that are never the company's logo: sprites, banners and backgrounds, partners'
// and payment marks, social icons, badges, placeholders.
const NOT_LOGO = /sprite|banner|background|(?:^|[\W_])bg(?:[\W_]|$)|slide|hero|partner|sponsor|client|member|cert|award|badge|seal|bbb|trust|payment|paypal|visa|mastercard|facebook|twitter|linkedin|youtube|instagram|pinterest|google|social|flag|avatar|gravatar|placeholder|spacer|arrow|btn|button|powered|franchise|iso[\W_]?\d|captcha|loader|loading/i;
const GENERIC_WORDS = /^(?:logo|logos|header|footer|image|images|img|main|site|small|large|new|old|top|left|right|home|homepage|about|contact|kontakt|welkom|welcome|willkommen|over|naar|page|default|white|black|color|colour|retina|mobile|desktop|transparent|final|web|png|jpg|jpeg|gif|svg|webp|the|and|of)$/i;

function isHomeLink(href: string, host: string): boolean {
  try {
    const url = new URL(href);
    return url.hostname.replace(/^www\d?\./, '').toLowerCase() === host && /^\/(?:[a-z]{2}(?:[-_][a-z]{2})?\/?)?(?:(?:index|home|default|front|start|welcome|homepage)(?:\.\w{2,5})?)?\/?$/i.test(url.pathname);
  } catch {
    return false;
  }
}

/**
 * The page's own logo among its images, by general evidence: a link to the home page, the
 * header, "logo" in its class, id, file name or alt text, and an alt or file name that names
 * the site; never a sprite, a banner or background, a partner's, payment or social mark, or
 * an image whose words name something else (a brand the shop sells).
 */
function bestLogo(scan: FactContext['scan']): { image: FactContext['scan']['images'][number]; score: number } | undefined {
  const label = scan.domain.split('.')[0]?.toLowerCase().replace(/[^a-z0-9]/g, '') ?? '';
  const siteWords = `${label} ${(scan.meta.get('og:site_name')?.[0] ?? '').toLowerCase()} ${scan.title.toLowerCase()}`;
  let best: { image: FactContext['scan']['images'][number]; score: number } | undefined;
  scan.images.forEach((image, index) => {
    if (!image.src || /^data:/i.test(image.src)) return;
    const file = decodeURIComponent(image.src.split(/[?#]/)[0]!.split('/').pop() ?? '').toLowerCase();
    const hints = image.hints;
    let path = '';
    try {
      path = decodeURIComponent(new URL(image.src).pathname).toLowerCase();
    } catch { /* keep '' */ }
    if (NOT_LOGO.test(`${hints} ${path}`)) return;
    const home = image.linkHref !== '' && isHomeLink(image.linkHref, scan.host);
    const offSite = image.linkHref !== '' && /^https?:/i.test(image.linkHref) && (registrableDomain(image.linkHref) ?? '') !== scan.domain;
    const logoWord = /(?:^|[\W_])logo/i.test(`${hints} ${file} ${image.alt}`);
    const header = (image.zone & Zone.header) !== 0;
    // Words of the alt text and file name, beyond the generic ones: do they name the site?
    const words = `${image.alt} ${file.replace(/\.\w+$/, '')}`.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !GENERIC_WORDS.test(w) && !/^\d+$/.test(w));
    const names = words.some((w) => label.includes(w) || siteWords.includes(w));
    const foreign = words.length > 0 && !names;
    // A file called logo inside the content, with no link home, no header and no class saying so, is a picture of a logo.
    if (!home && !header && !/logo|brand/i.test(hints)) return;
    if (offSite || (image.zone & (Zone.article | Zone.share))) return;
    let score = 0;
    if (home) score += 3;
    if (logoWord) score += 3;
    if (header) score += 2;
    if (names) score += 2;
    if (foreign) score -= 3;
    if (index < 5) score += 1;
    if (image.zone & Zone.footer) score -= 2;
    if (/header|top[\W_]|nav/i.test(file)) score -= 3;
    if (!logoWord && !(home && names)) return;
    if (score >= 4 && (!best || score > best.score)) best = { image, score };
  });
  return best;
}

export function proposeWebsiteAndLogo(ctx: FactContext): void {
  const { scan } = ctx;
  if (ctx.kind !== 'own') return;
  try {
    const origin = new URL(scan.canonical || scan.url).origin;
    if (/^https?:/.test(origin)) ctx.add('website', origin, 'dom', 0.8, scan.canonical || scan.url, origin.toLowerCase());
  } catch { /* not a URL: no website */ }
  const logo = bestLogo(scan);
  if (logo) ctx.add('logo', logo.image.src, 'dom', Math.min(0.86, 0.58 + 0.04 * logo.score), `<img src="${logo.image.src}"${logo.image.alt ? ` alt="${logo.image.alt}"` : ''}>`);
  const ogImage = scan.meta.get('og:image')?.[0];
  if (ogImage && /logo/i.test(ogImage)) {
    const abs = absoluteUrl(ogImage, scan.url);
    if (abs) ctx.add('logo', abs, 'meta', 0.6, `<meta property="og:image" content="${ogImage}">${abs === ogImage ? '' : ` (${abs})`}`);
  }
}

export function proposeDescription(ctx: FactContext): void {
  const { meta } = ctx.scan;
  const description = meta.get('description')?.[0] ?? meta.get('og:description')?.[0];
  if (description && description.length >= 20) ctx.add('description', description, 'meta', 0.7, description.slice(0, 300));
}

const FOUNDED = /\b(?:founded|established|est\.|since|opgericht|sinds|gegründet|seit|fondée?|depuis|fundada|in business since)\s+(?:in\s+|im\s+jahr(?:e)?\s+|en\s+)?(1[7-9]\d{2}|20[0-2]\d)\b/gi;
const PARENT = /\b(?:part of|a member of|a subsidiary of|subsidiary of|onderdeel van|dochteronderneming van|ein Unternehmen der|Teil der|une filiale (?:du|de)|filiale du)[ \u00a0]+(?:the[ \u00a0]+|de[ \u00a0]+|het[ \u00a0]+)?((?:[\p{Lu}][\p{L}\d&'’.-]*[ \u00a0]?){1,4}(?:Group|Groep|Gruppe|Groupe|Holding|Inc\.?|plc|N\.V\.|B\.V\.|AG|SE))/gu;
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
