/** @jsxImportSource hono/jsx */
// The members of a library with their organisations and self-introductions (the intro round),
// and, for admins, inviting a new member with a one-time link.
import { Hono, type Context } from 'hono';
import { ApiError } from '../../http/errors.ts';
import { AccountError, createSigninLink, createUser, findUserByEmail, membersOf, setMembership } from '../../repos/accounts.ts';
import { ROLES, type Role } from '../../../shared/model.ts';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm } from '../forms.ts';
import { chromeOf, CsrfField, libUrl, sendPage } from '../layout.tsx';
import { Badge } from '../ui.tsx';

function publicBase(c: Context<WebEnv>): string {
  return (c.get('services').config.publicUrl ?? new URL(c.req.url).origin).replace(/\/$/, '');
}

async function membersPage(c: Context<WebEnv>, notice?: { invited?: { name: string; link?: string }; error?: string }) {
  const libraryId = c.get('libraryId');
  const members = await membersOf(c.get('services').db, libraryId);
  const chrome = chromeOf(c, 'members');
  const organisations = new Set(members.map((member) => member.organisation).filter(Boolean));
  return sendPage(
    c,
    chrome,
    'Members',
    <>
      <h1>Members</h1>
      <p class="meta">
        {members.length} members from {organisations.size} organisations. <a href="/account">Write or update your own introduction.</a>
      </p>
      {notice?.invited && (
        <div class="notice" role="status">
          {notice.invited.link ? (
            <>
              <p>
                {notice.invited.name} is now a member. Send them this one-time link (valid for 7 days); it lets them choose a password:
              </p>
              <p class="secret" data-testid="invite-link">
                {notice.invited.link}
              </p>
            </>
          ) : (
            <p>{notice.invited.name} already had an account and is now a member of this library.</p>
          )}
        </div>
      )}
      {notice?.error && (
        <p class="warning" role="alert">
          {notice.error}
        </p>
      )}
      <div class="people">
        {members.map((member) => (
          <section class="card" aria-label={member.name}>
            <h2>{member.name}</h2>
            <p class="meta">
              {member.organisation || 'organisation not given'} · <Badge value={member.role} />
            </p>
            {member.intro ? <p>{member.intro}</p> : <p class="muted">No introduction yet.</p>}
            <p class="meta">
              <a href={libUrl(libraryId, `search?member=${member.id}`)}>Clips by {member.name.split(' ')[0]}</a>
            </p>
          </section>
        ))}
      </div>
      {c.get('role') === 'admin' && (
        <section aria-labelledby="invite-h">
          <h2 id="invite-h">Invite a member</h2>
          <form method="post" action={libUrl(libraryId, 'members/invite')} class="stack card">
            <CsrfField token={chrome.csrf} />
            <div>
              <label for="inv-email">E-mail</label>
              <input id="inv-email" name="email" type="email" required />
            </div>
            <div>
              <label for="inv-name">Name</label>
              <input id="inv-name" name="name" type="text" required />
            </div>
            <div>
              <label for="inv-org">Organisation</label>
              <input id="inv-org" name="organisation" type="text" />
            </div>
            <div>
              <label for="inv-role">Role</label>
              <select id="inv-role" name="role">
                <option value="member" selected>
                  member (reads and writes)
                </option>
                <option value="reader">reader (reads only)</option>
                <option value="admin">admin (also invites)</option>
              </select>
            </div>
            <div>
              <button type="submit">Create invitation</button>
            </div>
          </form>
        </section>
      )}
    </>,
    notice?.error ? 400 : 200,
  );
}

export const memberPages = new Hono<WebEnv>()
  .get('/l/:lib/members', async (c) => membersPage(c))
  .post('/l/:lib/members/invite', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    if (c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'Only admins of this library invite members.');
    const { db } = c.get('services');
    const role = (ROLES as readonly string[]).includes(form.get('role')) ? (form.get('role') as Role) : 'member';
    let user = await findUserByEmail(db, form.get('email'));
    let created = false;
    if (!user) {
      try {
        const made = await createUser(db, { email: form.get('email'), name: form.get('name'), organisation: form.get('organisation') });
        user = { ...made, password_hash: null };
        created = true;
      } catch (error) {
        if (error instanceof AccountError) return membersPage(c, { error: error.message });
        throw error;
      }
    }
    await setMembership(db, c.get('libraryId'), user.id, role);
    // Someone without a password (new, or never signed in) needs a link; others just sign in.
    const link = created || !user.password_hash ? `${publicBase(c)}/signin/link/${await createSigninLink(db, user.id, 'invite', 24 * 7)}` : undefined;
    return membersPage(c, { invited: { name: user.name, ...(link ? { link } : {}) } });
  });
