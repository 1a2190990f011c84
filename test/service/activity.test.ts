// Issue 15: activity read from the objects' versions (real pushes), the inbox rules (mention,
// reply to my question, comment on my clip, subgroup clip, question addressed to me), read
// markers and settings, who sees what (a removed member, a reader, another library), and the
// web pages with the header's unread count. Runs on SQLite and, in the Postgres run, on PostgreSQL.
import { beforeEach, describe, expect, it } from 'vitest';
import { removeMember } from '../../service/repos/accounts.ts';
import { clipFields, makeWorld, WORLD_PASSWORD, newId, type Person, type World } from '../helpers/world.ts';
import { Browser } from '../web/helpers.ts';


const PASSWORD = WORLD_PASSWORD;


let w: World;
let lib: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked field by field
const ok = <T extends { status: number; body: any }>(reply: T): T => {
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply;
};
async function put(who: Person, type: string, fields: Record<string, unknown>, id = newId()) {
  const reply = await w.push(who, [{ type, id, op: 'put', fields }]);
  expect(reply.body.results?.[0]?.status, JSON.stringify(reply.body)).toBe('applied');
  return id;
}
const activity = async (who: Person, query = '') => (await w.call(who, 'GET', `/api/v1/libraries/${lib}/activity${query}`)).body;
const inboxOf = async (who: Person) => {
  const body = ok(await w.call(who, 'GET', `/api/v1/me/inbox?library=${lib}`)).body;
  return body.libraries[0] as { unread: number; readVersion: number; items: Array<{ kind: string; type: string; id: string; version: number; unread: boolean; who: { id: string } }> };
};

beforeEach(async () => {
  w = await makeWorld();
  lib = w.libA.id;
});

describe('activity', () => {
  it('tells who did what and when, from the pushes themselves, newest first, per case and paged by version', async () => {
    const caseId = await put(w.admin, 'case', { title: 'Cocoa in Ghana' });
    const otherCase = await put(w.admin, 'case', { title: 'Tea in Kenya' });
    const clipId = await put(w.member, 'clip', clipFields({ caseIds: [caseId] }));
    await put(w.member, 'clip', clipFields({ url: 'https://tea.example.org/', title: 'Tea pickers', caseIds: [otherCase] }));
    const companyId = await put(w.admin, 'company', { name: 'Choco BV' });
    const scanId = await put(w.admin, 'scan', { companyId, caseId, templateId: 'company-scan-v1' });
    await put(w.member, 'answer', { scanId, field: 'legalName', value: 'Choco B.V.' });
    const questionId = await put(w.member, 'question', { caseId, title: 'Who pays the premium?' });
    await put(w.admin, 'reply', { questionId, body: 'The buyer does.' });
    await put(w.admin, 'comment', { targetType: 'clip', targetId: clipId, body: 'Good source' });

    const all = await activity(w.reader);
    const types = all.events.map((event: { type: string }) => event.type);
    expect(types).toEqual(['comment', 'reply', 'question', 'answer', 'scan', 'clip', 'clip', 'case', 'case']);
    const versions = all.events.map((event: { version: number }) => event.version);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    const clipLine = all.events.find((event: { id: string }) => event.id === clipId);
    expect(clipLine).toMatchObject({ verb: 'clipped', title: 'Cocoa prices reach a record as harvests fail', who: { id: w.member.id, name: 'mo' }, caseIds: [caseId], path: `clips/${clipId}` });
    expect(Date.parse(clipLine.when)).not.toBeNaN();
    // The company itself is not worth telling; its scan and answer are.
    expect(types).not.toContain('company');

    const inCase = await activity(w.reader, `?case=${caseId}`);
    expect(inCase.events.map((event: { type: string }) => event.type)).toEqual(['comment', 'reply', 'question', 'answer', 'scan', 'clip', 'case']);

    // Paging two at a time walks the same lines, each once.
    const seen: number[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = await activity(w.reader, `?limit=2${cursor}`);
      seen.push(...page.events.map((event: { version: number }) => event.version));
      if (page.next === undefined) break;
      cursor = `&before=${page.next}`;
    }
    expect(seen).toEqual(versions);
    // since= gives only what came after a version the client saw.
    expect((await activity(w.reader, `?since=${versions[2]}`)).events.map((event: { version: number }) => event.version)).toEqual(versions.slice(0, 2));

    // An edit moves the object to the top, once; a deleted object is no longer told.
    await w.push(w.member, [{ type: 'clip', id: clipId, op: 'put', fields: { note: 'read this first' } }]);
    const after = await activity(w.reader, '?limit=3');
    expect(after.events[0]).toMatchObject({ id: clipId, verb: 'updated the clip' });
    expect(after.events.filter((event: { id: string }) => event.id === clipId)).toHaveLength(1);
    await w.push(w.admin, [{ type: 'case', id: otherCase, op: 'put', fields: { lessons: 'Pay pickers by the kilo.' } }]);
    expect((await activity(w.reader, '?limit=1')).events[0]).toMatchObject({ id: otherCase, verb: 'added lessons to the case', title: 'Tea in Kenya' });
    await w.push(w.admin, [{ type: 'case', id: otherCase, op: 'put', fields: { status: 'closed' } }]);
    expect((await activity(w.reader, '?limit=1')).events[0]).toMatchObject({ id: otherCase, verb: 'updated the case' });
    await w.push(w.member, [{ type: 'clip', id: clipId, op: 'delete' }]);
    expect((await activity(w.reader)).events.some((event: { id: string }) => event.id === clipId)).toBe(false);
  });

  it('answers bad parameters with 400 and another library with 404', async () => {
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/activity?before=-1`)).status).toBe(400);
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/activity?case=nope`)).status).toBe(400);
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/activity?limit=100000`)).status).toBe(400);
    expect((await w.call(w.outsider, 'GET', `/api/v1/libraries/${lib}/activity`)).status).toBe(404);
    expect((await w.call(null, 'GET', `/api/v1/libraries/${lib}/activity`)).status).toBe(401);
  });
});

describe('inbox', () => {
  it('holds mentions, replies to my questions, comments on my clips, subgroup clips and questions addressed to me, never my own doing', async () => {
    const caseId = await put(w.admin, 'case', { title: 'Cocoa', members: [w.member.id] });
    const myClip = await put(w.member, 'clip', clipFields({ caseIds: [caseId] }));
    const subgroupClip = await put(w.admin, 'clip', clipFields({ url: 'https://b.example.org/', caseIds: [caseId] }));
    await put(w.admin, 'clip', clipFields({ url: 'https://c.example.org/' })); // in no case of mine
    const mention = await put(w.admin, 'comment', { targetType: 'case', targetId: caseId, body: 'see this, mo', mentions: [w.member.id] });
    const onMyClip = await put(w.admin, 'comment', { targetType: 'clip', targetId: myClip, body: 'nice find' });
    await put(w.member, 'comment', { targetType: 'clip', targetId: myClip, body: 'my own note' });
    const question = await put(w.member, 'question', { title: 'Who certifies?' });
    const reply = await put(w.admin, 'reply', { questionId: question, body: 'Rainforest Alliance' });
    const addressed = await put(w.admin, 'question', { title: 'Mo, can you check the KvK?', addressedTo: [w.member.id] });

    const inbox = await inboxOf(w.member);
    expect(inbox.items.map((item) => [item.kind, item.id])).toEqual([
      ['addressed', addressed],
      ['reply', reply],
      ['comment', onMyClip],
      ['mention', mention],
      ['subgroup', subgroupClip],
    ]);
    expect(inbox.items.every((item) => item.who.id !== w.member.id && item.unread)).toBe(true);
    expect(inbox.unread).toBe(5);
    // The reader is in no subgroup and was addressed by nobody.
    expect((await inboxOf(w.reader)).items).toEqual([]);
    // The admin hears of the reply-less question? No: only of what concerns them.
    expect((await inboxOf(w.admin)).items.map((item) => item.kind)).toEqual([]);

    // Mark read up to the newest: nothing unread; what comes after is unread again.
    const read = ok(await w.call(w.member, 'POST', '/api/v1/me/inbox/read', { library: lib, upTo: inbox.items[0]!.version }));
    expect(read.body.readVersion).toBe(inbox.items[0]!.version);
    expect((await inboxOf(w.member)).unread).toBe(0);
    // A stale tab cannot unread newer items.
    ok(await w.call(w.member, 'POST', '/api/v1/me/inbox/read', { library: lib, upTo: 1 }));
    expect((await inboxOf(w.member)).unread).toBe(0);
    await put(w.admin, 'comment', { targetType: 'clip', targetId: myClip, body: 'and another' });
    expect((await inboxOf(w.member)).unread).toBe(1);

    // Settings: a member who does not want subgroup clips no longer gets them.
    const saved = ok(await w.call(w.member, 'PUT', `/api/v1/me/inbox/settings?library=${lib}`, { inboxKinds: ['mention', 'reply', 'comment', 'addressed'] }));
    expect(saved.body.inboxKinds).toEqual(['mention', 'reply', 'comment', 'addressed']);
    await put(w.admin, 'clip', clipFields({ url: 'https://d.example.org/', caseIds: [caseId] }));
    expect((await inboxOf(w.member)).items.map((item) => item.kind)).not.toContain('subgroup');
    expect((await w.call(w.member, 'PUT', `/api/v1/me/inbox/settings?library=${lib}`, { inboxKinds: ['gossip'] })).status).toBe(400);
    // No SMTP here: the digest cannot be turned on, and says why.
    const digest = await w.call(w.member, 'PUT', `/api/v1/me/inbox/settings?library=${lib}`, { digest: 'daily' });
    expect(digest.status).toBe(409);
    expect(digest.body.error.message).toMatch(/no mail/);
    expect((await w.call(w.member, 'POST', '/api/v1/me/inbox/read', { library: w.libB.id, upTo: 1 })).status).toBe(404);
  });
});

describe('who sees what', () => {
  it('shows a hidden comment to admins only, and nothing more to a removed member', async () => {
    const clipId = await put(w.member, 'clip', clipFields());
    const comment = await put(w.admin, 'comment', { targetType: 'clip', targetId: clipId, body: 'off topic', mentions: [w.reader.id] });
    expect((await inboxOf(w.reader)).items.map((item) => item.id)).toEqual([comment]);
    await w.push(w.admin, [{ type: 'comment', id: comment, op: 'put', fields: { hidden: true } }]);
    const ids = async (who: Person) => (await activity(who)).events.map((event: { id: string }) => event.id);
    expect(await ids(w.admin)).toContain(comment);
    expect(await ids(w.reader)).not.toContain(comment);
    expect(await ids(w.member)).not.toContain(comment);
    expect((await inboxOf(w.reader)).items).toEqual([]);
    expect((await inboxOf(w.member)).items.map((item) => item.id)).not.toContain(comment);

    // Another library's objects never show.
    expect((await w.call(w.outsider, 'GET', '/api/v1/me/inbox')).body.libraries.map((library: { id: string }) => library.id)).toEqual([w.libB.id]);

    await removeMember(w.store.db, lib, w.member.id);
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/activity`)).status).toBe(404);
    expect((await w.call(w.member, 'GET', `/api/v1/me/inbox?library=${lib}`)).status).toBe(404);
    expect((await w.call(w.member, 'GET', '/api/v1/me/inbox')).body.libraries).toEqual([]);
  });
});

describe('web pages', () => {
  it('shows the activity, the inbox with its unread count in the header, and marks it read', async () => {
    const caseId = await put(w.admin, 'case', { title: 'Cocoa <b>case</b>', members: [w.member.id] });
    await put(w.admin, 'clip', clipFields({ title: 'Harvest <script>alert(1)</script>', caseIds: [caseId] }));
    const mo = new Browser(w.app);
    expect((await mo.signIn(w.member.email)).status).toBe(303);
    const home = await mo.page(`/l/${lib}/`);
    expect(home.html).toMatch(/For me<span class="badge" aria-label="1 unread">1<\/span>/);
    const page = await mo.page(`/l/${lib}/activity?case=${caseId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('ada</strong> clipped');
    expect(page.html).toContain('Harvest &lt;script&gt;');
    expect(page.html).not.toContain('<script>');
    const inbox = await mo.page(`/l/${lib}/inbox`);
    expect(inbox.html).toContain('your subgroup');
    const upTo = /name="upTo" value="(\d+)"/.exec(inbox.html)?.[1];
    expect(upTo).toBeDefined();
    const read = await mo.submit(`/l/${lib}/inbox`, `/l/${lib}/inbox/read`, { upTo: upTo! });
    expect(read.status).toBe(303);
    expect((await mo.page(`/l/${lib}/`)).html).not.toMatch(/aria-label="\d+ unread"/);
    // A forged form (no CSRF token) changes nothing.
    expect((await mo.request(`/l/${lib}/inbox/settings`, { method: 'POST', form: { kinds: 'mention' } })).status).toBe(403);
    const settings = await mo.page(`/l/${lib}/inbox/settings`);
    expect(settings.html).toContain('sends no e-mail');
    const saved = await mo.submit(`/l/${lib}/inbox/settings`, `/l/${lib}/inbox/settings`, { kinds: ['mention', 'reply'], digest: 'off' });
    expect(saved.status).toBe(200);
    expect((await inboxOf(w.member)).items.map((item) => item.kind)).toEqual([]);
  });
});

describe('a case or tag with many clips', () => {
  it('pages the same way whether its clips are listed by id or checked one by one', async () => {
    const { saveObject } = await import('../../service/repos/objects.ts');
    const { activityPage } = await import('../../service/activity/stream.ts');
    const { DEFAULTS } = await import('../../shared/model.ts');
    const big = await put(w.admin, 'case', { title: 'Big' });
    const small = await put(w.admin, 'case', { title: 'Small' });
    const row = await w.store.db.selectFrom('libraries').select('version').where('id', '=', lib).executeTakeFirstOrThrow();
    let version = Number(row.version);
    const stamp = new Date().toISOString();
    const smallClips: number[] = [];
    // 2,100 clips (more than are listed by id), every 100th also in the small case and tagged "rare".
    await w.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2_100; i++) {
        const inSmall = i % 100 === 0;
        const fields = { ...DEFAULTS.clip, url: `https://example.org/${i}`, kind: 'article', title: `Clip ${i}`, caseIds: inSmall ? [big, small] : [big], tags: inSmall ? ['rare', 'all'] : ['all'], capturedBy: w.member.id };
        await saveObject(trx, { type: 'clip', id: newId(), libraryId: lib, version: ++version, deleted: false, fields, fieldVersions: {}, createdBy: w.member.id, updatedBy: w.member.id, createdAt: stamp, updatedAt: stamp }, true);
        if (inSmall) smallClips.push(version);
      }
    });
    await w.store.db.updateTable('libraries').set({ version }).where('id', '=', lib).execute();
    const walk = async (query: { caseId?: string; tag?: string }) => {
      const seen: number[] = [];
      let before: number | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await activityPage(w.store.db, { libraryId: lib, role: 'member', limit: 100, ...query, ...(before !== undefined ? { before } : {}) });
        seen.push(...page.events.filter((event) => event.type === 'clip').map((event) => event.version));
        if (page.next === undefined) break;
        before = page.next;
      }
      return seen;
    };
    const newestFirst = [...smallClips].reverse();
    expect(await walk({ caseId: small })).toEqual(newestFirst);
    expect(await walk({ tag: 'rare' })).toEqual(newestFirst);
    const everyClip = await walk({ caseId: big });
    expect(everyClip).toHaveLength(2_100);
    expect(everyClip).toEqual([...everyClip].sort((a, b) => b - a));
    expect(await walk({ tag: 'all' })).toEqual(everyClip);
  });
});
