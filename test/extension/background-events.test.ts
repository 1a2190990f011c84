// The background's event handlers with the fake browser: a context-menu click or the keyboard
// shortcut leaves the right clip in the outbox and pushes it; "Add to company scan" keeps the
// selected text for the side panel; the alarm and the network's return retry the push.
import 'fake-indexeddb/auto';
import { fakeBrowser } from 'wxt/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Mutation, PushResponse } from '../../shared/protocol.ts';
import { Api } from '../../extension/lib/api.ts';
import { createBackgroundEvents, SYNC_ALARM, type EventDeps } from '../../extension/lib/background-events.ts';
import { closeDbForTests, objectKey, openDb, type Db } from '../../extension/lib/db.ts';
import type { CapturedPage } from '../../extension/lib/engines.ts';
import { pendingEvidence } from '../../extension/lib/evidence.ts';
import { pendingEntries } from '../../extension/lib/outbox.ts';
import { rememberCaseIds, saveSession, type Session } from '../../extension/lib/settings.ts';
import { SyncEngine } from '../../extension/lib/sync.ts';

const LIB = '11111111-1111-4111-8111-111111111111';
const CASE = '22222222-2222-4222-8222-222222222222';
const session: Session = {
  serverUrl: 'http://127.0.0.1:9', token: 't', tokenId: null, clientId: 'client-1', libraryId: LIB,
  user: { id: 'u', name: 'Ada', email: 'ada@example.org', organisation: 'NGO' }, libraries: [{ id: LIB, name: 'L', role: 'member' }],
};
const ARTICLE_URL = 'https://news.example.org/cocoa';
const page = (selection: CapturedPage['selection'] = null): CapturedPage => ({
  url: ARTICLE_URL, pageTitle: 'Cocoa trader pledges', articleError: null, selection,
  article: { title: 'Cocoa trader pledges living income', byline: 'J. Doe', siteName: 'Development Wire', lang: 'en', publishedAt: '2026-01-02T00:00:00Z',
    canonicalUrl: ARTICLE_URL, excerpt: 'A Dutch cocoa trader…', leadImage: '', html: '<p>Text</p>', markdown: 'Text', text: 'A Dutch cocoa trader promises a living income.' } as CapturedPage['article'],
});

let n = 0;
let db: Db;
let requests: Mutation[][];
let online: boolean;
let kicks: number;
let captured: number[];
let opened: (number | undefined)[];
let engine: SyncEngine;

function events(overrides: Partial<EventDeps> = {}) {
  return createBackgroundEvents({
    db: async () => db, engine: async () => engine, kick: () => { kicks++; }, refreshBadges: async () => undefined,
    capture: async (tabId) => { captured.push(tabId); return page(); },
    openPanel: async (tabId) => { opened.push(tabId); }, ...overrides,
  });
}

beforeEach(async () => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  db = await openDb(`events-test-${++n}`);
  requests = [];
  online = true;
  kicks = 0;
  captured = [];
  opened = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    if (!online) throw new TypeError('Failed to fetch');
    const { mutations } = JSON.parse(String(init?.body)) as { mutations: Mutation[] };
    requests.push(mutations);
    const body: PushResponse = { version: 5, results: mutations.map((m) => ({ mid: m.mid, id: m.id, status: 'applied', version: 5 })) };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  engine = new SyncEngine({ db, session: async () => session, api: () => new Api(session.serverUrl, 't', fetchImpl), publish: () => undefined, random: () => 0 });
  await saveSession(session);
  await rememberCaseIds([CASE]);
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await closeDbForTests();
});

const outboxClips = async () => (await pendingEntries(db)).filter((e) => e.mutation.type === 'clip').map((e) => e.mutation.fields!);

describe('context menus', () => {
  it('"Clip selection to case" captures the tab and saves a quote into the case used last', async () => {
    await db.put('objects', { key: objectKey(LIB, 'case', CASE), libraryId: LIB, type: 'case', id: CASE, version: 3, deleted: false, local: false, fields: { title: 'Cocoa Trading partnership' } });
    const quote = { text: 'We cannot call our chocolate sustainable', quoteUrl: `${ARTICLE_URL}#:~:text=We%20cannot` } as NonNullable<CapturedPage['selection']>;
    await events({ capture: async (tabId) => { captured.push(tabId); return page(quote); } })
      .onMenuClicked({ menuItemId: 'clip-selection', pageUrl: ARTICLE_URL, selectionText: quote.text }, { id: 4, url: ARTICLE_URL, title: 'Cocoa', windowId: 1 });
    expect(captured).toEqual([4]);
    const [fields] = await outboxClips();
    expect(fields).toMatchObject({ kind: 'selection', url: ARTICLE_URL, caseIds: [CASE], capturedBy: 'Ada', selection: { text: quote.text, quoteUrl: quote.quoteUrl } });
    expect(kicks).toBe(1);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 4 })).toBe('✓');
    // The tick is unseen when the button is not pinned: a notification names where the quote went (issue 10).
    const shown = Object.values(await fakeBrowser.notifications.getAll()) as { title: string; message: string }[];
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('Quote saved to Casebook');
    expect(shown[0]!.message).toContain('→ “Cocoa Trading partnership”');
  });

  it('"Clip link to case" saves the link target without reading the page', async () => {
    await events().onMenuClicked({ menuItemId: 'clip-link', pageUrl: ARTICLE_URL, linkUrl: 'https://trader.example.nl/report.pdf', selectionText: 'Annual report 2025' }, { id: 4, url: ARTICLE_URL, title: 'Cocoa', windowId: 1 });
    expect(captured).toEqual([]);
    expect(await outboxClips()).toMatchObject([{ kind: 'link', url: 'https://trader.example.nl/report.pdf', title: 'Annual report 2025', caseIds: [CASE], excerpt: 'Linked from Cocoa' }]);
  });

  it('"Clip image to case" saves the image source', async () => {
    await events().onMenuClicked({ menuItemId: 'clip-image', pageUrl: ARTICLE_URL, srcUrl: 'https://news.example.org/farm.jpg' }, { id: 4, url: ARTICLE_URL, title: 'Cocoa', windowId: 1 });
    expect(await outboxClips()).toMatchObject([{ kind: 'image', url: ARTICLE_URL, leadImage: 'https://news.example.org/farm.jpg' }]);
  });

  it('"Add to company scan" opens the panel and keeps the selection as evidence for the likely question', async () => {
    await events({ newId: () => 'ev-1', now: () => 1000 }).onMenuClicked(
      { menuItemId: 'scan-add', pageUrl: 'https://www.cocoatrader.nl/about', selectionText: '  Registered with the KvK\n under 12345678.  ' },
      { id: 9, url: 'https://www.cocoatrader.nl/about', title: 'About us', windowId: 1 });
    expect(opened).toEqual([9]);
    expect(await pendingEvidence()).toEqual([{ id: 'ev-1', site: 'cocoatrader.nl', url: 'https://www.cocoatrader.nl/about', pageTitle: 'About us',
      snippet: 'Registered with the KvK under 12345678.', suggested: 'registrations', at: 1000 }]);
    expect(await pendingEntries(db)).toEqual([]); // nothing is saved until the person attaches it
  });

  it('"Add to company scan" on a link keeps the link, proposed for the question it names', async () => {
    await events().onMenuClicked({ menuItemId: 'scan-add', pageUrl: 'https://www.cocoatrader.nl/', linkUrl: 'https://www.cocoatrader.nl/docs/code-of-conduct.pdf', selectionText: 'Code of conduct' },
      { id: 9, url: 'https://www.cocoatrader.nl/', title: 'Home', windowId: 1 });
    expect(await pendingEvidence()).toMatchObject([{ url: 'https://www.cocoatrader.nl/docs/code-of-conduct.pdf', snippet: 'Code of conduct', suggested: 'codeOfConduct' }]);
  });

  it('"Add to company scan" on a page without a selection only opens the panel', async () => {
    await events().onMenuClicked({ menuItemId: 'scan-add', pageUrl: 'https://www.cocoatrader.nl/' }, { id: 9, url: 'https://www.cocoatrader.nl/', windowId: 1 });
    expect(opened).toEqual([9]);
    expect(await pendingEvidence()).toEqual([]);
  });
});

describe('keyboard shortcut', () => {
  it('"save-page" saves the active tab as an article without the popup', async () => {
    const tab = await fakeBrowser.tabs.create({ url: ARTICLE_URL });
    // The fake's lastFocusedWindow is the window focused before the current one: answer as Chrome does.
    const query = vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([tab]);
    await events().onCommand('save-page', undefined);
    expect(query).toHaveBeenCalledWith({ active: true, lastFocusedWindow: true });
    expect(captured).toEqual([tab.id]);
    expect(await outboxClips()).toMatchObject([{ kind: 'article', url: ARTICLE_URL, title: 'Cocoa trader pledges living income', caseIds: [CASE], text: 'A Dutch cocoa trader promises a living income.' }]);
    expect(kicks).toBe(1);
    expect(await fakeBrowser.action.getBadgeText({ tabId: tab.id! })).toBe('✓');
  });

  it('saves a selection when text is selected, and ignores other commands', async () => {
    const quote = { text: 'A living income', quoteUrl: `${ARTICLE_URL}#:~:text=A%20living` } as NonNullable<CapturedPage['selection']>;
    const handlers = events({ capture: async () => page(quote) });
    await handlers.onCommand('something-else', { id: 3, windowId: 1 });
    expect(await outboxClips()).toEqual([]);
    await handlers.onCommand('save-page', { id: 3, windowId: 1 });
    expect(await outboxClips()).toMatchObject([{ kind: 'selection' }]);
  });
});

describe('sync alarm and the network coming back', () => {
  it('the alarm pushes what waits, then pulls at most every 15 minutes', async () => {
    let now = 1_000_000;
    const pull = vi.spyOn(engine, 'pullChanges').mockResolvedValue();
    const handlers = events({ now: () => now });
    await handlers.onMenuClicked({ menuItemId: 'clip-link', pageUrl: ARTICLE_URL, linkUrl: 'https://example.org/x' }, { id: 4, url: ARTICLE_URL, windowId: 1 });
    expect(requests).toEqual([]); // kick() is a stub here: only the alarm pushes
    await handlers.onAlarm({ name: 'something-else' });
    expect(requests).toEqual([]);
    await handlers.onAlarm({ name: SYNC_ALARM });
    expect(requests.map((batch) => batch.map((m) => m.type))).toEqual([['clip']]);
    expect(await pendingEntries(db)).toEqual([]);
    expect(pull).toHaveBeenCalledTimes(1);
    now += 60_000;
    await handlers.onAlarm({ name: SYNC_ALARM });
    expect(pull).toHaveBeenCalledTimes(1);
    now += 15 * 60_000;
    await handlers.onAlarm({ name: SYNC_ALARM });
    expect(pull).toHaveBeenCalledTimes(2);
  });

  it('the alarm respects a backoff, and the network coming back pushes at once', async () => {
    vi.spyOn(engine, 'pullChanges').mockResolvedValue();
    const handlers = events();
    online = false;
    await handlers.onMenuClicked({ menuItemId: 'clip-link', pageUrl: ARTICLE_URL, linkUrl: 'https://example.org/x' }, { id: 4, url: ARTICLE_URL, windowId: 1 });
    await handlers.onAlarm({ name: SYNC_ALARM });
    expect(engine.currentStatus()).toMatchObject({ state: 'offline', pending: 1 });
    online = true;
    await handlers.onAlarm({ name: SYNC_ALARM }); // still inside the backoff: no attempt
    expect(requests).toEqual([]);
    await handlers.onOnline();
    expect(requests).toHaveLength(1);
    expect(engine.currentStatus()).toMatchObject({ state: 'idle', pending: 0 });
  });
});
