// Runs the engine scripts (built from shared/capture and shared/facts) in a tab via
// scripting.executeScript: the engines run only on request, never on every page. Its own
// module so the article capture (capture.ts → pdf.ts → scan.ts) and the company scan (scan.ts)
// both reach it without importing each other in a circle.
import { browser } from 'wxt/browser';
import { CasebookError } from './messages.ts';
import type { ScanProposals } from './engines.ts';

export async function runScript<T>(tabId: number, file: '/capture.js' | '/facts.js'): Promise<T> {
  let results: { result?: unknown }[];
  try {
    results = await browser.scripting.executeScript({ target: { tabId }, files: [file] });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Chrome says "Cannot access contents of the page" when neither activeTab nor a host grant applies.
    if (/cannot access|permission|cannot be scripted|chrome:\/\//i.test(message)) {
      throw new CasebookError('no-access', 'Casebook may not read this page yet: allow the site, or open the Casebook popup on it.');
    }
    throw new CasebookError('capture-failed', `Could not read the page: ${message}`);
  }
  const value = results[0]?.result;
  if (value === undefined || value === null) throw new CasebookError('capture-failed', 'The page gave no result.');
  return value as T;
}

/** The company-scan proposals of the page in a tab (shared/facts, run in the page). */
export function readScanProposals(tabId: number): Promise<ScanProposals> {
  return runScript<ScanProposals>(tabId, '/facts.js');
}
