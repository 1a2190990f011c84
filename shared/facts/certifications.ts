// Certifications, labels and memberships the site claims (company-scan.md section D): from
// text mentions and from logo file names and alt texts. A logo is a claim, not proof.
import { snippetAt, type FactContext } from './context.ts';
import { Zone } from './page.ts';

// [canonical name, pattern in text, pattern in an image name/alt (defaults to the text one)].
// Ambiguous acronyms (MSC, ASC, FSC) need a certification word next to them in text.
const CERTS: Array<[string, RegExp, RegExp?]> = [
  ['ISO 14001', /\bISO[\s-]?14001\b/i, /iso[\s_-]?14001/i],
  ['ISO 9001', /\bISO[\s-]?9001\b/i, /iso[\s_-]?9001/i],
  ['ISO 45001', /\bISO[\s-]?45001\b/i, /iso[\s_-]?45001/i],
  ['ISO 27001', /\bISO(?:\/IEC)?[\s-]?27001\b/i, /iso[\s_-]?27001/i],
  ['ISO 50001', /\bISO[\s-]?50001\b/i, /iso[\s_-]?50001/i],
  ['ISO 26000', /\bISO[\s-]?26000\b/i, /iso[\s_-]?26000/i],
  ['OHSAS 18001', /\bOHSAS[\s-]?18001\b/i, /ohsas[\s_-]?18001/i],
  ['SA8000', /\bSA[\s-]?8000\b/i, /sa[\s_-]?8000/i],
  ['Fairtrade', /\bFair[\s-]?trade\b(?!\s+(?:week|day))/i, /fair[\s_-]?trade/i],
  ['Rainforest Alliance', /\bRainforest Alliance\b/i, /rainforest[\s_-]?alliance/i],
  ['UTZ', /\bUTZ(?:[\s-]Certified)?\b/, /(?:^|[\W_])utz(?:[\W_]|$)/i],
  ['B Corp', /\b(?:Certified\s+)?B[\s-]?Corp(?:oration)?\b/, /(?:^|[\W_])b[\s_-]?corp/i],
  ['FSC', /\bFSC(?:®)?[\s-]*(?:gecertificeerd|certified|certificate|certificaat|zertifiziert|label|keurmerk|C\d{6})|\bFSC[\s-]?(?:®\s*)?(?:\()?C\d{6}|Forest Stewardship Council/i, /(?:^|[\W_])fsc(?:[\W_]|$)/i],
  ['PEFC', /\bPEFC\b/, /(?:^|[\W_])pefc(?:[\W_]|$)/i],
  ['MSC', /\bMSC[\s-]*(?:gecertificeerd|certified|label|keurmerk|zertifiziert|certification)|Marine Stewardship Council/i, /(?:^|[\W_])msc[\s_-]?(?:logo|label|keurmerk|certified)/i],
  ['ASC', /\bASC[\s-]*(?:gecertificeerd|certified|label|keurmerk|zertifiziert|certification)|Aquaculture Stewardship Council/i, /(?:^|[\W_])asc[\s_-]?(?:logo|label|keurmerk|certified)/i],
  ['RSPO', /\bRSPO\b/, /(?:^|[\W_])rspo(?:[\W_]|$)/i],
  ['Fair Wear', /\bFair Wear(?: Foundation)?\b/i, /fair[\s_-]?wear/i],
  ['amfori BSCI', /\b(?:amfori[\s-]+)?BSCI\b/, /(?:amfori|bsci)/i],
  ['Sedex / SMETA', /\bSedex\b|\bSMETA\b/, /(?:sedex|smeta)/i],
  ['EcoVadis', /\bEcoVadis\b/i, /ecovadis/i],
  ['SBTi', /\bSBTi\b|Science Based Targets/i, /sbti|science[\s_-]?based/i],
  ['UN Global Compact', /\b(?:UN|United Nations)\s+Global Compact\b/i, /global[\s_-]?compact|ungc/i],
  ['MVO Prestatieladder', /\bMVO[\s-]Prestatieladder\b/i, /mvo[\s_-]?prestatieladder/i],
  ['CO2-Prestatieladder', /\bCO[2₂][\s-]?Prestatieladder\b/i, /co2[\s_-]?prestatieladder/i],
  ['VCA', /\bVCA(?:\*{1,2}|[\s-]?(?:gecertificeerd|certificaat|petrochemie|\*))/i, /(?:^|[\W_])vca(?:[\W_]|$)/i],
  ['EMAS', /\bEMAS\b/, /(?:^|[\W_])emas(?:[\W_]|$)/i],
];

export function proposeCertifications(ctx: FactContext): void {
  for (const [name, re] of CERTS) {
    const m = re.exec(ctx.text);
    if (m) ctx.add('certifications', { name, evidence: 'text' }, 'text', 0.7, snippetAt(ctx.text, m.index, m.index + m[0].length), name);
  }
  for (const image of ctx.scan.images) {
    if (image.zone & Zone.share) continue;
    const block = ctx.scan.blocks[image.block];
    if (block?.thirdParty) continue;
    const file = image.src.split(/[?#]/)[0]?.split('/').pop() ?? '';
    const words = `${image.alt} ${image.title} ${file}`;
    for (const [name, re, logoRe] of CERTS) {
      const found = (logoRe ?? re).exec(words);
      if (!found) continue;
      // The snippet shows the alt text or file name that names the certification.
      const source = image.alt && (logoRe ?? re).test(image.alt) ? `<img alt="${image.alt}">` : `<img src="${file}">`;
      ctx.add('certifications', { name, evidence: 'logo' }, 'dom', 0.65, source, name);
    }
  }
}

/** The canonical certification name a free text (JSON-LD award, memberOf) stands for, '' if none. */
export function certificationName(text: string): string {
  for (const [name, re] of CERTS) if (re.test(text)) return name;
  return '';
}
