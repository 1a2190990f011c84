// E-mail addresses from mailto: links (not share links), visible text, and the obfuscated
// spellings sites use against harvesters: info(at)x.nl, info (a) x.nl, [at]/[dot], Cloudflare.
import { blockAt, snippetAt, type FactContext } from './context.ts';
import { registrableDomain } from '../site.ts';
import { Zone } from './page.ts';
import { isThirdPartyLink } from './third-party.ts';

const PLAIN = /(?<![\w.+-])[a-z0-9][\w.+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?![\w@])/gi;
// "info(at)x.nl", "info [at] x [dot] nl", "info (a) x.nl", "info at x dot nl" (the last only with "dot").
const OBFUSCATED = /(?<![\w.+-])([a-z0-9][\w.+-]*)\s*(?:[([{<]\s*(?:at|a|@|apenstaartje|ät|arobase)\s*[)\]}>]|\s(?:at|AT)\s(?=[\w-]+\s+(?:dot|punt|DOT)\s))\s*([a-z0-9-]+(?:(?:\.|\s*[([{]\s*(?:dot|punt|punkt|point)\s*[)\]}]\s*|\s(?:dot|punt|DOT)\s)[a-z0-9-]+)+)/gi;
const JUNK = /(?:\.(?:png|jpe?g|gif|webp|svg|css|js)$|@(?:example|domain|yourdomain|email|mail)\.(?:com|nl|de)$|sentry|wixpress|@\d+x\.)/i;
const FREEMAIL = /@(?:gmail|hotmail|outlook|live|yahoo|icloud|me|aol|gmx|web|t-online|ziggo|kpnmail|kpnplanet|planet|home|xs4all|hetnet|zonnet|chello|casema|quicknet|online|wanadoo|orange|free|btinternet|msn)\./i;

export function normaliseEmail(raw: string): string {
  const email = raw
    .replace(/\s*[([{<]\s*(?:at|a|@|apenstaartje|ät|arobase)\s*[)\]}>]\s*|\s(?:at|AT)\s/g, '@')
    .replace(/\s*[([{]\s*(?:dot|punt|punkt|point)\s*[)\]}]\s*|\s(?:dot|punt|DOT)\s/g, '.')
    .replace(/\s+/g, '')
    .toLowerCase();
  return /^[a-z0-9][\w.+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}$/.test(email) && !JUNK.test(email) ? email : '';
}

function confidenceFor(email: string, pageDomain: string, base: number): number {
  const domain = registrableDomain(`http://${email.split('@')[1] ?? ''}`) ?? '';
  if (domain && domain === pageDomain) return base;
  // A small firm's freemail address is common; another organisation's domain less likely theirs.
  return FREEMAIL.test(email) ? base - 0.15 : base - 0.2;
}

const CHROME = Zone.footer | Zone.contact | Zone.address | Zone.header | Zone.nav | Zone.aside;

export function proposeEmails(ctx: FactContext): void {
  const found: Array<{ email: string; method: 'link' | 'text'; confidence: number; snippet: string; zone: number }> = [];
  collectEmails(ctx, (email, method, confidence, snippet, zone) => found.push({ email, method, confidence, snippet, zone }));
  const { scan } = ctx;
  const mailDomain = (email: string) => registrableDomain(`http://${email.split('@')[1] ?? ''}`) ?? '';
  // The site's mail domain may differ from its web domain: one shown in its header, footer or contact block is its own too.
  const chromeDomains = new Set(found.filter((f) => f.zone & CHROME).map((f) => mailDomain(f.email)));
  const ownDomain = (email: string) => mailDomain(email) === scan.domain || (chromeDomains.has(mailDomain(email)) && !FREEMAIL.test(email));
  // The site's own addresses: on its domain, or in its header, footer or contact block.
  const hasOwn = found.some((f) => ownDomain(f.email) || (f.zone & CHROME) !== 0);
  for (const f of found) {
    // Another organisation's address in the page's content (a study's author, a partner's
    // press contact) is someone else's, when the site shows its own elsewhere or the text is an article.
    const elsewhere = found.filter((g) => g.email === f.email);
    const inContent = elsewhere.every((g) => !(g.zone & CHROME));
    if (!ownDomain(f.email) && !FREEMAIL.test(f.email) && inContent && (hasOwn || elsewhere.some((g) => g.zone & Zone.article))) continue;
    ctx.add('emails', f.email, f.method, f.confidence, f.snippet);
  }
}

function collectEmails(ctx: FactContext, add: (email: string, method: 'link' | 'text', confidence: number, snippet: string, zone: number) => void): void {
  const { scan, text } = ctx;
  for (const link of scan.links) {
    if (!/^mailto:/i.test(link.href) || isThirdPartyLink(scan, link) || link.zone & Zone.share) continue;
    const [address = '', query = ''] = link.href.slice(7).split('?');
    // A "mail this page" button carries the page in its body, and often no address.
    if (/(?:body|subject)=[^&]*(?:https?%3A|https?:)/i.test(query)) continue;
    let decoded = address;
    try {
      decoded = decodeURIComponent(address);
    } catch { /* keep the raw address */ }
    for (const part of decoded.split(/[,;]/)) {
      const email = normaliseEmail(part);
      if (!email) continue;
      const block = scan.blocks[link.block];
      const line = block ? snippetAt(block.text, link.offset, link.offset + link.text.length) : '';
      const snippet = line.toLowerCase().includes(email) ? line : `${line} (mailto:${part})`.trim();
      add(email, 'link', confidenceFor(email, scan.domain, 0.93), snippet, link.zone);
    }
  }
  PLAIN.lastIndex = 0;
  for (let m = PLAIN.exec(text); m; m = PLAIN.exec(text)) {
    const email = normaliseEmail(m[0]);
    if (!email) continue;
    const block = blockAt(ctx, m.index);
    const zone = block && block.zone & (Zone.footer | Zone.contact | Zone.address | Zone.header) ? 0.02 : 0;
    add(email, 'text', confidenceFor(email, scan.domain, 0.88 + zone), snippetAt(text, m.index, m.index + m[0].length), block?.zone ?? 0);
  }
  OBFUSCATED.lastIndex = 0;
  for (let m = OBFUSCATED.exec(text); m; m = OBFUSCATED.exec(text)) {
    const email = normaliseEmail(m[0]);
    if (!email) continue;
    add(email, 'text', confidenceFor(email, scan.domain, 0.85), snippetAt(text, m.index, m.index + m[0].length), blockAt(ctx, m.index)?.zone ?? 0);
  }
}
