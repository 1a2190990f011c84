// What a newcomer's walk-through of the web library found (issue 13, items 4-8), over a real
// listening server on a SQLite :memory: demo store: one case per submitted form, the favicon,
// searching cases, result ranges, the way back to a search, the date-range message, recent clips
// by the date shown, no version counter on the clip page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from '../../service/repos/accounts.ts';
import { pushChanges } from '../../service/sync/push.ts';
import { Client, csrfOf, listen, signedIn, webWorld, type WebWorld } from './helpers.ts';

let world: WebWorld;
let server: Awaited<ReturnType<typeof listen>>;
let client: Client;
let lib: string;
let userId: string;
let mid = 0;

const formTokenOf = (html: string) => /name="_form" value="([^"]+)"/.exec(html)?.[1] ?? '';
const decode = (html: string) => html.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

async function push(mutations: Array<{ type: 'case' | 'clip'; id: string; fields: Record<string, unknown> }>) {
  const result = await pushChanges(world.store, {
    libraryId: world.demo.libraryId,
    userId,
    clientId: 'walkthrough-test',
    mutations: mutations.map((m) => ({ ...m, op: 'put' as const, mid: ++mid })),
  });
  expect(result.results.map((r) => r.status)).toEqual(mutations.map(() => 'applied'));
}

beforeAll(async () => {
  world = await webWorld();
  server = await listen(world);
  client = await signedIn(world, server.base);
  lib = `/l/${world.demo.libraryId}`;
  userId = (await findUserByEmail(world.store.db, world.demo.admin.email))!.id;
});
afterAll(async () => {
  await server.close();
  await world.store.close();
});

describe('forms that create something are idempotent per submission', () => {
  const casesTitled = async (title: string) => {
    const { html } = await client.page(`${lib}/cases`);
    return html.split(`>${title}</a>`).length - 1;
  };

  it('a double POST of "Create case" creates one case and both answers lead to it', async () => {
    const form = await client.page(`${lib}/cases`);
    const fields = { _csrf: csrfOf(form.html), _form: formTokenOf(form.html), title: 'Double-clicked case' };
    expect(fields._form).toMatch(/^ft_/);
    // Two requests at once, as two clicks on a slow link send them, then a third resent later.
    const [first, second] = await Promise.all([
      client.request(`${lib}/cases`, { method: 'POST', form: fields }),
      client.request(`${lib}/cases`, { method: 'POST', form: fields }),
    ]);
    const third = await client.request(`${lib}/cases`, { method: 'POST', form: fields });
    expect([first.status, second.status, third.status]).toEqual([303, 303, 303]);
    expect(first.headers.get('location')).toMatch(/\/cases\/[0-9a-f-]{36}\/edit$/);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(third.headers.get('location')).toBe(first.headers.get('location'));
    expect(await casesTitled('Double-clicked case')).toBe(1);
  });

  it('a new form (a new token) creates a new case; a form without its token is refused', async () => {
    const form = await client.page(`${lib}/cases`);
    const created = await client.request(`${lib}/cases`, { method: 'POST', form: { _csrf: csrfOf(form.html), _form: formTokenOf(form.html), title: 'Twice on purpose' } });
    const again = await client.page(`${lib}/cases`);
    const second = await client.request(`${lib}/cases`, { method: 'POST', form: { _csrf: csrfOf(again.html), _form: formTokenOf(again.html), title: 'Twice on purpose' } });
    expect(second.headers.get('location')).not.toBe(created.headers.get('location'));
    expect(await casesTitled('Twice on purpose')).toBe(2);
    const tokenless = await client.request(`${lib}/cases`, { method: 'POST', form: { _csrf: csrfOf(again.html), title: 'No token' } });
    expect(tokenless.status).toBe(400);
    expect(await tokenless.text()).toContain('reload the page');
    expect(await casesTitled('No token')).toBe(0);
  });

  it('a submission that fails frees its token: the corrected form creates the case', async () => {
    const form = await client.page(`${lib}/cases`);
    const token = formTokenOf(form.html);
    const empty = await client.request(`${lib}/cases`, { method: 'POST', form: { _csrf: csrfOf(form.html), _form: token, title: '   ' } });
    expect(empty.status).toBe(400);
    const fixed = await client.request(`${lib}/cases`, { method: 'POST', form: { _csrf: csrfOf(form.html), _form: token, title: 'Retried case' } });
    expect(fixed.status).toBe(303);
    expect(await casesTitled('Retried case')).toBe(1);
  });
});

describe('a submission whose request died', () => {
  it('frees its token after a minute: the form sent again creates the case', async () => {
    const form = await client.page(`${lib}/cases`);
    const token = formTokenOf(form.html);
    // As a request that claimed the token and then died leaves it: no result, two minutes old.
    await world.store.db.insertInto('form_tokens' as never).values({ user_id: userId, token, library_id: world.demo.libraryId, object_id: crypto.randomUUID(), result_url: null, created_at: new Date(Date.now() - 120_000).toISOString() } as never).execute();
    const sent = await client.request(`${lib}/cases`, { method: 'POST', form: { _csrf: csrfOf(form.html), _form: token, title: 'After a lost request' } });
    expect(sent.status).toBe(303);
    const { html } = await client.page(`${lib}/cases`);
    expect(html).toContain('>After a lost request</a>');
  });
});

describe('inviting is idempotent per submission too', () => {
  it('a double POST of "Create invitation" makes one invitation whose link stays valid', async () => {
    const form = await client.page(`${lib}/members`);
    const fields = { _csrf: csrfOf(form.html), _form: formTokenOf(form.html), email: 'twice@example.org', name: 'Twice Clicked', organisation: '', role: 'member' };
    const answers = await Promise.all([
      client.request(`${lib}/members/invite`, { method: 'POST', form: fields }),
      client.request(`${lib}/members/invite`, { method: 'POST', form: fields }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 303]);
    const page = await answers.find((r) => r.status === 200)!.text();
    const secret = /\/invite\/([^<\s"]+)/.exec(page)![1]!;
    const repeat = answers.find((r) => r.status === 303)!.headers.get('location')!;
    expect((await client.page(repeat)).html).toContain('This invitation was created by your first click');
    const rows = await world.store.db.selectFrom('invitations' as never).selectAll().where('email' as never, '=', 'twice@example.org' as never).execute() as Array<{ revoked_at: string | null }>;
    expect(rows.length).toBe(1);
    expect(rows[0]!.revoked_at).toBeNull();
    // The link shown to the first click still opens the invitation.
    expect((await new Client(world.app, server.base).page(`/invite/${secret}`)).status).toBe(200);
  });
});

describe('layout details', () => {
  it('serves /favicon.ico as a small icon, not a JSON 404', async () => {
    const response = await fetch(`${server.base}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    const body = await response.text();
    expect(body).toMatch(/^<svg /);
    expect(body.length).toBeLessThan(2000);
    const { html } = await client.page(`${lib}/`);
    expect(html).toContain('<link rel="icon" href="/favicon.ico"');
  });

  it('lists recent clips on the home page by the date they show, not by arrival', async () => {
    // Arrives last, clipped long ago (an import or an offline outbox): it must not come first.
    await push([{ type: 'clip', id: crypto.randomUUID(), fields: { url: 'https://late.example/old', kind: 'article', title: 'Arrived late, clipped in 2019', text: 'old', capturedAt: '2019-03-04T10:00:00.000Z', capturedBy: userId } }]);
    const { html } = await client.page(`${lib}/`);
    const recent = html.slice(html.indexOf('id="recent-h"'), html.indexOf('id="cases-h"'));
    const dates = [...recent.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1]!);
    expect(dates.length).toBeGreaterThan(3);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(recent.indexOf('Arrived late')).toBe(-1);
  });

  it('does not show the library-wide version counter on a clip page', async () => {
    const { html } = await client.page(`${lib}/search?q=premium`);
    const id = /\/clips\/([0-9a-f-]{36})/.exec(html)![1]!;
    const clip = await client.page(`${lib}/clips/${id}`);
    expect(clip.html).not.toContain('<dt>Version</dt>');
    expect(clip.html).not.toMatch(/version \d+/i);
    // A conflict on the note does not name the counter either.
    const base = /name="baseVersion" value="(\d+)"/.exec(clip.html)![1]!;
    await pushChanges(world.store, { libraryId: world.demo.libraryId, userId, clientId: 'walkthrough-colleague', mutations: [{ mid: 1, type: 'clip', id, op: 'put', baseVersion: Number(base), fields: { note: 'A colleague wrote this.' } }] });
    const stale = await client.request(`${lib}/clips/${id}`, { method: 'POST', form: { _csrf: csrfOf(clip.html), baseVersion: base, tags: '', note: 'Mine.' } });
    expect(stale.status).toBe(409);
    const conflict = await stale.text();
    expect(conflict).toContain('Someone else changed the note');
    expect(conflict).not.toMatch(/version \d+/i);
  });
});

describe('search', () => {
  const word = 'quokkasighting';

  beforeAll(async () => {
    const clips = Array.from({ length: 25 }, (_, i) => ({
      type: 'clip' as const,
      id: crypto.randomUUID(),
      fields: { url: `https://quokka.example/${i}`, kind: 'article', title: `Report ${i + 1}`, text: `A ${word} on day ${i + 1}.`, capturedAt: `2026-0${1 + (i % 9)}-1${i % 10}T09:00:00.000Z`, capturedBy: userId },
    }));
    await push(clips);
    await push([{ type: 'case', id: crypto.randomUUID(), fields: { title: 'Island partners', description: `We study the ${word} cooperative and its buyers.` } }]);
  });

  it('finds cases by their title and description, above the clips', async () => {
    const byDescription = await client.page(`${lib}/search?q=${word}`);
    expect(byDescription.html).toContain('id="case-results-h"');
    const cases = byDescription.html.slice(byDescription.html.indexOf('id="case-results-h"'), byDescription.html.indexOf('id="results-h"'));
    expect(cases).toContain('>Island partners</a>');
    expect(cases).toContain(`<mark>${word}</mark>`);
    const byTitle = await client.page(`${lib}/search?q=${encodeURIComponent('cocoa cooperative')}`);
    expect(byTitle.html.slice(0, byTitle.html.indexOf('id="results-h"'))).toContain('Cocoa cooperative partnership in Ghana</a>');
    // The description's Markdown reads as text in the snippet.
    const asante = await client.page(`${lib}/search?q=Asante`);
    const asanteCases = asante.html.slice(asante.html.indexOf('id="case-results-h"'), asante.html.indexOf('id="results-h"'));
    expect(asanteCases).toContain('<mark>Asante</mark> Farmers');
    expect(asanteCases).not.toContain('**');
    const none = await client.page(`${lib}/search?q=nothingmatchesthis`);
    expect(none.html).not.toContain('id="case-results-h"');
  });

  it('says which results a page shows: "1–20 of 25", then "21–25 of 25"', async () => {
    const first = await client.page(`${lib}/search?q=${word}`);
    expect(first.html).toContain('1–20 of 25');
    expect(first.html.match(/<li>\s*<a class="item-title" href="[^"]*\/clips\//g)?.length).toBe(20);
    const next = /<a href="([^"]+)" rel="next">/.exec(first.html)![1]!;
    const second = await client.page(decode(next));
    expect(second.html).toContain('21–25 of 25');
    expect(second.html).not.toContain('rel="next"');
    expect(second.html).toContain('rel="prev"');
    // The web's own filters (organisation, dates) count the same way.
    const byOrg = await client.page(`${lib}/search?q=${word}&org=Wereldwerk`);
    expect(byOrg.html).toContain('1–20 of 25');
    const byOrgNext = await client.page(decode(/<a href="([^"]+)" rel="next">/.exec(byOrg.html)![1]!));
    expect(byOrgNext.html).toContain('21–25 of 25');
    const byDate = await client.page(`${lib}/search?q=${word}&from=2026-01-01&to=2026-01-31`);
    expect(byDate.html).toMatch(/1–3 of 3</);
    // No developer timing on the page.
    expect(first.html).not.toMatch(/\(\d+ ms\)/);
    expect(second.response.headers.get('server-timing')).toBeNull();
  });

  it('"← Search" on a clip returns to the search with its query, filters and page', async () => {
    const first = await client.page(`${lib}/search?q=${word}&kind=article`);
    const next = decode(/<a href="([^"]+)" rel="next">/.exec(first.html)![1]!);
    const second = await client.page(next);
    const clipHref = decode(/<a class="item-title" href="([^"]*\/clips\/[^"]+)"/.exec(second.html)![1]!);
    expect(clipHref).toContain('back=');
    const clip = await client.page(clipHref);
    const back = decode(/<a href="([^"]+)">← Search<\/a>/.exec(clip.html)![1]!);
    const params = new URL(back, server.base).searchParams;
    expect(params.get('q')).toBe(word);
    expect(params.get('kind')).toBe('article');
    expect(params.get('start')).toBe('20');
    expect((await client.page(back)).html).toContain('21–25 of 25');
    // A forged back parameter cannot lead anywhere but this library's search.
    const forged = await client.page(`/l/${world.demo.libraryId}/clips/${/\/clips\/([0-9a-f-]{36})/.exec(clipHref)![1]}?back=${encodeURIComponent('q=x&next=https://evil.example')}`);
    expect(decode(/<a href="([^"]+)">← Search<\/a>/.exec(forged.html)![1]!)).toBe(`${lib}/search?q=x`);
  });

  it('explains a "from" date after the "to" date instead of showing nothing', async () => {
    const { html } = await client.page(`${lib}/search?q=${word}&from=2026-05-01&to=2026-02-01`);
    expect(html).toContain('role="alert"');
    expect(html).toContain('is after “Clipped until” (2026-02-01)');
    const swap = decode(/<a href="([^"]+)">Search from 2026-02-01 until 2026-05-01<\/a>/.exec(html)![1]!);
    const swapped = await client.page(swap);
    expect(swapped.html).toMatch(/1–\d+ of \d+/);
    expect(swapped.html).not.toContain('role="alert"');
  });
});
