// A clip's files (issue 16, item 2) over a real listening server: uploaded after the clip's push,
// kept once per library, bounded, typed by their bytes, served only to the library's members
// with a fixed type, nosniff and the CSP, and carried by export/import and migrate-store.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveLibraries } from '../../service/cli/commands/migrate-store.ts';
import { openStore } from '../../service/db/connect.ts';
import { importLibrary, jsonExport, parseExport } from '../../service/export/json.ts';
import { createLibrary } from '../../service/repos/accounts.ts';
import { attachmentTotals } from '../../service/repos/attachments.ts';
import { createSession } from '../../service/repos/sessions.ts';
import { ATTACHMENT_LIMITS } from '../../shared/attachments.ts';
import { tempDir } from '../helpers/processes.ts';
import { freshStore, freshStoreTarget } from '../helpers/store.ts';
import { clipFields, makeWorld, newId, type Person } from '../helpers/world.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A real 1×1 PNG (the smallest a browser shows). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');

async function makePdf(pages: number, title = 'Sustainability report 2025'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setAuthor('Choco BV');
  for (let index = 0; index < pages; index++) doc.addPage().drawText(`Page ${index + 1}: cocoa sourcing`, { x: 50, y: 700 });
  return doc.save();
}

describe('attachments', () => {
  let world: Awaited<ReturnType<typeof makeWorld>>;
  let server: ServerType;
  let base: string;
  let clipA: string;
  let clipB: string;
  let pdf: Uint8Array;

  beforeAll(async () => {
    world = await makeWorld();
    server = serve({ fetch: world.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    clipA = newId();
    clipB = newId();
    const pushed = await world.push(world.member, [
      { type: 'clip', id: clipA, op: 'put', fields: clipFields({ title: 'Choco report' }) },
      { type: 'clip', id: clipB, op: 'put', fields: clipFields({ title: 'Same report, another clip' }) },
    ]);
    expect(pushed.body.results.map((result) => result.status)).toEqual(['applied', 'applied']);
    pdf = await makePdf(3);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await world?.store.close();
  });

  const url = (hash: string, query = '', library = world.libA.id) => `${base}/api/v1/libraries/${library}/attachments/${hash}${query}`;
  function put(who: Person, hash: string, body: Uint8Array | ReadableStream<Uint8Array>, query: string, contentType = 'application/octet-stream') {
    return fetch(url(hash, query), {
      method: 'PUT',
      headers: { authorization: `Bearer ${who.token}`, 'content-type': contentType },
      body: body as BodyInit,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  }
  const get = (who: Person | null, hash: string, library?: string, headers: Record<string, string> = {}) =>
    fetch(url(hash, '', library), { headers: { ...(who ? { authorization: `Bearer ${who.token}` } : {}), ...headers } });

  it('keeps a PDF once per library: upload, a second clip only links it, the bytes come back the same', async () => {
    const hash = sha(pdf);
    const first = await put(world.member, hash, pdf, `?clip=${clipA}&role=pdf`, 'application/pdf');
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ sha256: hash, contentType: 'application/pdf', bytes: pdf.byteLength, created: true, linked: true });
    const second = await put(world.member, hash, pdf, `?clip=${clipB}&role=pdf`, 'application/pdf');
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ created: false, linked: true });
    const totals = await attachmentTotals(world.store.db, world.libA.id);
    expect(totals).toEqual({ files: 1, bytes: pdf.byteLength });

    const read = await get(world.reader, hash);
    expect(read.status).toBe(200);
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(new Uint8Array(pdf));
    expect(read.headers.get('content-type')).toBe('application/pdf');
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(read.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(read.headers.get('content-disposition')).toMatch(/^attachment; filename="[0-9a-f]{12}\.pdf"$/);

    const listed = await fetch(`${base}/api/v1/libraries/${world.libA.id}/attachments?clip=${clipB}`, { headers: { authorization: `Bearer ${world.member.token}` } });
    expect(await listed.json()).toEqual({ attachments: [{ sha256: hash, contentType: 'application/pdf', bytes: pdf.byteLength, role: 'pdf' }] });
  });

  it('serves an image to the web session with its own type, nosniff and the CSP', async () => {
    const hash = sha(PNG);
    expect((await put(world.member, hash, PNG, `?clip=${clipA}&role=image`, 'image/png')).status).toBe(201);
    const { secret } = await createSession(world.store.db, world.member.id, world.libA.id);
    const viaCookie = await get(null, hash, undefined, { cookie: `cb_session=${secret}` });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.headers.get('content-type')).toBe('image/png');
    expect(viaCookie.headers.get('x-content-type-options')).toBe('nosniff');
    expect(viaCookie.headers.get('content-disposition')).toBeNull();
    expect((await get(null, hash)).status).toBe(404);
  });

  it('answers 404 to anyone outside the library, for reading and for writing', async () => {
    const hash = sha(pdf);
    expect((await get(world.outsider, hash)).status).toBe(404);
    // The outsider's own library does not hold it either, though the bytes exist in another.
    expect((await get(world.outsider, hash, world.libB.id)).status).toBe(404);
    expect((await put(world.outsider, hash, pdf, `?clip=${clipA}&role=pdf`)).status).toBe(404);
    const { secret } = await createSession(world.store.db, world.outsider.id, world.libB.id);
    expect((await get(null, hash, undefined, { cookie: `cb_session=${secret}` })).status).toBe(404);
    // A clip of another library is unknown here.
    const theirs = newId();
    await world.push(world.outsider, [{ type: 'clip', id: theirs, op: 'put', fields: clipFields() }], { library: world.libB.id });
    expect((await put(world.member, sha(PNG), PNG, `?clip=${theirs}&role=image`)).status).toBe(404);
  });

  it('refuses a file whose bytes are not of its role (415), SVG among them, and a wrong hash (400)', async () => {
    const svg = await put(world.member, sha(SVG), SVG, `?clip=${clipA}&role=image`, 'image/svg+xml');
    expect(svg.status).toBe(415);
    const pngAsPdf = await put(world.member, sha(PNG), PNG, `?clip=${clipA}&role=pdf`, 'application/pdf');
    expect(pngAsPdf.status).toBe(415);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect((await put(world.member, sha(html), html, `?clip=${clipA}&role=image`, 'image/png')).status).toBe(415);
    const lying = await makePdf(1, 'Another');
    expect((await put(world.member, sha(lying), lying, `?clip=${clipA}&role=pdf`, 'image/png')).status).toBe(415);
    expect((await put(world.member, sha(PNG).replace(/^./, '0'), PNG, `?clip=${clipA}&role=image`)).status).toBe(400);
    expect((await put(world.reader, sha(lying), lying, `?clip=${clipA}&role=pdf`)).status).toBe(403);
    expect(await attachmentTotals(world.store.db, world.libA.id)).toEqual({ files: 2, bytes: pdf.byteLength + PNG.byteLength });
  });

  it('the clip page shows kept images from this service and a PDF clip by its pages with its kept copy', async () => {
    const article = newId();
    const source = 'https://img.example/cocoa.png?w=800&h=600';
    await world.push(world.member, [
      {
        type: 'clip', id: article, op: 'put',
        fields: clipFields({ html: `<p>Harvest</p><img src="${source}" srcset="https://img.example/cocoa-2x.png 2x" alt="Farmers"><img src="https://img.example/other.png" alt="Other">` }),
      },
    ]);
    const hash = sha(PNG);
    const kept = await put(world.member, hash, PNG, `?clip=${article}&role=image&source=${encodeURIComponent(source)}`, 'image/png');
    expect(kept.status).toBe(200);
    const { secret } = await createSession(world.store.db, world.member.id, world.libA.id);
    const page = await fetch(`${base}/l/${world.libA.id}/clips/${article}`, { headers: { cookie: `cb_session=${secret}` } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`src="/api/v1/libraries/${world.libA.id}/attachments/${hash}"`);
    expect(html).not.toContain('cocoa-2x.png');
    expect(html).toContain('src="https://img.example/other.png"');

    const report = newId();
    await world.push(world.member, [
      {
        type: 'clip', id: report, op: 'put',
        fields: clipFields({
          kind: 'pdf', url: 'https://choco.example/csr.pdf', html: '', text: 'First page text\n\nThird page text',
          pages: { count: 3, index: [{ page: 1, start: 0, end: 15, kept: 'full' }, { page: 2, start: 15, end: 15, kept: 'none' }, { page: 3, start: 17, end: 32, kept: 'full' }] },
        }),
      },
    ]);
    expect((await put(world.member, sha(pdf), pdf, `?clip=${report}&role=pdf`)).status).toBe(200);
    const reportPage = await (await fetch(`${base}/l/${world.libA.id}/clips/${report}`, { headers: { cookie: `cb_session=${secret}` } })).text();
    expect(reportPage).toMatch(/<section id="page-1"><h2>Page 1<\/h2><p>First page text<\/p><\/section><section id="page-3"><h2>Page 3<\/h2><p>Third page text<\/p>/);
    expect(reportPage).toContain(`href="/api/v1/libraries/${world.libA.id}/attachments/${sha(pdf)}"`);
    expect(reportPage).toContain('3 pages');
  });

  it('stops reading an image past its bound (413), declared or streamed, and keeps nothing', async () => {
    const big = new Uint8Array(ATTACHMENT_LIMITS.image + 1);
    big.set(PNG);
    const declared = await put(world.member, sha(big), big, `?clip=${clipA}&role=image`, 'image/png');
    expect(declared.status).toBe(413);
    // Chunked, no length: counted as it streams.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > ATTACHMENT_LIMITS.image + 1) return controller.close();
        const chunk = new Uint8Array(256 * 1024);
        if (sent === 0) chunk.set(PNG);
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const streamed = await put(world.member, 'a'.repeat(64), stream, `?clip=${clipA}&role=image`, 'image/png').catch((error: Error) => error);
    if (streamed instanceof Response) expect(streamed.status).toBe(413);
    expect(await attachmentTotals(world.store.db, world.libA.id)).toEqual({ files: 2, bytes: pdf.byteLength + PNG.byteLength });
  });

  it('travels in the JSON export and comes back by import, byte for byte', async () => {
    let text = '';
    for await (const chunk of jsonExport(world.store.db, { libraryId: world.libA.id })) text += chunk;
    const parsed = parseExport(text);
    expect(parsed.attachments?.map((file) => file.sha256).sort()).toEqual([sha(pdf), sha(PNG)].sort());
    const target = await freshStore();
    try {
      const library = await createLibrary(target.db, 'Copy');
      await importLibrary(target, library.id, parsed);
      expect(await attachmentTotals(target.db, library.id)).toEqual({ files: 2, bytes: pdf.byteLength + PNG.byteLength });
      // A tampered file is refused with what is wrong, nothing imported.
      const tampered = text.replace(Buffer.from(PNG).toString('base64'), Buffer.from(SVG).toString('base64'));
      expect(() => parseExport(tampered)).toThrow(/attachments\[\d\]: data holds/);
    } finally {
      await target.close();
    }
  });

  it('moves with migrate-store, every byte and link', async () => {
    const file = join(tempDir(), 'source.db');
    const source = await openStore(file);
    const target = await openStore(await freshStoreTarget('target.db'));
    try {
      const copy = await createLibrary(source.db, 'Moved');
      let text = '';
      for await (const chunk of jsonExport(world.store.db, { libraryId: world.libA.id })) text += chunk;
      await importLibrary(source, copy.id, parseExport(text));
      const lines: string[] = [];
      await moveLibraries(source, target, { libraries: [copy.id], progress: (line) => lines.push(line) });
      expect(lines.join('\n')).toMatch(new RegExp(`attachments 2 \\(${pdf.byteLength + PNG.byteLength} bytes\\), clip links 5`));
      expect(await attachmentTotals(target.db, copy.id)).toEqual({ files: 2, bytes: pdf.byteLength + PNG.byteLength });
    } finally {
      await source.close();
      await target.close();
    }
  });

});
