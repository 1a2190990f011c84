// Links to the CSR page, reports, code of conduct, human-rights statement and whistleblowing
// channel (company-scan.md section C), in en/nl/de/fr/es, plus reporting standards named in text.
import { snippetAt, type FactContext } from './context.ts';
import { registrableDomain } from '../site.ts';
import { Zone } from './page.ts';
import { isThirdPartyLink } from './third-party.ts';
import type { ProposableKey } from './types.ts';

type LinkKey = Extract<ProposableKey, 'csrPage' | 'reports' | 'codeOfConduct' | 'humanRightsStatement' | 'whistleblowing'>;

// Order matters: the first rule whose words match a link decides its key.
const RULES: Array<[LinkKey, RegExp]> = [
  ['humanRightsStatement', /human[\s-]+rights?\s+(?:policy|statement|commitment)|mensenrechten(?:beleid)?|menschenrechts|droits\s+de\s+l['’]homme|modern[\s-]+slavery|human[\s-]+trafficking|derechos\s+humanos/i],
  ['whistleblowing', /speak[\s-]?up|whistle[\s-]?blow|klokkenluid|hinweisgeber|lanceur\s+d['’]alerte|grievance|klachtenprocedure|klachtenregeling|complaints?\s+procedure|ethics\s+(?:hotline|line)|integrity\s+line|meldpunt\s+integriteit|canal\s+de\s+denuncias/i],
  ['codeOfConduct', /code\s+of\s+(?:business\s+)?(?:conduct|ethics)|gedragscode|verhaltenskodex|code\s+de\s+conduite|supplier\s+code|leverancierscode|c[óo]digo\s+de\s+conducta|business\s+principles|code\s+of\s+business/i],
  ['reports', /annual[\s-]+report|jaarverslag|jaarrapport|sustainability\s+report|duurzaamheidsverslag|integrated\s+report|(?:esg|csr|impact)\s+report|maatschappelijk\s+verslag|mvo[\s-]+verslag|gesch(?:ä|ae)ftsbericht|nachhaltigkeitsbericht|rapport\s+annuel|rapport\s+(?:de\s+)?d[ée]veloppement\s+durable|informe\s+anual|memoria\s+de\s+sostenibilidad|\bcsrd\b/i],
  ['csrPage', /sustainab|duurzaam|\bm\.?v\.?o\b|green[\s-]+(?:initiative|program|polic|commitment|practice|pledge)|groene?[\s-]+(?:ondernemen|beleid)|maatschappelijk\s+verantwoord|corporate\s+(?:social\s+)?responsibility|\bcsr\b|\besg\b|\bimpact\b|nachhaltig|responsabilit[ée]\s+soci|d[ée]veloppement\s+durable|sostenibilidad|responsible\s+business|our\s+responsibility|verantwoordelijkheid/i],
];

// The value is the abbreviation as written, so the snippet always contains it.
const STANDARDS: Array<[string, RegExp]> = [
  ['GRI', /\bGRI\b/],
  ['ESRS', /\bESRS\b/],
  ['CSRD', /\bCSRD\b/],
  ['Communication on Progress', /Communication on Progress/],
  ['SASB', /\bSASB\b/],
  ['TCFD', /\bTCFD\b/],
];

interface LinkMatch { key: LinkKey; href: string; rawHref: string; words: string; path: string; inText: boolean }

/** The link's address without scheme, www, fragment or trailing slash, so /x/ and www.site/x#top are one page. */
function pageKey(href: string): string {
  return href.toLowerCase().replace(/^https?:\/\/(?:www\.)?/, '').replace(/#.*$/, '').replace(/\/+$/, '');
}

export function proposeCsrLinks(ctx: FactContext): void {
  const { scan } = ctx;
  const here = pageKey(scan.url);
  const matches: LinkMatch[] = [];
  for (const link of scan.links) {
    if (!/^https?:/.test(link.href) || isThirdPartyLink(scan, link) || link.zone & Zone.share) continue;
    // A "#" link back to this page ("Sustainability Breakthrough" teaser) is not a page of its own.
    if (pageKey(link.href) === here) continue;
    const words = `${link.text} ${link.title}`.trim() || link.imageAlt;
    let path = '';
    try {
      path = decodeURIComponent(new URL(link.href).pathname).replace(/[-_/.+]+/g, ' ');
    } catch { /* keep '' */ }
    const sameSite = (registrableDomain(link.href) ?? '') === scan.domain;
    const isPdf = /\.pdf(?:$|[?#])/i.test(link.href);
    // Off-site links count only for documents (a report PDF on a CDN), not for pages.
    const hotline = /ethicspoint|navex|whistleb|speakup|speak-up|integrityline|integrity-line|trustline|lighthouse-services|convercent|safecall|expolink/i.test(link.href);
    if (!sameSite && !isPdf && !hotline) continue;
    for (const [key, re] of RULES) {
      const inText = re.test(words);
      if (!inText && !re.test(path)) continue;
      // "Impact" alone is too common a word in link texts to stand for a CSR page.
      if (key === 'csrPage' && /^\W*impact\W*$/i.test(words) && !/impact/i.test(path)) break;
      if (key === 'csrPage' && words.length > 80) break;
      matches.push({ key, href: link.href, rawHref: link.rawHref, words, path, inText });
      break;
    }
  }
  for (const key of ['csrPage', 'reports', 'codeOfConduct', 'humanRightsStatement', 'whistleblowing'] as const) {
    const forKey = matches.filter((m) => m.key === key);
    // Many links that name the topic (a law firm's whistleblower practice and its blog posts,
    // a consultancy's CSR services) mean the site is about the topic, not stating its own
    // policy. Sub-pages found only by their path (/sustainability/focus "Focus") are one
    // section and do not count.
    const named = new Set(forKey.filter((m) => m.inText).map((m) => pageKey(m.href)));
    if (key !== 'reports' && named.size > 4) continue;
    const keys = forKey.map((m) => pageKey(m.href));
    for (const m of forKey) {
      const own = pageKey(m.href);
      // A page inside a section that is itself linked is proposed by its section page.
      if (key !== 'reports' && keys.some((k) => k !== own && own.startsWith(`${k}/`))) continue;
      const confidence = m.inText ? 0.8 : 0.65;
      // The link as written and as read: the snippet contains the proposed (absolute) address.
      const snippet = `${(m.words || m.path).slice(0, 100)} (${m.href})`;
      if (key === 'reports') {
        const year = /\b(20\d{2}|19\d{2})\b/.exec(`${m.words} ${m.path}`)?.[1];
        const value = { url: m.href, title: m.words, ...(year ? { year: Number(year) } : {}) };
        ctx.add('reports', value, 'link', confidence, snippet, m.href);
      } else {
        ctx.add(key, m.href, 'link', confidence, snippet, m.href);
      }
    }
  }
  for (const [name, re] of STANDARDS) {
    const m = re.exec(ctx.text);
    if (m) ctx.add('reportingStandards', name, 'text', 0.6, snippetAt(ctx.text, m.index, m.index + m[0].length));
  }
}
