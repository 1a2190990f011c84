// The Markdown export carries a clip's kept files (issue 16, item 3): the PDF and the images are
// in a folder beside the clip's page, byte for byte, linked from it; a kept image shows from the
// export instead of its source. Downloaded as a .zip from a real listening server and read back
// with a reader written here (central directory, stored and deflated entries, CRC checked).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLibrary, jsonExport, parseExport } from '../../service/export/json.ts';
import { markdownExport } from '../../service/export/markdown.ts';
import { createLibrary } from '../../service/repos/accounts.ts';
import { attachmentLinksOf } from '../../service/repos/attachments.ts';
import { freshStore } from '../helpers/store.ts';
import { clipFields, makeWorld, newId, type Person } from '../helpers/world.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const IMAGE_URL = 'https://img.example.org/farm.png';

/** Every entry of a zip by name: its bytes, how it was packed, and whether its CRC matches. */
function readZip(zip: Buffer): Map<string, { data: Buffer; method: number }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, { data: Buffer; method: number }>();
  for (let index = 0; index < count; index++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + packed);
    const data = method === 0 ? Buffer.from(raw) : inflateRawSync(raw);
    expect(data.length, name).toBe(size);
    expect(crc32(data), name).toBe(crc);
    entries.set(name, { data, method });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

describe('Markdown export with kept files', () => {
  let world: Awaited<ReturnType<typeof makeWorld>>;
  let server: ServerType;
  let base: string;
  let pdf: Uint8Array;
  let pdfClip: string;
  let articleClip: string;
  let bareClip: string;
  let samePdfClip: string;
  let caseId: string;

  beforeAll(async () => {
    world = await makeWorld();
    server = serve({ fetch: world.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const doc = await PDFDocument.create();
    doc.setTitle('Choco BV Sustainability Report 2025');
    for (let n = 1; n <= 3; n++) doc.addPage().drawText(`Page ${n}: cocoa sourcing`, { x: 50, y: 700 });
    pdf = await doc.save();
    pdfClip = newId();
    articleClip = newId();
    bareClip = newId();
    samePdfClip = newId();
    caseId = newId();
    const pushed = await world.push(world.member, [
      { type: 'case', id: caseId, op: 'put', fields: { title: 'Reports' } },
      {
        type: 'clip', id: pdfClip, op: 'put',
        fields: clipFields({ kind: 'pdf', url: 'https://choco.example/reports/csr-2025.pdf', title: 'Choco BV Sustainability Report 2025', caseIds: [caseId], html: '', markdown: '## Page 1\n\nPage 1: cocoa sourcing', pages: { count: 3, index: [{ page: 1, start: 0, end: 20, kept: 'full' }] } }),
      },
      {
        type: 'clip', id: articleClip, op: 'put',
        fields: clipFields({
          title: 'Farm visit',
          // The kept image, and another address that only starts the same (not kept: stays a link).
          markdown: `A farm.\n\n![The farm](${IMAGE_URL})\n\n![Larger](${IMAGE_URL}?size=large)`,
          html: `<p>A farm.</p><img src="${IMAGE_URL}">`,
        }),
      },
      { type: 'clip', id: bareClip, op: 'put', fields: clipFields({ title: 'No files here' }) },
      { type: 'clip', id: samePdfClip, op: 'put', fields: clipFields({ kind: 'pdf', url: 'https://mirror.example/csr.pdf', title: 'The same report from a mirror', html: '' }) },
    ]);
    expect(pushed.body.results.map((result) => result.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    const put = async (who: Person, bytes: Uint8Array, query: string) => {
      const response = await fetch(`${base}/api/v1/libraries/${world.libA.id}/attachments/${sha(bytes)}${query}`, {
        method: 'PUT', headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/octet-stream' }, body: bytes as BodyInit,
      });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
    };
    await put(world.member, pdf, `?clip=${pdfClip}&role=pdf`);
    await put(world.member, pdf, `?clip=${samePdfClip}&role=pdf`);
    await put(world.member, PNG, `?clip=${articleClip}&role=image&source=${encodeURIComponent(IMAGE_URL)}`);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await world?.store.close();
  });

  it('puts each clip\'s files in a folder beside its page, byte for byte, linked from the page', async () => {
    const response = await fetch(`${base}/api/v1/libraries/${world.libA.id}/export?format=markdown`, { headers: { authorization: `Bearer ${world.member.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    const names = [...entries.keys()];
    const root = names[0]!.split('/')[0]!;
    const inRoot = (name: string) => names.find((entry) => entry.startsWith(`${root}/clips/`) && entry.includes(name));

    // The PDF clip: its page, and its PDF beside it, named by its title, stored unpacked.
    const pdfPage = inRoot(`-${pdfClip.slice(0, 8)}.md`)!;
    const folder = pdfPage.replace(/\.md$/, '');
    const pdfFile = `${folder}/choco-bv-sustainability-report-2025.pdf`;
    expect(entries.get(pdfFile)?.data.equals(Buffer.from(pdf))).toBe(true);
    expect(entries.get(pdfFile)?.method).toBe(0);
    const pdfText = entries.get(pdfPage)!.data.toString('utf8');
    const folderName = folder.split('/').at(-1)!;
    expect(pdfText).toContain(`## Files\n\n- [choco-bv-sustainability-report-2025.pdf](${folderName}/choco-bv-sustainability-report-2025.pdf) (PDF,`);
    expect(pdfText).toMatch(/^pages: 3$/m);
    expect(pdfText).toContain(`files:\n  - "${folderName}/choco-bv-sustainability-report-2025.pdf"`);

    // The article: the kept image in its folder, shown from there in the text; the other address stays a link.
    const articlePage = inRoot(`-${articleClip.slice(0, 8)}.md`)!;
    const articleFolder = articlePage.replace(/\.md$/, '').split('/').at(-1)!;
    const imageName = `image-1-${sha(PNG).slice(0, 8)}.png`;
    expect(entries.get(`${root}/clips/${articleFolder}/${imageName}`)?.data.equals(PNG)).toBe(true);
    const articleText = entries.get(articlePage)!.data.toString('utf8');
    expect(articleText).toContain(`![The farm](${articleFolder}/${imageName})`);
    expect(articleText).toContain(`![Larger](${IMAGE_URL}?size=large)`);
    expect(articleText).toContain(`- ![${imageName}](${articleFolder}/${imageName}) kept from <${IMAGE_URL}>`);

    // The same PDF kept by a second clip is in the zip once: that clip's page links the first copy.
    expect(names.filter((name) => name.endsWith('.pdf'))).toHaveLength(1);
    const samePage = inRoot(`-${samePdfClip.slice(0, 8)}.md`)!;
    expect(entries.get(samePage)!.data.toString('utf8')).toContain(`](${folderName}/choco-bv-sustainability-report-2025.pdf) (PDF,`);

    // A clip without files gets no folder and no Files section.
    const barePage = inRoot(`-${bareClip.slice(0, 8)}.md`)!;
    expect(names.filter((name) => name.startsWith(barePage.replace(/\.md$/, '/')))).toEqual([]);
    expect(entries.get(barePage)!.data.toString('utf8')).not.toContain('## Files');
    // Every link from a clip page to a file of the export names a file that is in it.
    for (const [name, entry] of entries) {
      if (!name.endsWith('.md') || !name.includes('/clips/')) continue;
      for (const match of entry.data.toString('utf8').matchAll(/\]\(([^)<>\s]+)\)/g)) {
        if (/^https?:/.test(match[1]!)) continue;
        const target = join(name, '..', decodeURI(match[1]!));
        expect(entries.has(target), `${name} links ${match[1]}`).toBe(true);
      }
    }
  });

  it('the command line writes the same files to a directory', async () => {
    const out = mkdtempSync(join(tmpdir(), 'casebook-md-export-'));
    try {
      const { writeFile, mkdir } = await import('node:fs/promises');
      for await (const file of markdownExport(world.store.db, { libraryId: world.libA.id })) {
        await mkdir(join(out, file.path, '..'), { recursive: true });
        await writeFile(join(out, file.path), file.bytes ?? file.content);
      }
      const pdfs = (await import('node:fs')).readdirSync(join(out, 'clips'), { recursive: true }).map(String).filter((name) => name.endsWith('.pdf'));
      expect(pdfs).toHaveLength(1);
      expect(readFileSync(join(out, 'clips', pdfs[0]!)).equals(Buffer.from(pdf))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('a case export carries only the files of that case\'s clips', async () => {
    const files: string[] = [];
    for await (const file of markdownExport(world.store.db, { libraryId: world.libA.id, caseId })) files.push(file.path);
    expect(files.filter((path) => /\.(pdf|png)$/.test(path))).toEqual([expect.stringMatching(/^clips\/.*-[0-9a-f]{8}\/choco-bv-sustainability-report-2025\.pdf$/)]);
    expect(files).toContain('cases/reports.md');
  });

  it('after a JSON export and import elsewhere, the copy keeps every file with its clips, roles and sources, and exports the same files', async () => {
    let text = '';
    for await (const chunk of jsonExport(world.store.db, { libraryId: world.libA.id })) text += chunk;
    const target = await freshStore();
    try {
      const copy = await createLibrary(target.db, 'Copy');
      await importLibrary(target, copy.id, parseExport(text));
      expect(await attachmentLinksOf(target.db, copy.id)).toEqual(await attachmentLinksOf(world.store.db, world.libA.id));
      const kept = async (db: typeof target.db, libraryId: string) => {
        const out: Array<[string, string]> = [];
        for await (const file of markdownExport(db, { libraryId })) if (file.bytes) out.push([file.path, sha(file.bytes)]);
        return out.sort();
      };
      const original = await kept(world.store.db, world.libA.id);
      expect(original.map(([, hash]) => hash).sort()).toEqual([sha(pdf), sha(PNG)].sort());
      expect(await kept(target.db, copy.id)).toEqual(original);
    } finally {
      await target.close();
    }
  });
});
