// Phone and fax numbers from tel: links and labelled text (Tel, T:, Telefoon, Fax, Mobiel,
// Telefon, Tél …), normalised to E.164 with libphonenumber-js's small metadata so the
// extension bundle stays small.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { blockAt, snippetAt, type FactContext } from './context.ts';
import { Zone } from './page.ts';
import { isThirdPartyLink } from './third-party.ts';
import type { PhoneType } from './types.ts';

/** E.164 for a raw number, '' when it is not a valid number. */
export function toE164(raw: string, country: string): string {
  const cleaned = raw.replace(/\(0\)/g, '').replace(/[–—]/g, '-');
  const parsed = parsePhoneNumberFromString(cleaned, country ? { defaultCountry: country as CountryCode } : undefined);
  return parsed?.isValid() ? parsed.number : '';
}

function typeFrom(label: string, e164: string): PhoneType {
  if (/fax|^F\.?$/i.test(label.trim())) return 'fax';
  if (/mob|gsm|cell|handy|portable|^M\.?$/i.test(label.trim()) || /^\+316\d{8}$/.test(e164)) return 'mobile';
  return 'phone';
}

// A label, then the number. Single-letter labels (T, F, M) must be capitals to avoid words.
const LABEL = /(?:^|[\s(|,;•·/])((?:tel(?:efoon(?:nummer)?|ephone|efon|\.)?|phone|ph|fax|telefax|mob(?:iel|ile|il)?|gsm|cell(?:phone)?|handy|t[ée]l[ée]phone|t[ée]l|fon|call(?:\s+us)?(?:\s+(?:at|on))?|bel(?:\s+ons)?|bellen|office|direct|main|toll[\s-]?free|portable)\b\.?|[TFMP]\b\.?)(?:\s*(?:nr|nummer|number|no)\.?)?\s*[:.]?\s*(?:\|\s*)?/gi;
// A number never runs over a line break: "Telefoon 045 - 5754443 / 045 - 5752161" are two.
const NUMBER = /^(?:\+|00|\(\+?\d|\d)[\d \t\u00a0().\-/–]{5,22}\d/;
// North American grouping ("(512) 516-4638", "877.315.1880"): read as +1 when nothing else tells the country.
const NANP = /^(?:\+?1[\s.-]?)?\(?\d{3}\)?\s?[.-]?\s?\d{3}\s?[.-]\s?\d{4}$/;

export function proposePhones(ctx: FactContext): void {
  const { scan, text, country } = ctx;
  const seenRaw = new Set<string>();
  for (const link of scan.links) {
    if (!/^tel:/i.test(link.rawHref.trim()) || isThirdPartyLink(scan, link) || link.zone & Zone.share) continue;
    let raw: string;
    try {
      raw = decodeURIComponent(link.rawHref.trim().slice(4));
    } catch {
      raw = link.rawHref.trim().slice(4);
    }
    const e164 = toE164(raw, country);
    if (!e164) continue;
    const block = scan.blocks[link.block];
    const before = block ? block.text.slice(Math.max(0, link.offset - 20), link.offset) : '';
    const label = /(fax|mob\w*|gsm|cell)\W*$/i.exec(before)?.[1] ?? '';
    const shown = link.text && toE164(link.text, country) === e164 ? link.text : `tel:${raw}`;
    const snippet = block ? snippetAt(block.text, link.offset, link.offset + link.text.length) : shown;
    ctx.add('phones', { number: e164, type: typeFrom(label, e164) }, 'link', 0.92, snippet.includes(shown) ? snippet : `${snippet} (${shown})`, `${e164}|${typeFrom(label, e164)}`);
    seenRaw.add(e164);
  }
  LABEL.lastIndex = 0;
  for (let m = LABEL.exec(text); m; m = LABEL.exec(text)) {
    const label = m[1]!;
    if (label.length <= 2 && !/^[TFMP]\.?$/.test(label)) continue;
    const start = m.index + m[0].length;
    const num = NUMBER.exec(text.slice(start, start + 30));
    if (!num) {
      // "Toll Free Phone: …": the next label may follow this one directly.
      LABEL.lastIndex = m.index + m[0].indexOf(label) + label.length;
      continue;
    }
    // Stop at a second label on the same line: "T: 0492 524333 F: 0492 524898".
    const raw = num[0].replace(/\s+[A-Za-z].*$/, '').trim();
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 8 || digits.length > 15) continue;
    const e164 = toE164(raw, country) || (!country && NANP.test(raw) ? toE164(raw, 'US') : '');
    if (!e164) continue;
    const block = blockAt(ctx, start);
    const zoneBonus = block && block.zone & (Zone.footer | Zone.contact | Zone.address | Zone.header) ? 0.03 : 0;
    ctx.add('phones', { number: e164, type: typeFrom(label, e164) }, 'text', 0.88 + zoneBonus, snippetAt(text, m.index, start + raw.length), `${e164}|${typeFrom(label, e164)}`);
  }
  proposeUnlabelled(ctx);
}

// Unlabelled numbers in footers and contact blocks ("(979) 696-0524" under the address):
// written like a phone number (grouped, with + or a leading 0 or US style) and valid.
const LOOSE = /(?<![\w.+/-])(?:\+\d{1,3}[\s.-]?(?:\(0\)\s?)?\d{1,4}(?:[\s.-]\d{1,4}){1,4}|\(0?\d{2,4}\)\s?\d{2,4}(?:[\s.-]\d{2,4}){1,3}|0\d{1,4}[\s.–-]{1,3}\d{2,8}(?:[\s.-]\d{2,4}){0,3}|\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\d{3}(?:[.-]| [.-] )\d{3}(?:[.-]| [.-] )\d{4})(?![\w.-]?\d)/g;

function proposeUnlabelled(ctx: FactContext): void {
  const { text, country } = ctx;
  LOOSE.lastIndex = 0;
  for (let m = LOOSE.exec(text); m; m = LOOSE.exec(text)) {
    const block = blockAt(ctx, m.index);
    if (!block) continue;
    // Outside footers and contact blocks, only a number on a line of its own next to an
    // address or e-mail (the contact block of a page without class names).
    if (!(block.zone & (Zone.footer | Zone.contact | Zone.address | Zone.header))) {
      const lineStart = text.lastIndexOf('\n', m.index - 1) + 1;
      const lineEnd = text.indexOf('\n', m.index);
      const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
      const around = text.slice(Math.max(0, lineStart - 150), lineStart + line.length + 150);
      if (line.trim() !== m[0].trim() || !/@|\b[1-9]\d{3}\s?[A-Z]{2}\b|\b[A-Z]{2}\s\d{5}\b/.test(around)) continue;
    }
    const before = text.slice(Math.max(0, m.index - 25), m.index);
    const lineBefore = text.slice(text.lastIndexOf('\n', m.index - 1) + 1, m.index);
    // On a line about a bank account or a register, digits are not a phone number.
    if (/iban|bank|rekening|giro|swift|bic|kvk|btw|vat|ust|hrb|siret|afm/i.test(lineBefore) || /[A-Z]{4}\s?$/.test(lineBefore)) continue;
    // Register, bank and tax numbers, dates and opening hours are not phone numbers.
    if (/(?:kvk|btw|vat|iban|bank|rek|giro|nr|no|ust|hrb|fax|postbus|p\.?o\.? box|[:–-]\s*\d{1,2}[:.]\d{2})[\s.:#]*$/i.test(before)) continue;
    if (/^\d{1,2}[.:]\d{2}/.test(m[0])) continue;
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 9 || digits.length > 14) continue;
    const e164 = toE164(m[0], country || (NANP.test(m[0]) ? 'US' : ''));
    if (!e164) continue;
    ctx.add('phones', { number: e164, type: typeFrom('', e164) }, 'text', 0.65, snippetAt(text, m.index, m.index + m[0].length), `${e164}|${typeFrom('', e164)}`);
  }
}
