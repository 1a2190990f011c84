// Background service worker: the only part of the extension that talks to the service. It owns
// the outbox and sync, answers the pages' messages, and runs the context menus, the keyboard
// shortcut and the toolbar badge.
import { browser, type Browser } from 'wxt/browser';
import { capturePage } from '../lib/capture.ts';
import { saveClip } from '../lib/clips.ts';
import { openDb } from '../lib/db.ts';
import { createHandlers } from '../lib/handlers.ts';
import { updateBadge } from '../lib/holdings.ts';
import { dispatch } from '../lib/messages.ts';
import { openScanPanel } from '../lib/platform.ts';
import { lastCaseIds, loadSession } from '../lib/settings.ts';
import { SyncEngine } from '../lib/sync.ts';
import type { CapturedPage } from '../lib/engines.ts';

const SYNC_ALARM = 'casebook-sync';
const PULL_EVERY_MS = 15 * 60_000;

export default defineBackground(() => {
  const dbReady = openDb();
  let sync: SyncEngine | null = null;
  let lastPull = 0;

  async function engine(): Promise<SyncEngine> {
    sync ??= new SyncEngine({
      db: await dbReady,
      session: loadSession,
      publish: (status) => browser.storage.local.set({ syncStatus: status }),
      // Short waits run on a timer; the alarm catches up if the worker slept through one.
      schedule: (delay, run) => { if (delay <= 60_000) setTimeout(run, delay); },
    });
    return sync;
  }

  function kick(): void {
    void engine().then((s) => s.pushChanges()).catch((error) => console.warn('Casebook: push failed', error));
  }

  async function refreshBadges(): Promise<void> {
    const db = await dbReady;
    const session = await loadSession();
    const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
    if (tab?.id !== undefined) await updateBadge(db, session, tab.id, tab.url).catch(() => undefined);
  }

  // Pages' messages: answered from the handler table once the database is open.
  const handlersReady = (async () => createHandlers({ db: await dbReady, sync: await engine(), kick, refreshBadges }))();
  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) =>
    handlersReady.then((handlers) => dispatch(handlers, message, { tabId: sender.tab?.id })));

  browser.runtime.onInstalled.addListener(async ({ reason }) => {
    await browser.contextMenus.removeAll();
    browser.contextMenus.create({ id: 'clip-selection', title: 'Clip selection to case', contexts: ['selection'] });
    browser.contextMenus.create({ id: 'clip-link', title: 'Clip link to case', contexts: ['link'] });
    browser.contextMenus.create({ id: 'clip-image', title: 'Clip image to case', contexts: ['image'] });
    browser.contextMenus.create({ id: 'scan-add', title: 'Add to company scan', contexts: ['page', 'selection', 'link'] });
    if (reason === 'install' && !(await loadSession())) await browser.runtime.openOptionsPage();
  });

  browser.alarms.create(SYNC_ALARM, { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== SYNC_ALARM) return;
    const s = await engine();
    if (s.isDue()) await s.pushChanges();
    if (Date.now() - lastPull > PULL_EVERY_MS) {
      lastPull = Date.now();
      await s.pullChanges().catch(() => undefined);
    }
  });
  // The network came back: push at once instead of waiting out the backoff.
  self.addEventListener('online', () => {
    void engine().then(async (s) => { await s.refreshStatus({ nextAttemptAt: null }); await s.pushChanges(); });
  });

  /** Saves without the popup (shortcut, menus) into the cases used last. */
  async function quickSave(page: CapturedPage, kind: 'article' | 'selection' | 'link' | 'image', tabId: number | undefined, extra: { targetUrl?: string; linkText?: string } = {}) {
    const session = await loadSession();
    if (!session) {
      await browser.runtime.openOptionsPage();
      return;
    }
    await saveClip(await dbReady, session, { page, kind, caseIds: await lastCaseIds(), tags: [], note: '', ...extra });
    await (await engine()).refreshStatus();
    kick();
    if (tabId !== undefined) await flashBadge(tabId);
  }

  async function flashBadge(tabId: number): Promise<void> {
    await browser.action.setBadgeBackgroundColor({ tabId, color: '#1d6b57' });
    await browser.action.setBadgeText({ tabId, text: '✓' });
    // The tick shows the save happened; then the badge goes back to what the library holds.
    setTimeout(() => void refreshBadges(), 2500);
  }

  browser.commands.onCommand.addListener(async (command, tab) => {
    if (command !== 'save-page') return;
    const target = tab ?? (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0];
    if (target?.id === undefined) return;
    const page = await capturePage(target.id);
    await quickSave(page, page.selection ? 'selection' : 'article', target.id);
  });

  browser.contextMenus.onClicked.addListener(async (info, tab) => {
    const tabId = tab?.id;
    if (info.menuItemId === 'scan-add') {
      // Opened inside the click's user gesture, as sidePanel.open requires.
      await openScanPanel(tabId, tab?.windowId);
      return;
    }
    if (tabId === undefined) return;
    const blank: CapturedPage = { url: info.pageUrl ?? tab?.url ?? '', pageTitle: tab?.title ?? '', article: null, selection: null, articleError: null };
    if (info.menuItemId === 'clip-selection') {
      const page = await capturePage(tabId);
      await quickSave(page, 'selection', tabId);
    } else if (info.menuItemId === 'clip-link' && info.linkUrl) {
      await quickSave(blank, 'link', tabId, { targetUrl: info.linkUrl, linkText: info.selectionText ?? info.linkUrl });
    } else if (info.menuItemId === 'clip-image' && info.srcUrl) {
      await quickSave(blank, 'image', tabId, { targetUrl: info.srcUrl });
    }
  });

  browser.tabs.onActivated.addListener(() => void refreshBadges());
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status === 'complete' && tab.active) void refreshBadges();
  });

  // A worker woken for any reason pushes what waits (e.g. clips saved before a browser restart).
  void engine().then(async (s) => { await s.refreshStatus(); if ((await s.refreshStatus()).pending > 0) await s.pushChanges(); });
});
