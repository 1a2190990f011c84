// A clip's files over HTTP (issue 16, item 2). PUT …/attachments/:sha256?clip=ID&role=pdf|image
// (&source=URL: where an image was clipped from) streams the bytes with a cap, checks the hash and the magic bytes, and keeps them once per
// library; GET …/attachments/:sha256 serves them from this origin with a fixed type, nosniff and
// the web library's CSP, to API tokens and to the web session alike. Mounted before the app's
// 1 MiB body limit (app.ts): this route bounds its own bodies, per role.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import { ALLOWED_TYPES, ATTACHMENT_LIMITS, ATTACHMENT_ROLES, SHA256_HEX, sniffContentType, type AttachmentRole } from '../../shared/attachments.ts';
import { LIMITS, uuid } from '../../shared/model.ts';
import { assertCanWrite, requireLibrary, requireToken } from '../http/auth.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest, handleError, notFound, tooLarge } from '../http/errors.ts';
import { getUser, membershipRole } from '../repos/accounts.ts';
import { attachmentsOfClip, hasAttachment, keepAttachment, liveClip, readAttachment } from '../repos/attachments.ts';
import { CONTENT_SECURITY_POLICY } from '../web/csp.ts';
import { SESSION_COOKIE } from '../web/session.ts';
import { findSession } from '../repos/sessions.ts';

const unsupported = (message: string) => new ApiError(415, 'unsupported_type', message);

/** A bearer token (the extension, scripts) or the web library's session cookie (its pages). */
const tokenOrSession = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('authorization')) {
    await requireToken(c, async () => {
      await requireLibrary(c, next);
    });
    return;
  }
  const secret = getCookie(c, SESSION_COOKIE);
  const { db } = c.get('services');
  const session = secret ? await findSession(db, secret) : undefined;
  const user = session && (await getUser(db, session.userId));
  const libraryId = c.req.param('lib') ?? '';
  const role = user ? await membershipRole(db, libraryId, user.id) : undefined;
  // Signed out, or not a member: the same 404 as an unknown file (the library's data is its own).
  if (!user || !role) throw notFound('no such attachment');
  c.set('user', user);
  c.set('libraryId', libraryId);
  c.set('role', role);
  await next();
});

/** Reads a request body up to `max` bytes, hashing as it goes; past the cap it stops reading. */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<{ data: Uint8Array; sha256: string }> {
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(max);
      }
      hash.update(value);
      chunks.push(value);
    }
  }
  return { data: Buffer.concat(chunks, total), sha256: hash.digest('hex') };
}

export const attachmentRoutes = new Hono<AppEnv>();
attachmentRoutes.onError(handleError);

attachmentRoutes.put('/:sha256', requireToken, requireLibrary, async (c) => {
  assertCanWrite(c.get('role'));
  const { db, store } = c.get('services');
  const libraryId = c.get('libraryId');
  const sha256 = c.req.param('sha256');
  if (!SHA256_HEX.test(sha256)) throw badRequest('the address must end in the file’s SHA-256, 64 lower-case hex digits');
  const clipId = c.req.query('clip') ?? '';
  if (!uuid.safeParse(clipId).success) throw badRequest('clip: give the id of the clip that keeps this file (?clip=ID)');
  const role = c.req.query('role') as AttachmentRole;
  if (!ATTACHMENT_ROLES.includes(role)) throw badRequest(`role: one of ${ATTACHMENT_ROLES.join(', ')}`);
  const source = c.req.query('source');
  if (source !== undefined && (source.length > LIMITS.url || !/^https?:\/\//i.test(source) || !URL.canParse(source))) throw badRequest('source: the http(s) address the file was clipped from');
  const max = ATTACHMENT_LIMITS[role];
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  if (!(await liveClip(db, libraryId, clipId))) throw notFound(`no clip ${clipId}`);
  // The library holds these bytes already (another clip, an earlier try): link them, read nothing.
  const known = await hasAttachment(db, libraryId, sha256);
  if (known) {
    if (!ALLOWED_TYPES[role].includes(known.contentType)) throw unsupported(`this file is ${known.contentType}, not a ${role}`);
    const kept = await keepAttachment(store, { libraryId, clipId, sha256, role, contentType: known.contentType, userId: c.get('user').id, bytes: known.bytes, ...(source ? { sourceUrl: source } : {}) });
    await c.req.raw.body?.cancel().catch(() => undefined);
    return c.json({ sha256, contentType: known.contentType, bytes: known.bytes, role, created: false, linked: kept.linked }, 200);
  }
  const { data, sha256: actual } = await readCapped(c.req.raw.body, max);
  if (actual !== sha256) throw badRequest(`the body's SHA-256 is ${actual}, not ${sha256}; nothing was kept`);
  const contentType = sniffContentType(data.subarray(0, 1024));
  if (!contentType || !ALLOWED_TYPES[role].includes(contentType)) {
    throw unsupported(`a ${role} must be ${ALLOWED_TYPES[role].join(', ')} by its first bytes${contentType ? `; this is ${contentType}` : ''} (SVG and other documents are refused)`);
  }
  const header = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (header && header !== 'application/octet-stream' && header !== contentType) throw unsupported(`sent as ${header} but its bytes are ${contentType}`);
  const kept = await keepAttachment(store, { libraryId, clipId, sha256, role, contentType, userId: c.get('user').id, data, bytes: data.byteLength, ...(source ? { sourceUrl: source } : {}) });
  return c.json({ sha256, contentType, bytes: data.byteLength, role, created: kept.created, linked: kept.linked }, kept.created ? 201 : 200);
});

/** The files a clip keeps: `GET …/attachments?clip=ID`. */
attachmentRoutes.get('/', tokenOrSession, async (c) => {
  const clipId = c.req.query('clip') ?? '';
  if (!uuid.safeParse(clipId).success) throw badRequest('clip: give a clip id (?clip=ID)');
  const { db } = c.get('services');
  if (!(await liveClip(db, c.get('libraryId'), clipId))) throw notFound(`no clip ${clipId}`);
  return c.json({ attachments: await attachmentsOfClip(db, c.get('libraryId'), clipId) });
});

attachmentRoutes.get('/:sha256', tokenOrSession, async (c) => {
  const sha256 = c.req.param('sha256');
  const file = SHA256_HEX.test(sha256) ? await readAttachment(c.get('services').db, c.get('libraryId'), sha256) : undefined;
  if (!file) throw notFound('no such attachment');
  const headers: Record<string, string> = {
    'Content-Type': file.contentType,
    'Content-Length': String(file.bytes),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    // Content-addressed: the bytes at this address never change; private to the member.
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: `"${sha256}"`,
  };
  // A PDF is a document: saved, not opened in this origin (a viewer may run its scripts).
  if (file.contentType === 'application/pdf') headers['Content-Disposition'] = `attachment; filename="${sha256.slice(0, 12)}.pdf"`;
  if (c.req.header('if-none-match') === `"${sha256}"`) return c.body(null, 304, headers);
  return c.body(file.data as Uint8Array<ArrayBuffer>, 200, headers);
});
