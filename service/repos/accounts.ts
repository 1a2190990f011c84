// Libraries, users, memberships and API tokens: who may see or change which library.
import type { Db, InvitationsTable } from '../db/schema.ts';

export type { InvitationsTable } from '../db/schema.ts';
import { forUpdate } from '../db/locks.ts';
import { storeTrouble } from '../db/transaction.ts';
import { textProblem, type Role } from '../../shared/model.ts';
import { hashPassword, hashSecret, MIN_PASSWORD_LENGTH, newId, newSecret } from '../auth/secrets.ts';
import { linkExpiry } from '../auth/links.ts';
import { endSessionsOf } from './sessions.ts';

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
  constructor(readonly code: 'invalid' | 'exists' | 'not_found' | 'last_admin', message: string) {
    super(message);
  }
}

const now = () => new Date().toISOString();
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A key or value every store can hold (no NUL, well-formed Unicode: PostgreSQL refuses a NUL
 * with an error, which must be an unknown key to callers, never a 500).
 */
const storable = (value: string) => textProblem(value) === undefined;

/** Checks text a person typed (names, organisations, introductions) the way push checks fields. */
function checkText(label: string, value: string): void {
  const problem = textProblem(value);
  if (problem) throw new AccountError('invalid', `${label} ${problem}`);
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
  if (!storable(id)) return undefined;
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
  if (!EMAIL.test(email) || email.length > 254 || !storable(email)) throw new AccountError('invalid', `'${input.email.slice(0, 254)}' is not an e-mail address`);
  const name = input.name.trim();
  if (!name) throw new AccountError('invalid', 'name must not be empty');
  if (name.length > 200) throw new AccountError('invalid', 'name is longer than 200 characters');
  checkText('name', name);
  checkText('organisation', input.organisation ?? '');
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

/** What is wrong with a profile a member typed (name, organisation, introduction), or undefined. */
export function profileProblem(input: { name: string; organisation: string; intro: string }): string | undefined {
  const name = input.name.trim();
  if (!name) return 'your name must not be empty';
  if (name.length > 200 || input.organisation.trim().length > 200) return 'name and organisation have at most 200 characters';
  if (input.intro.trim().length > 4000) return 'the introduction has at most 4000 characters';
  for (const [label, value] of [['your name', name], ['the organisation', input.organisation], ['the introduction', input.intro]] as const) {
    const problem = textProblem(value);
    if (problem) return `${label} ${problem}`;
  }
  return undefined;
}

/** The member's own profile, checked like every text. */
/** Sets a member's introduction as it is (sample data; people edit theirs through updateProfile). */
export async function setIntro(db: Db, userId: string, intro: string): Promise<void> {
  await db.updateTable('users').set({ intro }).where('id', '=', userId).execute();
}

export async function updateProfile(db: Db, userId: string, input: { name: string; organisation: string; intro: string }): Promise<void> {
  const problem = profileProblem(input);
  if (problem) throw new AccountError('invalid', problem);
  await db
    .updateTable('users')
    .set({ name: input.name.trim(), organisation: input.organisation.trim(), intro: input.intro.trim() })
    .where('id', '=', userId)
    .execute();
}

/**
 * Sets a new password and ends every way in that the old one may have given away: every web
 * session and API token but the ones named in `keep` (the request that changed it), and every
 * unused one-time link (issue 9, finding 6).
 */
export async function changePassword(db: Db, userId: string, password: string, keep: { sessionId?: string; tokenId?: string } = {}): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError('invalid', `password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > 1024) throw new AccountError('invalid', 'password must have at most 1024 characters');
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
    await endSessionsOf(trx, userId, keep.sessionId);
    let tokens = trx.updateTable('api_tokens').set({ revoked_at: now() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
    if (keep.tokenId) tokens = tokens.where('id', '!=', keep.tokenId);
    await tokens.execute();
    await trx.updateTable('signin_links').set({ used_at: now() }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  });
}

export async function findUserByEmail(db: Db, email: string) {
  if (!storable(email)) return undefined;
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'organisation', 'intro', 'password_hash'])
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  if (!storable(id)) return undefined;
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

/**
 * Locks the library's row until the transaction ends (PostgreSQL), so that two admins demoting
 * each other at once cannot both pass the last-admin check. SQLite runs one write transaction at
 * a time already.
 */
async function lockLibrary(trx: Db, libraryId: string): Promise<boolean> {
  const query = trx.selectFrom('libraries').select('id').where('id', '=', libraryId);
  const row = await forUpdate(trx, query).executeTakeFirst();
  return row !== undefined;
}

async function adminCount(trx: Db, libraryId: string): Promise<number> {
  const row = await trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('library_id', '=', libraryId)
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const LAST_ADMIN = 'a library keeps at least one admin: make someone else admin first';

/**
 * Adds a member or changes a member's role. The service rule for every entry point (web, API,
 * CLI): the last admin of a library is never demoted.
 */
export async function setMembership(db: Db, libraryId: string, userId: string, role: Role): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await lockLibrary(trx, libraryId))) throw new AccountError('not_found', `no library with id ${libraryId}`);
    const current = await membershipRole(trx, libraryId, userId);
    if (current === 'admin' && role !== 'admin' && (await adminCount(trx, libraryId)) <= 1) throw new AccountError('last_admin', LAST_ADMIN);
    await trx
      .insertInto('memberships')
      .values({ library_id: libraryId, user_id: userId, role, created_at: now() })
      .onConflict((oc) => oc.columns(['library_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  });
}

/** Changes the role of someone who is a member already (never adds one). */
export async function changeRole(db: Db, libraryId: string, userId: string, role: Role): Promise<void> {
  if (!(await membershipRole(db, libraryId, userId))) throw new AccountError('not_found', 'not a member of this library');
  await setMembership(db, libraryId, userId, role);
}

/** Removes a member from a library; the last admin is never removed. Their clips stay. */
export async function removeMember(db: Db, libraryId: string, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await lockLibrary(trx, libraryId))) throw new AccountError('not_found', `no library with id ${libraryId}`);
    const current = await membershipRole(trx, libraryId, userId);
    if (!current) throw new AccountError('not_found', 'not a member of this library');
    if (current === 'admin' && (await adminCount(trx, libraryId)) <= 1) throw new AccountError('last_admin', LAST_ADMIN);
    await trx.deleteFrom('memberships').where('library_id', '=', libraryId).where('user_id', '=', userId).execute();
  });
}

export async function membershipRole(db: Db, libraryId: string, userId: string): Promise<Role | undefined> {
  if (!storable(libraryId) || !storable(userId)) return undefined;
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
    // Best effort: while another process holds the store's write lock (a long import), a read
    // must not fail because its token's last use could not be recorded.
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: stamp })
      .where('id', '=', row.tokenId)
      .execute()
      .catch((error: unknown) => {
        if (!storeTrouble(error)) throw error;
      });
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

export type LinkPurpose = 'signin' | 'invite' | 'reset';

/** A one-time sign-in link secret (first start, recovery); valid for LINK_LIFETIME. */
export async function createSigninLink(db: Db, userId: string, purpose: LinkPurpose): Promise<string> {
  const secret = newSecret('cbl');
  await db.insertInto('signin_links').values({ token_hash: hashSecret(secret), user_id: userId, purpose, expires_at: linkExpiry(), used_at: null }).execute();
  return secret;
}

/**
 * Whether `actorId` may make a recovery link for `userId` on the web: only when every library
 * the account belongs to has the actor as admin. A link sets the password, so making one for
 * someone who is also in another library would hand that library over (issue 9, finding 1).
 */
export async function mayMakeLinkFor(db: Db, actorId: string, userId: string): Promise<boolean> {
  const theirs = await librariesOf(db, userId);
  if (theirs.length === 0) return false;
  const mine = new Map((await librariesOf(db, actorId)).map((library) => [library.id, library.role]));
  if (!theirs.every((library) => mine.get(library.id) === 'admin')) return false;
  // Nor when another library's invitation waits for the account: whoever sets its password
  // could accept that invitation as them.
  const user = await getUser(db, userId);
  const waiting = user ? await invitationsFor(db, user.email) : [];
  return waiting.every((invitation) => mine.get(invitation.libraryId) === 'admin');
}

/** Reads a sign-in link without using it up (mail scanners open links; only the form's POST uses it): undefined when unknown, used or expired. */
export async function peekSigninLink(db: Db, secret: string): Promise<{ userId: string; purpose: string } | undefined> {
  const row = await db.selectFrom('signin_links').select(['user_id', 'purpose', 'expires_at', 'used_at']).where('token_hash', '=', hashSecret(secret)).executeTakeFirst();
  if (!row || row.used_at || Date.parse(row.expires_at) < Date.now()) return undefined;
  return { userId: row.user_id, purpose: row.purpose };
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

// ---------------------------------------------------------------------------------------------
// Invitations (migration 003). An invitation never reveals, changes or takes over an account:
// the inviter sees the same answer whether the e-mail has an account or not; an existing
// account joins only when it accepts, signed in; only an invitation whose e-mail has no account
// yet may create one (with the password the invitee chooses), and never a role is changed.



export interface Invitation {
  id: string;
  libraryId: string;
  libraryName: string;
  email: string;
  name: string;
  organisation: string;
  role: Role;
  expiresAt: string;
}

export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

function stateOf(row: Pick<InvitationsTable, 'accepted_at' | 'revoked_at' | 'expires_at'>): InvitationState {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  return Date.parse(row.expires_at) < Date.now() ? 'expired' : 'pending';
}

function invitationQuery(db: Db) {
  return db
    .selectFrom('invitations')
    .innerJoin('libraries', 'libraries.id', 'invitations.library_id')
    .select([
      'invitations.id',
      'invitations.library_id',
      'libraries.name as library_name',
      'invitations.email',
      'invitations.name',
      'invitations.organisation',
      'invitations.role',
      'invitations.expires_at',
      'invitations.accepted_at',
      'invitations.revoked_at',
    ]);
}

type InvitationRow = Awaited<ReturnType<ReturnType<typeof invitationQuery>['executeTakeFirstOrThrow']>>;

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    libraryId: row.library_id,
    libraryName: row.library_name,
    email: row.email,
    name: row.name,
    organisation: row.organisation,
    role: row.role,
    expiresAt: row.expires_at,
  };
}

export type InviteOutcome = { status: 'invited'; invitation: Invitation; secret: string } | { status: 'member' };

/**
 * Invites an e-mail to a library. An account of that e-mail that is a member already is left
 * as it is (`member`: the inviter sees members anyway); otherwise a pending invitation with a
 * link secret, replacing an earlier pending one for the same e-mail and library.
 */
export async function inviteToLibrary(
  db: Db,
  input: { libraryId: string; email: string; name: string; organisation?: string; role: Role; invitedBy: string },
): Promise<InviteOutcome> {
  const email = normaliseEmail(input.email);
  if (!EMAIL.test(email) || email.length > 254 || !storable(email)) throw new AccountError('invalid', `'${input.email.slice(0, 254)}' is not an e-mail address`);
  const name = input.name.trim().slice(0, 200);
  if (!name) throw new AccountError('invalid', 'name must not be empty');
  checkText('name', name);
  checkText('organisation', input.organisation ?? '');
  const existing = await findUserByEmail(db, email);
  if (existing && (await membershipRole(db, input.libraryId, existing.id))) return { status: 'member' };
  const secret = newSecret('cbi');
  const stamp = now();
  const row: InvitationsTable = {
    id: newId(),
    library_id: input.libraryId,
    email,
    name,
    organisation: (input.organisation ?? '').trim().slice(0, 200),
    role: input.role,
    token_hash: hashSecret(secret),
    invited_by: input.invitedBy,
    created_at: stamp,
    expires_at: linkExpiry(),
    accepted_at: null,
    revoked_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('invitations')
      .set({ revoked_at: stamp })
      .where('library_id', '=', input.libraryId)
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    await trx.insertInto('invitations').values(row).execute();
  });
  const library = await getLibrary(db, input.libraryId);
  return { status: 'invited', secret, invitation: { ...toInvitation({ ...row, library_name: library?.name ?? '' }) } };
}

/** The pending invitations of a library (members page). */
export async function pendingInvitations(db: Db, libraryId: string): Promise<Invitation[]> {
  const rows = await invitationQuery(db)
    .where('invitations.library_id', '=', libraryId)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', now())
    .orderBy('invitations.created_at')
    .execute();
  return rows.map(toInvitation);
}

/** Pending invitations addressed to an account's e-mail (shown to it when signed in). */
export async function invitationsFor(db: Db, email: string): Promise<Invitation[]> {
  const rows = await invitationQuery(db)
    .where('invitations.email', '=', normaliseEmail(email))
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', now())
    .orderBy('invitations.created_at')
    .execute();
  return rows.map(toInvitation);
}

/** The invitation a link secret belongs to, with its state (a used or old link is explained). */
export async function invitationBySecret(db: Db, secret: string): Promise<{ invitation: Invitation; state: InvitationState } | undefined> {
  const row = await invitationQuery(db).where('invitations.token_hash', '=', hashSecret(secret)).executeTakeFirst();
  return row && { invitation: toInvitation(row), state: stateOf(row) };
}

/** A new link for a pending invitation (the old one stops working), valid for the full lifetime again. */
export async function renewInvitation(db: Db, libraryId: string, invitationId: string): Promise<{ invitation: Invitation; secret: string }> {
  if (!storable(invitationId)) throw new AccountError('not_found', 'there is no such invitation');
  const secret = newSecret('cbi');
  const result = await db
    .updateTable('invitations')
    .set({ token_hash: hashSecret(secret), expires_at: linkExpiry() })
    .where('id', '=', invitationId)
    .where('library_id', '=', libraryId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AccountError('not_found', 'this invitation was accepted or withdrawn meanwhile');
  const row = await invitationQuery(db).where('invitations.id', '=', invitationId).executeTakeFirstOrThrow();
  return { invitation: toInvitation(row), secret };
}

/** Withdraws a pending invitation (by the library) or declines it (by the invitee). */
export async function withdrawInvitation(db: Db, invitationId: string, scope: { libraryId: string } | { email: string }): Promise<boolean> {
  if (!storable(invitationId)) return false;
  let query = db.updateTable('invitations').set({ revoked_at: now() }).where('id', '=', invitationId).where('accepted_at', 'is', null).where('revoked_at', 'is', null);
  query = 'libraryId' in scope ? query.where('library_id', '=', scope.libraryId) : query.where('email', '=', normaliseEmail(scope.email));
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks a pending invitation accepted, once; false when it was accepted, withdrawn or expired. */
async function claim(trx: Db, invitationId: string): Promise<boolean> {
  const result = await trx
    .updateTable('invitations')
    .set({ accepted_at: now() })
    .where('id', '=', invitationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The signed-in account accepts an invitation addressed to its own e-mail. A member already
 * keeps the role they have: an invitation never changes a role.
 */
export async function acceptInvitation(db: Db, invitationId: string, user: { id: string; email: string }): Promise<Invitation> {
  if (!storable(invitationId)) throw new AccountError('not_found', 'there is no such invitation for this account');
  const row = await invitationQuery(db).where('invitations.id', '=', invitationId).executeTakeFirst();
  if (!row || row.email !== normaliseEmail(user.email)) throw new AccountError('not_found', 'there is no such invitation for this account');
  await db.transaction().execute(async (trx) => {
    if (!(await claim(trx, invitationId))) throw new AccountError('not_found', 'this invitation was accepted, withdrawn or has expired');
    await trx
      .insertInto('memberships')
      .values({ library_id: row.library_id, user_id: user.id, role: row.role, created_at: now() })
      .onConflict((oc) => oc.columns(['library_id', 'user_id']).doNothing())
      .execute();
  });
  return toInvitation(row);
}

/**
 * Someone holding an invitation link creates the account it is addressed to, with the password
 * they choose. Only when no account has that e-mail: an existing account is never given a
 * password through an invitation (it signs in and accepts instead).
 */
export async function acceptInvitationAsNewAccount(db: Db, secret: string, input: { name: string; password: string }): Promise<{ user: User; invitation: Invitation }> {
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new AccountError('invalid', `the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  const found = await invitationBySecret(db, secret);
  if (!found || found.state !== 'pending') throw new AccountError('not_found', 'this invitation link no longer works');
  const { invitation } = found;
  if (await findUserByEmail(db, invitation.email)) throw new AccountError('exists', 'an account with this e-mail exists already: sign in to accept the invitation');
  const name = input.name.trim().slice(0, 200) || invitation.name;
  checkText('name', name);
  const hash = await hashPassword(input.password);
  const user: User = { id: newId(), email: invitation.email, name, organisation: invitation.organisation, intro: '' };
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await claim(trx, invitation.id))) throw new AccountError('not_found', 'this invitation link no longer works');
      // The unique e-mail makes a race with another invitation's acceptance fail here, not merge.
      await trx.insertInto('users').values({ ...user, password_hash: hash, created_at: now() }).execute();
      await trx.insertInto('memberships').values({ library_id: invitation.libraryId, user_id: user.id, role: invitation.role, created_at: now() }).execute();
    });
  } catch (error) {
    if (!(error instanceof AccountError) && (await findUserByEmail(db, invitation.email))) {
      throw new AccountError('exists', 'an account with this e-mail exists already: sign in to accept the invitation');
    }
    throw error;
  }
  return { user, invitation };
}
