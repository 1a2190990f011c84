// `npm run bench:pdf`: PDF extraction time per page (issue 16) and what kept files weigh in the
// demo library. PDFs are made here with pdf-lib: reports of 10, 100 and 300 pages at 40 lines of
// text a page, and a 300-page, ~40 MB report with a photo on every page (test/helpers/pdf-reports.ts).
// Each is read by extractPdf (the extension's reader: bounds, progress, a yield between pages) and,
// as the baseline in the same run, by a plain pdf.js loop over every page's text. Median of
// BENCH_ROUNDS (default 3). Then the demo library in a fresh SQLite file: its kept files, and what
// one report PDF and three article images add to the file, the JSON export and the Markdown zip.
// Prints tables; asserts nothing about time.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../service/db/connect.ts';
import { createDemoLibrary } from '../service/demo/create.ts';
import { jsonExport } from '../service/export/json.ts';
import { markdownExport } from '../service/export/markdown.ts';
import { zipStream } from '../service/export/zip.ts';
import { attachmentTotals, keepAttachment } from '../service/repos/attachments.ts';
import { sha256Hex } from '../shared/attachments.ts';
import { extractPdf } from '../shared/capture/pdf.ts';
import { makeReport } from '../test/helpers/pdf-reports.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const kb = (bytes: number) => `${Math.round(bytes / 1024)} kB`;

/** The baseline: pdf.js as its examples use it, every page's text, no bounds, no yields. */
async function plainPdfJs(data: Uint8Array): Promise<number> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  const started = performance.now();
  const doc = await pdfjs.getDocument({ data: new Uint8Array(data), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  let chars = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    for (const item of content.items) chars += 'str' in item ? item.str.length : 0;
    page.cleanup();
  }
  await doc.destroy();
  if (chars === 0) throw new Error('no text read');
  return performance.now() - started;
}

async function extraction(): Promise<Uint8Array> {
  console.log(`PDF extraction in Node (${ROUNDS} rounds, median; baseline: a plain pdf.js loop over the same file in the same run)\n`);
  console.log('| PDF | size | extractPdf | per page | first progress | pages full / summary / unread | plain pdf.js | per page |');
  console.log('|---|---|---|---|---|---|---|---|');
  let big: Uint8Array = new Uint8Array(0);
  for (const [pages, photoBytes] of [[10, 0], [100, 0], [300, 0], [300, 140_000]] as const) {
    const data = await makeReport(pages, photoBytes);
    if (photoBytes) big = data;
    const ours: number[] = [];
    const firstProgress: number[] = [];
    const plain: number[] = [];
    let kept = '';
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      let first = 0;
      const extract = await extractPdf(data, { onProgress: () => { first ||= performance.now() - started; } });
      ours.push(performance.now() - started);
      firstProgress.push(first);
      const count = (kind: string) => extract.pages.filter((entry) => entry.kept === kind).length;
      kept = `${count('full')} / ${count('summary')} / ${count('unread')}`;
      plain.push(await plainPdfJs(data));
    }
    const label = photoBytes ? `${pages} pages + photos` : `${pages} pages`;
    console.log(`| ${label} | ${mb(data.byteLength)} | ${(median(ours) / 1000).toFixed(2)} s | ${(median(ours) / pages).toFixed(1)} ms | ${median(firstProgress).toFixed(0)} ms | ${kept} | ${(median(plain) / 1000).toFixed(2)} s | ${(median(plain) / pages).toFixed(1)} ms |`);
  }
  return big;
}

const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** A PNG of about `bytes`: the 1×1 PNG with a private ancillary chunk of random bytes (viewers skip it). */
function pngOf(bytes: number): Uint8Array {
  const body = randomBytes(bytes);
  const chunk = Buffer.alloc(12 + body.length);
  chunk.writeUInt32BE(body.length, 0);
  chunk.write('prVt', 4, 'latin1');
  body.copy(chunk, 8);
  return Buffer.concat([PNG_1x1.subarray(0, 33), chunk, PNG_1x1.subarray(33)]);
}

async function demoFiles(report: Uint8Array): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-bench-pdf-'));
  const file = join(dir, 'demo.db');
  const store = await openStore(file);
  try {
    const demo = await createDemoLibrary(store);
    const sizeOf = async () => {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
      return statSync(file).size;
    };
    const exports = async () => {
      let json = 0;
      for await (const chunk of jsonExport(store.db, { libraryId: demo.libraryId })) json += Buffer.byteLength(chunk);
      let zip = 0;
      for await (const chunk of zipStream(markdownExport(store.db, { libraryId: demo.libraryId }))) zip += chunk.byteLength;
      return { json, zip };
    };
    const before = { totals: await attachmentTotals(store.db, demo.libraryId), file: await sizeOf(), ...(await exports()) };
    const clips = await store.db.selectFrom('clips').select(['id', 'kind']).where('library_id', '=', demo.libraryId).where('deleted', '=', 0).execute();
    const article = clips.find((clip) => clip.kind === 'article')!;
    const other = clips.filter((clip) => clip.kind === 'article')[1]!;
    const userId = (await store.db.selectFrom('memberships').select('user_id').where('library_id', '=', demo.libraryId).executeTakeFirstOrThrow()).user_id;
    const keep = async (clipId: string, data: Uint8Array, role: 'pdf' | 'image', contentType: string) =>
      keepAttachment(store, { libraryId: demo.libraryId, clipId, sha256: await sha256Hex(data), role, contentType, userId, data, bytes: data.byteLength });
    // The company's annual report kept by one clip and linked by a second (stored once), and three article photos.
    await keep(article.id, report, 'pdf', 'application/pdf');
    await keep(other.id, report, 'pdf', 'application/pdf');
    for (const size of [180_000, 420_000, 95_000]) await keep(article.id, pngOf(size), 'image', 'image/png');
    const after = { totals: await attachmentTotals(store.db, demo.libraryId), file: await sizeOf(), ...(await exports()) };
    console.log(`\nDemo library (${demo.counts.clips} clips) in a fresh SQLite file, before and after keeping one ${mb(report.byteLength)} report PDF (on two clips) and three article images\n`);
    console.log('| | kept files | kept bytes | SQLite file | JSON export | Markdown zip |');
    console.log('|---|---|---|---|---|---|');
    for (const [label, row] of [['demo as made', before], ['with the files', after]] as const) {
      console.log(`| ${label} | ${row.totals.files} | ${mb(row.totals.bytes)} | ${mb(row.file)} | ${mb(row.json)} | ${row.zip < 1_048_576 ? kb(row.zip) : mb(row.zip)} |`);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const big = await extraction();
await demoFiles(big);
