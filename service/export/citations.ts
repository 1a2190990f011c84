// Clips as references (issue 16, item 3): export of a library, a case or chosen clips as
// CSL-JSON, RIS and BibTeX for Zotero and other reference managers, and import of CSL-JSON into
// a case. The formats are written and read by citation-js, not by hand; import goes through the
// push path (service/sync/push.ts), so every item is validated like any clip and written with a
// version, and a bad item is rejected alone with its reason.
import { createHash, randomUUID } from 'node:crypto';
import { Cite, plugins } from '@citation-js/core';
import '@citation-js/plugin-ris';
import '@citation-js/plugin-bibtex';
import { format as formatDate, parse as parseDate } from '@citation-js/date';
import { parse as parseName } from '@citation-js/name';
import { z } from 'zod';
import { describeZodError, LIMITS, printable, text, uuid, type ClipFields } from '../../shared/model.ts';
import type { Mutation } from '../../shared/protocol.ts';
import type { Db } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import { loadLive, loadObject, type StoredObject } from '../repos/objects.ts';
import { pushChanges } from '../sync/push.ts';
import { exportObjects, type ExportScope } from './collect.ts';

export const CITATION_FORMATS = ['csl-json', 'ris', 'bibtex'] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];

export const CITATION_MEDIA: Record<CitationFormat, { contentType: string; extension: string }> = {
  'csl-json': { contentType: 'application/vnd.citationstyles.csl+json; charset=utf-8', extension: 'json' },
  ris: { contentType: 'application/x-research-info-systems; charset=utf-8', extension: 'ris' },
  bibtex: { contentType: 'application/x-bibtex; charset=utf-8', extension: 'bib' },
};

/** How many clips one export may name with `clips=` (a selection, not a library). */
export const MAX_SELECTED_CLIPS = 500;
/** How many items one CSL-JSON import may carry (the API body is bounded at 1 MiB as well). */
export const MAX_IMPORT_ITEMS = 1_000;
/** Items written per push transaction: other writers never wait long behind an import. */
const IMPORT_BATCH = 50;
/** Clips formatted together: citation-js holds one chunk in memory, not the library. */
const FORMAT_CHUNK = 100;

export type CslName = Record<string, string>;
export interface CslDate {
  'date-parts'?: Array<Array<number | string>>;
  raw?: string;
  literal?: string;
}
export type CslItem = Record<string, unknown> & { id: string; type: string };

// ——— export ———

const isHttp = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\//i.test(value) && URL.canParse(value);

/**
 * A byline as a list of names: "By Jane Doe and Piet van Dijk" gives two persons (particles kept
 * by citation-js's name parser), "Reuters" one literal name, "Doe, Jane" one person.
 */
export function bylineToNames(byline: string): CslName[] {
  const clean = byline.replace(/\s+/g, ' ').replace(/^(by|von|door|par|por|di)\s+/i, '').trim();
  if (!clean) return [];
  let parts = clean.split(/\s*(?:;|\||&|\band\b|\bund\b|\ben\b|\bet\b|\by\b)\s*/i);
  parts = parts.flatMap((part) => {
    const pieces = part.split(/\s*,\s*/).filter(Boolean);
    // "Doe, Jane" (two one-word pieces) is one person written family first.
    if (pieces.length === 2 && pieces.every((piece) => !piece.includes(' '))) return [part];
    return pieces;
  });
  return parts
    .map((part) => part.trim())
    .filter(Boolean)
    .slice(0, LIMITS.listItems)
    .map((part) => (part.includes(' ') || part.includes(',') ? parseName(part) : { literal: part }));
}

/** One name as a byline reads it: "Jane Doe", "Piet van Dijk", "Reuters". */
function nameText(name: CslName): string {
  if (name.literal) return name.literal;
  return [name.given, name['dropping-particle'], name['non-dropping-particle'], name.family, name.suffix].filter(Boolean).join(' ');
}

function cslDate(iso: string): CslDate | undefined {
  if (!iso) return undefined;
  const parsed = parseDate(iso);
  return parsed?.['date-parts'] ? { 'date-parts': parsed['date-parts'] } : undefined;
}

/** A clip as a CSL-JSON item (the data every format is made from). */
export function clipToCsl(clip: StoredObject): CslItem {
  const f = clip.fields as ClipFields;
  // A PDF clip is most often a company's report (annual, sustainability); an image a graphic.
  const type = f.kind === 'image' ? 'graphic' : (f.kind as string) === 'pdf' ? 'report' : 'webpage';
  const item: CslItem = { id: clip.id, type, title: f.title || f.url, URL: f.canonicalUrl || f.url };
  const author = bylineToNames(f.byline ?? '');
  if (author.length) item.author = author;
  const issued = cslDate(f.publishedAt ?? '');
  if (issued) item.issued = issued;
  const accessed = cslDate(f.capturedAt ?? '');
  if (accessed) item.accessed = accessed;
  if (f.siteName) item['container-title'] = f.siteName;
  if (f.lang) item.language = f.lang;
  if (f.tags?.length) item.keyword = f.tags.join(', ');
  // A quote keeps its words (abstract) and its link to the passage (note); other clips their excerpt.
  const quote = f.kind === 'selection' ? f.selection : null;
  const abstract = quote?.text || f.excerpt;
  if (abstract) item.abstract = abstract;
  const notes = [f.note ?? ''];
  if (quote && isHttp(quote.quoteUrl)) notes.push(`Quote: ${quote.quoteUrl}`);
  const note = notes.filter(Boolean).join('\n\n');
  if (note) item.note = note;
  return item;
}

/** The clips of an export: the live clips of a library, of one case, or the chosen ones. */
async function* scopeClips(db: Db, scope: ExportScope & { clipIds?: string[] }): AsyncGenerator<StoredObject> {
  if (scope.clipIds) {
    for (const id of scope.clipIds) {
      const clip = await loadLive(db, scope.libraryId, 'clip', id);
      if (clip) yield clip;
    }
    return;
  }
  for await (const object of exportObjects(db, scope, ['clip'])) if (!object.deleted) yield object;
}

// BibTeX: the clip id is the citation key (stable, unique, ASCII), and characters that have no
// LaTeX command are kept as UTF-8, which BibLaTeX/biber and Zotero read. citation-js's ASCII
// mode escapes what TeX treats as special ($ % & # _ { } ~ ^ \\) and accents, but drops every
// other character (all of Chinese, for one): those are handed through it under a placeholder.
const bibtexConfig = plugins.config.get('@bibtex') as {
  format: { useIdAsLabel: boolean; asciiOnly: boolean };
  constants: Record<'commands' | 'diacritics' | 'ligatures' | 'mathCommands', Record<string, string | null>>;
};
bibtexConfig.format.useIdAsLabel = true;
bibtexConfig.format.asciiOnly = true;
const LATEX_MAPPED = new Set(
  (['commands', 'diacritics', 'ligatures', 'mathCommands'] as const).flatMap((table) => Object.values(bibtexConfig.constants[table]).filter((value): value is string => typeof value === 'string')),
);
const keepsInLatex = (char: string) => [...char.normalize('NFKD')].every((part) => part.charCodeAt(0) < 0x80 || LATEX_MAPPED.has(part));

function protectUnicode(value: unknown, tag: string): unknown {
  if (typeof value === 'string') return value.replace(/[^\x00-\x7f]/gu, (char) => (keepsInLatex(char) ? char : `${tag}u${char.codePointAt(0)!.toString(16)}${tag}`));
  if (Array.isArray(value)) return value.map((item) => protectUnicode(item, tag));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, protectUnicode(item, tag)]));
  return value;
}

function bibtexChunk(items: CslItem[]): string {
  // Letters only, so that neither escaping nor normalisation touches it; random, so no text holds it.
  const tag = `zq${randomUUID().replace(/[^a-f]/g, '').slice(0, 8)}q`;
  const output = new Cite(items.map((item) => protectUnicode(item, tag))).format('biblatex') as string;
  return output.replace(new RegExp(`${tag}u([0-9a-f]+)${tag}`, 'gi'), (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

function oneLine<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/[\s\u0085]+/g, ' ') as T;
  if (Array.isArray(value)) return value.map(oneLine) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, oneLine(item)])) as T;
  return value;
}

function formatChunk(items: CslItem[], format: CitationFormat): string {
  if (format === 'ris') {
    // citation-js's RIS writer drops name particles ("van", "de la"): give them as part of the
    // family name, as Zotero's own RIS export does ("van Dijk, Piet").
    const withParticles = items.map((item) =>
      Array.isArray(item.author)
        ? { ...item, author: (item.author as CslName[]).map(({ 'non-dropping-particle': particle, ...name }) => (particle && name.family ? { ...name, family: `${particle} ${name.family}` } : name)) }
        : item,
    );
    // A RIS record is lines: a line break inside a value (a page title, a note) would let the
    // text after it pose as a tag of its own, even `ER  -` and a new record, and two spaces
    // before a dash would pose as one to lenient readers; RIS readers join continuation lines
    // with a space anyway. citation-js maps the fields; its text writer also breaks every value
    // after 70 characters, which cuts long URLs in two, so the records' lines are joined here.
    const records = new Cite(oneLine(withParticles)).format('ris', { format: 'object' }) as Array<Record<string, unknown>>;
    return records
      .map((record) => {
        const lines = [`TY  - ${String(record.TY)}`];
        for (const [tag, value] of Object.entries(record)) if (tag !== 'TY') for (const item of [value].flat()) lines.push(`${tag}  - ${String(item)}`);
        lines.push('ER  - ', '');
        return lines.join('\n');
      })
      .join('\n');
  }
  // BibLaTeX fields (@online, urldate, date, keywords, abstract): classic BibTeX has no field
  // for an access date, a site or tags, and Zotero's BibTeX import reads these.
  return bibtexChunk(items);
}

/** An export as text chunks, a page of clips at a time. */
export async function* citationExport(db: Db, scope: ExportScope & { clipIds?: string[] }, format: CitationFormat): AsyncGenerator<string> {
  let chunk: CslItem[] = [];
  let first = true;
  if (format === 'csl-json') yield '[';
  const flush = function* (): Generator<string> {
    if (!chunk.length) return;
    if (format === 'csl-json') {
      // citation-js's own CSL-JSON output ("data"), one item per line.
      const items = new Cite(chunk).format('data', { format: 'object' }) as Array<Record<string, unknown>>;
      for (const item of items) {
        yield `${first ? '\n' : ',\n'}${JSON.stringify(item)}`;
        first = false;
      }
    } else yield formatChunk(chunk, format);
    chunk = [];
  };
  for await (const clip of scopeClips(db, scope)) {
    chunk.push(clipToCsl(clip));
    if (chunk.length >= FORMAT_CHUNK) yield* flush();
  }
  yield* flush();
  if (format === 'csl-json') yield '\n]\n';
}

// ——— import ———

const nameSchema = z
  .object({
    family: text(500).optional(),
    given: text(500).optional(),
    literal: text(1_000).optional(),
    'non-dropping-particle': text(100).optional(),
    'dropping-particle': text(100).optional(),
    suffix: text(100).optional(),
  })
  .refine((name) => Boolean(name.family || name.given || name.literal), 'a name needs family, given or literal');

const datePart = z.union([z.number().int().min(-9999).max(9999), text(10).regex(/^-?\d{1,4}$/, 'must be a number')]);
const dateSchema = z.object({
  'date-parts': z.array(z.array(datePart).min(1).max(3)).min(1).max(2).optional(),
  raw: text(100).optional(),
  literal: text(100).optional(),
});

/**
 * A CSL-JSON item as Casebook reads it. Fields it has no place for (volume, ISBN…) are ignored;
 * those it uses are checked for type and size here, and the clip they make is validated again
 * by the push (shared/model.ts clipFields), so a `javascript:` URL never becomes a clip.
 */
export const cslItemSchema = z.object({
  id: z.union([text(500), z.number()]).optional(),
  type: text(100).optional(),
  title: text(LIMITS.shortText).optional(),
  URL: text(LIMITS.url).optional(),
  DOI: text(300).optional(),
  author: z.array(nameSchema).max(LIMITS.listItems).optional(),
  issued: dateSchema.optional(),
  accessed: dateSchema.optional(),
  'container-title': text(LIMITS.shortText).optional(),
  note: text(LIMITS.longText).optional(),
  abstract: text(5_000).optional(),
  keyword: z.union([text(20_000), z.array(text(LIMITS.tag)).max(LIMITS.listItems)]).optional(),
  language: text(35).optional(),
});
export type CslInputItem = z.infer<typeof cslItemSchema>;

/** A CSL-JSON file: a list of items (or `{ items: [...] }`). */
export const cslImportBody = z.union([z.array(z.unknown()), z.object({ items: z.array(z.unknown()) })]);

export type ImportStatus = 'created' | 'added' | 'unchanged' | 'duplicate' | 'rejected';
export interface ImportResult {
  index: number;
  /** The item's own id, echoed when it is short printable text or a number. */
  itemId?: string | number;
  clipId?: string;
  status: ImportStatus;
  error?: string;
}
export interface ImportReport {
  created: number;
  added: number;
  unchanged: number;
  rejected: number;
  results: ImportResult[];
}

/** A DOI as a link: Zotero items often have a DOI and no URL. */
function doiUrl(doi: string): string | undefined {
  const clean = doi.trim().replace(/^(https?:\/\/(dx\.)?doi\.org\/|doi:)/i, '');
  return /^10\.\d{4,9}\/\S+$/.test(clean) ? `https://doi.org/${encodeURI(clean).replace(/#/g, '%23')}` : undefined;
}

/**
 * The clip id an imported item gets: the same item (by DOI, else URL) imported again into the
 * same library is the same clip, so a re-import changes nothing and makes no duplicates.
 */
export function importedClipId(libraryId: string, key: string): string {
  const hex = createHash('sha256').update(`casebook/csl-import\u0000${libraryId}\u0000${key}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function dateText(date: CslInputItem['issued']): string {
  if (!date) return '';
  const parts = date['date-parts']?.[0];
  if (parts) return formatDate({ 'date-parts': [parts.map(Number)] });
  return date.raw ?? date.literal ?? '';
}

/** An item's clip fields, or why it cannot be one. */
export function cslToClipFields(item: CslInputItem, caseId: string): { fields: Record<string, unknown>; key: string } | { error: string } {
  const url = item.URL || (item.DOI ? doiUrl(item.DOI) : undefined);
  if (!url) return { error: item.DOI ? 'DOI is not a DOI (10.NNNN/…)' : 'an item needs a URL or a DOI' };
  if (!isHttp(url)) return { error: 'URL: must be an http(s) URL' };
  const keywords = Array.isArray(item.keyword) ? item.keyword : (item.keyword ?? '').split(/[,;]/);
  const tags = [...new Set(keywords.map((tag) => tag.trim().replace(/\s+/g, ' ')).filter((tag) => tag.length > 0 && tag.length <= LIMITS.tag))];
  if (tags.length > LIMITS.listItems) return { error: `keyword: at most ${LIMITS.listItems} tags` };
  const fields: Record<string, unknown> = {
    url,
    kind: 'link',
    title: item.title ?? '',
    byline: (item.author ?? []).map((name) => nameText(name as CslName)).join(', '),
    siteName: item['container-title'] ?? '',
    publishedAt: dateText(item.issued),
    lang: item.language ?? '',
    excerpt: item.abstract ?? '',
    note: item.note ?? '',
    tags,
    caseIds: [caseId],
  };
  const capturedAt = dateText(item.accessed);
  if (capturedAt) fields.capturedAt = capturedAt;
  const key = item.DOI && doiUrl(item.DOI) ? `doi:${doiUrl(item.DOI)!.toLowerCase()}` : `url:${url}`;
  return { fields, key };
}

export interface ImportInput {
  libraryId: string;
  userId: string;
  caseId: string;
  items: unknown[];
  /** The push client the writes are recorded under (default: a fresh one per import). */
  clientId?: string;
}

/**
 * Imports CSL-JSON items into a case as link clips, through the push path. Each item comes back
 * created, added (the clip existed, now also in this case), unchanged, duplicate (same DOI/URL
 * as an earlier item of the same file) or rejected with its reason.
 */
export async function importCsl(store: Store, input: ImportInput): Promise<ImportReport> {
  const { db } = store;
  const { libraryId, userId, caseId } = input;
  const clientId = input.clientId ?? `csl-import:${randomUUID()}`;
  const results: ImportResult[] = [];
  const pending: Array<{ result: ImportResult; mutation: Omit<Mutation, 'mid'> }> = [];
  const seen = new Map<string, number>();
  for (const [index, raw] of input.items.entries()) {
    const result: ImportResult = { index, status: 'rejected' };
    results.push(result);
    const rawId = raw !== null && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
    if (typeof rawId === 'number' && Number.isFinite(rawId)) result.itemId = rawId;
    else if (typeof rawId === 'string' && rawId.length <= 200 && rawId === printable(rawId, 200)) result.itemId = rawId;
    const parsed = cslItemSchema.safeParse(raw);
    if (!parsed.success) {
      result.error = raw === null || typeof raw !== 'object' || Array.isArray(raw) ? 'an item must be a CSL-JSON object' : describeZodError(parsed.error);
      continue;
    }
    const mapped = cslToClipFields(parsed.data, caseId);
    if ('error' in mapped) {
      result.error = mapped.error;
      continue;
    }
    const clipId = importedClipId(libraryId, mapped.key);
    result.clipId = clipId;
    const earlier = seen.get(clipId);
    if (earlier !== undefined) {
      result.status = 'duplicate';
      result.error = `same ${mapped.key.startsWith('doi:') ? 'DOI' : 'URL'} as item ${earlier}`;
      continue;
    }
    seen.set(clipId, index);
    const existing = await loadObject(db, 'clip', clipId);
    if (existing && existing.libraryId === libraryId && !existing.deleted) {
      // Already imported: the clip (and what members have since changed in it) stays as it is;
      // only the case is added when it is a new one for the clip.
      if ((existing.fields.caseIds as string[]).includes(caseId)) {
        result.status = 'unchanged';
        continue;
      }
      pending.push({ result: Object.assign(result, { status: 'added' as const }), mutation: { type: 'clip', id: clipId, op: 'put', fields: { caseIds: { add: [caseId] } } } });
      continue;
    }
    pending.push({ result: Object.assign(result, { status: 'created' as const }), mutation: { type: 'clip', id: clipId, op: 'put', fields: mapped.fields } });
  }
  let mid = 0;
  for (let start = 0; start < pending.length; start += IMPORT_BATCH) {
    const batch = pending.slice(start, start + IMPORT_BATCH);
    const response = await pushChanges(store, { libraryId, userId, clientId, mutations: batch.map((item) => ({ ...item.mutation, mid: ++mid })) });
    response.results.forEach((outcome, i) => {
      const target = batch[i]!.result;
      if (outcome.status !== 'applied') {
        target.status = 'rejected';
        target.error = outcome.error?.message ?? outcome.status;
      }
    });
  }
  const count = (status: ImportStatus) => results.filter((result) => result.status === status).length;
  return { created: count('created'), added: count('added'), unchanged: count('unchanged'), rejected: count('rejected') + count('duplicate'), results };
}

/** Reads a CSL-JSON document (already parsed JSON) into its list of items, or says why not. */
export function cslItemsOf(body: unknown): { items: unknown[] } | { error: string } {
  const parsed = cslImportBody.safeParse(body);
  if (!parsed.success) return { error: 'send CSL-JSON: a list of items, or { "items": [...] }' };
  const items = Array.isArray(parsed.data) ? parsed.data : parsed.data.items;
  if (items.length > MAX_IMPORT_ITEMS) return { error: `at most ${MAX_IMPORT_ITEMS} items per import, got ${items.length}; split the file` };
  return { items };
}

/** Checks a `clips=a,b,c` selection: ids only, at most MAX_SELECTED_CLIPS. */
export function parseClipSelection(value: string | undefined): { clipIds?: string[] } | { error: string } {
  if (value === undefined || value === '') return {};
  if (value.length > MAX_SELECTED_CLIPS * 40) return { error: `clips may name at most ${MAX_SELECTED_CLIPS} clips` };
  const ids = [...new Set(value.split(',').map((id) => id.trim()).filter(Boolean))];
  if (ids.length > MAX_SELECTED_CLIPS) return { error: `clips may name at most ${MAX_SELECTED_CLIPS} clips` };
  if (!ids.every((id) => uuid.safeParse(id).success)) return { error: 'clips must be clip ids separated by commas' };
  return { clipIds: ids };
}
