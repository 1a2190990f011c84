// Report PDFs made with pdf-lib for tests and bench:pdf (issue 16): pages of text as a CSR report
// has, optionally a photo on every page so that the file is as large as a real one (a 300-page
// report with photos is ~40 MB). Reading text never decodes the photos, so they cost size only.
import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const WORDS = 'cocoa farmers child labour remediation living income premium traceability cooperative audit supplier code deforestation'.split(' ');
const line = (page: number, n: number) => `${page}.${n} ${Array.from({ length: 12 }, (_, k) => WORDS[(page * 7 + n * 3 + k) % WORDS.length]).join(' ')}`;

/**
 * A JPEG header (SOI, a baseline SOF0 of 1200×800, 3 components) and random bytes: pdf-lib embeds
 * it as a DCT image by its header. Each is different, so the file grows as with real photos.
 */
export function fakePhoto(bytes: number): Uint8Array {
  const head = [0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x03, 0x20, 0x04, 0xb0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01];
  const out = new Uint8Array(bytes);
  out.set(head);
  out.set(randomBytes(bytes - head.length - 2), head.length);
  out.set([0xff, 0xd9], bytes - 2);
  return out;
}

/** A report of `pages` pages: 40 lines of text a page, or 20 under a photo of `photoBytes` when given. */
export async function makeReport(pages: number, photoBytes = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Sustainability Report 2025 (${pages} pages)`);
  doc.setAuthor('Choco BV');
  doc.setCreationDate(new Date('2025-03-14T09:30:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595, 842]);
    if (photoBytes) page.drawImage(await doc.embedJpg(fakePhoto(photoBytes)), { x: 40, y: 420, width: 515, height: 343 });
    for (let k = 0; k < (photoBytes ? 20 : 40); k++) page.drawText(line(n, k), { x: 40, y: (photoBytes ? 400 : 800) - k * 18, size: 9, font });
  }
  return doc.save();
}

/** A small report with metadata (title, author, date) whose page 3 has no text, as a scanned page. */
export async function makeSmallReport(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Choco BV Sustainability Report 2025');
  doc.setAuthor('Choco BV');
  doc.setCreationDate(new Date('2025-03-14T09:30:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage();
    if (n === 3) continue; // a scanned page: no text
    page.drawText(`Page ${n}: child labour remediation reached ${n * 10} farms.`, { x: 40, y: 700, size: 12, font });
  }
  return doc.save();
}
