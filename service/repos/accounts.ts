// Libraries, users, memberships and API tokens: who may see or change which library.
import type { Db } from '../db/schema.ts';
import type { Role } from '../../shared/model.ts';
import { hashPassword, hashSecret, MIN_PASSWORD_LENGTH, newId, newSecret } from '../auth/secrets.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  organisation: string;
  intro: string;
}

export interface LibrarySummary {
  id: string;
  name: string;
  role: Role;
}

export class AccountError extends Error {
  constructor(readonly code: 'invalid' | 'exists' | 'not_found', message: string) {
    super(message);
  }
}

const now = () => new Date().toISOString();
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createLibrary(db: Db, name: string): Promise<{ id: string; name: string }> {
  const clean = name.trim();
  if (!clean) throw new AccountError('invalid', 'library name must not be empty');
  if (clean.length > 200) throw new AccountError('invalid', 'library name is longer than 200 characters');
  const library = { id: newId(), name: clean, version: 0, created_at: now() };
  await db.insertInto('libraries').values(library).execute();
  return { id: library.id, name: library.name };
}

export async function getLibrary(db: Db, id: string) {
  return db.selectFrom('libraries').select(['id', 'name', 'version']).where('id', '=', id).executeTakeFirst();
}

export async function listAllLibraries(db: Db) {
  return db.selectFrom('libraries').select(['id', 'name']).orderBy('created_at').execute();
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; organisation?: string; password?: string },
): Promise<User> {
  const email = normaliseEmail(input.email);
  if (!EMAIL.test(email) || email.length > 254) throw new AccountError('invalid', `'${input.email}' is not an e-mail address`);
  const name = input.name.trim();
  if (!name) throw new AccountError('invalid', 'name must not be empty');
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError('invalid', `password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new AccountError('exists', `a user with e-mail ${email} exists already`);
  const user = {
    id: newId(),
    email,
    name,
    organisation: (input.organisation ?? '').trim(),
    intro: '',
    password_hash: input.password ? await hashPassword(input.password) : null,
    created_at: now(),
  };
  await db.insertInto('users').values(user).execute();
  return { id: user.id, email, name, organisation: user.organisation, intro: '' };
}

export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError('invalid', `password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', userId).execute();
}

export async function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'organisation', 'intro', 'password_hash'])
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  return db.selectFrom('users').select(['id', 'email', 'name', 'organisation', 'intro']).where('id', '=', id).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listUsers(db: Db, libraryId?: string) {
  let query = db
    .selectFrom('users')
    .leftJoin('memberships', 'memberships.user_id', 'users.id')
    .leftJoin('libraries', 'libraries.id', 'memberships.library_id')
    .select(['users.id', 'users.email', 'users.name', 'users.organisation', 'memberships.role', 'libraries.id as libraryId', 'libraries.name as libraryName'])
    .orderBy('users.email');
  if (libraryId) query = query.where('memberships.library_id', '=', libraryId);
  return query.execute();
}

export async function setMembership(db: Db, libraryId: string, userId: string, role: Role): Promise<void> {
  if (!(await getLibrary(db, libraryId))) throw new AccountError('not_found', `no library with id ${libraryId}`);
  await db
    .insertInto('memberships')
    .values({ library_id: libraryId, user_id: userId, role, created_at: now() })
    .onConflict((oc) => oc.columns(['library_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

export async function membershipRole(db: Db, libraryId: string, userId: string): Promise<Role | undefined> {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('library_id', '=', libraryId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

export async function librariesOf(db: Db, userId: string): Promise<LibrarySummary[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('libraries', 'libraries.id', 'memberships.library_id')
    .select(['libraries.id', 'libraries.name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('libraries.name')
    .execute();
}

export async function membersOf(db: Db, libraryId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.name', 'users.email', 'users.organisation', 'users.intro', 'memberships.role'])
    .where('memberships.library_id', '=', libraryId)
    .orderBy('users.name')
    .execute();
}

/** Creates an API token; the returned secret is shown once and only its hash is kept. */
export async function createToken(db: Db, userId: string, label = ''): Promise<{ id: string; token: string }> {
  const token = newSecret('cbk');
  const id = newId();
  await db
    .insertInto('api_tokens')
    .values({ id, user_id: userId, token_hash: hashSecret(token), label: label.slice(0, 200), created_at: now(), last_used_at: null, revoked_at: null })
    .execute();
  return { id, token };
}

/** The user a bearer token belongs to, or undefined for an unknown or revoked token. */
export async function userForToken(db: Db, token: string): Promise<{ user: User; tokenId: string } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as tokenId', 'api_tokens.last_used_at', 'users.id', 'users.email', 'users.name', 'users.organisation', 'users.intro'])
    .where('api_tokens.token_hash', '=', hashSecret(token))
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  // Record use at most once a minute: a write on every request would serialize all reads.
  const stamp = now();
  if (!row.last_used_at || Date.parse(stamp) - Date.parse(row.last_used_at) > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: stamp }).where('id', '=', row.tokenId).execute();
  }
  const { tokenId, last_used_at: _lastUsed, ...user } = row;
  return { user, tokenId };
}

export async function revokeToken(db: Db, tokenId: string, userId?: string): Promise<boolean> {
  let query = db.updateTable('api_tokens').set({ revoked_at: now() }).where('id', '=', tokenId).where('revoked_at', 'is', null);
  if (userId) query = query.where('user_id', '=', userId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function listTokens(db: Db, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'label', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

/** A one-time sign-in link secret (first start, invitations); valid for `hours`. */
export async function createSigninLink(db: Db, userId: string, purpose: 'signin' | 'invite', hours = 72): Promise<string> {
  const secret = newSecret('cbl');
  await db
    .insertInto('signin_links')
    .values({ token_hash: hashSecret(secret), user_id: userId, purpose, expires_at: new Date(Date.now() + hours * 3_600_000).toISOString(), used_at: null })
    .execute();
  return secret;
}

/** Uses a sign-in link once: returns its user, or undefined when unknown, used or expired. */
export async function consumeSigninLink(db: Db, secret: string): Promise<{ userId: string; purpose: string } | undefined> {
  const hash = hashSecret(secret);
  const row = await db.selectFrom('signin_links').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  if (!row || row.used_at || Date.parse(row.expires_at) < Date.now()) return undefined;
  const result = await db.updateTable('signin_links').set({ used_at: now() }).where('token_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return { userId: row.user_id, purpose: row.purpose };
}
