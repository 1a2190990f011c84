// VAT identification numbers: labelled in text (BTW, VAT, USt-IdNr, TVA …) or in NL's
// unmistakable NL…B.. shape; normalised (NL0096.91.108.B.01 → NL009691108B01), checked per
// country, never an IBAN.
import { labelled, snippetAt, type FactContext } from './context.ts';

// Shapes after normalisation (EU VIES formats, plus GB and CH).
const FORMATS: Record<string, RegExp> = {
  AT: /^ATU\d{8}$/, BE: /^BE[01]\d{9}$/, BG: /^BG\d{9,10}$/, CY: /^CY\d{8}[A-Z]$/, CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/, DK: /^DK\d{8}$/, EE: /^EE\d{9}$/, EL: /^EL\d{9}$/, ES: /^ES[0-9A-Z]\d{7}[0-9A-Z]$/,
  FI: /^FI\d{8}$/, FR: /^FR[0-9A-HJ-NP-Z]{2}\d{9}$/, HR: /^HR\d{11}$/, HU: /^HU\d{8}$/,
  IE: /^IE\d[0-9A-Z+*]\d{5}[A-Z]{1,2}$/, IT: /^IT\d{11}$/, LT: /^LT(?:\d{9}|\d{12})$/, LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/, MT: /^MT\d{8}$/, NL: /^NL\d{9}B\d{2}$/, PL: /^PL\d{10}$/, PT: /^PT\d{9}$/,
  RO: /^RO\d{2,10}$/, SE: /^SE\d{12}$/, SI: /^SI\d{8}$/, SK: /^SK\d{10}$/,
  GB: /^GB(?:\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, XI: /^XI(?:\d{9}|\d{12})$/, CHE: /^CHE\d{9}(?:MWST|TVA|IVA)?$/,
};

/** NL: the old mod-11 test of the 9 digits, or the 2020 mod-97 test for sole traders. */
function nlChecksum(id: string): boolean {
  const d = id.slice(2, 11);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(d[i]) * (9 - i);
  if (sum % 11 === Number(d[8])) return true;
  const numeric = `2321${id.slice(2, 11)}11${id.slice(12)}`;
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}

/** Normalises a candidate and returns the VAT id, or '' when it fits no format. */
export function normaliseVat(raw: string, label: string, country: string): string {
  let id = raw.toUpperCase().replace(/[\s.\-\u00a0/]/g, '');
  if (/^[A-Z]{2}\d{2}[A-Z]{4}\d{6,}/.test(id)) return ''; // IBAN shape
  if (id.startsWith('GR')) id = `EL${id.slice(2)}`;
  // A letter O typed for a zero ("NL0O96.91.108.B01", "DE81O345678"): read as 0 where the country's shape wants digits.
  if (/O/.test(id.slice(2))) {
    const prefix = id.startsWith('CHE') ? 'CHE' : /^[A-Z]{2}/.test(id) ? id.slice(0, 2) : '';
    const fixed = prefix + id.slice(prefix.length).replace(/O/g, '0');
    if (fixed !== id && /\d/.test(fixed) && (FORMATS[prefix]?.test(fixed) || (!prefix && /^[\dB]+$/.test(fixed)))) id = fixed;
  }
  if (/^\d{9}B\d{2}$/.test(id)) id = `NL${id}`;
  else if (/^\d+$/.test(id)) {
    if (/^(?:ust|umsatz)/i.test(label) && id.length === 9) id = `DE${id}`;
    else if (country === 'GB' && (id.length === 9 || id.length === 12)) id = `GB${id}`;
    else if (country === 'BE' && id.length === 10) id = `BE${id}`;
    else if (country === 'BE' && id.length === 9) id = `BE0${id}`;
    // The page's country is known: the id without its prefix ("BTW 809691108B01" is handled above; "TVA 12345678901" on a French site).
    else if (country && country !== 'GB' && FORMATS[country === 'GR' ? 'EL' : country]?.test(`${country === 'GR' ? 'EL' : country}${id}`)) id = `${country === 'GR' ? 'EL' : country}${id}`;
  }
  if (/^BE\d{9}$/.test(id)) id = `BE0${id.slice(2)}`;
  const prefix = id.startsWith('CHE') ? 'CHE' : id.slice(0, 2);
  const format = FORMATS[prefix];
  return format?.test(id) ? id : '';
}

const VAT_LABEL = /\b(?:btw(?:[\s-]*(?:identificatie)?(?:nummer|nr|no|id(?:entificatienummer)?)?)?|omzetbelastingnummer|vat(?:[\s-]*(?:reg(?:istration|istered)?\.?\s*)?(?:no|nr|number|id|#))?|ust\.?[\s-]*id(?:ent)?(?:\.?[\s-]*nr)?|umsatzsteuer[\s-]*(?:identifikations)?(?:nummer|id)|(?:n°|numéro)\s*(?:de\s+)?tva(?:\s+intracommunautaire)?|tva(?:\s+intracommunautaire)?|mwst(?:[\s-]*nr)?|uid(?:[\s-]*nr)?|partita\s+iva|p\.\s*iva|nif|cif)\b\.?(?:\s*nummer)?/gi;
const VAT_VALUE = /(?<![\w])(?:[A-Z]{2,3}[\s.-]?)?\d[\dA-Z .\-\u00a0]{5,18}[\dA-Z](?![\w])/;
const PREFIXED = /(?<![\w])(?:ATU|DE|BE|FR|GB|NL|LU|DK|IT|ES|PL|IE|SE|FI|PT|CHE)[\s.-]?\d[\d .\-]{6,16}[\dA-Z](?:B\d{2})?(?![\w])/;
const NL_BARE = /(?<![\w])NL[\s.]?[\dO]{4}[\s.]?[\dO]{2}[\s.]?[\dO]{3}[\s.]?B[\s.]?[\dO]{2}(?![\w])/g;

export function proposeVatIds(ctx: FactContext): void {
  const { text } = ctx;
  for (const hit of labelled(text, VAT_LABEL, VAT_VALUE, 30)) {
    // Trim what follows the id on the same line ("NL8096.91.108.B01 KvK …").
    const raw = hit.raw.replace(/\s+(?:[A-Za-z]{3,}.*)$/, '').trim();
    const id = normaliseVat(raw, hit.label, ctx.country);
    if (!id) continue;
    const checked = !id.startsWith('NL') || nlChecksum(id);
    ctx.add('vatIds', id, 'text', checked ? 0.92 : 0.6, snippetAt(text, hit.labelIndex, hit.index + raw.length), id);
  }
  // A label whose id sits further away ("Umsatzsteuer-Identifikationsnummer gemäß § 27 a UStG:
  // DE 812 345 678"): only ids that carry their country prefix are taken from the wider window.
  VAT_LABEL.lastIndex = 0;
  for (let m = VAT_LABEL.exec(text); m; m = VAT_LABEL.exec(text)) {
    const from = m.index + m[0].length;
    const window = text.slice(from, from + 120);
    const p = PREFIXED.exec(window);
    if (p) {
      const id = normaliseVat(p[0].replace(/\s+(?:[A-Za-z]{3,}.*)$/, ''), m[0], ctx.country);
      if (id) ctx.add('vatIds', id, 'text', 0.85, snippetAt(text, m.index, from + p.index + p[0].length), id);
    }
    if (VAT_LABEL.lastIndex === m.index) VAT_LABEL.lastIndex++;
  }
  NL_BARE.lastIndex = 0;
  for (let m = NL_BARE.exec(text); m; m = NL_BARE.exec(text)) {
    const id = normaliseVat(m[0], '', ctx.country);
    if (id && nlChecksum(id)) ctx.add('vatIds', id, 'text', 0.8, snippetAt(text, m.index, m.index + m[0].length), id);
  }
}
