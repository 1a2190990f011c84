// What the library already holds for the site in a tab, and the toolbar badge that says so.
// Looked up by registrable domain only (never the full URL) and cached, so browsing sends the
// service one name per site per ten minutes at most (issue 4, "Library awareness").
import { getDomain } from 'tldts';
import { browser } from 'wxt/browser';
import { Api, ApiError } from './api.ts';
import type { Db } from './db.ts';
import type { Session } from './settings.ts';
import type { CompanyHolding, SiteHoldings } from './types.ts';

const TTL_MS = 10 * 60_000;
/** A failed look-up is retried sooner than a good one expires. */
const ERROR_TTL_MS = 60_000;

/** The registrable domain of an http(s) URL ("www.cocoa.example.nl/about" → "example.nl"), else null. */
export function siteOf(url: string | undefined): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  const host = new URL(url).hostname;
  // IP addresses and single-label hosts have no registrable domain: the host itself names the site.
  return getDomain(url, { allowPrivateDomains: true }) ?? (host || null);
}

export async function lookupHoldings(db: Db, session: Session, site: string, options: { fresh?: boolean; api?: Api } = {}): Promise<SiteHoldings> {
  const libraryId = session.libraryId;
  if (!libraryId) return { site, companies: [], fetchedAt: Date.now(), error: 'No library chosen.' };
  const key = `${session.serverUrl}:${libraryId}:${site}`;
  const cached = await db.get('holdings', key);
  const value = cached?.value as SiteHoldings | undefined;
  if (!options.fresh && value && Date.now() - cached!.fetchedAt < (value.error ? ERROR_TTL_MS : TTL_MS)) return value;
  let holdings: SiteHoldings;
  try {
    const api = options.api ?? new Api(session.serverUrl, session.token);
    const { companies } = await api.companies(libraryId, site);
    holdings = { site, companies, fetchedAt: Date.now(), error: null };
  } catch (error) {
    // Offline: keep showing what we knew, marked with the reason.
    const message = error instanceof ApiError ? error.message : String(error);
    holdings = { site, companies: value?.companies ?? [], fetchedAt: Date.now(), error: message };
  }
  await db.put('holdings', { key, fetchedAt: holdings.fetchedAt, value: holdings });
  return holdings;
}

export async function forgetHoldings(db: Db, site?: string): Promise<void> {
  if (!site) return db.clear('holdings');
  for (const key of await db.getAllKeys('holdings')) if (key.endsWith(`:${site}`)) await db.delete('holdings', key);
}

/** Badge text: the number of clips held for the site, or a dot when only a scan is held. */
export function badgeText(companies: CompanyHolding[]): string {
  const clips = companies.reduce((sum, company) => sum + company.clipCount, 0);
  const scans = companies.reduce((sum, company) => sum + company.scans.length, 0);
  if (clips > 0) return clips > 99 ? '99+' : String(clips);
  return scans > 0 ? '•' : '';
}

export async function updateBadge(db: Db, session: Session | null, tabId: number, url: string | undefined): Promise<void> {
  const site = siteOf(url);
  if (!session || !site) {
    await browser.action.setBadgeText({ tabId, text: '' });
    return;
  }
  const holdings = await lookupHoldings(db, session, site);
  const text = badgeText(holdings.companies);
  await browser.action.setBadgeBackgroundColor({ tabId, color: '#1d6b57' });
  await browser.action.setBadgeText({ tabId, text });
  const names = holdings.companies.map((company) => company.name).join(', ');
  await browser.action.setTitle({ tabId, title: text ? `Casebook: the library holds ${names}` : 'Casebook' });
}
