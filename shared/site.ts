// "Which site is this URL": the one answer for the extension, the service and the shared
// engines. Three questions, three functions:
//  - hostOf: the host a person reads (display, titles, search text);
//  - registrableDomain: the public-suffix domain of a host or URL (company facts compare links
//    and e-mail addresses with the page's own domain by it);
//  - siteKey: the key clips and holdings are indexed and looked up by (issue 10): the
//    registrable domain of an http(s) URL, or the host itself for an IP address or localhost.
// Hosts are read with the WHATWG URL parser, as the browser does: lower case, IDN in punycode,
// so the extension and the service agree on every key. Nothing here throws, whatever the input.
import { getDomain } from 'tldts';

/** Inputs longer than this are no URL anyone visits: answered as invalid without parsing. */
const MAX_URL = 8_192;

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length > MAX_URL) return null;
  try {
    return new URL(url.trim());
  } catch {
    return null;
  }
}

export interface HostOptions {
  /** Drop a leading "www." (or "www2." …): the name a person knows the site by. */
  stripWww?: boolean;
  /** Keep a non-default port ("localhost:8080"). */
  port?: boolean;
}

/**
 * The host of an absolute URL, lower case, IDN in punycode, IPv6 in brackets; '' when `url` is
 * not an absolute URL or has no host (about:blank, mailto:), so `hostOf(url) || fallback` reads.
 */
export function hostOf(url: unknown, options: HostOptions = {}): string {
  const parsed = parse(url);
  if (!parsed) return '';
  const host = options.port ? parsed.host : parsed.hostname;
  return options.stripWww ? host.replace(/^www\d?\./, '') : host;
}

export interface DomainOptions {
  /**
   * Count private suffixes (github.io, myshopify.com …) as public ones, so "alice.github.io" is
   * its own site. Site keys do; company facts do not (a shop's links to its myshopify.com
   * checkout are its own).
   */
  privateDomains?: boolean;
}

/**
 * The registrable domain of a host ("www.shop.example.co.uk") or absolute URL: "example.co.uk".
 * null for IP addresses, single-label hosts (localhost) and anything that is not a host.
 */
export function registrableDomain(input: unknown, options: DomainOptions = {}): string | null {
  if (typeof input !== 'string') return null;
  const value = input.trim().toLowerCase();
  if (value === '' || value.length > MAX_URL) return null;
  let host = value;
  if (value.includes('/') || value.includes(':')) {
    const parsed = parse(value);
    if (!parsed) return null;
    host = parsed.hostname;
  } else if (/[^\x00-\x7f]/.test(value)) {
    // A bare IDN host: read as the browser would (punycode), as a URL's host is.
    host = parse(`http://${value}`)?.hostname ?? '';
  }
  if (host === '' || host.startsWith('[')) return null;
  return getDomain(host, { allowPrivateDomains: options.privateDomains ?? false, validHosts: [] }) ?? null;
}

/**
 * The key of the site a host belongs to: its registrable domain (private suffixes count), or the
 * host itself when it has none (an IP address, localhost). null for what is not a host name.
 */
export function siteKeyOfHost(host: unknown): string | null {
  if (typeof host !== 'string') return null;
  const value = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (value === '' || value.length > 253) return null;
  const domain = registrableDomain(value, { privateDomains: true });
  if (domain) return domain;
  return /^[a-z0-9.-]+$/.test(value) ? value : null;
}

/** The site key of an http(s) URL; null for anything else (mailto:, javascript:, garbage). */
export function siteKey(url: unknown): string | null {
  const parsed = parse(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  return siteKeyOfHost(parsed.hostname);
}
