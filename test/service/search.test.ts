// Full-text search of clips: found by word, ranked, highlighted, filtered, paged, and never
// broken by what a person types.
import { beforeAll, describe, expect, it } from 'vitest';
import { clipFields, makeWorld, newId, type World } from '../helpers/world.ts';

let w: World;
const caseId = newId();
const ids = { cocoa: newId(), coffee: newId(), dairy: newId(), script: newId() };

beforeAll(async () => {
  w = await makeWorld();
  await w.push(w.member, [
    { type: 'case', id: caseId, op: 'put', fields: { title: 'Cocoa partnership' } },
    { type: 'clip', id: ids.cocoa, op: 'put', fields: clipFields({ title: 'Cocoa cooperative signs deal', text: 'The cooperative in Ghana signed a sustainability deal with the trader.', tags: ['cocoa', 'lesson'], caseIds: [caseId] }) },
    { type: 'clip', id: ids.coffee, op: 'put', fields: clipFields({ title: 'Coffee farmers organise', text: 'Coffee growers in Uganda formed a cooperative. Cocoa is mentioned once.', tags: ['coffee'] }) },
    { type: 'clip', id: ids.dairy, op: 'put', fields: clipFields({ title: 'Zuivelbedrijf investeert in Kenia', text: 'Het zuivelbedrijf werkt samen met boeren coöperaties in Kenia.', tags: ['dairy'], lang: 'nl' }) },
  ]);
  await w.push(w.admin, [
    { type: 'clip', id: ids.script, op: 'put', fields: clipFields({ title: 'Tricky <b>markup</b>', text: 'A text about <script>alert(1)</script> cocoa injection.', tags: ['security'] }) },
  ]);
});

const search = (query: string) => w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?${query}`);

describe('search', () => {
  it('finds clips by a word, best match first, with highlighted snippets', async () => {
    const reply = await search('q=cooperative');
    expect(reply.status).toBe(200);
    const found = reply.body.clips.map((c: { id: string }) => c.id);
    expect(found).toContain(ids.cocoa);
    expect(found).toContain(ids.coffee);
    expect(found[0]).toBe(ids.cocoa); // in the title as well as the text
    expect(reply.body.clips[0].snippet).toMatch(/<mark>cooperative<\/mark>/i);
  });

  it('ignores accents and matches prefixes and phrases', async () => {
    expect((await search('q=cooperaties')).body.clips.map((c: { id: string }) => c.id)).toEqual([ids.dairy]);
    expect((await search('q=zuivel*')).body.clips.map((c: { id: string }) => c.id)).toEqual([ids.dairy]);
    const phrase = (await search(`q=${encodeURIComponent('"sustainability deal"')}`)).body.clips;
    expect(phrase.map((c: { id: string }) => c.id)).toEqual([ids.cocoa]);
    const notPhrase = (await search(`q=${encodeURIComponent('"deal sustainability"')}`)).body.clips;
    expect(notPhrase).toHaveLength(0);
    const either = (await search(`q=${encodeURIComponent('Uganda OR Kenia')}`)).body.clips.map((c: { id: string }) => c.id);
    expect(either.sort()).toEqual([ids.coffee, ids.dairy].sort());
  });

  it('escapes the text around highlights', async () => {
    const hit = (await search('q=injection')).body.clips[0];
    expect(hit.id).toBe(ids.script);
    expect(hit.snippet).toContain('&lt;script&gt;');
    expect(hit.snippet).not.toContain('<script>');
  });

  it('never fails on hostile query syntax', async () => {
    const queries = ['"', 'AND(', '*', '😀', 'cocoa"', 'NEAR(a b', 'title:cocoa', '-', '^cocoa', '{title}: x', "'; DROP TABLE clips; --", 'a'.repeat(5000), '" OR "', '(((', 'cocoa AND', 'OR', '\u0000'];
    for (const q of queries) {
      const reply = await search(`q=${encodeURIComponent(q)}`);
      expect(reply.status, q).toBe(200);
      expect(Array.isArray(reply.body.clips)).toBe(true);
    }
    expect((await search(`q=${encodeURIComponent('cocoa AND(')}`)).body.clips.length).toBeGreaterThan(0);
  });

  it('filters by case, tag, member, company and kind', async () => {
    expect((await search(`case=${caseId}`)).body.clips.map((c: { id: string }) => c.id)).toEqual([ids.cocoa]);
    expect((await search('q=cocoa&tag=coffee')).body.clips.map((c: { id: string }) => c.id)).toEqual([ids.coffee]);
    expect((await search(`member=${w.admin.id}`)).body.clips.map((c: { id: string }) => c.id)).toEqual([ids.script]);
    expect((await search(`member=${encodeURIComponent(w.admin.email)}`)).body.clips.map((c: { id: string }) => c.id)).toEqual([ids.script]);
    expect((await search(`company=${newId()}`)).body.clips).toHaveLength(0);
    expect((await search('kind=selection')).body.clips).toHaveLength(0);
    expect((await search('case=nope')).status).toBe(400);
  });

  it('pages with a cursor and drops deleted clips', async () => {
    const first = (await search('limit=2')).body;
    expect(first.clips).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = (await search(`limit=2&cursor=${first.nextCursor}`)).body;
    expect(second.clips).toHaveLength(2);
    const all = [...first.clips, ...second.clips].map((c: { id: string }) => c.id);
    expect(new Set(all).size).toBe(4);
    expect((await search('cursor=garbage')).status).toBe(400);

    const world = await makeWorld();
    const gone = newId();
    await world.push(world.member, [{ type: 'clip', id: gone, op: 'put', fields: clipFields() }, { type: 'clip', id: gone, op: 'delete' }]);
    const after = await world.call(world.member, 'GET', `/api/v1/libraries/${world.libA.id}/clips?q=cocoa`);
    expect(after.body.clips).toHaveLength(0);
  });

  it("does not find another library's clips", async () => {
    const reply = await w.call(w.outsider, 'GET', `/api/v1/libraries/${w.libB.id}/clips?q=cocoa`);
    expect(reply.body.clips).toHaveLength(0);
  });
});
