// Reads the page in a tab for a clip: a PDF with pdf.js (pdf.ts), anything else with the
// article script run in the page (page-scripts.ts).
import type { CapturedPage } from './engines.ts';
import { runScript } from './page-scripts.ts';
import { capturePdfTab } from './pdf.ts';

export async function capturePage(tabId: number): Promise<CapturedPage> {
  // A PDF tab is read as a PDF (pdf.js, off the worker), never with the article script (issue 16).
  return (await capturePdfTab(tabId)) ?? runScript<CapturedPage>(tabId, '/capture.js');
}
