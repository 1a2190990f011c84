// Middleware: bearer-token authentication and per-library access (the library owns data).
import { createMiddleware } from 'hono/factory';
import { membershipRole, userForToken } from '../repos/accounts.ts';
import { forbidden, notFound, unauthorized } from './errors.ts';
import type { AppEnv } from './env.ts';
import type { Role } from '../../shared/model.ts';

export const requireToken = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized();
  const services = c.get('services');
  const found = await userForToken(services.db, match[1]!);
  if (!found) throw unauthorized('the token is unknown or revoked; sign in again');
  services.limits.api.hit(found.tokenId);
  c.set('user', found.user);
  c.set('tokenId', found.tokenId);
  await next();
});

/** Resolves `:lib`: a library the user is not a member of is reported as unknown (404). */
export const requireLibrary = createMiddleware<AppEnv>(async (c, next) => {
  const libraryId = c.req.param('lib') ?? '';
  const role = await membershipRole(c.get('services').db, libraryId, c.get('user').id);
  if (!role) throw notFound(`no library ${libraryId}`);
  c.set('libraryId', libraryId);
  c.set('role', role);
  await next();
});

const WRITERS: readonly Role[] = ['admin', 'member'];

export function assertCanWrite(role: Role): void {
  if (!WRITERS.includes(role)) throw forbidden('readers cannot change the library; ask an admin for the member role');
}
