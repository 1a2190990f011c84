// Hostile text through every entry point (issue 9, findings 2, 7, 9 and 11): one validation of
// strings, numbers and nesting for push, web forms and import; a bad item is rejected alone with
// a clear message, the rest applies, nothing answers 500. Runs on SQLite and on PostgreSQL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../service/cli/cli-kit.ts';
import { command as importCommand } from '../../service/cli/commands/import.ts';
import { openStore } from '../../service/db/connect.ts';
import { importLibrary, ImportError, jsonExport, parseExport } from '../../service/export/json.ts';
import { createLibrary, setMembership } from '../../service/repos/accounts.ts';
import { saveObject } from '../../service/repos/objects.ts';
import { encodeCursor } from '../../service/search/clips.ts';
import { csrfOf, Client } from '../web/helpers.ts';
import { tempDir } from '../helpers/processes.ts';
import { freshStoreTarget } from '../helpers/store.ts';
import { clipFields, makeWorld, newId, type Reply, type World } from '../helpers/world.ts';

let w: World;
beforeEach(async () => {
  w = await makeWorld();
});

const PASSWORD = 'correct horse battery';
const LONE_SURROGATE = 'x\ud800';
const NUL = 'a\u0000b';
const uuid = (): string => newId();

/** `[[[…"deep"…]]]`, `depth` arrays deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

async function webClient(): Promise<Client> {
  const client = new Client(w.app);
  const response = await client.signIn(w.member.email, PASSWORD);
  expect(response.status).toBe(303);
  return client;
}

async function makeScan(): Promise<{ companyId: string; scanId: string; caseId: string }> {
  const companyId = newId();
  const scanId = newId();
  const caseId = newId();
  const reply = await w.push(w.member, [
    { type: 'company', id: companyId, op: 'put', fields: { name: 'Cocoa Coop', domains: ['cocoa.example'] } },
    { type: 'case', id: caseId, op: 'put', fields: { title: 'Cocoa' } },
    { type: 'scan', id: scanId, op: 'put', fields: { companyId, caseId, templateId: 'company-scan-v1' } },
  ]);
  expect(reply.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  return { companyId, scanId, caseId };
}

describe('push: one validation of strings, numbers and nesting', () => {
  it('rejects a lone surrogate or a NUL byte in any text alone, and applies the rest of the batch', async () => {
    const { companyId, scanId } = await makeScan();
    const good = newId();
    const reply = await w.push(w.member, [
      { type: 'clip', id: newId(), op: 'put', fields: clipFields({ tags: [LONE_SURROGATE] }) },
      { type: 'clip', id: newId(), op: 'put', fields: clipFields({ title: NUL }) },
      { type: 'clip', id: newId(), op: 'put', fields: clipFields({ note: `note ${LONE_SURROGATE}` }) },
      { type: 'company', id: companyId, op: 'put', fields: { identifiers: { [`kvk${'\u0000'}`]: '123' } } },
      { type: 'company', id: companyId, op: 'put', fields: { legalName: '\udc00 Coop' } },
      { type: 'answer', id: newId(), op: 'put', fields: { scanId, field: 'kvk', value: { number: NUL } } },
      { type: 'answer', id: newId(), op: 'put', fields: { scanId, field: 'kvk', value: [LONE_SURROGATE] } },
      { type: 'clip', id: good, op: 'put', fields: clipFields({ tags: ['cocoa', 'emoji 🍫'], note: 'fine 🍫' }) },
    ]);
    expect(reply.status).toBe(200);
    const statuses = reply.body.results.map((r) => r.status);
    expect(statuses).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'applied']);
    const messages = reply.body.results.slice(0, 7).map((r) => `${r.error?.code}: ${r.error?.message}`);
    expect(messages[0]).toMatch(/^invalid: tags.*Unicode/);
    expect(messages[1]).toMatch(/^invalid: title.*NUL/);
    expect(messages[2]).toMatch(/^invalid: note.*Unicode/);
    expect(messages[3]).toMatch(/^invalid: identifiers.*NUL/);
    expect(messages[4]).toMatch(/^invalid: legalName.*Unicode/);
    expect(messages[5]).toMatch(/^invalid: value.*NUL/);
    expect(messages[6]).toMatch(/^invalid: value.*Unicode/);
    const clip = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${good}`);
    expect(clip.body.clip.tags).toEqual(['cocoa', 'emoji 🍫']);
  });

  it('bounds the nesting of an answer value without overflowing on 5,000 levels', async () => {
    const { scanId, companyId } = await makeScan();
    const ok = newId();
    // Written as text: JSON.stringify itself overflows the stack on 5,000 levels.
    const deep = `${'['.repeat(5_000)}"deep"${']'.repeat(5_000)}`;
    const body = JSON.stringify({
      clientId: 'deep',
      mutations: [
        { mid: 1, type: 'answer', id: newId(), op: 'put', fields: { scanId, field: 'kvk', value: 'DEEP' } },
        { mid: 2, type: 'answer', id: newId(), op: 'put', fields: { scanId, field: 'kvk', value: nested(33) } },
        { mid: 3, type: 'answer', id: ok, op: 'put', fields: { scanId, field: 'registrations', value: nested(20) } },
        { mid: 4, type: 'answer', id: newId(), op: 'put', fields: { scanId, field: 'kvk', value: new Array(20_000).fill(0) } },
      ],
    }).replace('"DEEP"', deep);
    const reply = await w.call(w.member, 'POST', `/api/v1/libraries/${w.libA.id}/sync/push`, body);
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected', 'applied', 'rejected']);
    expect(reply.body.results[0].error.message).toMatch(/value.*nested.*32/);
    expect(reply.body.results[1].error.message).toMatch(/value.*nested.*32/);
    expect(reply.body.results[3].error.message).toMatch(/value.*more than 10000 values/);
    // The company page shows the stored answer; the rejected ones never reached it.
    const client = await webClient();
    expect((await client.page(`/l/${w.libA.id}/companies/${companyId}`)).status).toBe(200);
  });

  it('rejects a mid that is not a positive safe integer alone (1.5, 0, 1e300, a string)', async () => {
    const good = newId();
    const path = `/api/v1/libraries/${w.libA.id}/sync/push`;
    const reply = await w.call(w.member, 'POST', path, {
      clientId: 'laptop',
      mutations: [
        { mid: 1.5, type: 'case', id: newId(), op: 'put', fields: { title: 'Half' } },
        { mid: 1e300, type: 'case', id: newId(), op: 'put', fields: { title: 'Huge' } },
        { mid: -3, type: 'case', id: newId(), op: 'put', fields: { title: 'Negative' } },
        { mid: '7', type: 'case', id: newId(), op: 'put', fields: { title: 'Text' } },
        { mid: 2, type: 'case', id: newId(), op: 'put', baseVersion: 1.5, fields: { title: 'Bad base' } },
        { mid: 3, type: 'case', id: good, op: 'put', fields: { title: 'Whole' } },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'applied']);
    expect(reply.body.results[0].error.message).toMatch(/mid/);
    // Sent again, the same batch changes nothing and gives the same answers.
    const again = await w.call(w.member, 'POST', path, reply.status === 200 ? {
      clientId: 'laptop',
      mutations: [{ mid: 3, type: 'case', id: good, op: 'put', fields: { title: 'Whole' } }],
    } : {});
    expect(again.body.results[0].version).toBe(reply.body.results[5].version);
    const cases = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/cases`);
    expect(cases.body.cases.map((c: { title: string }) => c.title)).toEqual(['Whole']);
  });

  it('answers 400, not 500, for a clientId with a NUL byte or a lone surrogate', async () => {
    for (const clientId of [NUL, LONE_SURROGATE]) {
      const reply = await w.call(w.member, 'POST', `/api/v1/libraries/${w.libA.id}/sync/push`, {
        clientId, mutations: [{ mid: 1, type: 'case', id: newId(), op: 'put', fields: { title: 'x' } }],
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.message).toMatch(/clientId/);
    }
  });

  it('refuses a NUL byte from a web form with a message, not a 500', async () => {
    const clipId = newId();
    await w.push(w.member, [{ type: 'clip', id: clipId, op: 'put', fields: clipFields() }]);
    const client = await webClient();
    const page = await client.page(`/l/${w.libA.id}/clips/${clipId}`);
    const response = await client.request(`/l/${w.libA.id}/clips/${clipId}`, {
      method: 'POST',
      form: { _csrf: csrfOf(page.html), tags: 'cocoa', tagsShown: 'cocoa', note: `my ${NUL} note`, baseVersion: '1' },
    });
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).toMatch(/Not saved: note.*NUL/);
    const clip = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${clipId}`);
    expect(clip.body.clip.note).toBe('');
  });
});

describe('push: hostile values in every field', () => {
  it('answers every mutation applied or rejected, never 500, and every page still renders', async () => {
    const { companyId, scanId, caseId } = await makeScan();
    const hostile: unknown[] = [
      NUL, LONE_SURROGATE, '\udc00', '', ' ', 'x'.repeat(5_000), 1.5, -1, 0, 1e300, -0, Number.MAX_SAFE_INTEGER + 2, true, null,
      [], [NUL], [LONE_SURROGATE], [[['x']]], {}, { add: [NUL] }, { remove: [LONE_SURROGATE] }, { add: 'x' }, { __proto__: { x: 1 } },
      JSON.parse('{"__proto__": {"polluted": true}}'), nested(40), 'javascript:alert(1)', 'https://example.org/\u0000', '1e300',
      '2026-13-45', uuid(), 'not-a-uuid',
    ];
    const fieldsOf: Record<string, string[]> = {
      case: ['title', 'description', 'status', 'members', 'lessons'],
      clip: ['url', 'canonicalUrl', 'kind', 'title', 'byline', 'siteName', 'publishedAt', 'lang', 'excerpt', 'leadImage', 'html', 'markdown', 'text', 'selection', 'note', 'tags', 'caseIds', 'companyId', 'capturedAt', 'capturedBy', 'contentHash'],
      company: ['name', 'domains', 'legalName', 'identifiers'],
      scan: ['companyId', 'caseId', 'templateId', 'status'],
      answer: ['scanId', 'field', 'value', 'method', 'evidence', 'confirmedBy', 'note'],
    };
    const base: Record<string, Record<string, unknown>> = {
      case: { title: 'Fuzz case' },
      clip: clipFields({ caseIds: [caseId], companyId }),
      company: { name: 'Fuzz Ltd' },
      scan: { companyId, templateId: 'company-scan-v1' },
      answer: { scanId, field: 'kvk', value: '1' },
    };
    const mutations: Array<Record<string, unknown>> = [];
    for (const [type, fields] of Object.entries(fieldsOf)) {
      for (const field of fields) {
        for (const value of hostile) mutations.push({ type, id: newId(), op: 'put', fields: { ...base[type], [field]: value } });
      }
    }
    // Odd envelopes too: wrong ops, ids, types, base versions, fields that are not objects.
    for (const odd of [{ op: 'merge' }, { id: NUL }, { id: LONE_SURROGATE }, { type: 'user' }, { baseVersion: -1 }, { baseVersion: 1e300 }, { fields: [] }, { fields: NUL }, { extra: 1 }]) {
      mutations.push({ type: 'case', id: newId(), op: 'put', fields: { title: 'Odd' }, ...odd });
    }
    const counts = { applied: 0, rejected: 0 };
    for (let start = 0; start < mutations.length; start += 50) {
      const batch = mutations.slice(start, start + 50);
      const reply = await w.push(w.member, batch);
      expect(reply.status, JSON.stringify(batch[0]).slice(0, 200)).toBe(200);
      expect(reply.body.results).toHaveLength(batch.length);
      for (const result of reply.body.results) {
        expect(['applied', 'rejected']).toContain(result.status);
        counts[result.status as 'applied' | 'rejected'] += 1;
        if (result.status === 'rejected') expect(result.error!.message.length).toBeGreaterThan(3);
      }
    }
    const notObjects = await w.call(w.member, 'POST', `/api/v1/libraries/${w.libA.id}/sync/push`, { clientId: 'odd', mutations: [null, 'text', [], 7] });
    expect(notObjects.status).toBe(200);
    expect(notObjects.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(counts.applied).toBeGreaterThan(50);
    expect(counts.rejected).toBeGreaterThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Whatever was accepted, every page and read route still answers.
    const client = await webClient();
    for (const path of ['', 'search', 'search?q=fuzz', 'cases', `cases/${caseId}`, 'lessons', 'companies', `companies/${companyId}`, 'members']) {
      const page = await client.page(`/l/${w.libA.id}/${path}`);
      expect(page.status, path).toBe(200);
    }
    const pulled = await w.pull(w.member);
    expect(pulled.status).toBe(200);
    for (const change of pulled.body.changes.filter((c) => c.type === 'clip').slice(0, 40)) {
      expect((await client.page(`/l/${w.libA.id}/clips/${change.id}`)).status, change.id).toBe(200);
    }
    for (const path of ['/clips', '/clips?q=fuzz', '/cases', `/cases/${caseId}`, `/scans/${scanId}`, '/members', '/companies?domain=cocoa.example']) {
      expect((await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}${path}`)).status, path).toBe(200);
    }
  });
});

describe('push: a mutation the store itself refuses', () => {
  it('is rejected alone, nothing of it is written, and the rest of the batch applies', async () => {
    // A rule of the store that validation does not know about, as a trigger: whatever a store
    // may still refuse (a constraint, a type, a size), one mutation must not fail the batch.
    if (w.store.dialect === 'postgres') {
      await sql`CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN
        IF NEW.title = 'boom' THEN RAISE EXCEPTION 'refused by the store' USING ERRCODE = 'check_violation'; END IF;
        RETURN NEW; END $$ LANGUAGE plpgsql`.execute(w.store.db);
      await sql`CREATE TRIGGER refuse_boom BEFORE INSERT OR UPDATE ON clips FOR EACH ROW EXECUTE FUNCTION refuse_boom()`.execute(w.store.db);
    } else {
      await sql`CREATE TRIGGER refuse_boom BEFORE INSERT ON clips WHEN NEW.title = 'boom' BEGIN SELECT RAISE(ABORT, 'refused by the store'); END`.execute(w.store.db);
    }
    const [first, boom, last] = [newId(), newId(), newId()];
    const caseId = newId();
    const reply = await w.push(w.member, [
      { type: 'clip', id: first, op: 'put', fields: clipFields({ title: 'first' }) },
      { type: 'case', id: caseId, op: 'put', fields: { title: 'Cocoa' } },
      { type: 'clip', id: boom, op: 'put', fields: clipFields({ title: 'boom', caseIds: [caseId], tags: ['boom-tag'] }) },
      { type: 'clip', id: last, op: 'put', fields: clipFields({ title: 'last' }) },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected', 'applied']);
    expect(reply.body.results[2]!.error!.message).toMatch(/refused by the store/);
    // Versions stay gapless: the refused change used none.
    expect(reply.body.results.map((r) => r.version ?? null)).toEqual([1, 2, null, 3]);
    expect(reply.body.version).toBe(3);
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${boom}`)).status).toBe(404);
    const tagged = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?tag=boom-tag`);
    expect(tagged.body.clips).toEqual([]);
    const pulled = await w.pull(w.member);
    expect(pulled.body.changes.map((change) => change.id).sort()).toEqual([first, caseId, last].sort());
  });
});

describe('pages with text stored before validation', () => {
  it('render a tag with a lone surrogate on home, search, case, lessons and clip pages', async () => {
    const caseId = newId();
    const clipId = newId();
    await w.push(w.member, [
      { type: 'case', id: caseId, op: 'put', fields: { title: 'Cocoa' } },
      { type: 'clip', id: clipId, op: 'put', fields: clipFields({ caseIds: [caseId] }) },
    ]);
    // As an older version of the service stored it, past today's validation.
    const row = await w.store.db.selectFrom('clips').selectAll().where('id', '=', clipId).executeTakeFirstOrThrow();
    const fields = { ...JSON.parse(row.data), tags: ['cocoa', LONE_SURROGATE] };
    await saveObject(w.store.db, {
      type: 'clip', id: clipId, libraryId: w.libA.id, version: Number(row.version), deleted: false, fields,
      fieldVersions: JSON.parse(row.field_versions), createdBy: row.created_by, updatedBy: row.updated_by,
      createdAt: row.created_at, updatedAt: row.updated_at, seq: Number(row.seq),
    }, false);
    const client = await webClient();
    for (const path of ['', 'search', 'search?q=cocoa', `cases/${caseId}`, 'lessons', `clips/${clipId}`]) {
      const page = await client.page(`/l/${w.libA.id}/${path}`);
      expect(page.status, path).toBe(200);
    }
    const clipPage = await client.page(`/l/${w.libA.id}/clips/${clipId}`);
    expect(clipPage.html).toContain('search?tag=x%EF%BF%BD');
  });

  it('render a clip whose fields an old import stored with wrong types', async () => {
    const clipId = newId();
    await w.push(w.member, [{ type: 'clip', id: clipId, op: 'put', fields: clipFields() }]);
    const row = await w.store.db.selectFrom('clips').selectAll().where('id', '=', clipId).executeTakeFirstOrThrow();
    const fields = { ...JSON.parse(row.data), kind: 5, tags: 'cocoa', capturedAt: { when: 'now' }, siteName: 12, url: 7 };
    await saveObject(w.store.db, {
      type: 'clip', id: clipId, libraryId: w.libA.id, version: Number(row.version), deleted: false, fields,
      fieldVersions: JSON.parse(row.field_versions), createdBy: row.created_by, updatedBy: row.updated_by,
      createdAt: row.created_at, updatedAt: row.updated_at, seq: Number(row.seq),
    }, false);
    const client = await webClient();
    for (const path of ['', 'search', 'search?q=cocoa', `clips/${clipId}`]) {
      const page = await client.page(`/l/${w.libA.id}/${path}`);
      expect(page.status, path).toBe(200);
    }
  });
});

describe('search cursors', () => {
  const cursors: Array<[string, string]> = [
    ['offset 1e300', encodeCursor({ before: null, offset: 1e300 })],
    ['negative offset', encodeCursor({ before: null, offset: -1 })],
    ['fractional offset', encodeCursor({ before: null, offset: 1.5 })],
    ['before 1e300', encodeCursor({ before: 1e300, offset: 0 })],
    ['negative before', encodeCursor({ before: -4, offset: 0 })],
    ['offset as text', Buffer.from(JSON.stringify({ before: null, offset: '2' })).toString('base64url')],
    ['not JSON', 'bm90IGpzb24'],
    ['a number', '-1'],
  ];

  it('answers 400 with a clear message for a cursor this service never gave out', async () => {
    await w.push(w.member, [{ type: 'clip', id: newId(), op: 'put', fields: clipFields() }]);
    for (const [label, cursor] of cursors) {
      for (const q of ['', 'cocoa']) {
        const reply = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?q=${q}&cursor=${encodeURIComponent(cursor)}`);
        expect(reply.status, `${label} q=${q}`).toBe(400);
        expect(reply.body.error.message).toMatch(/cursor/);
      }
    }
    for (const limit of ['1e300', '-1', '1.5', 'ten']) {
      const reply = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?limit=${limit}`);
      expect(reply.status, `limit ${limit}`).toBe(400);
      expect(reply.body.error.message).toMatch(/limit/);
    }
  });

  it('searches words and tags with a NUL byte as matching nothing, and answers 400 for such a member or domain', async () => {
    await w.push(w.member, [{ type: 'clip', id: newId(), op: 'put', fields: clipFields() }]);
    for (const query of ['q=co%00coa', 'tag=co%00coa', 'q=cocoa&tag=%00']) {
      const reply = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?${query}`);
      expect(reply.status, query).toBe(200);
      expect(reply.body.clips, query).toEqual([]);
    }
    const member = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?member=a%00b@example.org`);
    expect(member.status).toBe(400);
    expect(member.body.error.message).toMatch(/member.*NUL/);
    const companies = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/companies?domain=co%00coa.example`);
    expect(companies.status).toBe(400);
    expect(companies.body.error.message).toMatch(/domain.*NUL/);
    const client = await webClient();
    for (const query of ['q=co%00coa', 'tag=co%00coa', 'q=%ED%A0%80', 'tag=x%ED%A0%80']) {
      const page = await client.page(`/l/${w.libA.id}/search?${query}`);
      expect(page.status, query).toBe(200);
    }
  });

  it('keeps the web search page up for any cursor', async () => {
    await w.push(w.member, [{ type: 'clip', id: newId(), op: 'put', fields: clipFields() }]);
    const client = await webClient();
    for (const [label, cursor] of cursors) {
      const page = await client.page(`/l/${w.libA.id}/search?q=cocoa&cursor=${encodeURIComponent(cursor)}`);
      expect(page.status, label).toBeLessThan(500);
    }
  });

  it('still pages with the cursors it gives out', async () => {
    const ids = Array.from({ length: 5 }, () => newId());
    await w.push(w.member, ids.map((id, i) => ({ type: 'clip', id, op: 'put', fields: clipFields({ url: `https://example.org/${i}` }) })));
    const seen: string[] = [];
    for (const q of ['', 'cocoa']) {
      seen.length = 0;
      let cursor: string | null = '';
      while (cursor !== null) {
        const reply: Reply<{ clips: Array<{ id: string }>; nextCursor: string | null }> = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?q=${q}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(reply.status).toBe(200);
        seen.push(...reply.body.clips.map((clip) => clip.id));
        cursor = reply.body.nextCursor;
      }
      expect(seen.sort()).toEqual([...ids].sort());
    }
  });
});

describe('ids in URLs', () => {
  it('answer 404 for an object id holding a NUL or a lone surrogate, on the API and on pages', async () => {
    const client = await webClient();
    for (const id of ['a%00b', '%ED%A0%80', `${newId()}%00`]) {
      for (const kind of ['clips', 'cases', 'scans']) {
        const reply = await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/${kind}/${id}`);
        expect(reply.status, `${kind}/${id}`).toBe(404);
      }
      for (const kind of ['clips', 'cases', 'companies']) {
        const page = await client.page(`/l/${w.libA.id}/${kind}/${id}`);
        expect(page.status, `web ${kind}/${id}`).toBe(404);
      }
    }
  });
});

describe('import: the same validation as push, scoped to its library', () => {
  async function exportText(libraryId = w.libA.id): Promise<string> {
    let text = '';
    for await (const chunk of jsonExport(w.store.db, { libraryId })) text += chunk;
    return text;
  }

  /** A library with one of everything, exported, and an empty library to import it into. */
  async function fixture() {
    const { companyId, scanId, caseId } = await makeScan();
    const clipId = newId();
    const answerId = newId();
    await w.push(w.member, [
      { type: 'clip', id: clipId, op: 'put', fields: clipFields({ caseIds: [caseId], companyId }) },
      { type: 'answer', id: answerId, op: 'put', fields: { scanId, field: 'kvk', value: { number: '12345678' }, evidence: [{ url: 'https://cocoa.example/about', snippet: 'KvK 12345678' }] } },
      { type: 'case', id: caseId, op: 'put', fields: { members: [w.member.id], lessons: 'Ask early.' } },
    ]);
    const data = JSON.parse(await exportText()) as { members: Array<Record<string, unknown>>; objects: Array<{ type: string; id: string; fields: Record<string, unknown> }> };
    const target = await createLibrary(w.store.db, 'Imported');
    const index = (type: string) => data.objects.findIndex((object) => object.type === type);
    return { data, target, caseId, clipId, companyId, scanId, answerId, index };
  }

  async function targetIsEmpty(libraryId: string): Promise<boolean> {
    for (const table of ['cases', 'clips', 'companies', 'scans', 'answers'] as const) {
      const row = await w.store.db.selectFrom(table).select('id').where('library_id', '=', libraryId).executeTakeFirst();
      if (row) return false;
    }
    const members = await w.store.db.selectFrom('memberships').select('user_id').where('library_id', '=', libraryId).execute();
    return members.length === 0;
  }

  async function importFails(data: unknown, libraryId: string): Promise<string> {
    try {
      await importLibrary(w.store, libraryId, parseExport(JSON.stringify(data)));
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      expect(await targetIsEmpty(libraryId)).toBe(true);
      return (error as Error).message;
    }
    throw new Error('the import was accepted');
  }

  /** The export with every object id (and so every reference to it) replaced, as if from another store. */
  function freshIds<T extends { objects: Array<{ id: string }> }>(data: T): T {
    let text = JSON.stringify(data);
    for (const object of data.objects) text = text.split(object.id).join(newId());
    return JSON.parse(text) as T;
  }

  it('imports a valid export, the check does not refuse good data', async () => {
    const { data, target } = await fixture();
    const copy = freshIds(data);
    const summary = await importLibrary(w.store, target.id, parseExport(JSON.stringify(copy)));
    expect(summary.objects).toBe(data.objects.length);
  });

  it('rejects wrong-typed or malformed fields, naming the object and the field, and writes nothing', async () => {
    const { data, target, index } = await fixture();
    const cases: Array<[string, (copy: typeof data) => void, RegExp]> = [
      ['tags not a list', (copy) => { copy.objects[index('clip')]!.fields.tags = 5; }, /clip .*tags/],
      ['title a number', (copy) => { copy.objects[index('clip')]!.fields.title = 7; }, /clip .*title/],
      ['case status unknown', (copy) => { copy.objects[index('case')]!.fields.status = 'weird'; }, /case .*status/],
      ['case lessons an object', (copy) => { copy.objects[index('case')]!.fields.lessons = { a: 1 }; }, /case .*lessons/],
      ['company domains a string', (copy) => { copy.objects[index('company')]!.fields.domains = 'cocoa.example'; }, /company .*domains/],
      ['company identifiers a list', (copy) => { copy.objects[index('company')]!.fields.identifiers = ['x']; }, /company .*identifiers/],
      ['scan status a number', (copy) => { copy.objects[index('scan')]!.fields.status = 1; }, /scan .*status/],
      ['answer evidence not objects', (copy) => { copy.objects[index('answer')]!.fields.evidence = ['x']; }, /answer .*evidence/],
      ['answer value nested too deep', (copy) => { copy.objects[index('answer')]!.fields.value = nested(40); }, /answer .*value.*nested/],
      ['a tag with a lone surrogate', (copy) => { copy.objects[index('clip')]!.fields.tags = [LONE_SURROGATE]; }, /clip .*tags.*Unicode/],
      ['a note with a NUL byte', (copy) => { copy.objects[index('clip')]!.fields.note = NUL; }, /clip .*note.*NUL/],
      ['an unknown field', (copy) => { copy.objects[index('clip')]!.fields.colour = 'red'; }, /clip .*colour/],
      ['a clip without url', (copy) => { delete copy.objects[index('clip')]!.fields.url; }, /clip .*url/],
      ['a version of 1e300', (copy) => { (copy.objects[index('clip')] as Record<string, unknown>).version = 1e300; }, /clip .*version/],
      ['fieldVersions of a string', (copy) => { (copy.objects[index('case')] as Record<string, unknown>).fieldVersions = { lessons: 'x' }; }, /case .*fieldVersions/],
      ['createdAt not a date', (copy) => { (copy.objects[index('case')] as Record<string, unknown>).createdAt = 'yesterday'; }, /case .*createdAt/],
      ['library name with NUL', (copy) => { (copy as unknown as { library: { name: string } }).library.name = NUL; }, /library.*name/],
    ];
    for (const [label, spoil, expected] of cases) {
      const copy = freshIds(structuredClone(data));
      spoil(copy);
      const message = await importFails(copy, target.id);
      expect(message, label).toMatch(expected);
    }
  });

  it("rejects references to another library's objects and members", async () => {
    const { data, target, index } = await fixture();
    const otherCase = newId();
    const otherCompany = newId();
    const reply = await w.push(w.outsider, [
      { type: 'case', id: otherCase, op: 'put', fields: { title: 'Theirs' } },
      { type: 'company', id: otherCompany, op: 'put', fields: { name: 'Theirs Ltd' } },
    ], { library: w.libB.id });
    expect(reply.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const cases: Array<[string, (copy: typeof data) => void, RegExp]> = [
      ['clip in a case of library B', (copy) => { copy.objects[index('clip')]!.fields.caseIds = [otherCase]; }, /clip .*caseIds.*no case/],
      ['clip of a company of library B', (copy) => { copy.objects[index('clip')]!.fields.companyId = otherCompany; }, /clip .*companyId.*no company/],
      ['scan of a company of library B', (copy) => { copy.objects[index('scan')]!.fields.companyId = otherCompany; }, /scan .*companyId.*no company/],
      ['scan in a case of library B', (copy) => { copy.objects[index('scan')]!.fields.caseId = otherCase; }, /scan .*caseId.*no case/],
      ['answer to a scan that is not in the file', (copy) => { copy.objects[index('answer')]!.fields.scanId = newId(); }, /answer .*scanId.*no scan/],
      ['a case member from library B', (copy) => { copy.objects[index('case')]!.fields.members = [w.outsider.id]; }, /case .*members.*not a member/],
    ];
    for (const [label, spoil, expected] of cases) {
      const copy = freshIds(structuredClone(data));
      spoil(copy);
      const message = await importFails(copy, target.id);
      expect(message, label).toMatch(expected);
    }
  });

  it('casebook import names every bad item on one line, exits non-zero and writes nothing', async () => {
    const { data } = await fixture();
    const target = await freshStoreTarget();
    const other = await openStore(target);
    const library = await createLibrary(other.db, 'Imported');
    await other.close();
    const dir = tempDir();
    const run = async (file: string) => {
      const out: string[] = [];
      const io = { stdout: (text: string) => out.push(text), stderr: () => undefined, readStdin: async () => '' };
      try {
        return { code: (await importCommand.run(['--library', library.id, '--in', file, '--db', target], io)) ?? 0, message: out.join('') };
      } catch (error) {
        return { code: error instanceof CliError ? error.exitCode : -1, message: (error as Error).message };
      }
    };
    const bad = structuredClone(data);
    bad.objects[bad.objects.findIndex((object) => object.type === 'clip')]!.fields.tags = ['x\ud800'];
    bad.members.push({ id: 'not-a-uuid', email: '', name: 'Nobody', organisation: '', intro: '', role: 'member' });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const refused = await run(join(dir, 'bad.json'));
    expect(refused.code).toBe(2);
    expect(refused.message).not.toContain('\n');
    expect(refused.message).toMatch(/nothing was imported; 2 items are not valid: members\[\d\].*: id: must be a UUID; objects\[\d+\] \(clip [0-9a-f-]{36}\): fields\.tags\.0: must be well-formed Unicode/);
    writeFileSync(join(dir, 'good.json'), JSON.stringify(data));
    const check = await openStore(target);
    try {
      expect(await check.db.selectFrom('clips').select('id').execute()).toEqual([]);
    } finally {
      await check.close();
    }
    const accepted = await run(join(dir, 'good.json'));
    expect(accepted).toMatchObject({ code: 0 });
    expect(accepted.message).toMatch(new RegExp(`imported ${data.objects.length} objects`));
  });

  it('never changes the role of someone already in the target library', async () => {
    const { data, target } = await fixture();
    await setMembership(w.store.db, target.id, w.admin.id, 'admin');
    const copy = freshIds(structuredClone(data));
    for (const member of copy.members) member.role = 'reader';
    await importLibrary(w.store, target.id, parseExport(JSON.stringify(copy)));
    const roles = await w.store.db.selectFrom('memberships').select(['user_id', 'role']).where('library_id', '=', target.id).execute();
    expect(roles.find((row) => row.user_id === w.admin.id)?.role).toBe('admin');
    expect(roles.find((row) => row.user_id === w.member.id)?.role).toBe('reader');
  });

  it('needs a valid e-mail and a uuid for every member', async () => {
    const { data, target } = await fixture();
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['empty e-mail', { email: '' }, /members\[\d\].*email/],
      ['not an e-mail', { email: 'nobody' }, /members\[\d\].*email/],
      ['id not a uuid', { id: 'admin' }, /members\[\d\].*id/],
      ['name with NUL', { name: NUL }, /members\[\d\].*name/],
      ['unknown role', { role: 'owner' }, /members\[\d\].*role/],
    ];
    for (const [label, change, expected] of cases) {
      const copy = freshIds(structuredClone(data));
      copy.members.push({ id: newId(), email: `new-${newId()}@example.org`, name: 'New', organisation: '', intro: '', role: 'member', ...change });
      const message = await importFails(copy, target.id);
      expect(message, label).toMatch(expected);
    }
  });
});
