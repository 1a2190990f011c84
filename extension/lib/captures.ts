// The page a popup is previewing, kept in the background until Save (issue 10): the popup gets
// a small preview only, and Save names the tab. Kept in storage.session (memory only, never on
// disk, out of content scripts' reach) so that a worker that slept between preview and Save
// still has it; a missing one is read again from the tab.
import { browser } from 'wxt/browser';
import { wordCount } from './clip.ts';
import type { CapturedPage } from './engines.ts';
import { siteKey } from '../../shared/site.ts';
import type { CapturePreview } from './types.ts';

const PREFIX = 'capture:';
/** Captures are dropped when another replaces them; this many tabs' pages are kept at most. */
const KEEP = 5;
const memory = new Map<number, CapturedPage>();

/** storage.session where the browser has it (Chrome 102+, Firefox 115+), else the worker's memory. */
function sessionArea() {
  return (browser.storage as { session?: typeof browser.storage.local }).session ?? null;
}

export async function keepCapture(tabId: number, page: CapturedPage): Promise<void> {
  memory.delete(tabId);
  memory.set(tabId, page);
  for (const old of [...memory.keys()].slice(0, Math.max(0, memory.size - KEEP))) memory.delete(old);
  const area = sessionArea();
  if (!area) return;
  const stored = Object.keys(await area.get(null)).filter((key) => key.startsWith(PREFIX) && key !== PREFIX + tabId);
  if (stored.length >= KEEP) await area.remove(stored.slice(0, stored.length - KEEP + 1));
  await area.set({ [PREFIX + tabId]: page }).catch(() => undefined); // over quota: memory still has it
}

/** The page kept for a tab, or null when neither memory nor storage.session holds it. */
export async function keptCapture(tabId: number): Promise<CapturedPage | null> {
  const inMemory = memory.get(tabId);
  if (inMemory) return inMemory;
  const area = sessionArea();
  if (!area) return null;
  const stored = await area.get(PREFIX + tabId);
  return (stored[PREFIX + tabId] as CapturedPage | undefined) ?? null;
}

export async function dropCapture(tabId: number): Promise<void> {
  memory.delete(tabId);
  await sessionArea()?.remove(PREFIX + tabId);
}

/** The few fields the popup shows: no article HTML, Markdown or full text. */
export function previewOf(page: CapturedPage): CapturePreview {
  const article = page.article;
  const text = page.selection?.text ?? article?.text ?? '';
  return {
    url: page.url,
    title: article?.title || page.pageTitle || page.url,
    siteName: article?.siteName || siteKey(page.url) || '',
    excerpt: (page.selection?.text.slice(0, 400) ?? article?.excerpt ?? '').slice(0, 400),
    wordCount: wordCount(text),
    suggestedKind: page.selection ? 'selection' : article && article.text.trim() ? 'article' : 'link',
    hasSelection: page.selection !== null,
  };
}
