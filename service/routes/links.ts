// Linked libraries over the API (issue 14, item 4): `GET|POST …/links`, `POST …/links/:id/accept`,
// `DELETE …/links/:id`, and `POST …/share` { type, id, to } that copies a clip, a question or a
// case summary into a linked library.
import { Hono } from 'hono';
import { z } from 'zod';
import { describeZodError, uuid } from '../../shared/model.ts';
import { ApiError, badRequest, readJson } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { acceptLink, LinkError, linksOf, removeLink, requestLink, searchLinked, SHAREABLE, shareObject } from '../repos/links.ts';

export const linkBody = z.object({ libraryId: uuid }).strict();
export const shareBody = z.object({ type: z.enum(SHAREABLE), id: uuid, to: uuid }).strict();

function assertAdmin(role: string): void {
  if (role !== 'admin') throw new ApiError(403, 'forbidden', 'only admins link libraries');
}

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LinkError) throw new ApiError(error.status, error.status === 403 ? 'forbidden' : error.status === 404 ? 'not_found' : 'invalid', error.message);
    throw error;
  }
}

export const linkRoutes = new Hono<AppEnv>()
  .get('/links', async (c) => c.json({ links: await linksOf(c.get('services').db, c.get('libraryId')) }))
  .post('/links', async (c) => {
    assertAdmin(c.get('role'));
    const parsed = linkBody.safeParse(await readJson(c));
    if (!parsed.success) throw badRequest(`send { libraryId } (${describeZodError(parsed.error)})`);
    return c.json({ link: await mapped(() => requestLink(c.get('services').db, c.get('libraryId'), parsed.data.libraryId, c.get('user').id)) }, 201);
  })
  .post('/links/:id/accept', async (c) => {
    assertAdmin(c.get('role'));
    return c.json({ link: await mapped(() => acceptLink(c.get('services').db, c.get('libraryId'), c.req.param('id'), c.get('user').id)) });
  })
  .delete('/links/:id', async (c) => {
    assertAdmin(c.get('role'));
    await mapped(() => removeLink(c.get('services').db, c.get('libraryId'), c.req.param('id')));
    return c.body(null, 204);
  })
  .get('/links/search', async (c) => {
    const q = c.req.query('q') ?? '';
    if (!q.trim() || q.length > 1_000) throw badRequest('give ?q=words (at most 1000 characters)');
    const { db } = c.get('services');
    return c.json({ libraries: await searchLinked(db, c.get('libraryId'), c.get('user').id, q) });
  })
  .post('/share', async (c) => {
    const parsed = shareBody.safeParse(await readJson(c));
    if (!parsed.success) throw badRequest(`send { type: "clip"|"question"|"case", id, to } (${describeZodError(parsed.error)})`);
    const { store } = c.get('services');
    const shared = await mapped(() => shareObject(store, { libraryId: c.get('libraryId'), role: c.get('role'), userId: c.get('user').id, type: parsed.data.type, id: parsed.data.id, targetId: parsed.data.to }));
    return c.json({ shared }, 201);
  });
