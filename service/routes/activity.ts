// Activity and inbox over the API (DESIGN.md "Second round"): GET …/activity?since=&case=,
// GET /api/v1/me/inbox (with its read marker and settings), and the Atom feeds at
// /feeds/:feedToken/… that a feed reader follows with a feed token instead of the API token.
import { Hono, type Context } from 'hono';
import { requireToken } from '../http/auth.ts';
import { ApiError, badRequest, notFound } from '../http/errors.ts';
import { mailConfigured } from '../mail/send.ts';
import type { AppEnv } from '../http/env.ts';
import { getLibrary, librariesOf, membershipRole } from '../repos/accounts.ts';
import { loadLive } from '../repos/objects.ts';
import { inboxItems, inboxPage } from '../activity/inbox.ts';
import { parseActivityParams } from '../activity/params.ts';
import { markRead, saveSettings, settingsInput, settingsOf } from '../activity/settings.ts';
import { activityPage } from '../activity/stream.ts';
import { atomOf } from '../feeds/atom.ts';
import { userForFeedToken } from '../repos/feed-tokens.ts';
import { unsubscribeBySecret } from '../digest/run.ts';
import { describeZodError, uuid, type Role } from '../../shared/model.ts';
import type { ActivityPage, InboxResponse } from '../../shared/api.ts';
import { z } from 'zod';

const FEED_SIZE = 50;

async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw badRequest('the body must be JSON');
  }
}

/** The library named by ?library= (one the user belongs to), for the /me routes. */
async function libraryParam(c: Context<AppEnv>, id: string | undefined) {
  if (!id) throw badRequest('library is required');
  const role = await membershipRole(c.get('services').db, id, c.get('user').id);
  if (!role) throw notFound(`no library ${id}`);
  return { id, role };
}

const readBody = z.object({ library: uuid, upTo: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict();

export const activityRoutes = new Hono<AppEnv>()
  // requireToken and requireLibrary run for /api/v1/libraries/:lib/* (app.ts).
  .get('/api/v1/libraries/:lib/activity', async (c) => {
    const params = parseActivityParams(c.req.query());
    const { db } = c.get('services');
    const page = await activityPage(db, {
      libraryId: c.get('libraryId'),
      role: c.get('role'),
      limit: params.limit ?? 50,
      ...(params.case ? { caseId: params.case } : {}),
      ...(params.tag ? { tag: params.tag } : {}),
      ...(params.since !== undefined ? { since: params.since } : {}),
      ...(params.before !== undefined ? { before: params.before } : {}),
    });
    return c.json(page satisfies ActivityPage);
  })
  .use('/api/v1/me/inbox', requireToken)
  .use('/api/v1/me/inbox/*', requireToken)
  .get('/api/v1/me/inbox', async (c) => {
    const params = parseActivityParams(c.req.query());
    const { db } = c.get('services');
    const user = c.get('user');
    const libraries: Array<{ id: string; role: Role; name?: string }> = params.library ? [await libraryParam(c, params.library)] : await librariesOf(db, user.id);
    const out: InboxResponse['libraries'] = [];
    let unread = 0;
    for (const library of libraries) {
      const page = await inboxPage(db, library.id, user.id, library.role, { ...(params.before !== undefined ? { before: params.before } : {}), limit: params.limit ?? 50 });
      unread += page.unread;
      out.push({ id: library.id, name: library.name ?? (await getLibrary(db, library.id))?.name ?? '', ...page });
    }
    return c.json({ unread, libraries: out } satisfies InboxResponse);
  })
  .post('/api/v1/me/inbox/read', async (c) => {
    const parsed = readBody.safeParse(await jsonBody(c));
    if (!parsed.success) throw badRequest(describeZodError(parsed.error));
    const library = await libraryParam(c, parsed.data.library);
    const readVersion = await markRead(c.get('services').db, library.id, c.get('user').id, parsed.data.upTo);
    return c.json({ readVersion });
  })
  .get('/api/v1/me/inbox/settings', async (c) => {
    const library = await libraryParam(c, c.req.query('library'));
    const { readVersion: _read, digestSince: _since, ...settings } = await settingsOf(c.get('services').db, library.id, c.get('user').id);
    return c.json(settings);
  })
  .put('/api/v1/me/inbox/settings', async (c) => {
    const library = await libraryParam(c, c.req.query('library'));
    const parsed = settingsInput.safeParse(await jsonBody(c));
    if (!parsed.success) throw badRequest(describeZodError(parsed.error));
    if (parsed.data.digest && parsed.data.digest !== 'off' && !mailConfigured(c.get('services').config)) {
      throw new ApiError(409, 'mail_not_configured', 'this service sends no mail (CASEBOOK_SMTP_URL is not set): the digest cannot be turned on; follow the Atom feeds instead');
    }
    const { readVersion: _read, digestSince: _since, ...settings } = await saveSettings(c.get('services').db, library.id, c.get('user').id, parsed.data);
    return c.json(settings);
  })
  // Feeds: the token names the account; membership is checked on every request, so a removed
  // member's feeds go quiet at once. Unknown token, library, case: the same plain 404.
  .get('/feeds/:feedToken/libraries/:lib/*', async (c) => {
    const { db, config } = c.get('services');
    const missing = () => c.text('no such feed', 404, { 'Cache-Control': 'no-store' });
    const userId = await userForFeedToken(db, c.req.param('feedToken'));
    const libraryId = c.req.param('lib');
    if (!userId || !uuid.safeParse(libraryId).success) return missing();
    const role = await membershipRole(db, libraryId, userId);
    const library = role && (await getLibrary(db, libraryId));
    if (!role || !library) return missing();
    let rest: string[];
    try {
      rest = c.req.path.split('/').slice(5).map(decodeURIComponent);
    } catch {
      return missing();
    }
    const base = (config.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    const web = `${base}/l/${libraryId}/`;
    const feedMeta = { base, libraryId, self: base + c.req.path };
    let xml: string;
    if (rest.length === 1 && rest[0] === 'activity') {
      const page = await activityPage(db, { libraryId, role, limit: FEED_SIZE });
      xml = atomOf({ ...feedMeta, id: `urn:uuid:${libraryId}`, title: `${library.name}: activity`, link: `${web}activity` }, page.events);
    } else if (rest.length === 2 && rest[0] === 'cases') {
      const caseId = rest[1]!;
      const item = uuid.safeParse(caseId).success ? await loadLive(db, libraryId, 'case', caseId) : undefined;
      if (!item) return missing();
      const page = await activityPage(db, { libraryId, role, caseId, limit: FEED_SIZE });
      xml = atomOf({ ...feedMeta, id: `urn:uuid:${caseId}`, title: `${library.name}: ${String(item.fields.title)}`, link: `${web}activity?case=${caseId}` }, page.events);
    } else if (rest.length === 2 && rest[0] === 'tags') {
      const tag = rest[1]!;
      const params = parseActivityParams({ tag });
      const page = await activityPage(db, { libraryId, role, tag: params.tag!, limit: FEED_SIZE });
      xml = atomOf({ ...feedMeta, id: `urn:casebook:${libraryId}:tag:${encodeURIComponent(tag)}`, title: `${library.name}: #${tag}`, link: `${web}search?tag=${encodeURIComponent(tag)}` }, page.events);
    } else if (rest.length === 1 && rest[0] === 'inbox') {
      const items = await inboxItems(db, libraryId, userId, role, { limit: FEED_SIZE });
      xml = atomOf({ ...feedMeta, id: `urn:casebook:${libraryId}:inbox:${userId}`, title: `${library.name}: for me`, link: `${web}inbox` }, items);
    } else {
      return missing();
    }
    return c.body(xml, 200, {
      'Content-Type': 'application/atom+xml; charset=utf-8',
      'Cache-Control': 'private, no-cache',
      'X-Robots-Tag': 'noindex',
    });
  });

const unsubscribePage = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${title} · Casebook</title><link rel="stylesheet" href="/static/casebook.css"></head><body><main id="content"><h1>${title}</h1>${body}</main></body></html>`;

/**
 * One-click unsubscribe (RFC 8058): the mail client POSTs `List-Unsubscribe=One-Click` to the
 * link without cookies or a CSRF token; the secret in the link is the authority. Opening the
 * link (GET) only asks, because mail scanners fetch links by themselves.
 */
export const unsubscribeRoutes = new Hono<AppEnv>()
  .get('/digest/unsubscribe/:secret', (c) =>
    c.html(
      unsubscribePage(
        'Unsubscribe from the digest',
        `<p>Stop receiving the Casebook e-mail digest of this library?</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      ),
      200,
      { 'Cache-Control': 'no-store' },
    ),
  )
  .post('/digest/unsubscribe/:secret', async (c) => {
    const done = await unsubscribeBySecret(c.get('services').db, c.req.param('secret'));
    if (!done) return c.html(unsubscribePage('Unknown link', '<p>This unsubscribe link is not one Casebook sent. Change the digest on your account page.</p>'), 404);
    return c.html(unsubscribePage('Unsubscribed', '<p>You will receive no more digests of this library. You can turn it on again on the library’s inbox settings page.</p>'), 200, { 'Cache-Control': 'no-store' });
  });

activityRoutes.route('/', unsubscribeRoutes);
