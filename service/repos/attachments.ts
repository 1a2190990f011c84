// A clip's files (issue 16, item 2): content-addressed per library, deduplicated, bytes in the
// database (tables of migration 9).
import { ATTACHMENT_LIMITS, type AttachmentInfo, type AttachmentRole } from '../../shared/attachments.ts';
import type { Db } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import { ApiError, notFound } from '../http/errors.ts';



export type { AttachmentsTable, ClipAttachmentsTable } from '../db/schema.ts';


/** The clip a file is kept for, if it is a live clip of this library. */
export async function liveClip(db: Db, libraryId: string, clipId: string): Promise<boolean> {
  const row = await db.selectFrom('clips').select('id').where('id', '=', clipId).where('library_id', '=', libraryId).where('deleted', '=', 0).executeTakeFirst();
  return row !== undefined;
}

/** Whether the library already holds these bytes (an upload of them needs no body). */
export async function hasAttachment(db: Db, libraryId: string, sha256: string): Promise<{ contentType: string; bytes: number } | undefined> {
  const row = await db
    .selectFrom('attachments')
    .select(['content_type', 'bytes'])
    .where('library_id', '=', libraryId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row ? { contentType: row.content_type, bytes: Number(row.bytes) } : undefined;
}

/** Bytes a clip keeps already, not counting one file (which a second upload does not add). */
export async function clipBytes(db: Db, clipId: string, except?: string): Promise<{ bytes: number; images: number }> {
  let query = db
    .selectFrom('clip_attachments')
    .innerJoin('attachments', (join) => join.onRef('attachments.library_id', '=', 'clip_attachments.library_id').onRef('attachments.sha256', '=', 'clip_attachments.sha256'))
    .select(['attachments.bytes', 'clip_attachments.role'])
    .where('clip_attachments.clip_id', '=', clipId);
  if (except) query = query.where('clip_attachments.sha256', '!=', except);
  const rows = await query.execute();
  return { bytes: rows.reduce((sum, row) => sum + Number(row.bytes), 0), images: rows.filter((row) => row.role === 'image').length };
}

export interface NewAttachment {
  libraryId: string;
  clipId: string;
  sha256: string;
  role: AttachmentRole;
  contentType: string;
  userId: string;
  /** The image's address in the clipped page, if any. */
  sourceUrl?: string;
  /** The bytes; omitted when the library holds them already (a link only). */
  data?: Uint8Array;
  bytes: number;
}

/**
 * Keeps a file for a clip in one transaction: the bytes once per library (a second clip with the
 * same file only links it), the link with its role. Refuses a clip that is gone (404) and a clip
 * whose files would pass the per-clip bound (413). Answers whether the bytes were new.
 */
export async function keepAttachment(store: Store, item: NewAttachment): Promise<{ created: boolean; linked: boolean }> {
  return store.writeTransaction(async ({ db: trx }) => {
    if (!(await liveClip(trx, item.libraryId, item.clipId))) throw notFound(`no clip ${item.clipId}`);
    const already = await trx
      .selectFrom('clip_attachments')
      .select('role')
      .where('clip_id', '=', item.clipId)
      .where('sha256', '=', item.sha256)
      .executeTakeFirst();
    const kept = await clipBytes(trx, item.clipId, item.sha256);
    if (kept.bytes + item.bytes > ATTACHMENT_LIMITS.perClip) {
      throw new ApiError(413, 'too_large', `A clip keeps at most ${ATTACHMENT_LIMITS.perClip} bytes of files; this one would make ${kept.bytes + item.bytes}.`);
    }
    if (item.role === 'image' && !already && kept.images >= ATTACHMENT_LIMITS.imagesPerClip) {
      throw new ApiError(413, 'too_large', `A clip keeps at most ${ATTACHMENT_LIMITS.imagesPerClip} images.`);
    }
    const stamp = new Date().toISOString();
    let created = false;
    if (item.data) {
      const result = await trx
        .insertInto('attachments')
        .values({
          library_id: item.libraryId,
          sha256: item.sha256,
          content_type: item.contentType,
          bytes: item.bytes,
          created_by: item.userId,
          created_at: stamp,
          data: Buffer.from(item.data.buffer, item.data.byteOffset, item.data.byteLength),
        })
        .onConflict((oc) => oc.columns(['library_id', 'sha256']).doNothing())
        .executeTakeFirst();
      created = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    }
    if (!already) {
      await trx
        .insertInto('clip_attachments')
        .values({ library_id: item.libraryId, clip_id: item.clipId, sha256: item.sha256, role: item.role, created_at: stamp, source_url: item.sourceUrl ?? null })
        .execute();
    }
    return { created, linked: !already };
  });
}

/** One file of a library with its bytes, or undefined (unknown here: the caller answers 404). */
export async function readAttachment(db: Db, libraryId: string, sha256: string): Promise<{ contentType: string; bytes: number; data: Uint8Array } | undefined> {
  const row = await db
    .selectFrom('attachments')
    .select(['content_type', 'bytes', 'data'])
    .where('library_id', '=', libraryId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row ? { contentType: row.content_type, bytes: Number(row.bytes), data: row.data } : undefined;
}

/** The files a clip keeps, PDF first, then images in the order they were kept. */
export async function attachmentsOfClip(db: Db, libraryId: string, clipId: string): Promise<Array<AttachmentInfo & { source?: string }>> {
  const rows = await db
    .selectFrom('clip_attachments')
    .innerJoin('attachments', (join) => join.onRef('attachments.library_id', '=', 'clip_attachments.library_id').onRef('attachments.sha256', '=', 'clip_attachments.sha256'))
    .select(['attachments.sha256', 'attachments.content_type', 'attachments.bytes', 'clip_attachments.role', 'clip_attachments.created_at', 'clip_attachments.source_url'])
    .where('clip_attachments.library_id', '=', libraryId)
    .where('clip_attachments.clip_id', '=', clipId)
    .orderBy('clip_attachments.role', 'desc')
    .orderBy('clip_attachments.created_at')
    .orderBy('attachments.sha256')
    .execute();
  return rows.map((row) => ({ sha256: row.sha256, contentType: row.content_type, bytes: Number(row.bytes), role: row.role as AttachmentRole, ...(row.source_url ? { source: row.source_url } : {}) }));
}

/** A clip's link to a kept file, without the bytes. */
export interface AttachmentLink {
  sha256: string;
  contentType: string;
  bytes: number;
  role: AttachmentRole;
  source?: string;
}

/**
 * Every clip's kept files in a library (no bytes), by clip, PDF first then images in the order
 * they were kept: what the Markdown export names beside each clip. One query, not one per clip.
 */
export async function attachmentLinksOf(db: Db, libraryId: string): Promise<Map<string, AttachmentLink[]>> {
  const rows = await db
    .selectFrom('clip_attachments')
    .innerJoin('attachments', (join) => join.onRef('attachments.library_id', '=', 'clip_attachments.library_id').onRef('attachments.sha256', '=', 'clip_attachments.sha256'))
    .select(['clip_attachments.clip_id', 'attachments.sha256', 'attachments.content_type', 'attachments.bytes', 'clip_attachments.role', 'clip_attachments.source_url'])
    .where('clip_attachments.library_id', '=', libraryId)
    .orderBy('clip_attachments.clip_id')
    .orderBy('clip_attachments.role', 'desc')
    .orderBy('clip_attachments.created_at')
    .orderBy('attachments.sha256')
    .execute();
  const byClip = new Map<string, AttachmentLink[]>();
  for (const row of rows) {
    const list = byClip.get(row.clip_id) ?? [];
    list.push({ sha256: row.sha256, contentType: row.content_type, bytes: Number(row.bytes), role: row.role as AttachmentRole, ...(row.source_url ? { source: row.source_url } : {}) });
    byClip.set(row.clip_id, list);
  }
  return byClip;
}

/** An attachment as exported: its bytes in base64 and the clips that keep it. */
export interface ExportedAttachment {
  sha256: string;
  contentType: string;
  bytes: number;
  data: string;
  clips: Array<{ clipId: string; role: AttachmentRole; source?: string }>;
}

/** A library's files one at a time (constant memory beyond one file), in sha256 order. */
export async function* exportAttachments(db: Db, libraryId: string, clipIds?: Set<string>): AsyncGenerator<ExportedAttachment> {
  const links = await db.selectFrom('clip_attachments').select(['clip_id', 'sha256', 'role', 'source_url']).where('library_id', '=', libraryId).orderBy('sha256').orderBy('clip_id').execute();
  const bySha = new Map<string, ExportedAttachment['clips']>();
  for (const link of links) {
    if (clipIds && !clipIds.has(link.clip_id)) continue;
    const list = bySha.get(link.sha256) ?? [];
    list.push({ clipId: link.clip_id, role: link.role as AttachmentRole, ...(link.source_url ? { source: link.source_url } : {}) });
    bySha.set(link.sha256, list);
  }
  for (const [sha256, clips] of bySha) {
    const file = await readAttachment(db, libraryId, sha256);
    if (!file) continue;
    yield { sha256, contentType: file.contentType, bytes: file.bytes, data: Buffer.from(file.data).toString('base64'), clips };
  }
}

/** Writes imported files inside the import's transaction (already checked by the import). */
export async function importAttachment(trx: Db, libraryId: string, userId: string, file: { sha256: string; contentType: string; data: Uint8Array; clips: Array<{ clipId: string; role: AttachmentRole; source?: string }> }): Promise<void> {
  const stamp = new Date().toISOString();
  await trx
    .insertInto('attachments')
    .values({ library_id: libraryId, sha256: file.sha256, content_type: file.contentType, bytes: file.data.byteLength, created_by: userId, created_at: stamp, data: Buffer.from(file.data) })
    .onConflict((oc) => oc.columns(['library_id', 'sha256']).doNothing())
    .execute();
  for (const link of file.clips) {
    await trx
      .insertInto('clip_attachments')
      .values({ library_id: libraryId, clip_id: link.clipId, sha256: file.sha256, role: link.role, created_at: stamp, source_url: link.source ?? null })
      .onConflict((oc) => oc.columns(['clip_id', 'sha256']).doNothing())
      .execute();
  }
}

/** Number and total bytes of a library's files: what the demo and migrate-store report. */
export async function attachmentTotals(db: Db, libraryId: string): Promise<{ files: number; bytes: number }> {
  const row = await db
    .selectFrom('attachments')
    .select((eb) => [eb.fn.countAll<number>().as('files'), eb.fn.sum<number>('bytes').as('bytes')])
    .where('library_id', '=', libraryId)
    .executeTakeFirst();
  return { files: Number(row?.files ?? 0), bytes: Number(row?.bytes ?? 0) };
}

const decodeAttribute = (value: string) =>
  value.replace(/&(amp|quot|#39|#x27|lt|gt);/g, (_, name: string) => ({ amp: '&', quot: '"', '#39': "'", '#x27': "'", lt: '<', gt: '>' })[name] ?? '');

/**
 * The clip's sanitized HTML with each image the clip keeps shown from this service (`localUrl`)
 * instead of its source, so the clip still shows when the source is gone. The HTML has been
 * sanitized (double-quoted attributes); other images stay as they are; srcset of a swapped image
 * goes (it names the source's copies).
 */
export function swapKeptImages(html: string, kept: Array<{ sha256: string; role: string; source?: string }>, localUrl: (sha256: string) => string): string {
  const bySource = new Map(kept.filter((file) => file.role === 'image' && file.source).map((file) => [file.source!, file.sha256]));
  if (bySource.size === 0) return html;
  return html.replace(/<img\b[^>]*>/gi, (tag) => {
    const src = /\ssrc="([^"]*)"/i.exec(tag);
    const sha256 = src ? bySource.get(decodeAttribute(src[1]!)) : undefined;
    if (!sha256) return tag;
    return tag.replace(/\ssrcset="[^"]*"/i, '').replace(/\ssrc="[^"]*"/i, ` src="${localUrl(sha256)}"`);
  });
}
