/** @jsxImportSource hono/jsx */
// Sign-in with e-mail and password, one-time links (first start, recovery), "forgot password",
// invitations an account accepts itself, sign-out, the member's own account (name,
// organisation, self-introduction, password) and library switching.
import { Hono, type Context } from 'hono';
import { LINK_LIFETIME } from '../../auth/links.ts';
import { MIN_PASSWORD_LENGTH, verifyPassword } from '../../auth/secrets.ts';
import { ApiError } from '../../http/errors.ts';
import { limitAttempt, limitMailTo, limitPasswordGuess, rememberSignin } from '../../http/rate-limit.ts';
import {
  AccountError,
  acceptInvitation,
  acceptInvitationAsNewAccount,
  changePassword,
  consumeSigninLink,
  createSigninLink,
  findUserByEmail,
  getUser,
  invitationBySecret,
  invitationsFor,
  librariesOf,
  normaliseEmail,
  peekSigninLink,
  profileProblem,
  updateProfile,
  withdrawInvitation,
  type Invitation,
} from '../../repos/accounts.ts';
import { mailConfigured, sendMailLater } from '../../mail/send.ts';
import { preSessionToken, verifyPreSessionCsrf, verifySessionCsrf, CSRF_FIELD } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm } from '../forms.ts';
import { chromeOf, CsrfField, libUrl, sendPage } from '../layout.tsx';
import { FeedTokenSection } from './inbox.tsx';
import { feedTokenCreatedAt } from '../../repos/feed-tokens.ts';
import { requireSignedIn, signedIn, startSession, stopSession } from '../session.ts';
import { Badge } from '../ui.tsx';

const SAFE_BASE = 'http://casebook.invalid';

/**
 * Only same-site paths are followed after sign-in (an open redirect would help phishing), and
 * only printable ASCII: a control character in a Location header fails the response.
 */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 2000 || !/^\/[\x21-\x7e]*$/.test(next) || next.startsWith('//') || next.includes('\\')) return '/';
  try {
    const url = new URL(next, SAFE_BASE);
    // Dot segments can turn '/.//evil.example' into '//evil.example': check what comes out too.
    const path = url.pathname + url.search + url.hash;
    if (url.origin !== SAFE_BASE || path.startsWith('//') || !/^\/[\x21-\x7e]*$/.test(path)) return '/';
    return path;
  } catch {
    return '/';
  }
}

export function publicBase(c: Context<WebEnv>): string {
  return (c.get('services').config.publicUrl || new URL(c.req.url).origin).replace(/\/$/, '');
}

/** Runs a rate limit; on 429 returns the page to show (with Retry-After), else undefined. */
function limited(c: Context<WebEnv>, limit: () => void): string | undefined {
  try {
    limit();
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 429) throw error;
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return `Too many attempts: ${error.message}.`;
  }
}

const NoAccountHelp = ({ mail }: { mail: boolean }) => (
  <p class="meta">
    {mail ? (
      <>
        <a href="/signin/forgot">Forgot your password?</a> ·{' '}
      </>
    ) : (
      <>Forgot your password? Ask an admin of your library for a sign-in link. </>
    )}
    No account yet? Ask an admin of your library for an invitation.
  </p>
);

function SigninForm({ token, next, email, error, mail }: { token: string; next: string; email?: string; error?: string; mail: boolean }) {
  return (
    <div class="card">
      <h1>Sign in to Casebook</h1>
      {error && (
        <p class="warning" role="alert">
          {error}
        </p>
      )}
      <form method="post" action="/signin" class="stack">
        <input type="hidden" name={CSRF_FIELD} value={token} />
        <input type="hidden" name="next" value={next} />
        <div>
          <label for="email">E-mail</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} autofocus />
        </div>
        <div>
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <div>
          <button type="submit">Sign in</button>
        </div>
      </form>
      <NoAccountHelp mail={mail} />
    </div>
  );
}

/** Reads a sign-in link without using it up (mail scanners open links; only the form's POST uses it). */
const peekLink = (c: Context<WebEnv>, secret: string) => peekSigninLink(c.get('services').db, secret);

/** What a used, expired or unknown link says: why, and what to do now. */
function DeadLink({ mail, kind }: { mail: boolean; kind: 'link' | 'invitation' }) {
  return (
    <div class="card">
      <h1>This {kind} no longer works</h1>
      <p>
        One-time links work once and are valid for {LINK_LIFETIME}. This one was used already, replaced by a newer one, withdrawn,
        or is older than that.
      </p>
      <ul>
        <li>
          If you already chose a password with it, <a href="/signin">sign in with your e-mail and password</a>.
        </li>
        {mail ? (
          <li>
            Forgot your password? <a href="/signin/forgot">Get a new link by e-mail</a>.
          </li>
        ) : (
          <li>Forgot your password? Ask an admin of your library to make you a new sign-in link.</li>
        )}
        {kind === 'invitation' && <li>Not a member yet? Ask the admin who invited you to send the invitation again.</li>}
      </ul>
    </div>
  );
}

const LINK_TITLES: Record<string, (name: string) => string> = {
  invite: (name) => `Welcome to Casebook, ${name}`,
  reset: (name) => `Choose a new password, ${name}`,
  signin: (name) => `Sign in as ${name}`,
};

function PasswordFields() {
  return (
    <>
      <div>
        <label for="password">New password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
      </div>
      <div>
        <label for="repeat">Repeat the password</label>
        <input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
      </div>
    </>
  );
}

function LinkForm({ secret, token, name, purpose, error }: { secret: string; token: string; name: string; purpose: string; error?: string }) {
  return (
    <div class="card">
      <h1>{(LINK_TITLES[purpose] ?? LINK_TITLES.signin!)(name)}</h1>
      <p>
        Choose a password for signing in from now on (at least {MIN_PASSWORD_LENGTH} characters). It replaces any password the account had;
        every other session and API token of the account is signed out. This link works once and is valid for {LINK_LIFETIME} from when it
        was made.
      </p>
      {error && (
        <p class="warning" role="alert">
          {error}
        </p>
      )}
      <form method="post" action={`/signin/link/${secret}`} class="stack">
        <input type="hidden" name={CSRF_FIELD} value={token} />
        <PasswordFields />
        <div>
          <button type="submit">Set password and sign in</button>
        </div>
      </form>
    </div>
  );
}

function passwordProblem(password: string, repeat: string): string | undefined {
  if (password !== repeat) return 'The two passwords differ.';
  if (password.length < MIN_PASSWORD_LENGTH) return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 1024) return 'The password is longer than 1024 characters.';
  return undefined;
}

/** Pending invitations addressed to the signed-in account, each to accept or decline. */
function InvitationList({ invitations, csrf }: { invitations: Invitation[]; csrf: string }) {
  if (invitations.length === 0) return null;
  return (
    <section aria-labelledby="invitations-h" class="card">
      <h2 id="invitations-h">Invitations for you</h2>
      <ul class="items">
        {invitations.map((invitation) => (
          <li data-testid="invitation">
            <strong>{invitation.libraryName}</strong> invites you as <Badge value={invitation.role} />{' '}
            <form method="post" action={`/invitations/${invitation.id}/accept`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit">Join {invitation.libraryName}</button>
            </form>{' '}
            <form method="post" action={`/invitations/${invitation.id}/decline`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" class="quiet">
                Decline
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The invitation page for someone not signed in as the invited e-mail: the same for every e-mail. */
function InvitationPage({ invitation, secret, token, error, signedInAs }: { invitation: Invitation; secret: string; token: string; error?: string; signedInAs?: string }) {
  const back = `/invite/${secret}`;
  return (
    <div class="card">
      <h1>You are invited to {invitation.libraryName}</h1>
      <p>
        An admin invited <strong>{invitation.email}</strong> to the Casebook library <strong>{invitation.libraryName}</strong> as{' '}
        <Badge value={invitation.role} />. This invitation is valid for {LINK_LIFETIME} from when it was sent.
      </p>
      {error && (
        <p class="warning" role="alert">
          {error}
        </p>
      )}
      {signedInAs ? (
        <p>
          You are signed in as {signedInAs}, not as {invitation.email}. Sign out, then open this link again to accept it as {invitation.email}.
        </p>
      ) : (
        <>
          <h2>Already have a Casebook account with this e-mail?</h2>
          <p>
            <a class="button" href={`/signin?next=${encodeURIComponent(back)}`}>
              Sign in to accept
            </a>
          </p>
          <h2>New to Casebook?</h2>
          <form method="post" action={back} class="stack">
            <input type="hidden" name={CSRF_FIELD} value={token} />
            <div>
              <label for="name">Your name</label>
              <input id="name" name="name" type="text" required value={invitation.name} autocomplete="name" />
            </div>
            <PasswordFields />
            <div>
              <button type="submit">Create my account and join</button>
            </div>
          </form>
        </>
      )}
    </div>
  );
}

function ForgotPage({ c, token, sentTo, error }: { c: Context<WebEnv>; token: string; sentTo?: string; error?: string }) {
  const mail = mailConfigured(c.get('services').config);
  return (
    <div class="card">
      <h1>Forgot your password?</h1>
      {!mail ? (
        <p>
          This Casebook server cannot send mail. Ask an admin of your library to make you a one-time sign-in link (on the Members page), or
          the server's operator (<code>casebook user link --email you@example.org</code>).
        </p>
      ) : (
        <>
          {sentTo !== undefined && (
            <p class="notice" role="status" data-testid="forgot-sent">
              If {sentTo} belongs to a Casebook account, a one-time link to choose a new password is on its way there. It is valid for{' '}
              {LINK_LIFETIME}. No mail within a few minutes? Check the spam folder, or ask an admin of your library for a link.
            </p>
          )}
          {error && (
            <p class="warning" role="alert">
              {error}
            </p>
          )}
          <form method="post" action="/signin/forgot" class="stack">
            <input type="hidden" name={CSRF_FIELD} value={token} />
            <div>
              <label for="email">E-mail of your account</label>
              <input id="email" name="email" type="email" autocomplete="username" required />
            </div>
            <div>
              <button type="submit">Send me a link</button>
            </div>
          </form>
        </>
      )}
      <p>
        <a href="/signin">Back to sign-in</a>
      </p>
    </div>
  );
}

export const authPages = new Hono<WebEnv>()
  .get('/', async (c) => {
    if (!signedIn(c)) return c.redirect('/signin', 303);
    const session = c.get('session');
    const libraries = await librariesOf(c.get('services').db, session.userId);
    const current = libraries.find((library) => library.id === session.libraryId) ?? libraries[0];
    if (current) return c.redirect(libUrl(current.id), 303);
    return c.redirect('/libraries', 303);
  })
  .get('/signin', async (c) => {
    const next = safeNext(c.req.query('next'));
    if (signedIn(c)) return c.redirect(next, 303);
    return sendPage(c, {}, 'Sign in', <SigninForm token={preSessionToken(c)} next={next} mail={mailConfigured(c.get('services').config)} />);
  })
  .post('/signin', async (c) => {
    const form = await readForm(c);
    verifyPreSessionCsrf(c, form.get(CSRF_FIELD));
    const email = form.get('email').slice(0, 254);
    const next = safeNext(form.get('next'));
    const { db, config } = c.get('services');
    const mail = mailConfigured(config);
    const tooMany = limited(c, () => limitPasswordGuess(c, normaliseEmail(email)));
    if (tooMany) return sendPage(c, {}, 'Sign in', <SigninForm token={preSessionToken(c)} next={next} email={email} error={tooMany} mail={mail} />, 429);
    const user = await findUserByEmail(db, email);
    // An unknown e-mail is checked against a dummy hash: the answer takes as long either way.
    const ok = await verifyPassword(form.get('password').slice(0, 1024), user?.password_hash ?? null);
    if (!user || !ok) {
      return sendPage(c, {}, 'Sign in', <SigninForm token={preSessionToken(c)} next={next} email={email} error="E-mail or password is wrong." mail={mail} />, 401);
    }
    rememberSignin(c, user.email);
    await startSession(c, user.id);
    return c.redirect(next, 303);
  })
  .get('/signin/forgot', async (c) => sendPage(c, {}, 'Forgot your password?', <ForgotPage c={c} token={preSessionToken(c)} />))
  .post('/signin/forgot', async (c) => {
    const form = await readForm(c);
    verifyPreSessionCsrf(c, form.get(CSRF_FIELD));
    const { db, config } = c.get('services');
    const email = normaliseEmail(form.get('email').slice(0, 254));
    if (!mailConfigured(config)) return sendPage(c, {}, 'Forgot your password?', <ForgotPage c={c} token={preSessionToken(c)} />, 400);
    // Per address, and per account so that nobody can flood someone's mailbox.
    const tooMany = limited(c, () => {
      limitAttempt(c, 'forgot');
      limitMailTo(c, email);
    });
    if (tooMany) return sendPage(c, {}, 'Forgot your password?', <ForgotPage c={c} token={preSessionToken(c)} error={tooMany} />, 429);
    const user = email ? await findUserByEmail(db, email) : undefined;
    if (user) {
      const secret = await createSigninLink(db, user.id, 'reset');
      sendMailLater(config, {
        to: user.email,
        subject: 'Your Casebook sign-in link',
        text: [
          `Hello ${user.name},`,
          '',
          'Someone (hopefully you) asked for a link to choose a new Casebook password. Open it to choose one:',
          '',
          `${publicBase(c)}/signin/link/${secret}`,
          '',
          `The link works once and is valid for ${LINK_LIFETIME}. If you did not ask for it, ignore this mail: your password stays as it is.`,
        ].join('\n'),
      });
    }
    // The same answer whether or not the e-mail has an account.
    return sendPage(c, {}, 'Forgot your password?', <ForgotPage c={c} token={preSessionToken(c)} sentTo={email} />);
  })
  .get('/signin/link/:secret', async (c) => {
    const secret = c.req.param('secret');
    const link = await peekLink(c, secret);
    const user = link && (await getUser(c.get('services').db, link.userId));
    if (!link || !user) return sendPage(c, {}, 'Link no longer works', <DeadLink mail={mailConfigured(c.get('services').config)} kind="link" />, 410);
    return sendPage(c, {}, 'Choose a password', <LinkForm secret={secret} token={preSessionToken(c)} name={user.name} purpose={link.purpose} />);
  })
  .post('/signin/link/:secret', async (c) => {
    const form = await readForm(c);
    verifyPreSessionCsrf(c, form.get(CSRF_FIELD));
    const secret = c.req.param('secret');
    const { db } = c.get('services');
    limitAttempt(c, 'link');
    const link = await peekLink(c, secret);
    const user = link && (await getUser(db, link.userId));
    if (!link || !user) return c.redirect(`/signin/link/${encodeURIComponent(secret)}`, 303);
    const password = form.get('password');
    const error = passwordProblem(password, form.get('repeat'));
    if (error) return sendPage(c, {}, 'Choose a password', <LinkForm secret={secret} token={preSessionToken(c)} name={user.name} purpose={link.purpose} error={error} />, 400);
    // Used up only now, when the member acts, so that a link scanner's GET does not burn it.
    const used = await consumeSigninLink(db, secret);
    if (!used) return c.redirect(`/signin/link/${encodeURIComponent(secret)}`, 303);
    // A new password ends every session and API token (a link is how a lost account is recovered).
    await changePassword(db, used.userId, password);
    await startSession(c, used.userId);
    return c.redirect('/', 303);
  })
  .get('/invite/:secret', async (c) => {
    const secret = c.req.param('secret');
    const { db, config } = c.get('services');
    const found = await invitationBySecret(db, secret);
    if (!found || found.state !== 'pending') return sendPage(c, chromeOf(c), 'Invitation no longer works', <DeadLink mail={mailConfigured(config)} kind="invitation" />, 410);
    const { invitation } = found;
    if (signedIn(c)) {
      const user = c.get('user');
      if (normaliseEmail(user.email) === invitation.email) {
        const chrome = chromeOf(c);
        return sendPage(
          c,
          chrome,
          'Your invitation',
          <>
            <h1>Join {invitation.libraryName}?</h1>
            <InvitationList invitations={[invitation]} csrf={chrome.csrf!} />
          </>,
        );
      }
      return sendPage(c, chromeOf(c), 'Your invitation', <InvitationPage invitation={invitation} secret={secret} token="" signedInAs={user.email} />);
    }
    return sendPage(c, {}, 'Your invitation', <InvitationPage invitation={invitation} secret={secret} token={preSessionToken(c)} />);
  })
  .post('/invite/:secret', async (c) => {
    const form = await readForm(c);
    verifyPreSessionCsrf(c, form.get(CSRF_FIELD));
    const secret = c.req.param('secret');
    const { db } = c.get('services');
    limitAttempt(c, 'invite');
    const found = await invitationBySecret(db, secret);
    if (!found || found.state !== 'pending') return c.redirect(`/invite/${encodeURIComponent(secret)}`, 303);
    const password = form.get('password');
    const show = (error: string, status: 400 | 409) =>
      sendPage(c, {}, 'Your invitation', <InvitationPage invitation={found.invitation} secret={secret} token={preSessionToken(c)} error={error} />, status);
    const problem = passwordProblem(password, form.get('repeat'));
    if (problem) return show(problem, 400);
    try {
      const { user, invitation } = await acceptInvitationAsNewAccount(db, secret, { name: form.get('name'), password });
      await startSession(c, user.id);
      return c.redirect(libUrl(invitation.libraryId), 303);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'exists') return show('An account with this e-mail exists already: sign in to it to accept the invitation (or use "forgot password").', 409);
      if (error.code === 'not_found') return c.redirect(`/invite/${encodeURIComponent(secret)}`, 303);
      return show(error.message, 400);
    }
  })
  .post('/invitations/:id/:answer{accept|decline}', requireSignedIn, async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    const { db } = c.get('services');
    const user = c.get('user');
    const id = c.req.param('id');
    if (c.req.param('answer') === 'decline') {
      await withdrawInvitation(db, id, { email: user.email });
      return c.redirect('/account', 303);
    }
    try {
      const invitation = await acceptInvitation(db, id, user);
      return c.redirect(libUrl(invitation.libraryId), 303);
    } catch (error) {
      if (error instanceof AccountError) throw new ApiError(410, 'gone', 'This invitation was accepted, withdrawn or has expired. Ask an admin of the library to invite you again.');
      throw error;
    }
  })
  .post('/signout', requireSignedIn, async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    await stopSession(c);
    return c.redirect('/signin', 303);
  })
  .get('/libraries', requireSignedIn, async (c) => {
    const { db } = c.get('services');
    const libraries = await librariesOf(db, c.get('session').userId);
    const invitations = await invitationsFor(db, c.get('user').email);
    const chrome = chromeOf(c, 'libraries');
    return sendPage(
      c,
      chrome,
      'Your libraries',
      <>
        <h1>Your libraries</h1>
        <InvitationList invitations={invitations} csrf={chrome.csrf!} />
        {libraries.length === 0 ? (
          <p>You are not a member of any library yet. Ask an admin to invite you.</p>
        ) : (
          <ul class="items card">
            {libraries.map((library) => (
              <li>
                <a class="item-title" href={libUrl(library.id)}>
                  {library.name}
                </a>{' '}
                <Badge value={library.role} />
                {library.id === c.get('session').libraryId && <span class="meta"> · current</span>}
              </li>
            ))}
          </ul>
        )}
      </>,
    );
  })
  .get('/account', requireSignedIn, async (c) => accountPage(c))
  .post('/account', requireSignedIn, async (c) => {
    const form = await readForm(c);
    const session = c.get('session');
    verifySessionCsrf(c, session.csrf, form.get(CSRF_FIELD));
    const { db } = c.get('services');
    const profile = { name: form.get('name'), organisation: form.get('organisation'), intro: form.get('intro') };
    const password = form.get('password');
    // Everything is checked before anything is saved: a wrong current password saves nothing.
    const problem = profileProblem(profile);
    if (problem) return accountPage(c, `${problem.charAt(0).toUpperCase()}${problem.slice(1)}; nothing was saved.`);
    if (password) {
      const user = await findUserByEmail(db, c.get('user').email);
      // Guessing the current password here is limited like signing in.
      const tooMany = limited(c, () => limitPasswordGuess(c, normaliseEmail(c.get('user').email)));
      if (tooMany) return accountPage(c, `${tooMany} Nothing was saved.`, 429);
      if (!(await verifyPassword(form.get('current').slice(0, 1024), user?.password_hash ?? null))) {
        return accountPage(c, 'Your current password is wrong; nothing was saved.');
      }
      if (password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
        return accountPage(c, `The new password needs ${MIN_PASSWORD_LENGTH} to 1024 characters; nothing was saved.`);
      }
    }
    await updateProfile(db, session.userId, profile);
    // Every other session and every API token ends: whoever knew the old password is out.
    if (password) await changePassword(db, session.userId, password, { sessionId: session.id });
    return c.redirect(`/account?saved=${password ? 'password' : '1'}`, 303);
  });

async function accountPage(c: Context<WebEnv>, error?: string, status: 400 | 429 = 400) {
  const { db } = c.get('services');
  const user = (await getUser(db, c.get('session').userId))!;
  const libraries = await librariesOf(db, user.id);
  const invitations = await invitationsFor(db, user.email);
  const chrome = chromeOf(c, 'account');
  const saved = c.req.query('saved');
  return sendPage(
    c,
    chrome,
    'Your account',
    <>
      <h1>Your account</h1>
      {saved && !error && (
        <p class="notice" role="status">
          {saved === 'password' ? 'Saved. Your new password is set; every other session and every API token was signed out.' : 'Saved.'}
        </p>
      )}
      {error && (
        <p class="warning" role="alert">
          {error}
        </p>
      )}
      <InvitationList invitations={invitations} csrf={chrome.csrf!} />
      <FeedTokenSection made={await feedTokenCreatedAt(db, user.id)} csrf={chrome.csrf} />
      <p class="meta">
        Signed in as {user.email}.{' '}
        {libraries.map((library) => (
          <>
            <a href={libUrl(library.id)}>{library.name}</a>{' '}
          </>
        ))}
      </p>
      <form method="post" action="/account" class="stack">
        <CsrfField token={chrome.csrf} />
        <div>
          <label for="name">Name</label>
          <input id="name" name="name" type="text" required value={user.name} autocomplete="name" />
        </div>
        <div>
          <label for="organisation">Organisation</label>
          <input id="organisation" name="organisation" type="text" value={user.organisation} autocomplete="organization" />
        </div>
        <div>
          <label for="intro">
            Introduce yourself <span class="hint">(the community's intro round: your work, what you hope to learn)</span>
          </label>
          <textarea id="intro" name="intro">{user.intro}</textarea>
        </div>
        <fieldset>
          <legend>Change password (optional)</legend>
          <label for="current">Current password</label>
          <input id="current" name="current" type="password" autocomplete="current-password" />
          <label for="password">New password</label>
          <input id="password" name="password" type="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} />
          <p class="hint">A new password signs out every other browser and every API token (the extension asks you to sign in again).</p>
        </fieldset>
        <div>
          <button type="submit">Save</button>
        </div>
      </form>
    </>,
    error ? status : 200,
  );
}
