// The web search form offers best match or newest first (issue 17, item 4) and keeps the choice
// in its form and its paging links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, webWorld, type Client, type WebWorld } from './helpers.ts';

let world: WebWorld;
let client: Client;
let lib: string;

beforeAll(async () => {
  world = await webWorld();
  client = await signedIn(world);
  lib = `/l/${world.demo.libraryId}`;
});
afterAll(() => world.store.close());

const clipIds = (html: string) => [...new Set([...html.matchAll(/\/clips\/([0-9a-f-]{36})/g)].map((match) => match[1]!))];

describe('web search order', () => {
  it('lists matches newest first when asked, and says which order is chosen', async () => {
    const newest = clipIds((await client.page(`${lib}/search`)).html); // no words: the newest clips
    const relevance = await client.page(`${lib}/search?q=the`);
    expect(relevance.html).toMatch(/<option value="relevance" selected/);
    const ordered = await client.page(`${lib}/search?q=the&order=newest`);
    expect(ordered.html).toMatch(/<option value="newest" selected/);
    const hits = clipIds(ordered.html);
    expect(hits.length).toBeGreaterThan(1);
    // The matches come in the same order as the newest-clips list.
    const positions = hits.map((id) => newest.indexOf(id)).filter((at) => at >= 0);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(clipIds(relevance.html).sort()).toEqual([...hits].sort());
  });

  it('takes an unknown order as the default', async () => {
    const page = await client.page(`${lib}/search?q=the&order=${encodeURIComponent('"><script>')}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<option value="relevance" selected/);
    expect(page.html).not.toContain('"><script>');
  });
});
