// The message map: a typed send() reaches the handler for its type through the background's
// listener, errors keep their code across the boundary, and unknown types are refused.
import { fakeBrowser } from 'wxt/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { CasebookError, dispatch, send, type Handlers } from '../../extension/lib/messages.ts';

const notUsed = async (): Promise<never> => { throw new Error('not used in this test'); };
function handlers(overrides: Partial<Handlers>): Handlers {
  const table = {} as Record<keyof Handlers, unknown>;
  for (const type of ['session.get', 'session.signIn', 'session.signOut', 'session.chooseLibrary', 'capture.preview', 'clip.save', 'cases.list', 'tags.list',
    'sync.now', 'sync.status', 'conflicts.list', 'conflicts.resolve', 'scan.load', 'scan.save', 'site.holdings'] as const) table[type] = overrides[type] ?? notUsed;
  return table as Handlers;
}

beforeEach(() => fakeBrowser.reset());

describe('message map', () => {
  it('routes a typed message to its handler and returns its answer', async () => {
    const table = handlers({ 'tags.list': async () => ({ tags: ['cocoa', 'ghana'] }) });
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => dispatch(table, message, {}));
    await expect(send('tags.list', {})).resolves.toEqual({ tags: ['cocoa', 'ghana'] });
  });

  it('carries an error code across the boundary', async () => {
    const table = handlers({ 'capture.preview': async () => { throw new CasebookError('no-access', 'Casebook cannot read this page.'); } });
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => dispatch(table, message, {}));
    await expect(send('capture.preview', { tabId: 1 })).rejects.toMatchObject({ code: 'no-access', message: 'Casebook cannot read this page.' });
  });

  it('refuses unknown and malformed messages without calling any handler', async () => {
    const table = handlers({});
    expect(await dispatch(table, { type: 'clip.delete-everything', payload: {} }, {})).toMatchObject({ ok: false, error: { code: 'unknown-message' } });
    expect(await dispatch(table, 'clip.save', {})).toMatchObject({ ok: false, error: { code: 'unknown-message' } });
    expect(await dispatch(table, { type: 'toString' }, {})).toMatchObject({ ok: false, error: { code: 'unknown-message' } });
  });

  it('turns a thrown plain error into an internal error envelope', async () => {
    const table = handlers({ 'sync.status': async () => { throw new Error('boom'); } });
    expect(await dispatch(table, { type: 'sync.status', payload: {} }, {})).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });
});
