// Sends an export as an HTTP download, streamed chunk by chunk (the API route and the web page share it).
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { badRequest, notFound } from '../http/errors.ts';
import type { Db } from '../db/schema.ts';
import { getLibrary } from '../repos/accounts.ts';
import { loadLive } from '../repos/objects.ts';
import { CITATION_FORMATS, CITATION_MEDIA, citationExport, type CitationFormat } from './citations.ts';
import { scansCsv } from './csv.ts';
import { jsonExport } from './json.ts';
import { markdownExport, slug } from './markdown.ts';
import { zipStream } from './zip.ts';

export const EXPORT_FORMATS = ['markdown', 'json', 'csv', ...CITATION_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const isCitation = (format: string): format is CitationFormat => (CITATION_FORMATS as readonly string[]).includes(format);

/**
 * An export download. `clipIds` (citation formats only) exports just those clips of the library;
 * ids that are not live clips of it are refused, not skipped.
 */
export async function exportResponse(c: Context, db: Db, libraryId: string, requested: string | undefined, caseId: string | undefined, clipIds?: string[]) {
  if (!EXPORT_FORMATS.includes(requested as ExportFormat)) throw badRequest(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const format = requested as ExportFormat;
  const library = await getLibrary(db, libraryId);
  if (!library) throw notFound(`no library ${libraryId}`);
  let name = slug(library.name, 'library');
  if (caseId) {
    const found = await loadLive(db, libraryId, 'case', caseId);
    if (!found) throw notFound(`no case ${caseId}`);
    name = `${name}-${slug(String(found.fields.title), 'case')}`;
  }
  if (clipIds) {
    if (!isCitation(format)) throw badRequest('clips= goes with a citation format: csl-json, ris or bibtex');
    if (caseId) throw badRequest('give case= or clips=, not both');
    for (const id of clipIds) if (!(await loadLive(db, libraryId, 'clip', id))) throw notFound(`no clip ${id}`);
    name = `${name}-clips`;
  }
  const scope = { libraryId, viewer: { role: c.get('role') as string, userId: (c.get('user') as { id: string }).id }, ...(caseId ? { caseId } : {}), ...(clipIds ? { clipIds } : {}) };
  const stamp = new Date().toISOString().slice(0, 10);
  const extension = isCitation(format) ? CITATION_MEDIA[format].extension : format === 'markdown' ? 'zip' : format;
  const filename = `${name}-${stamp}.${extension}`;
  const source: AsyncIterable<Uint8Array | string> = isCitation(format)
    ? citationExport(db, scope, format)
    : format === 'json' ? jsonExport(db, scope) : format === 'csv' ? scansCsv(db, scope) : zipStream(markdownExport(db, scope), `${name}-${stamp}`);
  c.header(
    'Content-Type',
    isCitation(format) ? CITATION_MEDIA[format].contentType : format === 'json' ? 'application/json; charset=utf-8' : format === 'csv' ? 'text/csv; charset=utf-8' : 'application/zip',
  );
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
