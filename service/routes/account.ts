// Account routes: health, who am I, my libraries, password sign-in for a token, sign-out, and
// an admin's changes to a library's members (through the account rules: the last admin stays).
import { Hono } from 'hono';
import { z } from 'zod';
import { requireLibrary, requireToken } from '../http/auth.ts';
import { ApiError, badRequest, readJson } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { limitPasswordGuess, rememberSignin } from '../http/rate-limit.ts';
import { AccountError, changeRole, createToken, findUserByEmail, librariesOf, normaliseEmail, removeMember, revokeToken } from '../repos/accounts.ts';
import { ROLES } from '../../shared/model.ts';
import type { HealthResponse, LibraryRef, MeResponse, RevokedResponse, TokenResponse } from '../../shared/api.ts';
import { verifyPassword } from '../auth/secrets.ts';

export const roleBody = z.object({ role: z.enum(ROLES) });

/** The account rules' refusals as API errors: the last admin is a conflict, a non-member unknown. */
function accountFailure(error: unknown): never {
  if (error instanceof AccountError) {
    if (error.code === 'last_admin') throw new ApiError(409, 'last_admin', error.message);
    if (error.code === 'not_found') throw new ApiError(404, 'not_found', error.message);
    throw badRequest(error.message);
  }
  throw error;
}

export const signinBody = z.object({
  email: z.string().max(254),
  password: z.string().max(1024),
  label: z.string().max(200).optional(),
});

export const accountRoutes = new Hono<AppEnv>()
  .get('/health', (c) => c.json({ ok: true, store: c.get('services').store.dialect } satisfies HealthResponse))
  .post('/tokens', async (c) => {
    const services = c.get('services');
    const parsed = signinBody.safeParse(await readJson(c));
    if (!parsed.success) throw badRequest('send { email, password, label? }');
    const { email, password, label } = parsed.data;
    // Limited per client address and per account, shared with the web sign-in.
    limitPasswordGuess(c, normaliseEmail(email));
    const user = await findUserByEmail(services.db, email);
    // Unknown e-mails are checked against a dummy hash: the answer takes as long either way.
    const ok = await verifyPassword(password, user?.password_hash ?? null);
    if (!user || !ok) throw new ApiError(401, 'unauthorized', 'e-mail or password is wrong');
    rememberSignin(c, user.email);
    const token = await createToken(services.db, user.id, label ?? 'extension');
    return c.json({ token: token.token, id: token.id, user: { id: user.id, name: user.name, email: user.email, organisation: user.organisation } } satisfies TokenResponse, 201);
  })
  .use('/me', requireToken)
  .get('/me', async (c) => {
    const user = c.get('user');
    const libraries = await librariesOf(c.get('services').db, user.id);
    return c.json({ user: { id: user.id, name: user.name, email: user.email, organisation: user.organisation }, libraries } satisfies MeResponse);
  })
  .use('/libraries', requireToken)
  .get('/libraries', async (c) => c.json({ libraries: (await librariesOf(c.get('services').db, c.get('user').id)) satisfies LibraryRef[] }))
  .use('/libraries/:lib/members/:user', requireToken, requireLibrary)
  .put('/libraries/:lib/members/:user', async (c) => {
    if (c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'only admins of this library change roles');
    const parsed = roleBody.safeParse(await readJson(c));
    if (!parsed.success) throw badRequest('send { role: "admin" | "member" | "reader" }');
    try {
      await changeRole(c.get('services').db, c.get('libraryId'), c.req.param('user'), parsed.data.role);
    } catch (error) {
      accountFailure(error);
    }
    return c.json({ userId: c.req.param('user'), role: parsed.data.role });
  })
  .delete('/libraries/:lib/members/:user', async (c) => {
    if (c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'only admins of this library remove members');
    try {
      await removeMember(c.get('services').db, c.get('libraryId'), c.req.param('user'));
    } catch (error) {
      accountFailure(error);
    }
    return c.json({ removed: true });
  })
  .use('/tokens/current', requireToken)
  .delete('/tokens/current', async (c) => {
    await revokeToken(c.get('services').db, c.get('tokenId'), c.get('user').id);
    return c.json({ revoked: true } satisfies RevokedResponse);
  });
