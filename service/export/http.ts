// Sends an export as an HTTP download, streamed chunk by chunk (the API route and the web page share it).
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { badRequest, notFound } from '../http/errors.ts';
import type { Db } from '../db/schema.ts';
import { getLibrary } from '../repos/accounts.ts';
import { loadLive } from '../repos/objects.ts';
import { scansCsv } from './csv.ts';
import { jsonExport } from './json.ts';
import { markdownExport, slug } from './markdown.ts';
import { zipStream } from './zip.ts';

export const EXPORT_FORMATS = ['markdown', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export async function exportResponse(c: Context, db: Db, libraryId: string, format: string | undefined, caseId: string | undefined) {
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw badRequest('format must be markdown, json or csv');
  const library = await getLibrary(db, libraryId);
  if (!library) throw notFound(`no library ${libraryId}`);
  let name = slug(library.name, 'library');
  if (caseId) {
    const found = await loadLive(db, libraryId, 'case', caseId);
    if (!found) throw notFound(`no case ${caseId}`);
    name = `${name}-${slug(String(found.fields.title), 'case')}`;
  }
  const scope = { libraryId, ...(caseId ? { caseId } : {}) };
  const stamp = new Date().toISOString().slice(0, 10);
  const filename = `${name}-${stamp}.${format === 'markdown' ? 'zip' : format}`;
  const source: AsyncIterable<Uint8Array | string> =
    format === 'json' ? jsonExport(db, scope) : format === 'csv' ? scansCsv(db, scope) : zipStream(markdownExport(db, scope), `${name}-${stamp}`);
  c.header('Content-Type', format === 'json' ? 'application/json; charset=utf-8' : format === 'csv' ? 'text/csv; charset=utf-8' : 'application/zip');
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  return stream(c, async (out) => {
    for await (const chunk of source) await out.write(chunk);
  }, async (error, out) => {
    // Headers are gone by now: the truncated body is the only signal left, so say it in the log.
    console.error(`casebook: export of library ${libraryId} failed: ${error.message}`);
    await out.close();
  });
}
