// The sync protocol of DESIGN.md, in-process on a real SQLite store: idempotent push,
// merges, conflicts, tombstones, paged pull.
import { beforeEach, describe, expect, it } from 'vitest';
import { clipFields, makeWorld, newId, type World } from '../helpers/world.ts';

let w: World;
beforeEach(async () => {
  w = await makeWorld();
});

async function libraryVersion(world: World): Promise<number> {
  const row = await world.store.db.selectFrom('libraries').select('version').where('id', '=', world.libA.id).executeTakeFirstOrThrow();
  return Number(row.version);
}

describe('push', () => {
  it('applies a batch and stamps each change with a new library version', async () => {
    const caseId = newId();
    const clipId = newId();
    const reply = await w.push(w.member, [
      { type: 'case', id: caseId, op: 'put', fields: { title: 'Cocoa cooperative' } },
      { type: 'clip', id: clipId, op: 'put', fields: clipFields({ caseIds: [caseId] }) },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(reply.body.results.map((r) => r.version)).toEqual([1, 2]);
    expect(reply.body.version).toBe(2);
    const clip = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${clipId}`);
    expect(clip.body.clip.caseIds).toEqual([caseId]);
    expect(clip.body.clip.capturedBy).toBe(w.member.id);
  });

  it('returns the first outcome when the same mutations are sent again, and bumps no version', async () => {
    const id = newId();
    const body = {
      clientId: 'laptop-1',
      mutations: [
        { mid: 1, type: 'case', id, op: 'put', fields: { title: 'First title' } },
        { mid: 2, type: 'clip', id: newId(), op: 'put', fields: { url: 'not a url', kind: 'article' } },
        { mid: 3, type: 'case', id, op: 'put', fields: { status: 'closed' } },
      ],
    };
    const path = `/api/v1/libraries/${w.libA.id}/sync/push`;
    const first = await w.call(w.member, 'POST', path, body);
    const versionAfterFirst = await libraryVersion(w);
    const again = await w.call(w.member, 'POST', path, body);
    expect(again.body.results).toEqual(first.body.results);
    expect(await libraryVersion(w)).toBe(versionAfterFirst);
    const pulled = await w.pull(w.member);
    expect(pulled.body.changes).toHaveLength(1);
    expect(pulled.body.changes[0]!.version).toBe(versionAfterFirst);
  });

  it("keeps each member's outcomes apart even when two send the same clientId", async () => {
    const path = `/api/v1/libraries/${w.libA.id}/sync/push`;
    const mine = await w.call(w.member, 'POST', path, { clientId: 'shared', mutations: [{ mid: 1, type: 'case', id: newId(), op: 'put', fields: { title: 'Mine' } }] });
    const theirs = await w.call(w.admin, 'POST', path, { clientId: 'shared', mutations: [{ mid: 1, type: 'case', id: newId(), op: 'put', fields: { title: 'Theirs' } }] });
    expect(theirs.body.results[0].id).not.toBe(mine.body.results[0].id);
    expect(theirs.body.results[0].version).toBe(2);
    const cases = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/cases`);
    expect(cases.body.cases.map((c: { title: string }) => c.title).sort()).toEqual(['Mine', 'Theirs']);
  });

  it('rejects an invalid clip without blocking the mutations after it', async () => {
    const good = newId();
    const reply = await w.push(w.member, [
      { type: 'clip', id: newId(), op: 'put', fields: { url: 'javascript:alert(1)', kind: 'article' } },
      { type: 'clip', id: newId(), op: 'put', fields: { kind: 'article' } },
      { type: 'clip', id: 'not-a-uuid', op: 'put', fields: clipFields() },
      { type: 'clip', id: good, op: 'put', fields: clipFields({ colour: 'red' }) },
      { type: 'clip', id: good, op: 'put', fields: clipFields() },
    ]);
    expect(reply.body.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'applied']);
    for (const result of reply.body.results.slice(0, 4)) {
      expect(result.error?.code).toBe('invalid');
      expect(result.error?.message.length).toBeGreaterThan(5);
    }
    expect(reply.body.results[0]!.error!.message).toMatch(/url/);
    expect(reply.body.results[1]!.error!.message).toMatch(/url/);
    const listed = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips`);
    expect(listed.body.clips.map((c: { id: string }) => c.id)).toEqual([good]);
  });

  it('merges metadata fields last-writer-wins per field, in server order', async () => {
    const id = newId();
    await w.push(w.member, [{ type: 'clip', id, op: 'put', fields: clipFields({ title: 'Original', byline: 'A. Writer' }) }]);
    await w.push(w.admin, [{ type: 'clip', id, op: 'put', baseVersion: 1, fields: { title: 'Admin title' } }]);
    await w.push(w.member, [{ type: 'clip', id, op: 'put', baseVersion: 1, fields: { byline: 'B. Writer' } }]);
    const clip = (await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${id}`)).body.clip;
    expect(clip.title).toBe('Admin title');
    expect(clip.byline).toBe('B. Writer');
  });

  it('merges tags and case ids as sets, and removes with { remove }', async () => {
    const [c1, c2, clip] = [newId(), newId(), newId()];
    await w.push(w.member, [
      { type: 'case', id: c1, op: 'put', fields: { title: 'One' } },
      { type: 'case', id: c2, op: 'put', fields: { title: 'Two' } },
      { type: 'clip', id: clip, op: 'put', fields: clipFields({ tags: ['cocoa'] }) },
    ]);
    await w.push(w.member, [{ type: 'clip', id: clip, op: 'put', fields: { tags: ['ghana'], caseIds: [c1] } }]);
    await w.push(w.admin, [{ type: 'clip', id: clip, op: 'put', fields: { tags: ['child labour'], caseIds: [c2] } }]);
    let fields = (await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${clip}`)).body.clip;
    expect([...fields.tags].sort()).toEqual(['child labour', 'cocoa', 'ghana']);
    expect([...fields.caseIds].sort()).toEqual([c1, c2].sort());
    await w.push(w.admin, [{ type: 'clip', id: clip, op: 'put', fields: { tags: { remove: ['cocoa'] } } }]);
    fields = (await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${clip}`)).body.clip;
    expect([...fields.tags].sort()).toEqual(['child labour', 'ghana']);
    const byTag = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?tag=cocoa`);
    expect(byTag.body.clips).toHaveLength(0);
    const byCase = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?case=${c2}`);
    expect(byCase.body.clips.map((c: { id: string }) => c.id)).toEqual([clip]);
  });

  it('answers a stale edit of a case description with a conflict carrying the current copy', async () => {
    const id = newId();
    await w.push(w.member, [{ type: 'case', id, op: 'put', fields: { title: 'Dairy', description: 'Draft' } }]);
    const mine = await w.push(w.member, [{ type: 'case', id, op: 'put', baseVersion: 1, fields: { description: 'Member text' } }]);
    expect(mine.body.results[0]!.status).toBe('applied');
    const theirs = await w.push(w.admin, [{ type: 'case', id, op: 'put', baseVersion: 1, fields: { description: 'Admin text', title: 'Dairy (renamed)' } }]);
    const result = theirs.body.results[0]!;
    expect(result.status).toBe('conflict');
    expect(result.current?.fields.description).toBe('Member text');
    expect(result.current?.version).toBe(2);
    // Nothing of a conflicting mutation is applied: the person resolves and sends again.
    const detail = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/cases/${id}`);
    expect(detail.body.case.title).toBe('Dairy');
    const resolved = await w.push(w.admin, [{ type: 'case', id, op: 'put', baseVersion: 2, fields: { description: 'Member text\n\nAdmin text' } }]);
    expect(resolved.body.results[0]!.status).toBe('applied');
  });

  it('lets an edit to another field pass while a long text stays untouched', async () => {
    const id = newId();
    await w.push(w.member, [{ type: 'case', id, op: 'put', fields: { title: 'Telecom', lessons: 'L1' } }]);
    await w.push(w.member, [{ type: 'case', id, op: 'put', baseVersion: 1, fields: { lessons: 'L2' } }]);
    const reply = await w.push(w.admin, [{ type: 'case', id, op: 'put', baseVersion: 1, fields: { status: 'closed' } }]);
    expect(reply.body.results[0]!.status).toBe('applied');
  });

  it('keeps a clip note safe from a stale overwrite', async () => {
    const id = newId();
    await w.push(w.member, [{ type: 'clip', id, op: 'put', fields: clipFields({ note: 'first note' }) }]);
    await w.push(w.member, [{ type: 'clip', id, op: 'put', baseVersion: 1, fields: { note: 'second note' } }]);
    const stale = await w.push(w.admin, [{ type: 'clip', id, op: 'put', baseVersion: 1, fields: { note: 'stale note' } }]);
    expect(stale.body.results[0]!.status).toBe('conflict');
    expect(stale.body.results[0]!.current?.fields.note).toBe('second note');
  });

  it('lets an edit beat a concurrent delete, and revives a tombstone on edit', async () => {
    const id = newId();
    await w.push(w.member, [{ type: 'case', id, op: 'put', fields: { title: 'Mining' } }]);
    await w.push(w.admin, [{ type: 'case', id, op: 'put', baseVersion: 1, fields: { title: 'Mining (edited)' } }]);
    const del = await w.push(w.member, [{ type: 'case', id, op: 'delete', baseVersion: 1 }]);
    expect(del.body.results[0]!.status).toBe('conflict');
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/cases/${id}`)).status).toBe(200);

    const del2 = await w.push(w.member, [{ type: 'case', id, op: 'delete', baseVersion: 2 }]);
    expect(del2.body.results[0]!.status).toBe('applied');
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/cases/${id}`)).status).toBe(404);
    const revive = await w.push(w.admin, [{ type: 'case', id, op: 'put', fields: { status: 'open' } }]);
    expect(revive.body.results[0]!.status).toBe('applied');
    const back = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/cases/${id}`);
    expect(back.body.case.title).toBe('Mining (edited)');
  });

  it('keeps the clips of a deleted case', async () => {
    const caseId = newId();
    const clipId = newId();
    await w.push(w.member, [
      { type: 'case', id: caseId, op: 'put', fields: { title: 'Soon gone' } },
      { type: 'clip', id: clipId, op: 'put', fields: clipFields({ caseIds: [caseId] }) },
      { type: 'case', id: caseId, op: 'delete' },
    ]);
    const clip = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${clipId}`);
    expect(clip.status).toBe(200);
    const cases = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/cases`);
    expect(cases.body.cases).toHaveLength(0);
  });

  it('rejects references to objects of another library', async () => {
    const foreignCase = newId();
    await w.push(w.outsider, [{ type: 'case', id: foreignCase, op: 'put', fields: { title: 'B only' } }], { library: w.libB.id });
    const reply = await w.push(w.member, [
      { type: 'clip', id: newId(), op: 'put', fields: clipFields({ caseIds: [foreignCase] }) },
      { type: 'case', id: foreignCase, op: 'put', fields: { title: 'Hijack' } },
      { type: 'case', id: foreignCase, op: 'delete' },
    ]);
    expect(reply.body.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const theirs = await w.call(w.outsider, 'GET', `/api/v1/libraries/${w.libB.id}/cases/${foreignCase}`);
    expect(theirs.body.case.title).toBe('B only');
  });

  it('stores company scans and their answers', async () => {
    const [company, scan, answer] = [newId(), newId(), newId()];
    const reply = await w.push(w.member, [
      { type: 'company', id: company, op: 'put', fields: { name: 'Cacao Trading B.V.', domains: ['cacaotrading.nl'], identifiers: { kvk: '12345678' } } },
      { type: 'scan', id: scan, op: 'put', fields: { companyId: company, templateId: 'company-scan/1' } },
      { type: 'answer', id: answer, op: 'put', fields: { scanId: scan, field: 'phones', value: [{ number: '+31201234567', type: 'phone' }], method: 'auto', evidence: [{ url: 'https://www.cacaotrading.nl/contact', snippet: 'Tel: 020 123 4567' }], confirmedBy: 'someone' } },
    ]);
    expect(reply.body.results.every((r) => r.status === 'applied')).toBe(true);
    const detail = await w.call(w.reader, 'GET', `/api/v1/libraries/${w.libA.id}/scans/${scan}`);
    expect(detail.body.company.name).toBe('Cacao Trading B.V.');
    expect(detail.body.answers[0].evidence[0].snippet).toContain('020 123 4567');
    // Who confirmed is the person who pushed, whatever the client claims.
    expect(detail.body.answers[0].confirmedBy).toBe(w.member.id);
    const bySite = await w.call(w.reader, 'GET', `/api/v1/libraries/${w.libA.id}/companies?domain=www.shop.cacaotrading.nl`);
    expect(bySite.body.companies).toHaveLength(1);
    expect(bySite.body.companies[0].scans[0].answerCount).toBe(1);
    expect(bySite.body.companies[0].scans[0].answeredBy).toEqual(['mo']);
    const elsewhere = await w.call(w.reader, 'GET', `/api/v1/libraries/${w.libA.id}/companies?domain=example.com`);
    expect(elsewhere.body.companies).toHaveLength(0);
  });

  it("keeps both colleagues' evidence on one answer, and replaces the value itself", async () => {
    const [company, scan, answer] = [newId(), newId(), newId()];
    await w.push(w.member, [
      { type: 'company', id: company, op: 'put', fields: { name: 'Zuivel B.V.' } },
      { type: 'scan', id: scan, op: 'put', fields: { companyId: company, templateId: 'company-scan/1' } },
      { type: 'answer', id: answer, op: 'put', fields: { scanId: scan, field: 'phones', value: ['+31201234567'], evidence: [{ url: 'https://zuivel.example/contact', snippet: 'T 020 123 4567' }] } },
    ]);
    await w.push(w.admin, [{ type: 'answer', id: answer, op: 'put', fields: { value: ['+31201234567', '+31301234567'], evidence: [{ snippet: 'Utrecht: 030 123 4567', url: 'https://zuivel.example/utrecht' }] } }]);
    await w.push(w.member, [{ type: 'answer', id: answer, op: 'put', fields: { evidence: [{ url: 'https://zuivel.example/contact', snippet: 'T 020 123 4567' }] } }]);
    let detail = (await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/scans/${scan}`)).body.answers[0];
    expect(detail.value).toEqual(['+31201234567', '+31301234567']);
    expect(detail.evidence.map((e: { url: string }) => e.url).sort()).toEqual(['https://zuivel.example/contact', 'https://zuivel.example/utrecht']);
    await w.push(w.admin, [{ type: 'answer', id: answer, op: 'put', fields: { evidence: { remove: [{ url: 'https://zuivel.example/utrecht', snippet: 'Utrecht: 030 123 4567' }] } } }]);
    detail = (await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/scans/${scan}`)).body.answers[0];
    expect(detail.evidence).toEqual([{ url: 'https://zuivel.example/contact', snippet: 'T 020 123 4567' }]);
  });

  it('rejects an answer to a scan that does not exist', async () => {
    const reply = await w.push(w.member, [{ type: 'answer', id: newId(), op: 'put', fields: { scanId: newId(), field: 'name', value: 'X' } }]);
    expect(reply.body.results[0]!.status).toBe('rejected');
  });
});

describe('pull', () => {
  it('returns every change in version order, paged, with tombstones', async () => {
    const ids = Array.from({ length: 7 }, () => newId());
    await w.push(w.member, ids.map((id, i) => ({ type: 'case', id, op: 'put', fields: { title: `Case ${i}` } })));
    await w.push(w.member, [{ type: 'case', id: ids[0], op: 'delete' }]);

    const seen: Array<{ id: string; version: number; deleted: boolean }> = [];
    let since = 0;
    let pages = 0;
    for (;;) {
      const page = (await w.pull(w.reader, since, 3)).body;
      pages += 1;
      seen.push(...page.changes);
      since = page.version;
      if (!page.more) break;
    }
    expect(pages).toBe(3);
    expect(seen.map((c) => c.version)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const tombstone = seen.find((c) => c.id === ids[0]);
    expect(tombstone).toMatchObject({ deleted: true, version: 8, fields: {} });
    expect(since).toBe(8);
    const nothing = (await w.pull(w.reader, since)).body;
    expect(nothing).toEqual({ changes: [], version: 8, more: false });
  });

  it('rejects a bad since or limit', async () => {
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/sync/pull?since=-1`)).status).toBe(400);
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/sync/pull?since=abc`)).status).toBe(400);
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/sync/pull?limit=0`)).status).toBe(400);
  });
});
