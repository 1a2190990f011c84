// URL helpers for clips: make page-relative URLs absolute and strip click-tracking parameters,
// so a clip's links work from the library and do not carry campaign identifiers.

/** Query parameters that only identify a campaign or a click, never the resource. */
const TRACKING_PARAM = /^(utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|__hstc|__hssc|__hsfp|hsctatracking|mkt_tok|oly_anon_id|oly_enc_id|vero_id|vero_conv|wickedid|_ga|_gl|ref_src|ref_url|s_cid|cmpid|ocid|spm|scid|at_medium|at_campaign|at_custom\d|xtor|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|sr_share|share_source|rss_source)$/i;

/** Resolves `raw` against `base`; '' when it is not a usable URL. */
export function absoluteUrl(raw: string | null | undefined, base: string): string {
  const value = (raw ?? '').trim();
  if (value === '') return '';
  try {
    return new URL(value, base).href;
  } catch {
    return '';
  }
}

/** Removes tracking parameters from an http(s) URL; other URLs come back unchanged. */
export function stripTracking(url: string): string {
  if (!/^https?:/i.test(url) || !url.includes('?') && !url.includes('#')) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const names = [...new Set(Array.from(parsed.searchParams.keys()))];
  let changed = false;
  for (const name of names) {
    if (TRACKING_PARAM.test(name)) {
      parsed.searchParams.delete(name);
      changed = true;
    }
  }
  // Some sites put campaign tags in the fragment (#utm_source=…); drop that fragment.
  if (/^#(utm_|xtor=|ref=)/i.test(parsed.hash)) {
    parsed.hash = '';
    changed = true;
  }
  return changed ? parsed.href : url;
}

/** Absolute, tracking-free URL, or '' when it cannot be resolved. */
export function cleanUrl(raw: string | null | undefined, base: string): string {
  const absolute = absoluteUrl(raw, base);
  return absolute === '' ? '' : stripTracking(absolute);
}

/** The page URL without its fragment (what a text-fragment link is appended to). */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}
