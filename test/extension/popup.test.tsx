// @vitest-environment happy-dom
// The popup with a fake background: it previews the page, saves with the chosen case, tags and
// note, and turns "saved locally" into "synced" when the background's status says so.
import { render } from 'preact';
import { fakeBrowser } from 'wxt/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Handlers, type Request } from '../../extension/lib/messages.ts';
import type { CapturePreview, SyncStatus } from '../../extension/lib/types.ts';
import type { UnreadInbox } from '../../extension/lib/inbox.ts';
import { Popup } from '../../extension/entrypoints/popup/Popup.tsx';

const CASE = '22222222-2222-4222-8222-222222222222';
const preview: CapturePreview = {
  url: 'https://news.example.org/cocoa', title: 'Cocoa trader pledges living income', siteName: 'Development Wire',
  excerpt: 'A Dutch cocoa trader promises…', wordCount: 212, suggestedKind: 'article', hasSelection: false,
};
const status = (patch: Partial<SyncStatus>): SyncStatus => ({
  state: 'idle', pending: 0, runTotal: 0, runDone: 0, pendingIds: [], lastSyncedAt: null, nextAttemptAt: null,
  message: '', conflicts: 0, conflictIds: [], rejected: [], ...patch,
});

let saved: Request<'clip.save'>[] = [];
/** What the background answers for the unread inbox; a never-settling promise stands for a slow service. */
let unread: () => Promise<UnreadInbox>;
const notUsed = async (): Promise<never> => { throw new Error('not used'); };
const table = {
  'session.get': async () => ({ signedIn: true, serverUrl: 'https://cb.example', user: { id: 'u', name: 'Ada', email: 'ada@ngo.example', organisation: 'NGO' },
    libraries: [{ id: 'l', name: 'Cocoa community', role: 'member' }], libraryId: 'l' }),
  'cases.list': async () => ({ cases: [{ id: CASE, title: 'Cocoa Trading partnership', status: 'open', version: 3, local: false }], lastCaseIds: [CASE] }),
  'tags.list': async () => ({ tags: ['cocoa', 'child labour'] }),
  'capture.preview': async () => preview,
  'clip.save': async (request: Request<'clip.save'>) => {
    saved.push(request);
    await fakeBrowser.storage.local.set({ syncStatus: status({ state: 'syncing', pending: 1, pendingIds: ['clip-1'] }) });
    return { clipId: 'clip-1', caseIds: request.caseIds, caseTitles: ['Cocoa Trading partnership'], tags: request.tags, libraryUrl: 'https://cb.example/l/l/clips/clip-1' };
  },
  'sync.status': async () => status({}),
  'inbox.unread': () => unread(),
} as Partial<Handlers>;

const tick = () => new Promise((r) => setTimeout(r, 0));
async function until(check: () => boolean) {
  await vi.waitFor(() => { if (!check()) throw new Error('not yet'); }, { timeout: 2000, interval: 10 });
}

beforeEach(() => {
  fakeBrowser.reset();
  saved = [];
  unread = async () => ({ unread: 0, inboxUrl: 'https://cb.example/l/l/inbox' });
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => dispatch({ ...Object.fromEntries(Object.keys(table).map((k) => [k, notUsed])), ...table } as Handlers, message, {}));
  document.body.innerHTML = '<div id="app"></div>';
});
afterEach(() => render(null, document.getElementById('app')!));

describe('popup', () => {
  it('previews the page and saves it into the case used last, with tags and note', async () => {
    const root = document.getElementById('app')!;
    render(<Popup tabIdParam={7} />, root);
    await until(() => root.textContent!.includes('Cocoa trader pledges living income'));
    expect(root.textContent).toContain('212 words');
    await until(() => root.querySelector<HTMLInputElement>('.case-item input')?.checked === true);

    const tagInput = root.querySelector<HTMLInputElement>('#tag-input')!;
    tagInput.value = 'cocoa,';
    tagInput.dispatchEvent(new Event('input', { bubbles: true }));
    const note = root.querySelector<HTMLTextAreaElement>('#note')!;
    note.value = 'Check in the scan';
    note.dispatchEvent(new Event('input', { bubbles: true }));
    await tick();
    root.querySelector<HTMLButtonElement>('[data-testid=save]')!.click();

    await until(() => saved.length === 1);
    // Only the tab and the person's choices travel: the page stays in the background (issue 10).
    expect(saved[0]).toEqual({ tabId: 7, kind: 'article', caseIds: [CASE], tags: ['cocoa'], note: 'Check in the scan' });
    await until(() => root.querySelector('[data-testid=clip-status]')?.textContent?.includes('Saved locally') ?? false);
    expect(root.querySelector('[data-testid=saved-where]')!.textContent).toContain('“Cocoa Trading partnership” · tags: cocoa');
    expect(root.querySelector('[data-testid=open-in-library]')).toBeNull();
    await fakeBrowser.storage.local.set({ syncStatus: status({ lastSyncedAt: Date.now() }) });
    await until(() => root.querySelector('[data-testid=clip-status]')?.textContent?.includes('Synced') ?? false);
    expect(root.querySelector<HTMLAnchorElement>('[data-testid=open-in-library]')!.href).toBe('https://cb.example/l/l/clips/clip-1');
  });

  it('saves with Enter and offers a new case for a name that matches none', async () => {
    const root = document.getElementById('app')!;
    render(<Popup tabIdParam={7} />, root);
    await until(() => root.querySelector('[data-testid=preview]') !== null);
    const search = root.querySelector<HTMLInputElement>('#case-search')!;
    search.value = 'Fair Wear pilot';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await until(() => root.querySelector('[data-testid=create-case]') !== null);
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await until(() => saved.length === 1);
    expect(saved[0]).toMatchObject({ newCaseTitle: 'Fair Wear pilot' });
  });

  it('links the unread count to the web inbox in the header, and shows no number at 0 or when the background has none', async () => {
    const root = document.getElementById('app')!;
    unread = async () => ({ unread: 3, inboxUrl: 'https://cb.example/l/l/inbox' });
    render(<Popup tabIdParam={7} />, root);
    await until(() => root.querySelector('[data-testid=unread-inbox]') !== null);
    const link = root.querySelector<HTMLAnchorElement>('.app-header [data-testid=unread-inbox]')!;
    expect(link.textContent).toBe('3 unread');
    expect(link.href).toBe('https://cb.example/l/l/inbox');
    expect(link.target).toBe('_blank');
    render(null, root);

    for (const answer of [
      async () => ({ unread: 0, inboxUrl: 'https://cb.example/l/l/inbox' }),
      async () => ({ unread: null, inboxUrl: null }), // offline, signed out, refused
      async (): Promise<never> => { throw new Error('The extension background did not answer.'); },
      async () => ({ unread: 2, inboxUrl: 'javascript:alert(1)' }), // never a link that is not http(s)
    ]) {
      unread = answer;
      render(<Popup tabIdParam={7} />, root);
      await until(() => root.querySelector('[data-testid=preview]') !== null);
      await tick();
      expect(root.querySelector('[data-testid=unread-inbox]')).toBeNull();
      // An error in the count is not shown as an error.
      expect(root.querySelector('.banner.bad')).toBeNull();
      expect(root.textContent).not.toContain('did not answer');
      render(null, root);
    }
  });

  it('previews and saves while the unread count never comes (a slow service does not hold the popup)', async () => {
    const root = document.getElementById('app')!;
    unread = () => new Promise<never>(() => undefined);
    render(<Popup tabIdParam={7} />, root);
    await until(() => root.querySelector('[data-testid=preview]') !== null);
    await until(() => root.querySelector<HTMLInputElement>('.case-item input')?.checked === true);
    root.querySelector<HTMLButtonElement>('[data-testid=save]')!.click();
    await until(() => saved.length === 1);
    await until(() => root.querySelector('[data-testid=saved]') !== null);
    expect(root.querySelector('[data-testid=unread-inbox]')).toBeNull();
  });
});
