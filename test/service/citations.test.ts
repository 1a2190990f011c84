// Issue 16, item 3: a case or chosen clips exported as CSL-JSON, RIS and BibTeX (read back by
// the same library, citation-js, and checked field by field against the clips), and CSL-JSON
// imported into a case through the push path: a round trip into another case, idempotent
// re-import, and hostile items rejected alone with their reason.
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-ris';
import '@citation-js/plugin-bibtex';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../service/db/connect.ts';
import { clipToCsl, importedClipId } from '../../service/export/citations.ts';
import { createLibrary, createUser, setMembership } from '../../service/repos/accounts.ts';
import { pushChanges } from '../../service/sync/push.ts';
import { runCli, tempDir } from '../helpers/processes.ts';
import { freshStoreTarget } from '../helpers/store.ts';
import { Client, csrfOf } from '../web/helpers.ts';
import { makeWorld, newId, type World } from '../helpers/world.ts';

let w: World;
let lib: string;
let caseA: string;
let caseB: string;
const ids = { article: newId(), quote: newId(), link: newId(), other: newId(), gone: newId() };

type Csl = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ARTICLE = {
  url: 'https://news.example.org/cocoa?utm=1&x=2',
  canonicalUrl: 'https://news.example.org/cocoa',
  kind: 'article',
  title: 'Cocoa prices & child labour in Côte d’Ivoire: 50% {up} $5 #1 ~_^\\',
  byline: 'By Jane Doe and Piet van Dijk',
  siteName: 'Example News',
  publishedAt: '2024-03-05T08:00:00Z',
  capturedAt: '2026-11-30T10:00:00.000Z',
  excerpt: 'Prices soar while harvests fail.',
  lang: 'en',
  note: 'Read for the plenary.\nSecond line.',
  tags: ['cocoa', 'child labour'],
  text: 'Cocoa farmers see prices soar.',
};
const QUOTE = {
  url: 'https://blog.example.com/supply',
  kind: 'selection',
  title: 'Supply chains',
  byline: 'Reuters',
  siteName: 'Example Blog',
  publishedAt: '2023-12-01',
  capturedAt: '2026-11-29T09:00:00.000Z',
  selection: { text: 'Traders worry about child labour.', quoteUrl: 'https://blog.example.com/supply#:~:text=Traders%20worry' },
  note: '',
  tags: ['supply'],
};
const LINK = { url: 'https://example.com/reports/2024/annual-report-with-a-name-that-goes-well-past-seventy-characters.pdf?download=1', kind: 'link', title: 'Annual report 2024 年度报告 🌱', byline: 'Doe, Jane', tags: [] };

beforeEach(async () => {
  w = await makeWorld();
  lib = w.libA.id;
  caseA = newId();
  caseB = newId();
  const pushed = await w.push(w.member, [
    { type: 'case', id: caseA, op: 'put', fields: { title: 'Cocoa' } },
    { type: 'case', id: caseB, op: 'put', fields: { title: 'Reading list' } },
    { type: 'clip', id: ids.article, op: 'put', fields: { ...ARTICLE, caseIds: [caseA] } },
    { type: 'clip', id: ids.quote, op: 'put', fields: { ...QUOTE, caseIds: [caseA] } },
    { type: 'clip', id: ids.link, op: 'put', fields: { ...LINK, caseIds: [caseA] } },
    { type: 'clip', id: ids.other, op: 'put', fields: { url: 'https://elsewhere.example.org/', kind: 'link', title: 'Not in the case' } },
    { type: 'clip', id: ids.gone, op: 'put', fields: { url: 'https://gone.example.org/', kind: 'link', title: 'Deleted', caseIds: [caseA] } },
  ]);
  expect(pushed.body.results.every((r: { status: string }) => r.status === 'applied')).toBe(true);
  await w.push(w.member, [{ type: 'clip', id: ids.gone, op: 'delete' }]);
});

async function exported(format: string, query = `case=${caseA}`) {
  const reply = await w.app.request(`/api/v1/libraries/${lib}/export?format=${format}&${query}`, { headers: { authorization: `Bearer ${w.member.token}` } });
  return { status: reply.status, type: reply.headers.get('content-type') ?? '', disposition: reply.headers.get('content-disposition') ?? '', text: await reply.text() };
}

const parts = (date: unknown) => (date as { 'date-parts': number[][] } | undefined)?.['date-parts']?.[0];
const squash = (value: unknown) => String(value ?? '').replace(/\s+/g, ' ').trim();
const names = (list: Array<Record<string, string>>) =>
  list.map((name) => name.literal ?? [name.given, name['non-dropping-particle'], name.family].filter(Boolean).join(' '));
const keywords = (value: unknown) => String(value ?? '').split(',').map((tag) => tag.trim()).filter(Boolean).sort();

/** The checks every format passes: what Zotero shows for a web page. */
function checkCommon(items: Csl[], format: string) {
  const byUrl = new Map(items.map((item) => [item.URL as string, item]));
  expect(items).toHaveLength(3);
  expect(byUrl.has('https://gone.example.org/')).toBe(false);
  expect(byUrl.has('https://elsewhere.example.org/')).toBe(false);

  const article = byUrl.get('https://news.example.org/cocoa')!;
  expect(article, format).toBeDefined();
  expect(article.title).toBe(ARTICLE.title);
  // Names as a reader sees them: particles may be kept apart or in the family name.
  expect(names(article.author)).toEqual(['Jane Doe', 'Piet van Dijk']);
  expect(article.author[0]).toMatchObject({ given: 'Jane', family: 'Doe' });
  expect(parts(article.issued)).toEqual([2024, 3, 5]);
  expect(parts(article.accessed)).toEqual([2026, 11, 30]);
  expect(squash(article.note)).toBe(squash(ARTICLE.note));
  expect(keywords(article.keyword)).toEqual([...ARTICLE.tags].sort());
  expect(article.abstract).toBe(ARTICLE.excerpt);
  expect(article.language).toBe('en');

  const quote = byUrl.get(QUOTE.url)!;
  expect(quote.abstract).toBe(QUOTE.selection.text);
  expect(quote.note).toContain(QUOTE.selection.quoteUrl);
  expect(names(quote.author)).toEqual(['Reuters']);
  expect(parts(quote.issued)).toEqual([2023, 12, 1]);
  expect(parts(quote.accessed)).toEqual([2026, 11, 29]);

  const link = byUrl.get(LINK.url)!;
  expect(link.title).toBe(LINK.title);
  expect(link.author).toEqual([expect.objectContaining({ given: 'Jane', family: 'Doe' })]);
  expect(names(link.author)).toEqual(['Jane Doe']);
  expect(link.issued).toBeUndefined();
  return { article, quote, link };
}

describe('citation export', () => {
  it('CSL-JSON: every field of every clip of the case, read back by citation-js', async () => {
    const reply = await exported('csl-json');
    expect(reply.status).toBe(200);
    expect(reply.type).toContain('application/vnd.citationstyles.csl+json');
    expect(reply.disposition).toMatch(/filename="community-a-cocoa-\d{4}-\d{2}-\d{2}\.json"/);
    const raw = JSON.parse(reply.text) as Csl[];
    const items = new Cite(raw).data as Csl[];
    const { article, quote } = checkCommon(items, 'csl-json');
    // Only CSL-JSON keeps line breaks and the clip's id.
    expect(article.note).toBe(ARTICLE.note);
    expect(article.id).toBe(ids.article);
    expect(article.type).toBe('webpage');
    expect(article['container-title']).toBe('Example News');
    expect(quote['container-title']).toBe('Example Blog');
  });

  it('RIS: titles, authors, dates, URLs, access dates, notes and tags', async () => {
    const reply = await exported('ris');
    expect(reply.status).toBe(200);
    expect(reply.type).toContain('application/x-research-info-systems');
    expect(reply.disposition).toContain('.ris"');
    expect(reply.text).toMatch(/^TY {2}- ELEC$/m);
    const items = new Cite(reply.text).data as Csl[];
    const { article } = checkCommon(items, 'ris');
    // RIS reads an ELEC record back as a web page.
    expect(article.type).toBe('webpage');
  });

  it('BibTeX: the same fields, plus the site, through citation-js’s BibTeX reader', async () => {
    const reply = await exported('bibtex');
    expect(reply.status).toBe(200);
    expect(reply.type).toContain('application/x-bibtex');
    expect(reply.disposition).toContain('.bib"');
    expect(reply.text).toMatch(/^@online\{/m);
    const items = new Cite(reply.text).data as Csl[];
    const { article, quote, link } = checkCommon(items, 'bibtex');
    // The clip id (without its hyphens) is the citation key; Chinese and emoji are kept as UTF-8
    // (the title, TeX's specials and accents included, was read back whole above).
    expect(article.id).toBe(ids.article.replace(/-/g, ''));
    expect(link.id).toBe(ids.link.replace(/-/g, ''));
    expect(reply.text).toContain('年度报告 🌱');
    expect(article['container-title']).toBe('Example News');
    expect(quote['container-title']).toBe('Example Blog');
  });

  it('exports chosen clips only, and refuses ids that are not live clips of the library', async () => {
    const reply = await exported('csl-json', `clips=${ids.article},${ids.other}`);
    expect(reply.status).toBe(200);
    expect((JSON.parse(reply.text) as Csl[]).map((item) => item.id).sort()).toEqual([ids.article, ids.other].sort());
    expect((await exported('ris', `clips=${ids.gone}`)).status).toBe(404);
    expect((await exported('ris', 'clips=1,2')).status).toBe(400);
    expect((await exported('markdown', `clips=${ids.article}`)).status).toBe(400);
    expect((await exported('endnote')).status).toBe(400);
    // Another library's reader cannot name this library's clips.
    const foreign = await w.call(w.outsider, 'GET', `/api/v1/libraries/${w.libB.id}/export?format=csl-json&clips=${ids.article}`);
    expect(foreign.status).toBe(404);
  });

  it('a whole library, large enough to be written in several chunks, stays one valid document', async () => {
    const many = Array.from({ length: 230 }, (_, i) => ({ type: 'clip', id: newId(), op: 'put', fields: { url: `https://bulk.example.org/${i}`, kind: 'link', title: `Bulk ${i}` } }));
    for (let i = 0; i < many.length; i += 50) await w.push(w.member, many.slice(i, i + 50));
    const json = await exported('csl-json', 'x=1');
    expect(JSON.parse(json.text)).toHaveLength(230 + 4);
    const ris = await exported('ris', 'x=1');
    expect(new Cite(ris.text).data).toHaveLength(234);
  });

  it('a line break in a title or note cannot forge a RIS record or tag', async () => {
    const caseX = newId();
    const forged = 'Real title\r\nER  - \nTY  - JOUR\nTI  - Forged record\u2028UR  - https://evil.example/';
    await w.push(w.member, [
      { type: 'case', id: caseX, op: 'put', fields: { title: 'X' } },
      { type: 'clip', id: newId(), op: 'put', fields: { url: 'https://real.example.org/', kind: 'link', title: forged, note: 'a\nKW  - forged-tag', tags: ['real'], caseIds: [caseX] } },
    ]);
    const reply = await exported('ris', `case=${caseX}`);
    const items = new Cite(reply.text).data as Csl[];
    expect(items).toHaveLength(1);
    expect(items[0]!.URL).toBe('https://real.example.org/');
    expect(items[0]!.title).toBe('Real title ER - TY - JOUR TI - Forged record UR - https://evil.example/');
    expect(items[0]!.note).toBe('a KW - forged-tag');
    expect(keywords(items[0]!.keyword)).toEqual(['real']);
    expect(reply.text.match(/^TY {2}- /gm)).toHaveLength(1);
  });

  it('never puts a quote link that is not http(s) into a note', () => {
    const item = clipToCsl({
      type: 'clip', id: ids.quote, libraryId: lib, version: 1, deleted: false, fieldVersions: {}, createdBy: '', updatedBy: '', createdAt: '', updatedAt: '',
      fields: { ...QUOTE, selection: { text: 'x', quoteUrl: 'javascript:alert(1)' } },
    } as never);
    expect(String(item.note ?? '')).not.toContain('javascript');
    // A PDF clip (a company's report) is a report to Zotero.
    const pdf = clipToCsl({ type: 'clip', id: ids.link, libraryId: lib, version: 1, deleted: false, fields: { ...LINK, kind: 'pdf' } } as never);
    expect(pdf.type).toBe('report');
    expect(new Cite([pdf]).format('ris')).toMatch(/^TY {2}- RPRT/m);
  });
});

describe('CSL-JSON import', () => {
  const importInto = (caseId: string, body: unknown, who = w.member) => w.call(who, 'POST', `/api/v1/libraries/${lib}/cases/${caseId}/import-csl`, body);
  const clip = async (id: string) => (await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/clips/${id}`)).body.clip;

  it('round trip: a case exported as CSL-JSON and imported into another case keeps its fields', async () => {
    const items = JSON.parse((await exported('csl-json')).text) as Csl[];
    const reply = await importInto(caseB, items);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ created: 3, added: 0, unchanged: 0, rejected: 0 });
    const byUrl = new Map<string, Record<string, any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const result of reply.body.results) {
      const imported = await clip(result.clipId);
      byUrl.set(imported.url, imported);
    }
    const article = byUrl.get(ARTICLE.canonicalUrl)!;
    expect(article).toMatchObject({
      kind: 'link',
      title: ARTICLE.title,
      byline: 'Jane Doe, Piet van Dijk',
      siteName: ARTICLE.siteName,
      publishedAt: '2024-03-05',
      capturedAt: '2026-11-30',
      lang: 'en',
      excerpt: ARTICLE.excerpt,
      note: ARTICLE.note,
      caseIds: [caseB],
    });
    expect([...article.tags].sort()).toEqual([...ARTICLE.tags].sort());
    const quote = byUrl.get(QUOTE.url)!;
    expect(quote).toMatchObject({ byline: 'Reuters', excerpt: QUOTE.selection.text, publishedAt: '2023-12-01', tags: ['supply'] });
    expect(quote.note).toContain(QUOTE.selection.quoteUrl);
    expect(byUrl.get(LINK.url)).toMatchObject({ title: LINK.title, byline: 'Jane Doe' });
    // The originals are untouched; the case B page lists the three new clips.
    expect((await clip(ids.article)).caseIds).toEqual([caseA]);
    const detail = await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/cases/${caseB}`);
    expect(detail.body.clips).toHaveLength(3);
  });

  it('re-importing the same items changes nothing; importing them into a third case adds that case', async () => {
    const items = JSON.parse((await exported('csl-json')).text) as Csl[];
    await importInto(caseB, items);
    const before = (await w.pull(w.member)).body.version;
    const again = await importInto(caseB, items);
    expect(again.body).toMatchObject({ created: 0, added: 0, unchanged: 3, rejected: 0 });
    expect((await w.pull(w.member)).body.version).toBe(before);
    // An edit made after the import survives a re-import.
    const someId = again.body.results[0].clipId as string;
    await w.push(w.member, [{ type: 'clip', id: someId, op: 'put', fields: { note: 'my own note' } }]);
    const caseC = newId();
    await w.push(w.member, [{ type: 'case', id: caseC, op: 'put', fields: { title: 'Third' } }]);
    const third = await importInto(caseC, items);
    expect(third.body).toMatchObject({ created: 0, added: 3, unchanged: 0, rejected: 0 });
    const edited = await clip(someId);
    expect(edited.note).toBe('my own note');
    expect([...edited.caseIds].sort()).toEqual([caseB, caseC].sort());
    expect(someId).toBe(importedClipId(lib, `url:${edited.url}`));
  });

  it('hostile items are rejected alone, each with its reason; the good ones are imported', async () => {
    const good = { id: 'good', type: 'webpage', title: 'Good', URL: 'https://good.example.org/a', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2020, 1, 2]] } };
    const doiOnly = { id: 'doi', type: 'article-journal', title: 'By DOI', DOI: '10.1234/abc.5' };
    const hostile: Array<[unknown, RegExp]> = [
      [{ id: 'js', title: 'x', URL: 'javascript:alert(1)' }, /http\(s\) URL/],
      [{ id: 'data', title: 'x', URL: 'data:text/html,<script>alert(1)</script>' }, /http\(s\) URL/],
      [{ id: 'type', title: 42, URL: 'https://a.example.org/' }, /title/],
      [{ id: 'huge', title: 'x'.repeat(300_000), URL: 'https://b.example.org/' }, /title/],
      [{ id: 'hugeurl', URL: `https://c.example.org/${'a'.repeat(5_000)}` }, /URL/],
      [{ id: 'nul', title: 'a\u0000b', URL: 'https://d.example.org/' }, /NUL/],
      [{ id: 'surrogate', note: 'bad \uD800 text', URL: 'https://e.example.org/' }, /surrogate/],
      [{ id: 'authors', URL: 'https://f.example.org/', author: 'Jane Doe' }, /author/],
      [{ id: 'authors2', URL: 'https://f2.example.org/', author: [{ family: { $gt: '' } }] }, /author/],
      [{ id: 'date', URL: 'https://g.example.org/', issued: { 'date-parts': [['twenty']] } }, /issued/],
      [{ id: 'rawdate', URL: 'https://h.example.org/', issued: { raw: 'not a date at all' } }, /publishedAt|date/],
      [{ id: 'nourl', title: 'Nowhere' }, /URL or a DOI/],
      [{ id: 'baddoi', DOI: 'javascript:alert(1)' }, /DOI/],
      [{ id: 'tags', URL: 'https://i.example.org/', keyword: Array.from({ length: 500 }, (_, i) => `t${i}`) }, /keyword/],
      [null, /CSL-JSON object/],
      ['a string', /CSL-JSON object/],
      [[1, 2], /CSL-JSON object/],
      [{ id: 'dup', title: 'Again', URL: good.URL }, /same URL as item 0/],
    ];
    const reply = await importInto(caseB, [good, ...hostile.map(([item]) => item), doiOnly]);
    expect(reply.status).toBe(200);
    expect(reply.body.created).toBe(2);
    expect(reply.body.rejected).toBe(hostile.length);
    hostile.forEach(([, reason], i) => {
      const result = reply.body.results[i + 1];
      expect(result.status, JSON.stringify(result).slice(0, 300)).toMatch(/rejected|duplicate/);
      expect(result.error, `item ${i + 1}`).toMatch(reason);
    });
    // Answers stay small: a huge item is not echoed back.
    expect(JSON.stringify(reply.body).length).toBeLessThan(10_000);
    const doi = await clip(reply.body.results.at(-1).clipId);
    expect(doi).toMatchObject({ url: 'https://doi.org/10.1234/abc.5', title: 'By DOI', kind: 'link', caseIds: [caseB] });
    const first = await clip(reply.body.results[0].clipId);
    expect(first).toMatchObject({ byline: 'Jane Doe', publishedAt: '2020-01-02' });
  });

  it('refuses what is not a CSL-JSON import: bad JSON, too many items, unknown case, readers', async () => {
    expect((await importInto(caseB, '{not json')).status).toBe(400);
    expect((await importInto(caseB, { title: 'one item, not a list' })).status).toBe(400);
    const tooMany = Array.from({ length: 1_001 }, (_, i) => ({ URL: `https://x.example.org/${i}` }));
    const many = await importInto(caseB, tooMany);
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(/at most 1000 items/);
    expect((await importInto(caseB, `[${'"x",'.repeat(300_000)}"x"]`)).status).toBe(413);
    expect((await importInto(newId(), [])).status).toBe(404);
    expect((await importInto('not-an-id', [])).status).toBe(404);
    expect((await importInto(caseB, [], w.reader)).status).toBe(403);
    // Someone of another library is told the library does not exist.
    expect((await w.call(w.outsider, 'POST', `/api/v1/libraries/${lib}/cases/${caseB}/import-csl`, [])).status).toBe(404);
    // Nothing was written by any of these.
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/cases/${caseB}`)).body.clips ?? []).toHaveLength(0);
    // `{ items: [...] }` is read like a list.
    const wrapped = await importInto(caseB, { items: [{ URL: 'https://wrapped.example.org/' }] });
    expect(wrapped.body).toMatchObject({ created: 1, rejected: 0 });
  });

  it('a case of 250 imported references answers its newest 200 clips, the count of its live clips and the path that lists them all', async () => {
    const items = Array.from({ length: 250 }, (_, i) => ({ id: `ref-${i}`, type: 'webpage', title: `Reference ${i}`, URL: `https://refs.example.org/${i}` }));
    const imported = await importInto(caseB, items);
    expect(imported.body).toMatchObject({ created: 250, rejected: 0 });
    // Imported in order: the last references are the newest clips of the case.
    const refIds: string[] = imported.body.results.map((result: { clipId: string }) => result.clipId);
    const deleted = refIds.slice(-3);
    await w.push(w.member, deleted.map((id) => ({ type: 'clip', id, op: 'delete' })));
    const latest = newId();
    await w.push(w.member, [{ type: 'clip', id: latest, op: 'put', fields: { url: 'https://latest.example.org/', kind: 'link', title: 'Latest', caseIds: [caseB] } }]);
    const live = [latest, ...refIds.slice(0, -3).reverse()];

    const detail = await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/cases/${caseB}`);
    expect(detail.status).toBe(200);
    const shown: string[] = detail.body.clips.map((clip: { id: string }) => clip.id);
    expect(shown).toEqual(live.slice(0, 200));
    expect(detail.body.clips[0]).toMatchObject({ title: 'Latest', caseIds: [caseB] });
    expect(detail.body.clipsTotal).toBe(248);
    // The case list counts the same live clips.
    const caseList = await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/cases`);
    expect(caseList.body.cases.find((item: { id: string }) => item.id === caseB)?.clipCount).toBe(248);
    expect(detail.body.clipsMore).toBe(`/api/v1/libraries/${lib}/clips?case=${caseB}&order=newest`);

    // The path pages through every live clip of the case, newest first, the deleted ones not among them.
    const listed: string[] = [];
    let page = await w.call(w.member, 'GET', detail.body.clipsMore);
    for (;;) {
      expect(page.status).toBe(200);
      listed.push(...page.body.clips.map((clip: { id: string }) => clip.id));
      if (!page.body.nextCursor) break;
      page = await w.call(w.member, 'GET', `${detail.body.clipsMore}&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    }
    expect(listed).toEqual(live);

    // A case within the bound lists all its live clips and no path: the deleted clip of case A is not counted.
    const small = await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/cases/${caseA}`);
    expect(small.body.clips.map((clip: { id: string }) => clip.id).sort()).toEqual([ids.article, ids.quote, ids.link].sort());
    expect(small.body.clipsTotal).toBe(3);
    expect(small.body).not.toHaveProperty('clipsMore');
  });
});

describe('casebook export and import-csl', () => {
  it('exports a case as RIS and chosen clips as CSL-JSON, and imports CSL-JSON into a case', async () => {
    const target = await freshStoreTarget('citations-cli.db');
    const store = await openStore(target);
    const library = await createLibrary(store.db, 'CLI community');
    const user = await createUser(store.db, { email: 'cli@example.org', name: 'Cli' });
    await setMembership(store.db, library.id, user.id, 'member');
    const reader = await createUser(store.db, { email: 'reader@example.org', name: 'Reader' });
    await setMembership(store.db, library.id, reader.id, 'reader');
    const [one, two] = [newId(), newId()];
    const push = await pushChanges(store, {
      libraryId: library.id, userId: user.id, clientId: 'cli-test',
      mutations: [
        { mid: 1, type: 'case', id: caseA, op: 'put', fields: { title: 'Cocoa' } },
        { mid: 2, type: 'case', id: caseB, op: 'put', fields: { title: 'Imported' } },
        { mid: 3, type: 'clip', id: one, op: 'put', fields: { ...ARTICLE, caseIds: [caseA] } },
        { mid: 4, type: 'clip', id: two, op: 'put', fields: { ...LINK, caseIds: [caseA] } },
      ],
    });
    expect(push.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    await store.close();

    const dir = tempDir('casebook-citations-');
    const ris = runCli(['export', '--library', library.id, '--format', 'ris', '--case', caseA, '--out', join(dir, 'case.ris'), '--db', target]);
    expect(ris.code, ris.stderr).toBe(0);
    const fromRis = new Cite(readFileSync(join(dir, 'case.ris'), 'utf8')).data as Csl[];
    expect(fromRis.map((item) => item.title).sort()).toEqual([ARTICLE.title, LINK.title].sort());
    expect(parts(fromRis.find((item) => item.title === ARTICLE.title)!.accessed)).toEqual([2026, 11, 30]);

    const csl = runCli(['export', '--library', library.id, '--format', 'csl-json', '--clips', one, '--out', join(dir, 'one.json'), '--db', target]);
    expect(csl.code, csl.stderr).toBe(0);
    const items = JSON.parse(readFileSync(join(dir, 'one.json'), 'utf8')) as Csl[];
    expect(items.map((item) => item.id)).toEqual([one]);
    expect(runCli(['export', '--library', library.id, '--format', 'ris', '--clips', 'nope', '--out', join(dir, 'x.ris'), '--db', target]).code).not.toBe(0);

    writeFileSync(join(dir, 'in.json'), JSON.stringify([...items, { id: 'evil', title: 'x', URL: 'javascript:alert(1)' }]));
    const args = ['import-csl', '--library', library.id, '--case', caseB, '--in', join(dir, 'in.json'), '--db', target];
    const imported = runCli([...args, '--as', 'cli@example.org']);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toContain('1 created, 0 added to the case, 0 unchanged, 1 not imported');
    expect(imported.stderr).toMatch(/item 1 \(evil\): URL: must be an http\(s\) URL/);
    const again = runCli([...args, '--as', 'cli@example.org']);
    expect(again.stdout).toContain('0 created, 0 added to the case, 1 unchanged, 1 not imported');
    const refused = runCli([...args, '--as', 'reader@example.org']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is a reader');

    const check = await openStore(target);
    const clipId = importedClipId(library.id, `url:${ARTICLE.canonicalUrl}`);
    const row = await check.db.selectFrom('clips').select(['id']).where('id', '=', clipId).executeTakeFirst();
    await check.close();
    expect(row?.id).toBe(clipId);
  });
});

describe('the web export page', () => {
  it('offers the three reference formats, and imports an uploaded CSL-JSON file into a case', async () => {
    const browser = new Client(w.app);
    expect((await browser.signIn(w.member.email, 'correct horse battery')).status).toBe(303);
    const page = await browser.page(`/l/${lib}/export`);
    expect(page.status).toBe(200);
    for (const format of ['csl-json', 'ris', 'bibtex']) expect(page.html).toContain(`export/download?format=${format}`);
    const download = await browser.request(`/l/${lib}/export/download?format=bibtex&case=${caseA}`);
    expect(download.status).toBe(200);
    expect(new Cite(await download.text()).data).toHaveLength(3);
    const chosen = await browser.request(`/l/${lib}/export/download?format=ris&clips=${ids.quote}`);
    expect((new Cite(await chosen.text()).data as Csl[]).map((item) => item.URL)).toEqual([QUOTE.url]);
    expect((await browser.request(`/l/${lib}/export/download?format=ris&clips=x`)).status).toBe(400);

    const items = JSON.parse((await exported('csl-json')).text) as Csl[];
    const upload = (file: Blob, csrf = csrfOf(page.html), caseId = caseB) => {
      const form = new FormData();
      form.set('_csrf', csrf);
      form.set('case', caseId);
      form.set('file', file, 'zotero.json');
      return browser.request(`/l/${lib}/export/import-csl`, { method: 'POST', body: form });
    };
    const bad = { id: 'evil', title: '<script>alert(1)</script>', URL: 'javascript:alert(1)' };
    const done = await upload(new Blob([JSON.stringify([...items, bad])], { type: 'application/json' }));
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain('3 new, 0 added to the case, 0 already in it, 1 not imported');
    expect(html).toContain('Reference 4 (evil), not imported: URL: must be an http(s) URL');
    expect(html).not.toContain('<script>alert(1)');
    expect((await w.call(w.member, 'GET', `/api/v1/libraries/${lib}/cases/${caseB}`)).body.clips).toHaveLength(3);
    // The same file again: nothing new.
    const again = await upload(new Blob([JSON.stringify(items)]));
    expect(await again.text()).toContain('0 new, 0 added to the case, 3 already in it, 0 not imported');
    // Not JSON, no CSRF token, a case of nobody, a file past the bound: refused, nothing written.
    expect((await upload(new Blob(['{nope']))).status).toBe(400);
    expect((await upload(new Blob([JSON.stringify(items)]), 'forged')).status).toBe(403);
    expect((await upload(new Blob([JSON.stringify(items)]), undefined, newId())).status).toBe(404);
    expect((await upload(new Blob([' '.repeat(1024 * 1024 + 1)]))).status).toBe(413);

    // A reader sees no import form and cannot post one.
    const reader = new Client(w.app);
    await reader.signIn(w.reader.email, 'correct horse battery');
    const readerPage = await reader.page(`/l/${lib}/export`);
    expect(readerPage.html).not.toContain('export/import-csl');
    const form = new FormData();
    form.set('_csrf', csrfOf((await reader.page(`/l/${lib}/`)).html) || 'x');
    form.set('case', caseB);
    form.set('file', new Blob([JSON.stringify(items)]), 'zotero.json');
    const refused = await reader.request(`/l/${lib}/export/import-csl`, { method: 'POST', body: form });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('readers cannot change the library');
  });
});
