// Runs the capture and facts scripts (built from shared/capture and shared/facts) in a tab via
// scripting.executeScript: the engines run only on request, never on every page.
import { browser } from 'wxt/browser';
import { CasebookError } from './messages.ts';
import type { CapturedPage, ScanProposals } from './engines.ts';
import { capturePdfTab } from './pdf.ts';

async function runScript<T>(tabId: number, file: '/capture.js' | '/facts.js'): Promise<T> {
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

export async function capturePage(tabId: number): Promise<CapturedPage> {
  // A PDF tab is read as a PDF (pdf.js, off the worker), never with the article script (issue 16).
  return (await capturePdfTab(tabId)) ?? runScript<CapturedPage>(tabId, '/capture.js');
}

export function readScanProposals(tabId: number): Promise<ScanProposals> {
  return runScript<ScanProposals>(tabId, '/facts.js');
}
