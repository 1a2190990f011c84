// Background service worker: the only part of the extension that talks to the service. It owns
// the outbox and sync, answers the pages' messages, and wires the context menus, the keyboard
// shortcut, the sync alarm and the toolbar badge to their handlers (lib/background-events.ts).
import { browser, type Browser } from 'wxt/browser';
import { createBackgroundEvents, SYNC_ALARM } from '../lib/background-events.ts';
import { openDb } from '../lib/db.ts';
import { createHandlers } from '../lib/handlers.ts';
import { forgetHoldings, updateBadge } from '../lib/holdings.ts';
import { dispatch } from '../lib/messages.ts';
import { loadSession } from '../lib/settings.ts';
import { RETRY_ALARM, SyncEngine } from '../lib/sync.ts';
import type { SyncStatus } from '../lib/types.ts';

export default defineBackground(() => {
  const dbReady = openDb();
  let sync: SyncEngine | null = null;
  let lastPending = 0;

  /**
   * Fewer mutations waiting than before means some reached the service: what the library holds
   * for a site may have changed, so the cached holdings go and the badge asks again (issue 10).
   */
  async function onStatus(status: SyncStatus): Promise<void> {
    const pushed = status.pending < lastPending;
    lastPending = status.pending;
    await browser.storage.local.set({ syncStatus: status });
    // Not awaited: the look-up must not hold up the sync run that published this status.
    if (pushed) void dbReady.then(forgetHoldings).then(refreshBadges).catch(() => undefined);
  }

  async function engine(): Promise<SyncEngine> {
    sync ??= new SyncEngine({
      db: await dbReady,
      session: loadSession,
      publish: onStatus,
      // An alarm, not a timer: an idle event page (Firefox) or worker (Chrome) is stopped, and its
      // timers with it; an alarm wakes it. Same name: a later failure replaces the earlier wake-up.
      schedule: (delay) => void browser.alarms.create(RETRY_ALARM, { when: Date.now() + delay }),
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

  // Listeners are added synchronously: an MV3 worker woken by an event must find them at once.
  const events = createBackgroundEvents({ db: () => dbReady, engine, kick, refreshBadges });
  browser.runtime.onInstalled.addListener(({ reason }) => void events.installMenus(reason));
  browser.contextMenus.onClicked.addListener((info, tab) => void events.onMenuClicked(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void events.onCommand(command, tab));
  // Created once: create() restarts the period, and an event page woken more than once a minute
  // (every message wakes it) would otherwise never see the alarm fire.
  void browser.alarms.get(SYNC_ALARM).then((alarm) => { if (!alarm) void browser.alarms.create(SYNC_ALARM, { periodInMinutes: 1 }); });
  browser.alarms.onAlarm.addListener((alarm) => {
    // The retry's time has come (the page may have been asleep since the failure): push now.
    if (alarm.name === RETRY_ALARM) kick();
    else void events.onAlarm(alarm);
  });
  self.addEventListener('online', () => void events.onOnline());

  browser.tabs.onActivated.addListener(() => void refreshBadges());
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status === 'complete' && tab.active) void refreshBadges();
  });

  // A worker woken for any reason pushes what waits (e.g. clips saved before a browser restart).
  void engine().then(async (s) => { if ((await s.refreshStatus()).pending > 0) await s.pushChanges(); });
});
