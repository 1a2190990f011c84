// @vitest-environment happy-dom
// The side panel with a fake background (issue 10): a site it may not read offers one control that
// asks for that origin and re-reads by itself once access exists; "Answer by hand" puts the cursor
// in its box; Done keeps the answer, also across a re-read of the page.
import { render } from 'preact';
import { fakeBrowser } from 'wxt/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Handlers } from '../../extension/lib/messages.ts';
import type { ScanView, SyncStatus } from '../../extension/lib/types.ts';
import { SidePanel } from '../../extension/entrypoints/sidepanel/SidePanel.tsx';

const status: SyncStatus = {
  state: 'idle', pending: 0, runTotal: 0, runDone: 0, pendingIds: [], lastSyncedAt: null, nextAttemptAt: null,
  message: '', conflicts: 0, conflictIds: [], rejected: [],
};
const view = (patch: Partial<ScanView>): ScanView => ({
  site: 'localhost', url: 'http://localhost:5173/', pageTitle: 'Cocoa', companyName: '', proposedName: '', companyId: null, scanId: null,
  proposals: {}, answers: {}, captureError: null, accessPattern: null, ...patch,
});

let loads: number;
let next: () => ScanView;
let requested: string[][];
let grant: boolean;
let onAdded: (() => void)[];
let kept: Record<string, unknown>[];
let handlers: Partial<Handlers>;
const notUsed = async (): Promise<never> => { throw new Error('not used'); };

async function until(check: () => boolean, what = check.toString()) {
  await vi.waitFor(() => { if (!check()) throw new Error(`still not: ${what}`); }, { timeout: 2000, interval: 10 });
}
const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector);
function click(label: string, within: ParentNode = document) {
  const button = [...within.querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(label));
  if (!button) throw new Error(`no button ${label}`);
  button.click();
}

beforeEach(() => {
  fakeBrowser.reset();
  loads = 0;
  requested = [];
  grant = true;
  onAdded = [];
  kept = [];
  next = () => view({});
  // The fake browser has no permissions API: a small stand-in that records what is asked.
  Object.assign(fakeBrowser, { permissions: {
    request: async ({ origins }: { origins: string[] }) => { requested.push(origins); if (grant) for (const listener of onAdded) listener(); return grant; },
    onAdded: { addListener: (l: () => void) => onAdded.push(l), removeListener: (l: () => void) => { onAdded = onAdded.filter((x) => x !== l); } },
  } });
  const table: Partial<Handlers> = handlers = {
    'scan.load': async () => { loads++; return next(); },
    'sync.status': async () => status,
    'scan.keepAnswers': async (request) => { kept.push(request); return { ok: true as const }; },
    'site.holdings': notUsed,
  };
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => dispatch({ ...handlers } as Handlers, message, {}));
  document.body.innerHTML = '<div id="app"></div>';
});
afterEach(() => render(null, document.getElementById('app')!));

describe('side panel', () => {
  it('asks for access to the site in the tab with one control, then reads the page by itself', async () => {
    next = () => view({ captureError: 'Casebook may not read this page yet.', accessPattern: 'http://localhost:5173/*' });
    render(<SidePanel pinnedTabId={9} />, document.getElementById('app')!);
    await until(() => $('[data-testid=allow-site]') !== null);
    expect($('[data-testid=access-needed]')!.textContent).toContain('localhost:5173');
    next = () => view({ proposals: { name: [] }, answers: { name: { value: 'Cocoa Trading', method: 'auto', evidence: [{ url: 'http://localhost:5173/', snippet: '<title>Cocoa Trading</title>' }], state: 'proposed' } } });
    $('[data-testid=allow-site]')!.click();
    await until(() => $('[data-question=name][data-state=proposed]') !== null);
    expect(requested).toEqual([['http://localhost:5173/*']]);
    expect(loads).toBe(2);
    expect($('[data-testid=access-needed]')).toBeNull();
    expect($('[data-question=name] .evidence')!.textContent).toContain('“page title: Cocoa Trading”');
  });

  it('reads the page by itself when the toolbar button on that tab gave access', async () => {
    next = () => view({ captureError: 'no', accessPattern: 'http://localhost:5173/*' });
    render(<SidePanel pinnedTabId={9} />, document.getElementById('app')!);
    await until(() => $('[data-testid=allow-site]') !== null);
    next = () => view({ answers: { name: { value: 'Cocoa Trading', method: 'auto', evidence: [], state: 'proposed' } } });
    await fakeBrowser.runtime.sendMessage({ notice: 'tab-readable', tabId: 8 }).catch(() => undefined); // another tab
    await new Promise((r) => setTimeout(r, 30));
    expect(loads).toBe(1);
    await fakeBrowser.runtime.sendMessage({ notice: 'tab-readable', tabId: 9 }).catch(() => undefined);
    await until(() => $('[data-question=name][data-state=proposed]') !== null);
    expect(loads).toBe(2);
    expect(requested).toEqual([]);
  });

  it('says so when the person declines, and keeps the control', async () => {
    grant = false;
    next = () => view({ captureError: 'no', accessPattern: 'http://localhost:5173/*' });
    render(<SidePanel pinnedTabId={9} />, document.getElementById('app')!);
    await until(() => $('[data-testid=allow-site]') !== null);
    $('[data-testid=allow-site]')!.click();
    await until(() => $('[data-testid=scan-message]')?.textContent?.includes('Not allowed') ?? false);
    expect($('[data-testid=allow-site]')).not.toBeNull();
  });

  it('"Answer by hand" focuses its box, Done keeps the answer, and a re-read does not drop it', async () => {
    render(<SidePanel pinnedTabId={9} />, document.getElementById('app')!);
    await until(() => $('[data-question=website]') !== null);
    click('Answer by hand', $('[data-question=website]')!);
    await until(() => $('[data-question=website] textarea') !== null);
    const box = $<HTMLTextAreaElement>('[data-question=website] textarea')!;
    await until(() => document.activeElement === box);
    box.value = 'https://cocoatrading.example';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    // Done in the same turn as the last keystroke (a fast typist, autofill): the answer is what the box holds.
    click('Done', $('[data-question=website]')!);
    await until(() => $('[data-question=website][data-state=manual]') !== null);
    expect($('[data-question=website] .value')!.textContent).toBe('https://cocoatrading.example');
    // Kept in the site's draft at once: a tab switch or a closed panel does not lose it.
    await until(() => kept.length === 1);
    expect(kept[0]).toMatchObject({ site: 'localhost', answers: { website: { value: 'https://cocoatrading.example', state: 'manual' } } });
    click('Read page again');
    await until(() => loads === 2);
    await new Promise((r) => setTimeout(r, 20));
    expect($('[data-question=website][data-state=manual] .value')?.textContent).toBe('https://cocoatrading.example');
  });

  it('the library tab leads with the member\'s unread inbox count, linked to the web inbox, and shows none at 0', async () => {
    handlers['site.holdings'] = async () => ({ site: 'localhost', clipCount: 1, scanCount: 0, companies: [], recentClips: [], fetchedAt: 0, error: null, libraryUrl: 'https://cb.example/l/l/' });
    handlers['inbox.unread'] = async () => ({ unread: 120, inboxUrl: 'https://cb.example/l/l/inbox' });
    render(<SidePanel pinnedTabId={9} />, document.getElementById('app')!);
    await until(() => $('[data-question=website]') !== null);
    expect($('[data-testid=unread-inbox]')).toBeNull(); // the scan tab stays about the scan
    click('In the library');
    await until(() => $('[data-testid=holdings] [data-testid=unread-inbox]') !== null);
    const link = $<HTMLAnchorElement>('[data-testid=unread-inbox]')!;
    expect(link.textContent).toBe('99+ unread for you');
    expect(link.href).toBe('https://cb.example/l/l/inbox');
    expect($('[data-testid=holdings-counts]')!.textContent).toContain('1 clip');

    handlers['inbox.unread'] = async () => ({ unread: 0, inboxUrl: 'https://cb.example/l/l/inbox' });
    click('Scan');
    await until(() => $('[data-testid=holdings]') === null);
    click('In the library');
    await until(() => $('[data-testid=holdings-counts]') !== null);
    await new Promise((r) => setTimeout(r, 20));
    expect($('[data-testid=unread-inbox]')).toBeNull();
  });
});
