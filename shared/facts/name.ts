// The company's name (company-scan.md `name`): candidates from og:site_name, application-name,
// the logo's alt text, the copyright holder, title parts and the page's own words, ranked by how
// much of the site's domain label they cover ("Hot Stone Breda" ~ hotstonebreda.nl), then by
// how much the source is trusted. A name that shares nothing with the domain is proposed only
// from og:site_name, and never when og:site_name is itself a host name ("www.x.nl").
import { type FactContext } from './context.ts';
import { Zone } from './page.ts';
import { domainLabel, squash } from './similarity.ts';

const GENERIC = /^(?:home|homepage|home page|welkom|welcome|willkommen|bienvenue|contact|contact us|kontakt|about|about us|over ons|impressum|imprint|colofon|startseite|accueil|index|default|untitled|sitemap|site map|mapa serwisu|plan du site|privacy policy|terms of use|news|blog|search|login|log in|sign in|inc|llc|ltd|limited|gmbh|b\.?v\.?|corp|co)$/i;
// Page words that open a title ("Contact Balise Collision Repair") but are not part of a name.
const LEAD = /^(?:(?:contact(?:\s+us)?|about(?:\s+us)?|welcome\s+to|welkom\s+bij|over|info)\s+)+/i;
const ARTICLE = /^(?:the|le|la|les|de|het|die|der|das|l'|'t)$/i;
const LEGAL = /,?\s+(?:B\.?V\.?|N\.?V\.?|V\.?O\.?F\.?|GmbH|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|Inc\.?|Corp\.?|PLC)$/i;
const HOSTLIKE = /^(?:https?:\/\/)?(?:www\.)?[\w-]+(?:\.[\w-]+)+\/?$/i;
// Taglines and marks in logo alt texts: "Top banner: X Logo(TM). Established 1989."
const ALT_NOISE = /\b(?:top banner|banner|logo|home ?page|home|header)\b\s*:?|\((?:TM|R|C)\)|[™®©]/gi;

interface Candidate { value: string; cover: number; trust: number; snippet: string }

/**
 * A domain written as a name: "www.example.nl" or "example.nl" in lower case, or the bare
 * label ("hotstonebreda") — a slug, never the name people use. A declared spelling with
 * capitals ("BlueDogInk.com", "OnlineMarketing.de") is the company's own way of writing it.
 */
export function isSlug(value: string, label: string): boolean {
  const v = value.trim();
  if (/^(?:https?:\/\/|www\.)/i.test(v) || v.includes('/')) return true;
  if (HOSTLIKE.test(v) && !/\p{Lu}/u.test(v)) return true;
  return /^[a-z0-9-]+$/.test(v) && squash(v) === label && label.length > 0;
}

/** How much of the domain label a name covers: 1 when one contains the other whole, else its words found in the label. */
function coverage(name: string, label: string): number {
  const whole = squash(name.replace(LEGAL, ''));
  if (!whole || !label) return 0;
  if (whole === label || (whole.includes(label) && label.length >= 4)) return 1;
  if (label.includes(whole) && whole.length >= 3) return whole.length / label.length;
  let covered = 0;
  for (const word of name.split(/[\s&,.+/()-]+/).map(squash)) if (word.length >= 3 && label.includes(word)) covered += word.length;
  const words = name.replace(LEGAL, '').split(/\s+/).filter((w) => /\p{L}/u.test(w));
  // Initials: "Associated Production Tools" ~ shop-apt, "MDP Woodworks & Design" ~ mdpwoodworks.
  const initials = words.map((w) => squash(w)[0] ?? '').join('');
  if (initials.length >= 3 && label.includes(initials)) covered = Math.max(covered, Math.min(label.length, initials.length * 2));
  return Math.min(1, covered / label.length);
}

/** The shortest run of words that spells the whole label, with a leading article: "Le Montagnard". */
function exactRun(words: string[], label: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    let joined = '';
    for (let j = i; j < Math.min(words.length, i + 7); j++) {
      joined += squash(words[j]!.replace(/\.(?:com|net|org|nl|co\.uk|be|de|eu|info|biz)$/i, ''));
      if (joined === label) {
        const start = i > 0 && ARTICLE.test(words[i - 1]!) ? i - 1 : i;
        return words.slice(start, j + 1).join(' ').replace(/^[^\p{L}\d]+|[^\p{L}\d.!]+$/gu, '');
      }
      if (!label.startsWith(joined)) break;
    }
  }
  return undefined;
}

/** Splits a title or alt text into name-sized parts: "X | Y – Z", "X, Y". */
function parts(text: string): string[] {
  return text.split(/\s+[|–—·»:~l-]\s+|\s+[|–—·»]|[|–—·»]\s+|,\s+|\s*[(]/)
    .map((p) => p.replace(LEAD, '').trim()).filter((p) => p.length >= 2 && p.length <= 60 && !GENERIC.test(p));
}

/** All-caps words read as shouting: prefer a spelling with lower case when the page has one. */
function casing(value: string): number {
  return /\p{Ll}/u.test(value) ? 1 : 0;
}

export function proposeName(ctx: FactContext): void {
  const { scan } = ctx;
  const label = domainLabel(scan.domain);
  const candidates: Candidate[] = [];
  const add = (raw: string, trust: number, snippet: string, whole = false) => {
    for (const part of whole ? [raw.trim()] : parts(raw)) {
      const words = part.split(/\s+/);
      const exact = label ? exactRun(words, label) : undefined;
      // Trademark signs are no part of the name ("Quaker Steak & Lube®").
      const value = (exact ?? part).replace(/\s*[®™]+/g, '').trim();
      if (value.length < 2 || GENERIC.test(value) || isSlug(value, label)) continue;
      // A host name taken from a title or the page's words is the address, not the name.
      if (trust < 0.85 && HOSTLIKE.test(value) && !/\s/.test(value) && squash(value.replace(/\.[a-z]{2,6}(?:\.[a-z]{2})?$/i, '')) === label) continue;
      candidates.push({ value, cover: exact ? 1 : coverage(part, label), trust, snippet });
    }
  };
  const site = scan.meta.get('og:site_name')?.[0]?.trim() ?? '';
  const siteIsHost = HOSTLIKE.test(site);
  if (site && !siteIsHost) add(site, 0.9, `<meta property="og:site_name" content="${site}">`);
  const app = scan.meta.get('application-name')?.[0] ?? scan.meta.get('apple-mobile-web-app-title')?.[0];
  if (app) add(app, 0.85, `<meta name="application-name" content="${app}">`);
  for (const image of scan.images) {
    const logoLike = /logo/.test(`${image.hints} ${image.src.split('/').pop() ?? ''}`);
    if (!logoLike || !image.alt) continue;
    add(image.alt.replace(ALT_NOISE, ' ').replace(/\s+/g, ' ').replace(/\.\s.*$/, ''), 0.8, `<img alt="${image.alt}">`);
  }
  for (const m of ctx.text.matchAll(/(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*[-–]?\s*([^\n|•·]{2,60})/gi)) {
    const holder = m[1]!.replace(/\.?\s*all rights reserved.*$/i, '').replace(/[.\s]+$/, '');
    add(holder, 0.75, m[0].trim());
  }
  add(scan.title, 0.7, `<title>${scan.title}</title>`.slice(0, 300));
  // The page's own words: a run that spells the domain label ("Hot Stone Breda"), then short lines.
  if (label.length >= 4) {
    const description = scan.meta.get('description')?.[0] ?? '';
    const lines = `${ctx.text.slice(0, 60_000)}\n${description}`.split(/\n|\s[|•·]\s/);
    // A run that spells the label starts with the label's first letters: lines without them
    // are skipped before the per-word work (most of a page's text).
    const head = label.slice(0, 2);
    for (const line of lines) {
      const trimmed = line.trim();
      if (!trimmed || trimmed.length > 400) continue;
      const lower = trimmed.toLowerCase();
      if (!lower.includes(head) && (trimmed.length > 50 || !/[^\x00-\x7f]/.test(trimmed))) continue;
      const exact = exactRun(trimmed.split(/\s+/), label);
      if (exact) candidates.push({ value: exact, cover: 1, trust: 0.6, snippet: trimmed.slice(0, 200) });
      else if (trimmed.length <= 50 && !/[\d@:]/.test(trimmed) && coverage(trimmed, label) >= 0.8) candidates.push({ value: trimmed, cover: coverage(trimmed, label), trust: 0.55, snippet: trimmed });
    }
  }
  const usable = candidates.filter((c) => c.cover >= 0.3);
  if (usable.length === 0) {
    // Nothing shares the domain's words: only the site's declared name, with less confidence,
    // or a name two different sources agree on (the title and the copyright line, the logo's
    // alt text and the title) — the page naming itself, whatever its address.
    if (site && !siteIsHost && !GENERIC.test(site) && !isSlug(site, label) && site.length <= 60) ctx.add('name', site, 'meta', 0.6, `<meta property="og:site_name" content="${site}">`);
    else {
      const sources = new Map<string, { candidate: Candidate; trusts: Set<number> }>();
      for (const c of candidates) {
        const key = squash(c.value.replace(/[®™©]/g, ''));
        if (key.length < 3 || c.value.length > 60 || c.trust < 0.7 || GENERIC.test(c.value.replace(/[^\p{L}\s.]/gu, '').trim())) continue;
        const group = sources.get(key) ?? { candidate: c, trusts: new Set<number>() };
        group.trusts.add(c.trust);
        if (c.trust > group.candidate.trust) group.candidate = c;
        sources.set(key, group);
      }
      const agreed = [...sources.values()].filter((g) => g.trusts.size >= 2).sort((a, b) => b.trusts.size - a.trusts.size || b.candidate.trust - a.candidate.trust)[0];
      if (agreed) {
        const c = agreed.candidate;
        const value = c.value.replace(/[\s®™–—-]+$/, '').trim();
        const method = c.snippet.startsWith('<meta') || c.snippet.startsWith('<title') ? 'meta' : c.snippet.startsWith('<img') ? 'dom' : 'text';
        ctx.add('name', value, method, 0.6, c.snippet.includes(value) ? c.snippet : `${value} (${c.snippet})`.slice(0, 300));
      }
    }
    ctx.remove('name', (p) => typeof p.value === 'string' && isSlug(p.value, label));
    return;
  }
  // Agreement between sources counts: the same name in the logo and the copyright line.
  const votes = new Map<string, number>();
  for (const c of usable) votes.set(squash(c.value), (votes.get(squash(c.value)) ?? 0) + 1);
  const rank = (c: Candidate) => Math.round(c.cover * 10) * 10 + c.trust * 5 + Math.min(3, votes.get(squash(c.value))!) * 0.5 + casing(c.value) * 0.3;
  usable.sort((a, b) => rank(b) - rank(a));
  const best = usable[0]!;
  // Structured data naming someone else (a person in microdata, a platform as publisher, a
  // brand) is dropped when the page names itself well; else it ranks below the site's own name.
  const declared = squash(site);
  const foreign = (p: { value: unknown }) => typeof p.value === 'string' && coverage(p.value, label) < 0.3 && squash(p.value) !== declared;
  if (best.cover >= 0.6) ctx.remove('name', foreign);
  else for (const p of ctx.answers().name ?? []) if (foreign(p)) p.confidence = Math.min(p.confidence, 0.5);
  ctx.remove('name', (p) => typeof p.value === 'string' && isSlug(p.value, label));
  const method = best.snippet.startsWith('<meta') || best.snippet.startsWith('<title') ? 'meta' : best.snippet.startsWith('<img') ? 'dom' : 'text';
  ctx.add('name', best.value, method, 0.6 + 0.28 * best.cover, best.snippet.includes(best.value) ? best.snippet : `${best.value} (${best.snippet})`.slice(0, 300));
}
