/** @jsxImportSource hono/jsx */
// The members of a library with their organisations and self-introductions (the intro round),
// and, for admins: inviting (an invitation the invitee accepts; the answer is the same whether
// the e-mail has an account or not), changing a role, removing a member, resending or
// withdrawing an invitation and making a one-time sign-in link, each confirmed on a page of its
// own and each through the account rules (the last admin stays; issue 9, issue 13).
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { LINK_LIFETIME } from '../../auth/links.ts';
import { ApiError } from '../../http/errors.ts';
import { mailConfigured, sendMailLater } from '../../mail/send.ts';
import {
  AccountError,
  changeRole,
  createSigninLink,
  getUser,
  inviteToLibrary,
  mayMakeLinkFor,
  membersOf,
  pendingInvitations,
  removeMember,
  renewInvitation,
  withdrawInvitation,
  type Invitation,
} from '../../repos/accounts.ts';
import { ROLES, type Role } from '../../../shared/model.ts';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm } from '../forms.ts';
import { oncePerSubmission } from '../form-token.ts';
import { chromeOf, CsrfField, FormTokenField, libUrl, sendPage } from '../layout.tsx';
import { Badge } from '../ui.tsx';
import { publicBase } from './auth.tsx';

const ROLE_TEXT: Record<Role, string> = {
  member: 'member (reads and writes)',
  reader: 'reader (reads only)',
  admin: 'admin (also manages members)',
};

type Notice =
  | { kind: 'link'; text: string; link: string; mailed?: boolean }
  | { kind: 'done'; text: string }
  | { kind: 'error'; text: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const dateOf = (iso: string) => iso.slice(0, 16).replace('T', ' ') + ' UTC';

function RoleSelect({ id, value }: { id: string; value: Role }) {
  return (
    <select id={id} name="role">
      {ROLES.map((role) => (
        <option value={role} selected={role === value}>
          {ROLE_TEXT[role]}
        </option>
      ))}
    </select>
  );
}

async function membersPage(c: Context<WebEnv>, notice?: Notice) {
  const libraryId = c.get('libraryId');
  const { db } = c.get('services');
  const members = await membersOf(db, libraryId);
  const admin = c.get('role') === 'admin';
  const invitations = admin ? await pendingInvitations(db, libraryId) : [];
  const chrome = chromeOf(c, 'members');
  const organisations = new Set(members.map((member) => member.organisation).filter(Boolean));
  const me = c.get('session').userId;
  return sendPage(
    c,
    chrome,
    'Members',
    <>
      <h1>Members</h1>
      <p class="meta">
        {plural(members.length, 'member')} from {plural(organisations.size, 'organisation')}. <a href="/account">Write or update your own introduction.</a>
      </p>
      {notice?.kind === 'link' && (
        <div class="notice" role="status">
          <p>{notice.text}</p>
          <p class="secret" data-testid="invite-link">
            {notice.link}
          </p>
          <p class="meta">
            The link works once and is valid for {LINK_LIFETIME}.{notice.mailed ? ' It was also sent by e-mail.' : ''}
          </p>
        </div>
      )}
      {notice?.kind === 'done' && (
        <p class="notice" role="status">
          {notice.text}
        </p>
      )}
      {notice?.kind === 'error' && (
        <p class="warning" role="alert">
          {notice.text}
        </p>
      )}
      <div class="people">
        {members.map((member) => (
          <section class="card" aria-label={member.name}>
            <h2>{member.name}</h2>
            <p class="meta">
              {member.organisation || 'organisation not given'} · <Badge value={member.role} />
              {member.id === me && ' · you'}
            </p>
            {member.intro ? <p>{member.intro}</p> : <p class="muted">No introduction yet.</p>}
            <p class="meta">
              <a href={libUrl(libraryId, `search?member=${member.id}`)}>Clips by {member.name.split(' ')[0]}</a>
            </p>
            {admin && (
              <details>
                <summary>Manage</summary>
                <form method="post" action={libUrl(libraryId, `members/${member.id}/role`)} class="stack">
                  <CsrfField token={chrome.csrf} />
                  <div>
                    <label for={`role-${member.id}`}>Role</label>
                    <RoleSelect id={`role-${member.id}`} value={member.role} />
                  </div>
                  <div>
                    <button type="submit">Change role…</button>
                  </div>
                </form>
                <form method="post" action={libUrl(libraryId, `members/${member.id}/link`)}>
                  <CsrfField token={chrome.csrf} />
                  <button type="submit" class="quiet">
                    Make a sign-in link…
                  </button>
                </form>
                <form method="post" action={libUrl(libraryId, `members/${member.id}/remove`)}>
                  <CsrfField token={chrome.csrf} />
                  <button type="submit" class="quiet">
                    Remove from the library…
                  </button>
                </form>
              </details>
            )}
          </section>
        ))}
      </div>
      {admin && invitations.length > 0 && (
        <section aria-labelledby="pending-h">
          <h2 id="pending-h">Invitations not accepted yet</h2>
          <table class="data">
            <thead>
              <tr>
                <th>E-mail</th>
                <th>Name given</th>
                <th>Role</th>
                <th>Valid until</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr data-testid="pending-invitation">
                  <td>{invitation.email}</td>
                  <td>{invitation.name}</td>
                  <td>
                    <Badge value={invitation.role} />
                  </td>
                  <td>{dateOf(invitation.expiresAt)}</td>
                  <td>
                    <form method="post" action={libUrl(libraryId, `invitations/${invitation.id}/resend`)} class="inline">
                      <CsrfField token={chrome.csrf} />
                      <button type="submit">Resend…</button>
                    </form>
                    <form method="post" action={libUrl(libraryId, `invitations/${invitation.id}/revoke`)} class="inline">
                      <CsrfField token={chrome.csrf} />
                      <button type="submit" class="quiet">
                        Withdraw…
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {admin && (
        <section aria-labelledby="invite-h">
          <h2 id="invite-h">Invite a member</h2>
          <p class="meta">
            The invitee gets a link valid for {LINK_LIFETIME}. Someone who already has a Casebook account accepts it signed in; someone new
            chooses a password.
          </p>
          <form method="post" action={libUrl(libraryId, 'members/invite')} class="stack card">
            <CsrfField token={chrome.csrf} />
            <FormTokenField />
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
              <RoleSelect id="inv-role" value="member" />
            </div>
            <div>
              <button type="submit">Create invitation</button>
            </div>
          </form>
        </section>
      )}
    </>,
    notice?.kind === 'error' ? 400 : 200,
  );
}

/** The confirmation step of every change: the same form again, with confirm=yes. */
function confirmPage(c: Context<WebEnv>, title: string, question: Child, fields: Record<string, string>, button: string) {
  const chrome = chromeOf(c, 'members');
  return sendPage(
    c,
    chrome,
    title,
    <div class="card">
      <h1>{title}</h1>
      <p>{question}</p>
      <form method="post" action={new URL(c.req.url).pathname} class="stack">
        <CsrfField token={chrome.csrf} />
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="confirm" value="yes" />
        <div>
          <button type="submit">{button}</button> <a href={libUrl(c.get('libraryId'), 'members')}>Cancel</a>
        </div>
      </form>
    </div>,
  );
}

/** Reads an admin's form: CSRF, the admin role, and whether this is the confirming POST. */
async function adminForm(c: Context<WebEnv>) {
  const form = await readForm(c);
  verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
  if (c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'Only admins of this library manage its members.');
  return { form, confirmed: form.get('confirm') === 'yes' };
}

function roleOf(value: string): Role | undefined {
  return (ROLES as readonly string[]).includes(value) ? (value as Role) : undefined;
}

async function memberOf(c: Context<WebEnv>, userId: string) {
  const member = (await membersOf(c.get('services').db, c.get('libraryId'))).find((m) => m.id === userId);
  if (!member) throw new ApiError(404, 'not_found', 'This person is not a member of this library (any more).');
  return member;
}

async function invitationOf(c: Context<WebEnv>, id: string): Promise<Invitation> {
  const invitation = (await pendingInvitations(c.get('services').db, c.get('libraryId'))).find((i) => i.id === id);
  if (!invitation) throw new ApiError(404, 'not_found', 'This invitation was accepted, withdrawn or has expired meanwhile.');
  return invitation;
}

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1) + '.';

/** Runs a change; the account rules' refusals (last admin…) come back as the page's message. */
async function applying(c: Context<WebEnv>, work: () => Promise<Notice>) {
  try {
    return membersPage(c, await work());
  } catch (error) {
    if (error instanceof AccountError) return membersPage(c, { kind: 'error', text: sentence(error.message) });
    throw error;
  }
}

function invitationMail(c: Context<WebEnv>, invitation: Invitation, link: string) {
  const { config } = c.get('services');
  if (!mailConfigured(config)) return false;
  sendMailLater(config, {
    to: invitation.email,
    subject: `Invitation to the Casebook library ${invitation.libraryName}`,
    text: [
      'Hello,',
      '',
      `${c.get('user').name} invites you to the Casebook library "${invitation.libraryName}" as ${invitation.role}. Open this link to accept:`,
      '',
      link,
      '',
      `It is valid for ${LINK_LIFETIME}. If you already have a Casebook account with this e-mail, you accept it signed in; otherwise you choose a password.`,
    ].join('\n'),
  });
  return true;
}

export const memberPages = new Hono<WebEnv>()
  .get('/l/:lib/members', async (c) =>
    // A repeated invitation form (a double click) lands here: its link was shown to the first click only.
    membersPage(c, c.req.query('invited') ? { kind: 'done', text: 'This invitation was created by your first click; its link was shown (and e-mailed) then. For a new link, use Resend below.' } : undefined),
  )
  .post('/l/:lib/members/invite', async (c) => {
    const { form } = await adminForm(c);
    const { db } = c.get('services');
    const role = roleOf(form.get('role')) ?? 'member';
    // One invitation per submitted form (form-token.ts): a second click would revoke the link the first one mailed.
    return oncePerSubmission(c, form, async () => {
      const page = await invite();
      return page.status === 200 ? { page, repeat: libUrl(c.get('libraryId'), 'members?invited=1') } : page;
    });
    function invite() {
      return applying(c, async () => {
      const outcome = await inviteToLibrary(db, {
        libraryId: c.get('libraryId'),
        email: form.get('email'),
        name: form.get('name'),
        organisation: form.get('organisation'),
        role,
        invitedBy: c.get('session').userId,
      });
      // A member of this library already: their role stays (change it in the list instead).
      if (outcome.status === 'member') return { kind: 'done', text: `${form.get('email').trim()} is already a member of this library; their role is unchanged.` };
      const link = `${publicBase(c)}/invite/${outcome.secret}`;
      const mailed = invitationMail(c, outcome.invitation, link);
      // The same answer whether or not the e-mail has a Casebook account.
      return { kind: 'link', text: `Invitation for ${outcome.invitation.email} as ${role} created. Send them this link:`, link, mailed };
      });
    }
  })
  .post('/l/:lib/members/:user/role', async (c) => {
    const { form, confirmed } = await adminForm(c);
    const member = await memberOf(c, c.req.param('user'));
    const role = roleOf(form.get('role'));
    if (!role) return membersPage(c, { kind: 'error', text: 'Choose admin, member or reader.' });
    if (role === member.role) return membersPage(c, { kind: 'done', text: `${member.name} is ${role} already.` });
    if (!confirmed) return confirmPage(c, 'Change role', <>Make {member.name} {ROLE_TEXT[role]} instead of {member.role}?</>, { role }, `Make ${member.name.split(' ')[0]} ${role}`);
    if (member.id === c.get('session').userId && role !== 'admin') {
      // Stepping down yourself: the page you come back to is a non-admin's.
      try {
        await changeRole(c.get('services').db, c.get('libraryId'), member.id, role);
      } catch (error) {
        if (error instanceof AccountError) return membersPage(c, { kind: 'error', text: sentence(error.message) });
        throw error;
      }
      return c.redirect(libUrl(c.get('libraryId'), 'members'), 303);
    }
    return applying(c, async () => {
      await changeRole(c.get('services').db, c.get('libraryId'), member.id, role);
      return { kind: 'done', text: `${member.name} is now ${role}.` };
    });
  })
  .post('/l/:lib/members/:user/remove', async (c) => {
    const { confirmed } = await adminForm(c);
    const member = await memberOf(c, c.req.param('user'));
    if (!confirmed) {
      return confirmPage(
        c,
        'Remove a member',
        <>Remove {member.name} from this library? They no longer see it; what they clipped and wrote stays.</>,
        {},
        `Remove ${member.name.split(' ')[0]}`,
      );
    }
    if (member.id === c.get('session').userId) {
      // Leaving the library yourself: it is gone from your libraries.
      try {
        await removeMember(c.get('services').db, c.get('libraryId'), member.id);
      } catch (error) {
        if (error instanceof AccountError) return membersPage(c, { kind: 'error', text: sentence(error.message) });
        throw error;
      }
      return c.redirect('/libraries', 303);
    }
    return applying(c, async () => {
      await removeMember(c.get('services').db, c.get('libraryId'), member.id);
      return { kind: 'done', text: `${member.name} is no longer a member of this library.` };
    });
  })
  .post('/l/:lib/members/:user/link', async (c) => {
    const { confirmed } = await adminForm(c);
    const member = await memberOf(c, c.req.param('user'));
    const { db, config } = c.get('services');
    if (!(await mayMakeLinkFor(db, c.get('session').userId, member.id))) {
      return membersPage(c, {
        kind: 'error',
        text: `${member.name} also belongs to libraries you do not administer, so a link from here could hand those over. They can use "Forgot password?" on the sign-in page, or the server's operator can run casebook user link.`,
      });
    }
    if (!confirmed) {
      return confirmPage(
        c,
        'Make a sign-in link',
        <>
          Make a one-time link with which {member.name} chooses a new password? It replaces their password and signs out their browsers and
          API tokens once used. Give it only to {member.name}.
        </>,
        {},
        'Make the link',
      );
    }
    const user = (await getUser(db, member.id))!;
    const link = `${publicBase(c)}/signin/link/${await createSigninLink(db, member.id, 'reset')}`;
    const mailed = mailConfigured(config);
    if (mailed) {
      sendMailLater(config, {
        to: user.email,
        subject: 'Your Casebook sign-in link',
        text: `Hello ${user.name},\n\nAn admin of your Casebook library made you a link to choose a new password:\n\n${link}\n\nIt works once and is valid for ${LINK_LIFETIME}.`,
      });
    }
    return membersPage(c, { kind: 'link', text: `One-time sign-in link for ${member.name}:`, link, mailed });
  })
  .post('/l/:lib/invitations/:id/resend', async (c) => {
    const { confirmed } = await adminForm(c);
    const invitation = await invitationOf(c, c.req.param('id'));
    if (!confirmed) {
      return confirmPage(c, 'Resend an invitation', <>Make a new link for the invitation of {invitation.email}? The earlier link stops working.</>, {}, 'Make a new link');
    }
    return applying(c, async () => {
      const renewed = await renewInvitation(c.get('services').db, c.get('libraryId'), invitation.id);
      const link = `${publicBase(c)}/invite/${renewed.secret}`;
      const mailed = invitationMail(c, renewed.invitation, link);
      return { kind: 'link', text: `New invitation link for ${invitation.email}:`, link, mailed };
    });
  })
  .post('/l/:lib/invitations/:id/revoke', async (c) => {
    const { confirmed } = await adminForm(c);
    const invitation = await invitationOf(c, c.req.param('id'));
    if (!confirmed) return confirmPage(c, 'Withdraw an invitation', <>Withdraw the invitation of {invitation.email}? Its link stops working.</>, {}, 'Withdraw');
    await withdrawInvitation(c.get('services').db, invitation.id, { libraryId: c.get('libraryId') });
    return membersPage(c, { kind: 'done', text: `The invitation of ${invitation.email} was withdrawn.` });
  });
