// The background's answers to browser events: context menus, the keyboard shortcut, the sync
// alarm and the network coming back. Plain functions over their dependencies, so that unit tests
// drive them with the fake browser (which has no contextMenus, commands or scripting).
import { browser, type Browser } from 'wxt/browser';
import { capturePage } from './capture.ts';
import { saveClip } from './clips.ts';
import { describeSaved } from './saved.ts';
import type { Db } from './db.ts';
import type { CapturedPage } from './engines.ts';
import { addPendingEvidence, cleanSnippet, suggestQuestion } from './evidence.ts';
import { siteKey } from '../../shared/site.ts';
import { openScanPanel } from './platform.ts';
import { isPdfPage, queuePdfUpload, uploadPending, withPdfSelection } from './pdf.ts';
import { lastCaseIds, loadSession } from './settings.ts';
import type { SyncEngine } from './sync.ts';
import type { ClipKind } from './types.ts';

export const SYNC_ALARM = 'casebook-sync';
export const PULL_EVERY_MS = 15 * 60_000;
/** How long the ✓ of a save without the popup stays on the toolbar button. */
const FLASH_MS = 2500;

type MenuContexts = NonNullable<Browser.contextMenus.CreateProperties['contexts']>;

export const MENUS: readonly { id: string; title: string; contexts: MenuContexts }[] = [
  { id: 'clip-selection', title: 'Clip selection to case', contexts: ['selection'] },
  { id: 'clip-link', title: 'Clip link to case', contexts: ['link'] },
  { id: 'clip-image', title: 'Clip image to case', contexts: ['image'] },
  { id: 'scan-add', title: 'Add to company scan', contexts: ['page', 'selection', 'link'] },
];

export interface EventDeps {
  /** A promise, so that handlers exist as soon as the worker starts (before the database opens). */
  db: () => Promise<Db>;
  engine: () => Promise<SyncEngine>;
  /** Starts a push without waiting for it. */
  kick: () => void;
  refreshBadges: () => Promise<void>;
  capture?: (tabId: number) => Promise<CapturedPage>;
  openPanel?: (tabId: number | undefined, windowId?: number) => Promise<void>;
  now?: () => number;
  newId?: () => string;
}

export type MenuClick = Pick<Browser.contextMenus.OnClickData, 'menuItemId' | 'pageUrl' | 'linkUrl' | 'srcUrl' | 'selectionText'>;
export type EventTab = Pick<Browser.tabs.Tab, 'id' | 'url' | 'title' | 'windowId'>;

export function createBackgroundEvents(deps: EventDeps) {
  const capture = deps.capture ?? capturePage;
  const openPanel = deps.openPanel ?? openScanPanel;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  let lastPull = 0;

  async function notify(title: string, message: string): Promise<void> {
    // Absent in the unit tests' fake browser; a browser that refuses must not undo the save.
    await browser.notifications?.create({ type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message: message.slice(0, 300) })
      .catch((error: unknown) => console.warn('Casebook: notification failed', error));
  }

  async function flashBadge(tabId: number): Promise<void> {
    await browser.action.setBadgeBackgroundColor({ tabId, color: '#1d6b57' });
    await browser.action.setBadgeText({ tabId, text: '✓' });
    // The tick shows the save happened; then the badge goes back to what the library holds.
    setTimeout(() => void deps.refreshBadges(), FLASH_MS);
  }

  /** Saves without the popup (shortcut, menus) into the cases used last. */
  async function quickSave(page: CapturedPage, kind: ClipKind, tabId: number | undefined, extra: { targetUrl?: string; linkText?: string } = {}): Promise<void> {
    const session = await loadSession();
    if (!session) {
      await browser.runtime.openOptionsPage();
      return;
    }
    const result = await saveClip(await deps.db(), session, { page, kind, caseIds: await lastCaseIds(), tags: [], note: '', ...extra }, newId);
    await (await deps.engine()).refreshStatus();
    deps.kick();
    if (isPdfPage(page) && kind !== 'selection' && session.libraryId) {
      await queuePdfUpload(session.libraryId, result.clipId, page);
      const sync = await deps.engine();
      void sync.pushChanges().then(() => uploadPending(session)).catch(() => undefined);
    }
    if (tabId !== undefined) await flashBadge(tabId);
    // The badge's tick is invisible when the button is not pinned: a notification says where it went.
    const what = kind === 'selection' ? 'Quote' : kind === 'link' ? 'Link' : kind === 'image' ? 'Image' : 'Page';
    await notify(`${what} saved to Casebook`, `${extra.linkText || page.article?.title || page.pageTitle || page.url}\n→ ${describeSaved(result)}`);
  }

  /** "Add to company scan": the panel opens at once; selected text or a link waits there as evidence. */
  async function addToScan(info: MenuClick, tab: EventTab | undefined): Promise<void> {
    // Opened before anything is awaited: sidePanel.open and sidebarAction.open need the click's user gesture.
    const opened = openPanel(tab?.id, tab?.windowId);
    const pageUrl = info.pageUrl ?? tab?.url ?? '';
    const site = siteKey(pageUrl);
    const snippet = cleanSnippet(info.selectionText ?? '');
    const url = info.linkUrl && /^https?:\/\//i.test(info.linkUrl) ? info.linkUrl : pageUrl;
    if (site && (snippet || info.linkUrl)) {
      const text = snippet || url;
      await addPendingEvidence({
        id: newId(), site, url, pageTitle: tab?.title ?? '', snippet: text,
        suggested: suggestQuestion(info.linkUrl ? `${text} ${url}` : text), at: now(),
      });
    }
    await opened;
  }

  return {
    async installMenus(reason: string): Promise<void> {
      await browser.contextMenus.removeAll();
      for (const menu of MENUS) browser.contextMenus.create({ ...menu });
      if (reason === 'install' && !(await loadSession())) await browser.runtime.openOptionsPage();
    },

    async onMenuClicked(info: MenuClick, tab: EventTab | undefined): Promise<void> {
      if (info.menuItemId === 'scan-add') return addToScan(info, tab);
      const tabId = tab?.id;
      if (tabId === undefined) return;
      const blank: CapturedPage = { url: info.pageUrl ?? tab?.url ?? '', pageTitle: tab?.title ?? '', article: null, selection: null, articleError: null };
      if (info.menuItemId === 'clip-selection') {
        const page = await capture(tabId);
        // Chrome's PDF viewer gives the selection only to the menu: the quote keeps its page (#page=N).
        await quickSave(isPdfPage(page) && !page.selection ? withPdfSelection(page, info.selectionText ?? '') : page, 'selection', tabId);
      } else if (info.menuItemId === 'clip-link' && info.linkUrl) {
        await quickSave(blank, 'link', tabId, { targetUrl: info.linkUrl, linkText: info.selectionText ?? info.linkUrl });
      } else if (info.menuItemId === 'clip-image' && info.srcUrl) {
        await quickSave(blank, 'image', tabId, { targetUrl: info.srcUrl });
      }
    },

    /** The "save-page" shortcut: the active tab, as a selection when text is selected, else the article. */
    async onCommand(command: string, tab: EventTab | undefined): Promise<void> {
      if (command !== 'save-page') return;
      const target = tab ?? (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0];
      if (target?.id === undefined) return;
      const page = await capture(target.id);
      await quickSave(page, page.selection ? 'selection' : 'article', target.id);
    },

    /** The alarm is the safety net for a worker that slept through its retry timer. */
    async onAlarm(alarm: { name: string }): Promise<void> {
      if (alarm.name !== SYNC_ALARM) return;
      const sync = await deps.engine();
      if (sync.isDue()) await sync.pushChanges();
      if (now() - lastPull > PULL_EVERY_MS) {
        lastPull = now();
        await sync.pullChanges().catch(() => undefined);
      }
    },

    /** The network came back: push at once instead of waiting out the backoff. */
    async onOnline(): Promise<void> {
      const sync = await deps.engine();
      await sync.refreshStatus({ nextAttemptAt: null });
      await sync.pushChanges();
    },
  };
}

export type BackgroundEvents = ReturnType<typeof createBackgroundEvents>;
