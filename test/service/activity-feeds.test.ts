// Issue 15, feeds: Atom documents of a library, a case, a tag and a member's inbox, fetched from a
// real listening server with a feed token, parsed back and checked for the elements RFC 4287
// requires, ids stable across runs, and the token's revocation and renewal.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../service/app.ts';
import { renewFeedToken, revokeFeedToken } from '../../service/repos/feed-tokens.ts';
import { removeMember } from '../../service/repos/accounts.ts';
import { clipFields, makeWorld, newId, type Person, type World } from '../helpers/world.ts';

let w: World;
let lib: string;
const servers: ServerType[] = [];

async function listen(app: World['app']): Promise<string> {
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function put(who: Person, type: string, fields: Record<string, unknown>, id = newId()) {
  const reply = await w.push(who, [{ type, id, op: 'put', fields }]);
  expect(reply.body.results?.[0]?.status, JSON.stringify(reply.body)).toBe('applied');
  return id;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link', 'author', 'category'].includes(name) });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML, checked element by element
type Xml = any;

async function fetchFeed(url: string): Promise<{ status: number; type: string | null; feed: Xml; text: string }> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, type: response.headers.get('content-type'), feed: undefined, text };
  expect(XMLValidator.validate(text)).toBe(true);
  return { status: 200, type: response.headers.get('content-type'), feed: parser.parse(text).feed, text };
}

/** RFC 4287 4.1.1 and 4.1.2: what every feed and entry must have. */
function expectValidAtom(feed: Xml) {
  expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
  expect(String(feed.id)).toMatch(/^urn:/);
  expect(String(feed.title['#text'] ?? feed.title).length).toBeGreaterThan(0);
  expect(Date.parse(feed.updated)).not.toBeNaN();
  expect(feed.link.some((link: Xml) => link['@rel'] === 'self')).toBe(true);
  const entries: Xml[] = feed.entry ?? [];
  for (const entry of entries) {
    expect(String(entry.id)).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(String(entry.title['#text'] ?? entry.title).length).toBeGreaterThan(0);
    expect(Date.parse(entry.updated)).not.toBeNaN();
    expect(entry.author?.[0]?.name ?? feed.author?.[0]?.name).toBeTruthy();
    expect(entry.link[0]['@href']).toMatch(/^http:\/\/casebook\.test\/l\//);
  }
  // Entry ids are unique in a feed.
  expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
  return entries;
}

beforeEach(async () => {
  w = await makeWorld({ publicUrl: 'http://casebook.test' });
  lib = w.libA.id;
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('Atom feeds', () => {
  it('serves valid Atom for a library, a case, a tag and the inbox, with ids stable across runs', async () => {
    const caseId = await put(w.admin, 'case', { title: 'Cocoa & <co>', members: [w.member.id] });
    const clipId = await put(w.admin, 'clip', clipFields({ title: 'Prices <b>soar</b> & fall', caseIds: [caseId], tags: ['cocoa', 'ghana'] }));
    await put(w.admin, 'clip', clipFields({ url: 'https://tea.example.org/', title: 'Tea', tags: ['tea'] }));
    const commentId = await put(w.admin, 'comment', { targetType: 'clip', targetId: clipId, body: 'read <this>', mentions: [w.member.id] });
    const token = await renewFeedToken(w.store.db, w.member.id);
    const base = await listen(w.app);
    const feedUrl = (path: string) => `${base}/feeds/${token}/libraries/${lib}/${path}`;

    const library = await fetchFeed(feedUrl('activity'));
    expect(library.type).toMatch(/^application\/atom\+xml/);
    const entries = expectValidAtom(library.feed);
    expect(entries.map((entry) => entry.id)).toContain(`urn:uuid:${clipId}`);
    // Members' text is escaped once: a reader shows it as written.
    const clipEntry = entries.find((entry) => entry.id === `urn:uuid:${clipId}`);
    expect(clipEntry.title['#text'] ?? clipEntry.title).toBe('ada clipped: Prices &lt;b&gt;soar&lt;/b&gt; &amp; fall');
    expect(library.text).not.toContain('<b>soar');

    const inCase = expectValidAtom((await fetchFeed(feedUrl(`cases/${caseId}`))).feed);
    expect(inCase.map((entry) => entry.id)).toEqual([commentId, clipId, caseId].map((id) => `urn:uuid:${id}`));
    const tagged = expectValidAtom((await fetchFeed(feedUrl('tags/ghana'))).feed);
    expect(tagged.map((entry) => entry.id)).toEqual([`urn:uuid:${clipId}`]);
    const inbox = expectValidAtom((await fetchFeed(feedUrl('inbox'))).feed);
    expect(inbox.length).toBe(2);

    // A second service on the same store (another run) gives the same ids.
    const again = await listen(createApp({ store: w.store, config: { publicUrl: 'http://casebook.test' } }));
    const second = (await fetchFeed(`${again}/feeds/${token}/libraries/${lib}/activity`)).feed;
    expect(second.id).toBe(library.feed.id);
    expect(second.entry.map((entry: Xml) => entry.id)).toEqual(entries.map((entry) => entry.id));

    expect((await fetchFeed(feedUrl(`cases/${newId()}`))).status).toBe(404);
    expect((await fetchFeed(feedUrl('nothing'))).status).toBe(404);
  });

  it('needs a live feed token, never the API token, and stops for a removed member', async () => {
    await put(w.admin, 'clip', clipFields());
    const base = await listen(w.app);
    const url = (token: string, library = lib) => `${base}/feeds/${token}/libraries/${library}/activity`;
    const first = await renewFeedToken(w.store.db, w.member.id);
    expect((await fetchFeed(url(first))).status).toBe(200);
    // The API token opens no feed.
    expect((await fetchFeed(url(w.member.token))).status).toBe(404);
    // Renewing replaces the token; revoking ends it.
    const second = await renewFeedToken(w.store.db, w.member.id);
    expect((await fetchFeed(url(first))).status).toBe(404);
    expect((await fetchFeed(url(second))).status).toBe(200);
    expect(await revokeFeedToken(w.store.db, w.member.id)).toBe(true);
    expect((await fetchFeed(url(second))).status).toBe(404);
    // Another library's feed is as unknown as a bad token.
    const third = await renewFeedToken(w.store.db, w.member.id);
    expect((await fetchFeed(url(third, w.libB.id))).status).toBe(404);
    await removeMember(w.store.db, lib, w.member.id);
    expect((await fetchFeed(url(third))).status).toBe(404);
  });

  it('is made, shown once and revoked from the account page', async () => {
    const base = await listen(w.app);
    const jar = new Map<string, string>();
    const browse = async (path: string, form?: Record<string, string>) => {
      const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
      if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(base + path, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
      for (const line of response.headers.getSetCookie()) {
        const [name, value] = line.split(';')[0]!.split('=');
        jar.set(name!, value ?? '');
      }
      return { status: response.status, html: await response.text() };
    };
    const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const signin = await browse('/signin');
    expect((await browse('/signin', { _csrf: csrf(signin.html), email: w.member.email, password: 'correct horse battery', next: '/' })).status).toBe(303);
    const account = await browse('/account');
    expect(account.html).toContain('You have none.');
    const made = await browse('/account/feed-token', { _csrf: csrf(account.html), action: 'renew' });
    const shown = /\/feeds\/(cbf_[A-Za-z0-9_-]+)\/libraries\/[0-9a-f-]+\/activity/.exec(made.html);
    expect(shown).not.toBeNull();
    expect((await fetchFeed(`${base}/feeds/${shown![1]}/libraries/${lib}/activity`)).status).toBe(200);
    const later = await browse('/account');
    expect(later.html).toContain('Yours was made');
    expect(later.html).not.toContain(shown![1]);
    await browse('/account/feed-token', { _csrf: csrf(later.html), action: 'revoke' });
    expect((await fetchFeed(`${base}/feeds/${shown![1]}/libraries/${lib}/activity`)).status).toBe(404);
  });
});
