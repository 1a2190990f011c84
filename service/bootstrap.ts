// First start: with no users yet, make a library and an admin so a newcomer can sign in at once.
import type { Db } from './db/schema.ts';
import { countUsers, createLibrary, createSigninLink, createToken, createUser, setMembership } from './repos/accounts.ts';

export interface FirstStart {
  libraryId: string;
  email: string;
  token: string;
  signinSecret: string;
}

export async function bootstrapIfEmpty(db: Db): Promise<FirstStart | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  const library = await createLibrary(db, 'Learning community');
  const admin = await createUser(db, { email: 'admin@casebook.local', name: 'Admin', organisation: '' });
  await setMembership(db, library.id, admin.id, 'admin');
  const { token } = await createToken(db, admin.id, 'first start');
  const signinSecret = await createSigninLink(db, admin.id, 'signin');
  return { libraryId: library.id, email: admin.email, token, signinSecret };
}
