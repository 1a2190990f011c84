// Country names, codes and country-code domains to ISO 3166-1 alpha-2.

const NAMES: Record<string, string> = {
  netherlands: 'NL', 'the netherlands': 'NL', nederland: 'NL', holland: 'NL', niederlande: 'NL', 'pays-bas': 'NL',
  germany: 'DE', deutschland: 'DE', duitsland: 'DE', allemagne: 'DE', belgium: 'BE', belgië: 'BE', belgie: 'BE',
  belgique: 'BE', belgien: 'BE', france: 'FR', frankrijk: 'FR', frankreich: 'FR', 'united kingdom': 'GB', uk: 'GB',
  england: 'GB', scotland: 'GB', wales: 'GB', 'great britain': 'GB', 'united states': 'US', usa: 'US',
  'united states of america': 'US', austria: 'AT', österreich: 'AT', switzerland: 'CH', schweiz: 'CH', suisse: 'CH',
  ireland: 'IE', spain: 'ES', españa: 'ES', italy: 'IT', italia: 'IT', luxembourg: 'LU', denmark: 'DK', sweden: 'SE',
  norway: 'NO', finland: 'FI', poland: 'PL', portugal: 'PT', canada: 'CA', australia: 'AU',
};

/** ISO alpha-2 for a country name or code, '' when unknown. */
export function countryCode(text: string): string {
  const t = text.trim().toLowerCase().replace(/\.$/, '');
  if (/^[a-z]{2}$/.test(t)) return t === 'uk' ? 'GB' : t.toUpperCase();
  return NAMES[t] ?? '';
}

// Generic and commercial country-code TLDs (.io, .co, .tv …) say nothing about a company's country.
const NOT_A_COUNTRY = new Set(['io', 'co', 'tv', 'me', 'ai', 'ly', 'fm', 'am', 'cc', 'ws', 'to', 'gg', 'eu', 'app', 'dev']);

/** The country a host's TLD names (co.uk → GB), '' for generic TLDs. */
export function countryOfHost(host: string): string {
  const tld = host.split('.').pop() ?? '';
  if (tld.length !== 2 || NOT_A_COUNTRY.has(tld)) return '';
  return tld === 'uk' ? 'GB' : tld.toUpperCase();
}
