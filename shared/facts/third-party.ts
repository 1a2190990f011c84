// Decides what on a page belongs to someone other than the site's company (company-scan.md:
// "third-party blocks are not the company"): ombudsman, insurer, supervisory or certification
// body blocks, the web designer's credit, and whole pages that are profiles or news about it.
import { hostOf, registrableDomain } from '../site.ts';
import { Zone, type PageScan, type TextBlock } from './page.ts';
import { resemblesDomain, squash } from './similarity.ts';

// Words that open a block about another organisation whose address, phone or numbers must
// not be taken for the company's (en/nl/de/fr).
const THIRD_PARTY = new RegExp(
  [
    'ombuds', 'kifid', 'klachteninstituut', 'geschillencommissie', 'geschillen commissie', 'tuchtcollege',
    'insurer', 'insured (?:with|by|at)', 'insurance (?:company|provider)', 'indemnity insur', 'verzekerd (?:bij|via)',
    'verzekeraar', 'beroepsaansprakelijkheid', 'berufshaftpflicht', 'haftpflichtversicher', 'versicherer',
    'versicherung:', 'aufsichtsbeh', 'schlichtungsstelle', 'streitbeilegung', 'streitschlichtung',
    'zust(?:ä|ae)ndige kammer', 'berufskammer', 'rechtsanwaltskammer', 'm(?:é|e)diateur', 'assureur',
    'certification body', 'certifying body', 'certificeringsinstelling', 'zertifizierungsstelle',
    'supervisory authority', 'toezichthouder', 'regulated by the', 'authorised and regulated',
    'financial conduct authority', 'dispute resolution', 'media contacts?:?$', 'press contacts?', 'pr contact', 'public relations', 'perscontact', 'pressekontakt', 'orde van advocaten', 'registeraccountants',
  ].join('|'),
  'i',
);

// "Website door Webbureau X", "Realisatie: …", "Design by …": the credit runs to the next separator.
const CREDIT = /(?:\b(?:web ?site|webdesign|web design|website ?design|webbouw|ontwerp|design|realisatie|gerealiseerd|ontwikkeld|ontwikkeling|gemaakt|made|created|built|developed|powered|hosted|hosting|theme|template|vormgeving|gestaltung|umsetzung|erstellt|realisiert|réalisation|réalisé|conception|site)\s+(?:en\s+\w+\s+)?(?:door|by|von|par|with)\s+|\b(?:realisatie|ontwerp|webdesign|vormgeving|design|concept|hosting|theme|umsetzung|gestaltung|réalisation|conception|powered by|webdevelopment)\s*:\s*)/gi;
const CREDIT_END = /\s[|•·]\s|\n| - | – /;
// Link texts or hosts of web agencies credited in a footer.
const AGENCY = /(?:web ?design|internet ?design|webbureau|internetbureau|reclamebureau|webdevelop|webbouw|webshop ?bouw|website ?bouw|hosting|wordpress|joomla|themeforest|elegant ?themes|webagentur|agence web|studio|media|communicatie|design)/i;

const SOCIAL_HOST = /(?:linkedin|facebook|twitter|^x\.com|instagram|youtube|xing|pinterest|tiktok|vimeo)/;

/** Cuts the ranges of a block's text that credit someone else; offsets stay valid. */
export function ownText(block: TextBlock): string {
  if (block.thirdParty) return '';
  if (block.cuts.length === 0) return block.text;
  let text = block.text;
  for (const [from, to] of block.cuts) {
    // A cut reaching past the text (or reversed) blanks only what is there: offsets never make a page fail.
    const start = Math.max(0, Math.min(from, text.length));
    const end = Math.max(start, Math.min(to, text.length));
    text = text.slice(0, start) + '\n'.repeat(end - start) + text.slice(end);
  }
  return text;
}

function isHeadingLike(block: TextBlock): boolean {
  return (block.zone & Zone.heading) !== 0 || (block.text.length <= 60 && !/\d{3}/.test(block.text) && /:\s*$|^[^a-z]*$/.test(block.text));
}

/** Marks third-party blocks, text ranges and links in place. */
export function markThirdParty(scan: PageScan): void {
  const { blocks } = scan;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const hit = THIRD_PARTY.exec(block.text);
    if (hit) {
      const lineStart = block.text.lastIndexOf('\n', hit.index) + 1;
      if (lineStart === 0 || block.text.length < 120) block.thirdParty = true;
      else block.cuts.push([lineStart, block.text.length]);
      // A heading such as "Klachtenregeling" or "Aufsichtsbehörde:" introduces the blocks after it.
      if (block.thirdParty && isHeadingLike(block)) {
        for (let j = i + 1; j < blocks.length && j <= i + 6; j++) {
          const next = blocks[j]!;
          if (isHeadingLike(next) && !THIRD_PARTY.test(next.text)) break;
          next.thirdParty = true;
        }
      }
    }
    CREDIT.lastIndex = 0;
    for (let m = CREDIT.exec(block.text); m; m = CREDIT.exec(block.text)) {
      const rest = block.text.slice(m.index);
      const end = CREDIT_END.exec(rest.slice(m[0].length));
      const stop = end ? m.index + m[0].length + end.index : block.text.length;
      block.cuts.push([m.index, stop]);
      CREDIT.lastIndex = Math.max(stop, m.index + 1);
    }
  }
  // Agency links: external, in the footer, worded like a web agency; their text is cut too.
  for (const link of scan.links) {
    const block = blocks[link.block];
    if (!block) continue;
    const inCut = block.cuts.some(([s, e]) => link.offset >= s && link.offset <= e + 1);
    const external = link.href.startsWith('http') && (registrableDomain(link.href) ?? '') !== scan.domain;
    if (!inCut && external && (link.zone & Zone.footer) && !SOCIAL_HOST.test(hostOf(link.href, { stripWww: true })) && AGENCY.test(`${link.text} ${link.title} ${hostOf(link.href, { stripWww: true })}`)) {
      block.cuts.push([link.offset, Math.min(block.text.length, link.offset + link.text.length)]);
    }
  }
  markOtherCompanies(scan);
}

// A line that hands the site to another company: "Managed by", "Website by", "Powered by",
// "In samenwerking met", "A Berkshire Hathaway company". What follows it (the rest of the
// block, or the next blocks when the line stands alone) is that company's.
const HANDED_TO = /^(?:professionally\s+|site\s+|website\s+|property\s+)?(?:managed|hosted|designed|maintained|powered|developed|marketed|leased)\s+by\b|^(?:web)?site\s+by\b|^in\s+samenwerking\s+met\b|^(?:beheerd|onderhouden|ontworpen)\s+door\b|^(?:verwaltet|betreut)\s+von\b|^an?\s+(?!(?:family|locally|privately|independently|employee|veteran|women|woman|minority|small|local|proud)\b)(?:[\p{Lu}][\p{L}&'’.-]*\s+){1,4}company\b/iu;
// The first line of a block names a company by its legal form or a trade word.
const COMPANY_LINE = /^(?:[\p{Lu}\d][\p{L}\d&'’.-]*[ ,]+){1,6}(?:Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Limited|Corp\.?|Corporation|Co\.|Company|LLP|PLC|B\.V\.|N\.V\.|GmbH|Management|Services|Realty|Properties|Group|Hosting|Media|Design)\.?$/u;
// Phone-like digits or a postcode line: the block carries contact details.
const CONTACT_DETAILS = /(?:\+?\d[\d ().-]{7,}\d)|\b\d{4}\s?[A-Z]{2}\b|\b[A-Z]{2}\s\d{5}\b|\b\d{5}(?:-\d{4})?\b/;
const TRADE_WORDS = /^(?:the|and|services?|management|company|group|properties|realty|inc|llc|ltd|limited|corp|corporation|media|design|hosting)$/;

/** True when a company name shares a distinctive word with the site's domain, title or declared name. */
function namesTheSite(name: string, scan: PageScan): boolean {
  if (resemblesDomain(name, scan.domain)) return true;
  const own = squash(`${scan.title} ${scan.meta.get('og:site_name')?.[0] ?? ''} ${scan.meta.get('application-name')?.[0] ?? ''}`);
  return name.split(/[\s,.&]+/).some((w) => w.length >= 4 && !TRADE_WORDS.test(w.toLowerCase()) && own.includes(squash(w)));
}

/**
 * Blocks of another company with its own contact details: a management company's or a web
 * agency's footer block ("Summit Management Services, Inc. / 730 West Market Street … / 330.762.4011").
 * Marked when a line hands the site to it, or when the block opens with a company name that
 * is not the site's while the site's own contact details appear elsewhere on the page.
 */
function markOtherCompanies(scan: PageScan): void {
  const { blocks } = scan;
  const candidates: TextBlock[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.thirdParty || block.text.length > 400) continue;
    const firstLine = block.text.split('\n', 1)[0]!.trim();
    const handed = HANDED_TO.exec(firstLine);
    if (handed) {
      block.thirdParty = true;
      // The intro stands alone ("Managed by:"): the next blocks up to a heading are the other
      // company's; a copyright line is the site's own again.
      if (firstLine.slice(handed[0].length).replace(/[\s:–-]+/g, '').length === 0 && !block.text.includes('\n')) {
        for (let j = i + 1; j < blocks.length && j <= i + 3; j++) {
          const next = blocks[j]!;
          if (next.text.length > 400 || /^(?:©|\(c\)|copyright)/i.test(next.text) || (next.zone & Zone.heading && j > i + 1)) break;
          next.thirdParty = true;
          if (CONTACT_DETAILS.test(next.text)) break;
        }
      }
      continue;
    }
    if (COMPANY_LINE.test(firstLine) && block.text.includes('\n') && CONTACT_DETAILS.test(block.text) && !namesTheSite(firstLine, scan)) candidates.push(block);
  }
  if (candidates.length === 0) return;
  // Only when the site's own details are on the page too: else the block may be the company's own.
  const othersHaveContact = blocks.some((b) => !b.thirdParty && !candidates.includes(b) && /(?:\+?\d[\d ().-]{7,}\d)/.test(b.text));
  if (othersHaveContact) for (const block of candidates) block.thirdParty = true;
}

/** True when a link sits in a third-party block or credit. */
export function isThirdPartyLink(scan: PageScan, link: { block: number; offset: number; text: string }): boolean {
  const block = scan.blocks[link.block];
  if (!block) return false;
  if (block.thirdParty) return true;
  return block.cuts.some(([s, e]) => link.offset >= s && link.offset <= e + 1);
}

export type PageKind = 'own' | 'profile' | 'news';

// Profiles and directories: the page describes the company but is not its own site.
const PROFILE_HOSTS = /(?:^|\.)(?:linkedin\.com|facebook\.com|fb\.com|twitter\.com|x\.com|instagram\.com|youtube\.com|xing\.com|tiktok\.com|pinterest\.com|kvk\.nl|opencorporates\.com|company-information\.service\.gov\.uk|companieshouse\.gov\.uk|northdata\.(?:de|com)|handelsregister\.de|unternehmensregister\.de|societe\.com|infogreffe\.fr|pappers\.fr|crunchbase\.com|dnb\.com|zoominfo\.com|glassdoor\.[a-z.]+|indeed\.[a-z.]+|wikipedia\.org|bloomberg\.com|yelp\.[a-z.]+|trustpilot\.com|kompass\.com|europages\.[a-z.]+|goudengids\.nl|detelefoongids\.nl|telefoonboek\.nl|drimble\.nl|oozo\.nl|bedrijvenregister\.nl|companyinfo\.nl|openkvk\.nl|creditsafe\.com|endole\.co\.uk|gelbeseiten\.de|dasoertliche\.de|yellowpages\.com|bbb\.org|manta\.com)$/;
const NEWS_HOSTS = /(?:^|\.)(?:reuters\.com|bloomberg\.com|ft\.com|wsj\.com|nytimes\.com|theguardian\.com|bbc\.co\.uk|bbc\.com|cnbc\.com|forbes\.com|businessinsider\.com|techcrunch\.com|fd\.nl|nos\.nl|nu\.nl|telegraaf\.nl|volkskrant\.nl|nrc\.nl|trouw\.nl|ad\.nl|rtl\.nl|rtlnieuws\.nl|parool\.nl|mt\.nl|sprout\.nl|emerce\.nl|spiegel\.de|faz\.net|handelsblatt\.com|sueddeutsche\.de|zeit\.de|welt\.de|lemonde\.fr|lesechos\.fr|lefigaro\.fr|apnews\.com|cnn\.com|economist\.com|fortune\.com|washingtonpost\.com|independent\.co\.uk|telegraph\.co\.uk|guardian\.co\.uk|euronews\.com|dw\.com)$/;

/** Own site, a profile/directory page, or a news page about the company. */
export function classifyPage(scan: PageScan, jsonldTypes: string[]): { kind: PageKind; snippet: string } {
  if (PROFILE_HOSTS.test(scan.host) && !NEWS_HOSTS.test(scan.host)) return { kind: 'profile', snippet: scan.url };
  const newsType = jsonldTypes.find((t) => /^(?:NewsArticle|ReportageNews|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle)$/.test(t));
  if (newsType) return { kind: 'news', snippet: `"@type": "${newsType}"` };
  if (NEWS_HOSTS.test(scan.host)) return { kind: 'news', snippet: scan.url };
  const ogType = scan.meta.get('og:type')?.[0]?.toLowerCase();
  if (ogType === 'article' && (scan.meta.has('news_keywords') || jsonldTypes.includes('NewsMediaOrganization'))) {
    return { kind: 'news', snippet: `og:type article` };
  }
  return { kind: 'own', snippet: scan.url };
}
