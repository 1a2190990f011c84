// The company's own social profiles from links (LinkedIn, Facebook, X/Twitter, Instagram,
// YouTube, Xing, Flickr …): never share/intent links, posts, or a theme vendor's profiles.
import type { FactContext } from './context.ts';
import { Zone, type LinkRef } from './page.ts';
import { squash } from './similarity.ts';
import { isThirdPartyLink } from './third-party.ts';

const PROFILE: Array<[RegExp, RegExp]> = [
  [/^(?:[a-z]{2,3}\.)?linkedin\.com$/, /^\/(?:company|school|showcase)\/[^/]+\/?$/i],
  [/^(?:[a-z-]+\.)?facebook\.com$|^fb\.com$/, /^\/(?!sharer|share|dialog|plugins|login|tr\b|groups\/?$|events|watch|photo|story|permalink|hashtag|search|help|policies|privacy|pages\/?$)(?:pages\/(?:[^/]+\/)?[^/]+\/\d+|people\/[^/]+\/\d+|profile\.php|[A-Za-z0-9.\-_]{2,})\/?$/i],
  [/^(?:mobile\.)?(?:twitter|x)\.com$/, /^\/(?!intent|share|home|search|hashtag|i\/|login|signup)(?:#!\/)?[A-Za-z0-9_]{1,15}\/?$/i],
  [/^instagram\.com$/, /^\/(?!p\/|explore|accounts|reel)[A-Za-z0-9_.]{1,30}\/?$/i],
  [/^youtube\.com$/, /^\/(?:channel\/[\w-]+|user\/[\w-]+|c\/[\w-]+|@[\w.-]+)\/?$/i],
  [/^xing\.com$/, /^\/(?:companies|pages)\/[\w-]+\/?$/i],
  [/^pinterest\.[a-z.]+$/, /^\/(?!pin\/)[A-Za-z0-9_]{3,30}\/?$/i],
  [/^tiktok\.com$/, /^\/@[\w.]+\/?$/i],
  [/^vimeo\.com$/, /^\/(?!\d+$)[A-Za-z0-9_]{3,}\/?$/i],
  [/^flickr\.com$/, /^\/(?:photos|people)\/[\w@-]+\/?$/i],
];
// Profiles of themes, site builders and plugins that ship with templates.
const VENDORS = /^(?:envato|themeforest|wordpress|wordpressdotcom|wix|squarespace|elegantthemes|themeisle|themefusecom|mythemeshop|studiopress|woocommerce|yoast|joomla|drupal|weebly|jimdo|godaddy|shopify|templatemonster|themify|athemes|tesla_themes|gavickpro|rockettheme|yootheme|zozothemes|qodeinteractive|mikado-themes|ThemeREX|envatomarket)$/i;

/** A canonical profile URL (https, no www, no query, no trailing slash), '' if not a company profile. */
export function profileUrl(href: string): string {
  let url: URL;
  try {
    url = new URL(href.replace(/\/#(?:!|%21)\//, '/'));
  } catch {
    return '';
  }
  const host = url.hostname.replace(/^www\.|^m\.|^[a-z]{2}-[a-z]{2}\./, '').toLowerCase();
  for (const [hostRe, pathRe] of PROFILE) {
    if (!hostRe.test(host)) continue;
    // A channel's tab (/videos, /about) or a page's tab (/likes, /timeline) names the same profile.
    let path = url.pathname.replace(/\/+$/, '').replace(/^(\/(?:user|channel|c)\/[^/]+|\/@[^/]+)\/(?:videos|featured|about|playlists)$/, '$1') || '/';
    if (host.includes('facebook')) path = path.replace(/^(\/(?!pages\/|people\/)[^/]+)\/(?:likes|timeline|about|info|photos|reviews|posts|events)$/i, '$1');
    if (!pathRe.test(path) && !pathRe.test(`${path}/`)) return '';
    if (host.includes('facebook') && path === '/profile.php') {
      const id = url.searchParams.get('id');
      return id ? `https://facebook.com/profile.php?id=${id}` : '';
    }
    const handle = path.split('/').filter(Boolean).pop() ?? '';
    if (VENDORS.test(handle.replace(/^@/, ''))) return '';
    return `https://${host}${path}`;
  }
  return '';
}

function isProfileLinkPlace(link: LinkRef): boolean {
  if (link.zone & Zone.share) return false;
  // A story's links to others are not the company's profiles.
  if (link.zone & Zone.article && !(link.zone & (Zone.footer | Zone.header))) return false;
  return true;
}

/** The network a profile URL belongs to ("facebook.com"), for comparing profiles of one network. */
function networkOf(url: string): string {
  return new URL(url).hostname.replace(/^[a-z]{2,3}\./, '').replace(/\.[a-z.]+$/, '');
}

/** Whether a profile's handle names the site: its domain label, its declared name or title words. */
function namesSite(url: string, label: string, siteWords: string[]): boolean {
  const handle = squash(decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).filter((p) => !/^(?:company|school|showcase|pages|people|user|channel|c|photos|companies)$/i.test(p)).join(' ')));
  if (!handle) return false;
  if (label.length >= 3 && (handle.includes(label) || (handle.length >= 4 && label.includes(handle)))) return true;
  return siteWords.some((w) => w.length >= 4 && handle.includes(w));
}

export function proposeSocial(ctx: FactContext): void {
  const { scan } = ctx;
  const found: Array<{ url: string; inChrome: boolean; snippet: string }> = [];
  for (const link of scan.links) {
    if (!link.href.startsWith('http') || !isProfileLinkPlace(link) || isThirdPartyLink(scan, link)) continue;
    const url = profileUrl(link.href);
    if (!url || found.some((f) => f.url.toLowerCase() === url.toLowerCase())) continue;
    const inChrome = (link.zone & (Zone.footer | Zone.header | Zone.nav | Zone.contact | Zone.aside)) !== 0;
    const label = link.text || link.title || link.imageAlt || link.rawHref;
    found.push({ url, inChrome, snippet: `${label} (${link.rawHref})`.slice(0, 300) });
  }
  // Someone else's profile: of a network where the site has one named like itself, or in the
  // page's content rather than its header or footer, or one of many on a network (staff,
  // authors, people a post mentions) — unless its handle names the site.
  const label = squash(scan.domain.split('.')[0] ?? '');
  const siteWords = `${scan.meta.get('og:site_name')?.[0] ?? ''} ${scan.title.split(/\s+[|–—-]\s+/).slice(-1)[0] ?? ''}`.split(/\s+/).map(squash).filter((w) => w.length >= 4);
  // Old table layouts mark no header or footer: there, "outside the chrome" says nothing.
  const pageHasChrome = scan.links.some((l) => (l.zone & (Zone.footer | Zone.header | Zone.nav)) !== 0);
  const declared = new Set((ctx.answers().social ?? []).map((p) => networkOf(p.value)));
  for (const f of found) {
    const own = namesSite(f.url, label, siteWords);
    if (!own) {
      const network = networkOf(f.url);
      const peers = found.filter((g) => networkOf(g.url) === network);
      if (declared.has(network) || peers.some((g) => g !== f && namesSite(g.url, label, siteWords)) || peers.length > 2 || (!f.inChrome && pageHasChrome)) continue;
    }
    ctx.add('social', f.url, 'link', f.inChrome ? 0.88 : 0.75, f.snippet, f.url.toLowerCase());
  }
}
