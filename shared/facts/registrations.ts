// Company register numbers stated in text: Dutch KvK (8 digits), UK Companies House, LEI,
// German Handelsregister, French RCS/SIREN, Belgian KBO/BCE; validated, never an IBAN.
import { labelled, snippetAt, type FactContext } from './context.ts';

/** ISO 17442 check: the 20 characters read as base-36 digits are 1 modulo 97. */
export function isValidLei(lei: string): boolean {
  if (!/^[A-Z0-9]{18}\d{2}$/.test(lei)) return false;
  let rest = 0;
  for (const ch of lei) {
    const n = parseInt(ch, 36);
    rest = n > 9 ? (rest * 100 + n) % 97 : (rest * 10 + n) % 97;
  }
  return rest === 1;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const KVK_LABEL = /\b(?:kvk|k\.v\.k\.?|kamer\s+van\s+koophandel|handelsregister\s+(?:van\s+de\s+)?kvk|chamber\s+of\s+commerce|dossiernummer|dossier\s*nr|coc(?=[\s.:-]*(?:no|nr|number|\d)))(?:[\s-]*(?:-?nummer|nr|number|no|nº|registratie(?:nummer)?|inschrijving(?:s?nummer)?|reg(?:istration)?)\b\.?)?/gi;
// 8 digits in the groupings sites use (12345678, 1234 5678, 12.34.56.78, 12 345 678); a
// longer run is caught first so that a 12-digit branch number is not read as a KvK number.
const KVK_VALUE = /(?<![\w.-])\d(?:[ .\u00a0]?\d){5,13}(?![\w-])/;

const COH_LABEL = /\b(?:company\s+(?:registration\s+)?(?:no|number|reg(?:istration)?\.?\s*no)|registered\s+(?:in\s+(?:england|scotland|wales|northern\s+ireland)(?:\s*(?:and|&)\s*wales)?(?:\s+(?:under\s+)?(?:company\s+)?(?:no|number|registration\s+number))?|company\s+(?:no|number)|number|no)|companies\s+house\s+(?:no|number|registration)|CRN)\b\.?/gi;
const COH_VALUE = /(?<![\w])(?:SC|NI|OC|SO|NC|FC|GE|LP|SL|R0|IP|RS|SP|AC|ZC|SE|SA|SR)?\d{6,8}(?![\w])/;

const LEI_LABEL = /\bLEI(?:[\s-]*(?:code|number|nummer))?\b\s*:?/g;
const LEI_VALUE = /\b[A-Z0-9]{18}\d{2}\b/;

// Handelsregister numbers; the court (Amtsgericht …) is in the snippet.
const HR = /\b(HR\s?[AB])\s*(?:Nr\.?\s*)?(\d{1,6}(?:\s?[A-Z]{1,2}\b)?)/g;
const RCS = /\b(?:RCS|R\.C\.S\.)\s+([A-Z][A-Za-zÀ-ÿ'-]+(?:[ -][A-Z][A-Za-zÀ-ÿ'-]+)?)\s+((?:[AB]\s*)?\d{3}\s?\d{3}\s?\d{3})\b|\bSIRE[NT]\s*(?:n°|no)?\s*:?\s*(\d{3}\s?\d{3}\s?\d{3})(?:\s?\d{5})?\b/g;
const KBO_LABEL = /\b(?:ondernemingsnummer|KBO|BCE|num[ée]ro\s+d['’]entreprise|n°\s*d['’]entreprise|enterprise\s+number|RPR|RPM)(?:[\s-]*(?:nr|nummer|no))?\.?/gi;
const KBO_VALUE = /(?<![\w])(?:BE\s?)?0?[01]\d{2}[ .]?\d{3}[ .]?\d{3}(?![\w])/;

export function proposeRegistrations(ctx: FactContext): void {
  const { text } = ctx;
  for (const hit of labelled(text, KVK_LABEL, KVK_VALUE, 45)) {
    // Not a bank account or a phone number sitting after the label.
    const before = text.slice(Math.max(0, hit.index - 12), hit.index);
    if (/iban|bank|rek|tel|fax/i.test(before)) continue;
    let digits = hit.raw.replace(/\D/g, '');
    let raw = hit.raw;
    // "12345678 0000": KvK number followed by a branch suffix.
    const head = /^(\d{8}|\d{4}[ .]\d{4}|\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2})[ .]\d{4}$/.exec(hit.raw);
    if (digits.length === 12 && head?.[1]) {
      raw = head[1];
      digits = raw.replace(/\D/g, '');
    }
    if (digits.length !== 8) continue;
    ctx.add('registrations', { scheme: 'NL-KVK', value: digits }, 'text', 0.92, snippetAt(text, hit.labelIndex, hit.index + raw.length));
  }
  const gbContext = /\.uk$/.test(ctx.scan.host) || ctx.country === 'GB' || /\b(?:England|Wales|Scotland|United Kingdom)\b/.test(text);
  for (const hit of labelled(text, COH_LABEL, COH_VALUE, 30)) {
    const generic = /^(?:registered\s+(?:number|no)|CRN)/i.test(hit.label);
    if (generic && !gbContext) continue;
    const value = hit.raw.length === 7 || hit.raw.length === 6 ? hit.raw.padStart(8, '0') : hit.raw;
    if (value.length !== 8) continue;
    ctx.add('registrations', { scheme: 'GB-COH', value }, 'text', generic ? 0.75 : 0.88, snippetAt(text, hit.labelIndex, hit.index + hit.raw.length));
  }
  for (const hit of labelled(text, LEI_LABEL, LEI_VALUE, 20)) {
    if (!isValidLei(hit.raw)) continue;
    ctx.add('registrations', { scheme: 'LEI', value: hit.raw }, 'text', 0.93, snippetAt(text, hit.labelIndex, hit.index + hit.raw.length));
  }
  HR.lastIndex = 0;
  for (let m = HR.exec(text); m; m = HR.exec(text)) {
    const value = `${m[1]!.replace(/\s/g, '')} ${m[2]!.trim()}`;
    const start = m.index + m[0].indexOf(m[1]!);
    ctx.add('registrations', { scheme: 'DE-CR', value }, 'text', 0.85, snippetAt(text, start, m.index + m[0].length));
  }
  RCS.lastIndex = 0;
  for (let m = RCS.exec(text); m; m = RCS.exec(text)) {
    const siren = (m[2] ?? m[3] ?? '').replace(/\D/g, '');
    if (siren.length !== 9 || !luhn(siren)) continue;
    ctx.add('registrations', { scheme: 'FR-RCS', value: siren }, 'text', 0.85, snippetAt(text, m.index, m.index + m[0].length));
  }
  for (const hit of labelled(text, KBO_LABEL, KBO_VALUE, 25)) {
    const digits = hit.raw.replace(/\D/g, '').padStart(10, '0');
    if (digits.length !== 10 || 97 - (Number(digits.slice(0, 8)) % 97) !== Number(digits.slice(8))) continue;
    ctx.add('registrations', { scheme: 'BE-BCE_KBO', value: digits }, 'text', 0.88, snippetAt(text, hit.labelIndex, hit.index + hit.raw.length));
  }
}
