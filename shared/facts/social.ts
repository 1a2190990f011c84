// The company's own social profiles from links (LinkedIn, Facebook, X/Twitter, Instagram,
// YouTube, Xing, Flickr …): never share/intent links, posts, or a theme vendor's profiles.
import type { FactContext } from './context.ts';
import { Zone, type LinkRef } from './page.ts';
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

export function proposeSocial(ctx: FactContext): void {
  const { scan } = ctx;
  for (const link of scan.links) {
    if (!link.href.startsWith('http') || !isProfileLinkPlace(link) || isThirdPartyLink(scan, link)) continue;
    const url = profileUrl(link.href);
    if (!url) continue;
    const inChrome = link.zone & (Zone.footer | Zone.header | Zone.nav | Zone.contact | Zone.aside);
    const label = link.text || link.title || link.imageAlt || link.rawHref;
    ctx.add('social', url, 'link', inChrome ? 0.88 : 0.75, `${label} (${link.rawHref})`.slice(0, 300), url.toLowerCase());
  }
}
