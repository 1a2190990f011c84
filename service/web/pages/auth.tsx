/** @jsxImportSource hono/jsx */
// Sign-in with e-mail and password, one-time sign-in links (first start, invitations), sign-out,
// the member's own account (name, organisation, self-introduction, password) and library switching.
import { Hono, type Context } from 'hono';
import { hashSecret, verifyPassword } from '../../auth/secrets.ts';
import { ApiError } from '../../http/errors.ts';
import { AccountError, consumeSigninLink, findUserByEmail, getUser, librariesOf, normaliseEmail, setPassword } from '../../repos/accounts.ts';
import { preSessionToken, verifyPreSessionCsrf, verifySessionCsrf, CSRF_FIELD } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm } from '../forms.ts';
import { chromeOf, CsrfField, libUrl, sendPage } from '../layout.tsx';
import { requireSignedIn, signedIn, startSession, stopSession } from '../session.ts';
import { endSessionsOf } from '../session-store.ts';
import { Badge } from '../ui.tsx';

/** Only same-site paths are followed after sign-in (an open redirect would help phishing). */
function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[^\\\s]*$/.test(next) ? next : '/';
}

function clientAddress(c: { req: { header: (name: string) => string | undefined } }): string {
  return c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || 'local';
}

function SigninForm({ token, next, email, error }: { token: string; next: string; email?: string; error?: string }) {
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
      <p class="meta">No password yet? Ask an admin of your library for an invitation link.</p>
    </div>
  );
}

/** Reads a sign-in link without using it up (mail scanners open links; only the form's POST uses it). */
async function peekLink(c: { get: (k: 'services') => WebEnv['Variables']['services'] }, secret: string) {
  const row = await c
    .get('services')
    .db.selectFrom('signin_links')
    .select(['user_id', 'purpose', 'expires_at', 'used_at'])
    .where('token_hash', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!row || row.used_at || Date.parse(row.expires_at) < Date.now()) return undefined;
  return row;
}

function LinkForm({ secret, token, name, purpose, error }: { secret: string; token: string; name: string; purpose: string; error?: string }) {
  return (
    <div class="card">
      <h1>{purpose === 'invite' ? `Welcome to Casebook, ${name}` : `Sign in as ${name}`}</h1>
      <p>Choose a password for signing in next time (at least 10 characters). This link works once.</p>
      {error && (
        <p class="warning" role="alert">
          {error}
        </p>
      )}
      <form method="post" action={`/signin/link/${secret}`} class="stack">
        <input type="hidden" name={CSRF_FIELD} value={token} />
        <div>
          <label for="password">New password</label>
          <input id="password" name="password" type="password" autocomplete="new-password" minlength={10} required />
        </div>
        <div>
          <label for="repeat">Repeat the password</label>
          <input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength={10} required />
        </div>
        <div>
          <button type="submit">Set password and sign in</button>
        </div>
      </form>
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
    return sendPage(c, {}, 'Sign in', <SigninForm token={preSessionToken(c)} next={next} />);
  })
  .post('/signin', async (c) => {
    const form = await readForm(c);
    verifyPreSessionCsrf(c, form.get(CSRF_FIELD));
    const email = form.get('email').slice(0, 254);
    const next = safeNext(form.get('next'));
    const { limits, db } = c.get('services');
    try {
      // Per address and per e-mail, like the API's token sign-in: slows guessing either way.
      limits.signin.hit(`web-email:${normaliseEmail(email)}`);
      limits.signin.hit(`web-addr:${clientAddress(c)}`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return sendPage(c, {}, 'Sign in', <SigninForm token={preSessionToken(c)} next={next} email={email} error={`Too many attempts. ${error.message}.`} />, 429);
    }
    const user = await findUserByEmail(db, email);
    const ok = await verifyPassword(form.get('password').slice(0, 1024), user?.password_hash ?? null);
    if (!user || !ok) {
      return sendPage(c, {}, 'Sign in', <SigninForm token={preSessionToken(c)} next={next} email={email} error="E-mail or password is wrong." />, 401);
    }
    await startSession(c, user.id);
    return c.redirect(next, 303);
  })
  .get('/signin/link/:secret', async (c) => {
    const secret = c.req.param('secret');
    const link = await peekLink(c, secret);
    const user = link && (await getUser(c.get('services').db, link.user_id));
    if (!link || !user) {
      return sendPage(c, {}, 'Link expired', <div class="card"><h1>This link no longer works</h1><p>Sign-in links work once and expire after a few days. Ask an admin of your library for a new one.</p><p><a href="/signin">Sign in with a password</a></p></div>, 410);
    }
    return sendPage(c, {}, 'Choose a password', <LinkForm secret={secret} token={preSessionToken(c)} name={user.name} purpose={link.purpose} />);
  })
  .post('/signin/link/:secret', async (c) => {
    const form = await readForm(c);
    verifyPreSessionCsrf(c, form.get(CSRF_FIELD));
    const secret = c.req.param('secret');
    const { db, limits } = c.get('services');
    limits.signin.hit(`web-link:${clientAddress(c)}`);
    const link = await peekLink(c, secret);
    const user = link && (await getUser(db, link.user_id));
    if (!link || !user) return c.redirect(`/signin/link/${encodeURIComponent(secret)}`, 303);
    const password = form.get('password');
    let error: string | undefined;
    if (password !== form.get('repeat')) error = 'The two passwords differ.';
    else if (password.length < 10) error = 'The password needs at least 10 characters.';
    if (error) return sendPage(c, {}, 'Choose a password', <LinkForm secret={secret} token={preSessionToken(c)} name={user.name} purpose={link.purpose} error={error} />, 400);
    // Used up only now, when the member acts, so that a link scanner's GET does not burn it.
    const used = await consumeSigninLink(db, secret);
    if (!used) return c.redirect(`/signin/link/${encodeURIComponent(secret)}`, 303);
    await setPassword(db, used.userId, password);
    // A new password ends every other session (a link is also how a lost account is recovered).
    await endSessionsOf(db, used.userId);
    await startSession(c, used.userId);
    return c.redirect('/', 303);
  })
  .post('/signout', requireSignedIn, async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    await stopSession(c);
    return c.redirect('/signin', 303);
  })
  .get('/libraries', requireSignedIn, async (c) => {
    const libraries = await librariesOf(c.get('services').db, c.get('session').userId);
    return sendPage(
      c,
      chromeOf(c, 'libraries'),
      'Your libraries',
      <>
        <h1>Your libraries</h1>
        {libraries.length === 0 ? (
          <p>You are not a member of any library yet. Ask an admin to add you.</p>
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
    const name = form.get('name').trim().slice(0, 200);
    if (!name) return accountPage(c, 'Your name must not be empty.');
    await db
      .updateTable('users')
      .set({ name, organisation: form.get('organisation').trim().slice(0, 200), intro: form.get('intro').trim().slice(0, 4000) })
      .where('id', '=', session.userId)
      .execute();
    const password = form.get('password');
    if (password) {
      const user = await findUserByEmail(db, c.get('user').email);
      if (!(await verifyPassword(form.get('current'), user?.password_hash ?? null))) return accountPage(c, 'Your current password is wrong; nothing about the password changed.');
      try {
        await setPassword(db, session.userId, password);
      } catch (error) {
        if (error instanceof AccountError) return accountPage(c, error.message);
        throw error;
      }
      await endSessionsOf(db, session.userId, session.id);
    }
    return c.redirect('/account?saved=1', 303);
  });

async function accountPage(c: Context<WebEnv>, error?: string) {
  const user = (await getUser(c.get('services').db, c.get('session').userId))!;
  const libraries = await librariesOf(c.get('services').db, user.id);
  const chrome = chromeOf(c, 'account');
  return sendPage(
    c,
    chrome,
    'Your account',
    <>
      <h1>Your account</h1>
      {c.req.query('saved') && <p class="notice" role="status">Saved.</p>}
      {error && (
        <p class="warning" role="alert">
          {error}
        </p>
      )}
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
          <input id="password" name="password" type="password" autocomplete="new-password" minlength={10} />
        </fieldset>
        <div>
          <button type="submit">Save</button>
        </div>
      </form>
    </>,
    error ? 400 : 200,
  );
}
