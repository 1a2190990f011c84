// `casebook migrate-store` moves a library from a SQLite file to another store without losing
// anything: the target answers pull, search, tokens, resent mutations and stale edits exactly as
// the source did. The target is Postgres in the Postgres run (npm run test:pg), else SQLite.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../service/app.ts';
import { openStore, type Store } from '../../service/db/connect.ts';
import { createLibrary, createToken, createUser, setMembership } from '../../service/repos/accounts.ts';
import type { Role } from '../../shared/model.ts';
import { runCli, tempDir } from '../helpers/processes.ts';
import { freshStoreTarget } from '../helpers/store.ts';
import { clipFields, newId } from '../helpers/world.ts';

interface Person {
  id: string;
  token: string;
}

function api(store: Store) {
  const app = createApp({ store: store, config: {} });
  // Replies are compared whole between the stores, so their shape does not matter here.
  return async (who: Person, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${who.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: await response.json() };
  };
}

/** A SQLite library with every kind of row: edits, tombstones, conflicts' field versions, outcomes. */
async function sourceLibrary(file: string) {
  const store = await openStore(file);
  const libA = await createLibrary(store.db, 'Cocoa community');
  const libB = await createLibrary(store.db, 'Dairy community');
  async function person(name: string, role: Role, library: string): Promise<Person> {
    const user = await createUser(store.db, { email: `${name}@example.org`, name, organisation: `Org ${name}`, password: 'correct horse battery' });
    await setMembership(store.db, library, user.id, role);
    const { token } = await createToken(store.db, user.id, 'laptop');
    return { id: user.id, token };
  }
  const ada = await person('ada', 'admin', libA.id);
  const mo = await person('mo', 'member', libA.id);
  await setMembership(store.db, libB.id, mo.id, 'reader');
  const otto = await person('otto', 'member', libB.id);
  const call = api(store);
  const ids = { case: newId(), clip: newId(), gone: newId(), company: newId(), scan: newId(), answer: newId(), dairy: newId(), question: newId(), reply: newId(), comment: newId() };
  const pushA = (who: Person, clientId: string, mutations: unknown[]) =>
    call(who, 'POST', `/api/v1/libraries/${libA.id}/sync/push`, { clientId, mutations });
  await pushA(ada, 'ada-laptop', [
    { mid: 1, type: 'case', id: ids.case, op: 'put', fields: { title: 'Cocoa partnership', description: 'First draft', members: [ada.id, mo.id] } },
    { mid: 2, type: 'company', id: ids.company, op: 'put', fields: { name: 'Choco BV', domains: ['choco.example'] } },
    { mid: 3, type: 'scan', id: ids.scan, op: 'put', fields: { companyId: ids.company, caseId: ids.case, templateId: 'scan-v1' } },
    { mid: 4, type: 'answer', id: ids.answer, op: 'put', fields: { scanId: ids.scan, field: 'legalName', value: 'Choco B.V.', method: 'auto', evidence: [{ url: 'https://choco.example/about', snippet: 'Choco B.V.' }] } },
    { mid: 5, type: 'clip', id: ids.clip, op: 'put', fields: clipFields({ caseIds: [ids.case], companyId: ids.company, tags: ['cocoa', 'lesson'], note: 'Ask about premiums' }) },
    { mid: 6, type: 'clip', id: ids.gone, op: 'put', fields: clipFields({ title: 'Duplicate', text: 'A duplicate about cocoa' }) },
  ]);
  await pushA(mo, 'mo-phone', [
    { mid: 1, type: 'case', id: ids.case, op: 'put', baseVersion: 1, fields: { description: 'Second draft by Mo', lessons: 'Premiums matter' } },
    { mid: 2, type: 'clip', id: ids.gone, op: 'delete' },
    { mid: 3, type: 'clip', id: newId(), op: 'put', fields: { url: 'not a url', kind: 'nonsense' } },
  ]);
  // The discussion (questions, replies, comments) and a member's activity settings move too.
  await pushA(mo, 'mo-laptop', [
    { mid: 1, type: 'question', id: ids.question, op: 'put', fields: { caseId: ids.case, title: 'Who pays the premium?', body: 'Asked at the plenary.', addressedTo: [ada.id] } },
    { mid: 2, type: 'comment', id: ids.comment, op: 'put', fields: { targetType: 'clip', targetId: ids.clip, body: 'Worth a lesson', mentions: [ada.id] } },
  ]);
  await pushA(ada, 'ada-laptop', [{ mid: 8, type: 'reply', id: ids.reply, op: 'put', fields: { questionId: ids.question, body: 'The buyer, per kilo.' } }]);
  await call(ada, 'PUT', `/api/v1/me/inbox/settings?library=${libA.id}`, { inboxKinds: ['mention', 'reply'] });
  await call(otto, 'POST', `/api/v1/libraries/${libB.id}/sync/push`, {
    clientId: 'otto',
    mutations: [{ mid: 1, type: 'clip', id: ids.dairy, op: 'put', fields: clipFields({ title: 'Zuivel in Kenia', text: 'Het zuivelbedrijf werkt met coöperaties.' }) }],
  });
  await store.close();
  return { libA, libB, ada, mo, otto, ids };
}

describe('casebook migrate-store', () => {
  it('moves a library losslessly: same pull, search, tokens, outcomes and conflicts', async () => {
    const file = join(tempDir(), 'source.db');
    const { libA, libB, ada, mo, otto, ids } = await sourceLibrary(file);
    const target = await freshStoreTarget('target.db');

    const moved = runCli(['migrate-store', '--from', file, '--to', target, '--library', libA.id]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(/migrate-store: clips 2\/2/);
    expect(moved.stdout).toMatch(/clips 2, cases 1, companies 1, scans 1, answers 1, .*search rows 1/);

    const source = await openStore(file);
    const copy = await openStore(target);
    try {
      const [before, after] = [api(source), api(copy)];
      const same = async (who: Person, path: string) => {
        const [a, b] = [await before(who, 'GET', path), await after(who, 'GET', path)];
        expect(b, path).toEqual(a);
        return a;
      };
      const lib = `/api/v1/libraries/${libA.id}`;
      const pulled = await same(ada, `${lib}/sync/pull?since=0&limit=1000`);
      expect((pulled.body as { changes: unknown[] }).changes).toHaveLength(9); // tombstone included
      expect((await same(ada, `/api/v1/me/inbox/settings?library=${libA.id}`)).body).toMatchObject({ inboxKinds: ['mention', 'reply'] });
      await same(ada, `/api/v1/me/inbox?library=${libA.id}`);
      expect((await after(mo, 'GET', '/api/v1/me')).status).toBe(200); // token hash moved
      for (const q of ['cocoa', 'premiums', '"record as harvests"', 'harv*']) await same(ada, `${lib}/clips?q=${encodeURIComponent(q)}`);
      await same(ada, `${lib}/clips?case=${ids.case}`);
      await same(ada, `${lib}/clips?tag=lesson`);
      await same(ada, `${lib}/cases/${ids.case}`);
      await same(ada, `${lib}/scans/${ids.scan}`);
      await same(ada, `${lib}/companies?domain=www.choco.example`);

      // A resent mutation answers its first outcome on the new store and changes nothing.
      const resend = { clientId: 'mo-phone', mutations: [{ mid: 3, type: 'clip', id: newId(), op: 'put', fields: { url: 'x', kind: 'nonsense' } }] };
      const [resentBefore, resentAfter] = [await before(mo, 'POST', `${lib}/sync/push`, resend), await after(mo, 'POST', `${lib}/sync/push`, resend)];
      expect(resentAfter).toEqual(resentBefore);
      // Field versions moved: a stale description edit is a conflict on both.
      const stale = { clientId: 'ada-laptop', mutations: [{ mid: 7, type: 'case', id: ids.case, op: 'put', baseVersion: 1, fields: { description: 'Stale edit' } }] };
      const [staleBefore, staleAfter] = [await before(ada, 'POST', `${lib}/sync/push`, stale), await after(ada, 'POST', `${lib}/sync/push`, stale)];
      expect((staleAfter.body as { results: Array<{ status: string }> }).results[0]!.status).toBe('conflict');
      expect(staleAfter).toEqual(staleBefore);

      // Only the library asked for moved; Mo, a member of both, is not duplicated by the second move.
      expect((await after(otto, 'GET', '/api/v1/me')).status).toBe(401);
    } finally {
      await source.close();
      await copy.close();
    }

    const again = runCli(['migrate-store', '--from', file, '--to', target, '--library', libA.id]);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim().split('\n').at(-1)).toMatch(/exists already in the target store/);

    const second = runCli(['migrate-store', '--from', file, '--to', target, '--library', libB.id]);
    expect(second.code, second.stderr).toBe(0);
    const source2 = await openStore(file);
    const copy2 = await openStore(target);
    try {
      const [before, after] = [api(source2), api(copy2)];
      const reply = await after(otto, 'GET', `/api/v1/libraries/${libB.id}/clips?q=cooperaties`);
      expect((reply.body as { clips: Array<{ id: string }> }).clips.map((clip) => clip.id)).toEqual([ids.dairy]);
      for (const path of ['/api/v1/me', '/api/v1/libraries', `/api/v1/libraries/${libB.id}/sync/pull?since=0`]) {
        expect(await after(mo, 'GET', path), path).toEqual(await before(mo, 'GET', path));
      }
    } finally {
      await source2.close();
      await copy2.close();
    }
  });

  it('answers bad arguments with one line and a non-zero exit', () => {
    for (const args of [['migrate-store'], ['migrate-store', '--from', 'a.db'], ['migrate-store', '--from', 'x.db', '--to', 'x.db']]) {
      const run = runCli(args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
