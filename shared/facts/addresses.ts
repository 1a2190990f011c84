// Postal addresses from visible text: a postcode (NL "1234 AB", DE/FR "12345 City", UK
// "EC1A 1BB", US "City, ST 12345") with the street line before it; role from the label
// (Bezoekadres, Postadres, Registered office …) and country from the words or the postcode.
import { blockAt, snippetAt, type FactContext } from './context.ts';
import { Zone } from './page.ts';
import type { Address, AddressRole } from './types.ts';

const COUNTRY_WORDS: Array<[RegExp, string]> = [
  [/^(?:the\s+)?netherlands$|^nederland$|^holland$|^nl$|^niederlande$|^pays-bas$/i, 'NL'],
  [/^deutschland$|^germany$|^duitsland$|^allemagne$|^de$/i, 'DE'],
  [/^belgi(?:ë|e|um|que)$|^belgien$/i, 'BE'],
  [/^(?:united\s+kingdom|uk|england|scotland|wales|great\s+britain|verenigd\s+koninkrijk)$/i, 'GB'],
  [/^(?:usa|u\.s\.a\.|united\s+states(?:\s+of\s+america)?|us)$/i, 'US'],
  [/^france$|^frankrijk$|^frankreich$/i, 'FR'],
  [/^(?:österreich|austria|oostenrijk)$/i, 'AT'],
  [/^(?:schweiz|switzerland|zwitserland|suisse)$/i, 'CH'],
  [/^(?:ireland|ierland)$/i, 'IE'],
  [/^(?:canada)$/i, 'CA'],
];

const US_STATES = 'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming';

const WORD = "[A-Za-zÀ-ÿ'’.\\-]+";
const NL_POSTCODE = new RegExp(`(?<![\\w-])([1-9]\\d{3})\\s?([A-Z]{2})(?![\\w])[\\s,]*(${WORD}(?:[ \\-](?:a/d\\s)?${WORD}){0,3})?`, 'g');
const FIVE_DIGIT = new RegExp(`(?<![\\w.,-])(?:(?:D|DE|F|FR|A)-)?(\\d{5})\\s+(\\p{Lu}${WORD}(?:[ \\-/](?:a\\.\\s?M\\.|am|an|der|im|sur|en|${WORD})){0,3})`, 'gu');
const UK_POSTCODE = /(?<![\w-])([A-Z]{1,2}\d[A-Z\d]?)\s?(\d[ABD-HJLNP-UW-Z]{2})(?![\w])/g;
const CA_POSTCODE = new RegExp(`(?<![\\w])(\\p{Lu}[A-Za-z.'\\-]+(?:[ \\t]+[A-Za-z.'\\-]+){0,3}),?[ \\t]+(ON|QC|BC|AB|MB|SK|NS|NB|NL|PE|YT|NT|NU)\\.?,?[ \\t]+([ABCEGHJ-NPRSTVXY]\\d[A-Z])[ ]?(\\d[A-Z]\\d)(?![\\w])`, 'gu');
const AU_POSTCODE = new RegExp(`(?<![\\w])(\\p{Lu}[A-Za-z.'\\-]+(?:[ \\t]+[A-Za-z.'\\-]+){0,3}),?[ \\t]+(NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\\.?,?[ \\t]+(\\d{4})(?![\\w])`, 'gu');
// The ZIP may follow the state without a space ("MO63026") or on the next line.
const US_ZIP = new RegExp(`(?<![\\w])(\\p{Lu}[A-Za-z.'\\-]+(?:[ \\t]+[A-Za-z.'\\-]+){0,3}),?[ \\t]+(${US_STATES})\\.?,?(?:[ \\t]*|[ \\t]*\\n[ \\t]*)(\\d{5})(?:-\\d{4})?(?![\\w])`, 'gu');

// A street line: words then a house number (NL/DE/BE), or a number then words (UK/US/FR),
// or a PO box.
const STREET_EU = /(\p{Lu}[\p{L}'’.\- ]{1,45}?(?:str\.|straße|strasse|[\p{L}.])\s\d{1,5}(?:\s?-\s?\d{1,5})?(?:\s?[a-zA-Z]{1,2}\b|\s?[-/]\s?\w{1,4})?)\s*$/u;
const STREET_NUMBER_FIRST = /((?:\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?\s+(?:(?:rue|avenue|boulevard|bd|place|chemin|allée|quai|route|impasse)\s+)?(?:[NSEW]\.?\s*)?(?:\d{1,3}(?:st|nd|rd|th)\s+)?\p{Lu}?[\p{L}'’.\- ]{2,40}?(?:\b(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Highway|Hwy|Square|Sq|Terrace|Close|Crescent|Row|Hill|Park|Circle|Cir|Trail|Pike|Plaza|Suite|Ste|Floor|Building|House|Estate|Centre|Center|Business Park)\b\.?|[\p{L}]+)(?:,?\s+(?:Suite|Ste|Unit|Floor|#)\s*[\w-]+)?))\s*$/u;
const COUNTY = /^(?:[A-Z][a-z]+shire|Kent|Essex|Surrey|(?:East |West )?Sussex|Middlesex|Devon|Cornwall|Norfolk|Suffolk|Cumbria|Dorset|Somerset|Greater London|Greater Manchester|West Midlands|Merseyside|Tyne and Wear|West Yorkshire|South Yorkshire|North Yorkshire)$/;
const UNIT = /^\s*(?:Suite|Ste\.?|Unit|Floor|Fl\.|Apt\.?|Room|#)\s*#?[\w-]+\s*$/i;
const PO_BOX = /((?:postbus|p\.?\s?o\.?\s?box|postfach|bo[iî]te postale|bp)\s*\d{1,6})\s*$/i;

const ROLE_LABELS: Array<[RegExp, AddressRole]> = [
  [/(?:post(?:adres|al address|anschrift)|mailing address|correspondentie-?adres|adresse postale)/i, 'postal'],
  [/(?:statutair|registered (?:office|address)|sitz der gesellschaft|siège social|maatschappelijke zetel)/i, 'registered'],
  [/(?:bezoek-?adres|vestigingsadres|visiting address|visitors|office address|besuchs?adresse|showroom|adresse de visite)/i, 'visiting'],
  [/(?:filiaal|vestiging|branch|niederlassung|succursale)/i, 'branch'],
];

function titleCase(word: string): string {
  // All-caps localities ("5701 RJ HELMOND") are shown in their usual spelling.
  return word === word.toUpperCase() && /\p{Lu}{3}/u.test(word) ? word.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()) : word;
}

function cleanLocality(raw: string | undefined): { locality: string; country: string } {
  if (!raw) return { locality: '', country: '' };
  let words = raw.trim().split(/\s+/);
  let country = '';
  // Cut a trailing country word, and words that start the next piece of text (T:, Tel, Nederland …).
  const stop = words.findIndex((w, i) => i > 0 && /^(?:t|tel|telefoon|phone|fax|f|e|email|e-mail|kvk|btw|vat|the|nederland|netherlands|deutschland|germany|belgi[eë]|info|www|route|open|ma|mon|tel\.|t\.|f\.|m\.|e\.)[:.]?$/i.test(w));
  if (stop > 0) {
    const rest = words.slice(stop).join(' ');
    for (const [re, iso] of COUNTRY_WORDS) if (re.test(rest.replace(/[.,]$/, ''))) country = iso;
    words = words.slice(0, stop);
  }
  const locality = titleCase(words.join(' ').replace(/[.,;:]+$/, ''));
  return { locality, country };
}

function countryAfter(text: string, from: number): string {
  const next = /^[\s,]*([\p{L}. ]{2,30}?)\s*(?:\n|$|[|,])/u.exec(text.slice(from, from + 40));
  if (!next?.[1]) return '';
  for (const [re, iso] of COUNTRY_WORDS) if (re.test(next[1].trim())) return iso;
  return '';
}

let fallback: AddressRole = 'visiting';

function roleBefore(text: string, at: number, street: string): AddressRole {
  if (PO_BOX.test(street)) return 'postal';
  const before = text.slice(Math.max(0, at - 80), at);
  let best: AddressRole | null = null;
  let bestAt = -1;
  for (const [re, role] of ROLE_LABELS) {
    const g = new RegExp(re.source, 'gi');
    for (let m = g.exec(before); m; m = g.exec(before)) if (m.index > bestAt) { bestAt = m.index; best = role; }
  }
  return best ?? fallback;
}

/** The street that precedes a postcode: same line (after a comma) or the line before. */
function streetBefore(text: string, at: number, re: RegExp): { street: string; start: number } | null {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const sameLine = text.slice(lineStart, at).replace(/[\s,|•·–-]+$/, '');
  const tryPart = (part: string, offset: number) => {
    const m = re.exec(part) ?? PO_BOX.exec(part);
    return m?.[1] ? { street: m[1].trim(), start: offset + part.lastIndexOf(m[1]) } : null;
  };
  // "8105 Birch Bay Square Street / Suite 205 / Blaine, WA": a unit line belongs to the street before it.
  const withUnit = (segments: string[], offsetOf: (seg: string) => number, before: () => { street: string; start: number } | null) => {
    const last = segments[segments.length - 1] ?? '';
    if (!UNIT.test(last)) return tryPart(last, offsetOf(last));
    const prior = segments.length > 1 ? tryPart(segments[segments.length - 2]!, offsetOf(segments[segments.length - 2]!)) : before();
    return prior ? { street: `${prior.street}, ${last.trim()}`, start: prior.start } : null;
  };
  if (sameLine.trim()) {
    const segments = sameLine.split(/\s*(?:,|\||•|·| – | - )\s*/);
    return withUnit(segments, (seg) => lineStart + sameLine.lastIndexOf(seg), () => streetBefore(text, lineStart, re));
  }
  const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  const prev = text.slice(prevStart, lineStart - 1).replace(/[\s,]+$/, '');
  if (!prev || prev.length > 120) return null;
  const segments = prev.split(/\s*(?:,|\||•|·| – | - )\s*/);
  return withUnit(segments, (seg) => prevStart + prev.lastIndexOf(seg), () => (prevStart > 1 ? streetBefore(text, prevStart, re) : null));
}

/** A UK street line up to three lines above the town ("424-426 Green Street / Upton Park / London"). */
function ukStreetAbove(text: string, at: number): { street: string; start: number } | null {
  let end = text.lastIndexOf('\n', at - 1);
  for (let i = 0; i < 3 && end > 0; i++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    if (!line || line.length > 80) return null;
    const s = STREET_NUMBER_FIRST.exec(line) ?? /^(\p{Lu}[\p{L}'’. ]{2,40}\b(?:Street|Road|Lane|Avenue|Way|Drive|Close|Crescent|Place|Square|Terrace|Row|Hill|Grove|Gardens)\b\.?)$/u.exec(line);
    if (s?.[1]) return { street: s[1].trim(), start: start + line.indexOf(s[1]) };
    end = start - 1;
  }
  return null;
}

/** Identity of an address when deduplicating: postcode without spaces and street, case-blind. */
export function addressKey(a: Pick<Address, 'postalCode' | 'street'>): string {
  return `${a.postalCode.replace(/\s/g, '')}|${a.street.replace(/\s+/g, ' ')}`.toLowerCase();
}

export function proposeAddresses(ctx: FactContext): void {
  const { text, scan } = ctx;
  const tld = scan.host.split('.').pop() ?? '';
  // An imprint states the registered (ladungsfähige) address.
  fallback = /impressum|imprint|colofon|colophon|mentions[\s-]l[ée]gales|legal[\s-]notice/i.test(`${scan.url} ${scan.title}`) ? 'registered' : 'visiting';
  const found: Array<{ address: Address; start: number; end: number }> = [];
  // A postcode and town in a footer, contact or address block are the company's even when the
  // street line is not readable (a logo, a line of its own we cannot parse): kept without street.
  const contactBlock = (at: number) => {
    const block = blockAt(ctx, at);
    return block !== undefined && (block.zone & (Zone.footer | Zone.contact | Zone.address)) !== 0 && !(block.zone & Zone.article);
  };
  const push = (address: Address, start: number, end: number) => {
    if (found.some((f) => f.address.postalCode === address.postalCode && f.address.street.toLowerCase() === address.street.toLowerCase())) return;
    found.push({ address, start, end });
  };

  for (const m of text.matchAll(NL_POSTCODE)) {
    const at = m.index;
    const street = streetBefore(text, at, STREET_EU);
    const { locality, country } = cleanLocality(m[3]);
    if (!locality || (!street && !(contactBlock(at) && (tld === 'nl' || ctx.country === 'NL' || /^nl/i.test(scan.lang))))) continue;
    const end = at + m[0].length;
    const start = street?.start ?? at;
    push({ role: roleBefore(text, start, street?.street ?? ''), street: street?.street ?? '', postalCode: `${m[1]} ${m[2]}`, locality, region: '', country: country || countryAfter(text, end) || 'NL' }, start, end);
  }
  // Five-digit postcodes are German or French (or Italian, Spanish …): only on such sites or with a country word.
  for (const m of text.matchAll(FIVE_DIGIT)) {
    const at = m.index;
    const end = at + m[0].length;
    const { locality, country: inLine } = cleanLocality(m[2]);
    const country = inLine || countryAfter(text, end) || (/^(?:de|fr|it|es|fi)$/.test(tld) ? tld.toUpperCase() : /^D-|^DE-/.test(m[0]) ? 'DE' : /^F-/.test(m[0]) ? 'FR' : '');
    if (!country || country === 'US') continue;
    const street = streetBefore(text, at, country === 'FR' || country === 'ES' || country === 'IT' ? STREET_NUMBER_FIRST : STREET_EU);
    if (!street || !locality) continue;
    push({ role: roleBefore(text, street.start, street.street), street: street.street, postalCode: m[1]!, locality, region: '', country }, street.start, end);
  }
  for (const m of text.matchAll(UK_POSTCODE)) {
    const at = m.index;
    const end = at + m[0].length;
    // The town precedes the postcode: "London EC1A 1BB" or "London\nEC1A 1BB".
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    let before = text.slice(lineStart, at).replace(/[\s,]+$/, '');
    let townEnd = lineStart + before.length;
    if (!before.trim()) {
      const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
      before = text.slice(prevStart, lineStart - 1).replace(/[\s,]+$/, '');
      townEnd = prevStart + before.length;
    }
    const parts = before.split(/\s*,\s*/);
    const town = parts.pop()?.trim() ?? '';
    if (!/^\p{Lu}[\p{L}'’.\- ]{1,30}$/u.test(town) || /\d/.test(town)) continue;
    let region = '';
    let locality = town;
    let streetText = parts.join(', ');
    if (parts.length >= 2 && COUNTY.test(town)) {
      region = town;
      locality = parts.pop()!.trim();
      streetText = parts.join(', ');
    }
    let streetStart = townEnd - town.length;
    // "Cheltenham / Gloucestershire / GL51 9PL": the county's line, the town above it.
    if (!streetText.trim() && COUNTY.test(town)) {
      const above = text.slice(0, townEnd - town.length).replace(/[\s,]+$/, '');
      const townLine = above.slice(above.lastIndexOf('\n') + 1).trim();
      if (/^\p{Lu}[\p{L}'’.\- ]{1,30}$/u.test(townLine)) {
        region = town;
        locality = townLine;
        streetStart = above.length - townLine.length;
      }
    }
    if (!streetText.trim()) {
      const s = ukStreetAbove(text, streetStart);
      if (!s && !(contactBlock(at) && (tld === 'uk' || ctx.country === 'GB'))) continue;
      streetText = s?.street ?? '';
      streetStart = s?.start ?? streetStart;
    } else {
      streetStart = lineStart + (text.slice(lineStart, at).indexOf(streetText) >= 0 ? text.slice(lineStart, at).indexOf(streetText) : 0);
    }
    const street = streetText.replace(/^.*\b(?:registered office|office address|address|head office|correspondence address)\s*:?\s*/i, '').split(/\s*,\s*/).filter((p) => /\d|\b(?:Street|Road|Lane|House|Park|Way)\b/.test(p)).join(', ');
    if ((!street && !(contactBlock(at) && (tld === 'uk' || ctx.country === 'GB'))) || street.length > 80) continue;
    const postalCode = `${m[1]} ${m[2]}`;
    push({ role: roleBefore(text, streetStart, street), street, postalCode, locality: titleCase(locality), region, country: 'GB' }, streetStart, end);
  }
  for (const m of text.matchAll(US_ZIP)) {
    const at = m.index;
    const end = at + m[0].length;
    let cityPart = m[1]!.trim();
    // "Suite 219 College Station": the city is what follows the street on the same line.
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    let prefix = text.slice(lineStart, at);
    const inner = /^(.*\b(?:Suite|Ste|Unit|#)\s*[\w-]+)\s+(.+)$/.exec(cityPart);
    if (inner) {
      prefix += inner[1];
      cityPart = inner[2]!;
    }
    const streetMatch = streetBefore(text, prefix.trim() ? lineStart + prefix.length : at, STREET_NUMBER_FIRST);
    const street = inner ? (STREET_NUMBER_FIRST.exec(prefix.replace(/[\s,]+$/, ''))?.[1] ?? streetMatch?.street ?? '') : streetMatch?.street ?? '';
    const start = streetMatch?.start ?? at;
    // "Aventura, FL 33180" alone in a contact block is still the company's town and ZIP.
    const block = blockAt(ctx, at);
    if (!street && !(block && block.zone & (Zone.footer | Zone.contact | Zone.address))) continue;
    push({ role: roleBefore(text, start, street), street: street.replace(/,$/, ''), postalCode: m[3]!, locality: cityPart.replace(/,$/, ''), region: m[2]!, country: 'US' }, start, end);
  }
  for (const [re, country] of [[CA_POSTCODE, 'CA'], [AU_POSTCODE, 'AU']] as const) {
    if (country === 'AU' && tld !== 'au') continue;
    for (const m of text.matchAll(re)) {
      const at = m.index;
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const prefix = text.slice(lineStart, at);
      const s = streetBefore(text, prefix.trim() ? lineStart + prefix.length : at, STREET_NUMBER_FIRST);
      if (!s) continue;
      const postalCode = country === 'CA' ? `${m[3]} ${m[4]}` : m[3]!;
      push({ role: roleBefore(text, s.start, s.street), street: s.street.replace(/,$/, ''), postalCode, locality: m[1]!.replace(/,$/, ''), region: m[2]!, country }, s.start, at + m[0].length);
    }
  }

  found.sort((a, b) => a.start - b.start);
  for (const { address, start, end } of found) {
    const block = blockAt(ctx, start);
    const inContact = block && block.zone & (Zone.footer | Zone.contact | Zone.address | Zone.header);
    ctx.add('addresses', address, 'text', inContact ? 0.85 : 0.75, snippetAt(text, start, end), addressKey(address));
  }
}
