// The site a URL or host belongs to, by registrable domain: the key the badge and the side panel
// look the library up by (issue 10: clips are indexed by it, companies by their domains).
import { getDomain } from 'tldts';

/** The registrable domain of a host or URL ("www.shop.example.co.uk" → "example.co.uk"). */
export function registrableDomain(input: string): string | null {
  const value = input.trim().toLowerCase();
  if (!value) return null;
  // IP addresses and single-label hosts (localhost) have none: the host itself names the site.
  return getDomain(value, { allowPrivateDomains: true }) ?? (/^[a-z0-9.-]+$/.test(value) ? value : null);
}

/** The registrable domain of an http(s) URL, or null for anything else (mailto:, garbage). */
export function siteOfUrl(url: string): string | null {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    host = parsed.hostname;
  } catch {
    return null;
  }
  return registrableDomain(host.replace(/^\[|\]$/g, ''));
}
