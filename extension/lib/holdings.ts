// What the library already holds for the site in a tab, and the toolbar badge that says so.
// Looked up by registrable domain only (never the full URL) and cached, so browsing sends the
// service one name per site per ten minutes at most (issue 4, "Library awareness"), and
// forgotten after every save so the badge counts the clip just made (issue 10).
import { browser } from 'wxt/browser';
import { siteKey } from '../../shared/site.ts';
import { Api, ApiError } from './api.ts';
import type { Db } from './db.ts';
import type { Session } from './settings.ts';
import type { SiteHoldings } from './types.ts';

const TTL_MS = 10 * 60_000;
/** A failed look-up is retried sooner than a good one expires. */
const ERROR_TTL_MS = 60_000;

/** Holdings with nothing in them: no library chosen, or nothing known yet. */
export function noHoldings(site: string, error: string | null = null): SiteHoldings {
  return { site, clipCount: 0, scanCount: 0, companies: [], recentClips: [], fetchedAt: Date.now(), error };
}

export async function lookupHoldings(db: Db, session: Session, site: string, options: { fresh?: boolean; api?: Api } = {}): Promise<SiteHoldings> {
  const libraryId = session.libraryId;
  if (!libraryId) return noHoldings(site, 'No library chosen.');
  const key = `${session.serverUrl}:${libraryId}:${site}`;
  const cached = await db.get('holdings', key);
  const value = cached?.value;
  if (!options.fresh && cached && value && Date.now() - cached.fetchedAt < (value.error ? ERROR_TTL_MS : TTL_MS)) return value;
  let holdings: SiteHoldings;
  try {
    const api = options.api ?? new Api(session.serverUrl, session.token);
    const answer = await api.holdings(libraryId, site);
    holdings = { ...answer, site, libraryUrl: `${session.serverUrl}/l/${encodeURIComponent(libraryId)}/`, fetchedAt: Date.now(), error: null };
  } catch (error) {
    // Offline: keep showing what we knew, marked with the reason.
    const message = error instanceof ApiError ? error.message : String(error);
    holdings = { ...(value ?? noHoldings(site)), fetchedAt: Date.now(), error: message };
  }
  await db.put('holdings', { key, fetchedAt: holdings.fetchedAt, value: holdings });
  return holdings;
}

/** Drops cached holdings (of one site, or all): called after every save so the badge counts it. */
export async function forgetHoldings(db: Db, site?: string): Promise<void> {
  if (!site) return db.clear('holdings');
  for (const key of await db.getAllKeys('holdings')) if (key.endsWith(`:${site}`)) await db.delete('holdings', key);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Badge text: how many clips and scans the library holds for the site ("" when none). */
export function badgeText(holdings: Pick<SiteHoldings, 'clipCount' | 'scanCount'>): string {
  const total = holdings.clipCount + holdings.scanCount;
  if (total === 0) return '';
  return total > 99 ? '99+' : String(total);
}

/** The button's tooltip: what the number means. */
export function badgeTitle(holdings: SiteHoldings): string {
  if (!badgeText(holdings)) return 'Casebook';
  const names = holdings.companies.map((company) => company.name).join(', ');
  return `Casebook: the library holds ${plural(holdings.clipCount, 'clip')} and ${plural(holdings.scanCount, 'scan')} for ${holdings.site}${names ? ` (${names})` : ''}`;
}

export async function updateBadge(db: Db, session: Session | null, tabId: number, url: string | undefined): Promise<void> {
  const site = siteKey(url);
  if (!session || !site) {
    await browser.action.setBadgeText({ tabId, text: '' });
    await browser.action.setTitle({ tabId, title: 'Casebook' });
    return;
  }
  const holdings = await lookupHoldings(db, session, site);
  await browser.action.setBadgeBackgroundColor({ tabId, color: '#1d6b57' });
  await browser.action.setBadgeText({ tabId, text: badgeText(holdings) });
  await browser.action.setTitle({ tabId, title: badgeTitle(holdings) });
}
