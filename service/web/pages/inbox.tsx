/** @jsxImportSource hono/jsx */
// "For me": a member's inbox (mentions, replies to their questions, comments on their clips, new
// clips in their subgroups' cases), marked read by version; their settings (inbox kinds, e-mail
// digest) and their feed token, whose private Atom URLs are shown once when it is made.
import { Hono, type Context } from 'hono';
import { inboxPage } from '../../activity/inbox.ts';
import { parseActivityParams } from '../../activity/params.ts';
import { DIGEST_FREQUENCIES, INBOX_KIND_LABELS, INBOX_KINDS, markRead, saveSettings, settingsInput, settingsOf, type InboxKind } from '../../activity/settings.ts';
import { feedTokenCreatedAt, renewFeedToken, revokeFeedToken } from '../../repos/feed-tokens.ts';
import { ApiError } from '../../http/errors.ts';
import { mailConfigured } from '../../mail/send.ts';
import { librariesOf } from '../../repos/accounts.ts';
import { verifySessionCsrf, CSRF_FIELD } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm } from '../forms.ts';
import { chromeOf, CsrfField, libUrl, sendPage } from '../layout.tsx';
import { requireSignedIn } from '../session.ts';
import { DateText } from '../ui.tsx';
import { EventLine } from './activity.tsx';

const KIND_WORDS: Record<InboxKind, string> = { mention: 'mentioned you', reply: 'your question', comment: 'your clip', subgroup: 'your subgroup', addressed: 'asked you' };

function baseUrl(c: Context<WebEnv>): string {
  return (c.get('services').config.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
}

/** The account page's feed section: when the token was made, and revoke or renew. */
export function FeedTokenSection({ made, csrf }: { made: string | undefined; csrf: string | undefined }) {
  return (
    <section class="card" aria-labelledby="feeds-h">
      <h2 id="feeds-h">Feeds</h2>
      <p>
        A feed token lets a feed reader, or a Teams or Slack feed connector, follow your libraries' activity and your inbox as Atom feeds at private
        addresses. It can only read feeds, is not your API token, and is shown once when made.{' '}
        {made ? (
          <>
            Yours was made <DateText iso={made} />.
          </>
        ) : (
          'You have none.'
        )}
      </p>
      <form method="post" action="/account/feed-token" class="inline">
        <CsrfField token={csrf} />
        <button type="submit" name="action" value="renew">
          {made ? 'Renew (the old addresses stop working)' : 'Make a feed token'}
        </button>{' '}
        {made && (
          <button type="submit" name="action" value="revoke" class="danger">
            Revoke
          </button>
        )}
      </form>
    </section>
  );
}

async function settingsPage(c: Context<WebEnv>, notice?: string, status: 200 | 400 | 409 = 200) {
  const { db, config } = c.get('services');
  const libraryId = c.get('libraryId');
  const user = c.get('user');
  const settings = await settingsOf(db, libraryId, user.id);
  const chrome = chromeOf(c);
  const mail = mailConfigured(config);
  return sendPage(
    c,
    chrome,
    'For me: settings',
    <>
      <h1>For me: settings</h1>
      {notice && (
        <p class={status === 200 ? 'notice' : 'warning'} role="status">
          {notice}
        </p>
      )}
      <form method="post" action={libUrl(libraryId, 'inbox/settings')} class="stack">
        <CsrfField token={chrome.csrf} />
        <fieldset>
          <legend>What reaches my inbox</legend>
          {INBOX_KINDS.map((kind) => (
            <label>
              <input type="checkbox" name="kinds" value={kind} checked={settings.inboxKinds.includes(kind)} /> {INBOX_KIND_LABELS[kind]}
            </label>
          ))}
        </fieldset>
        <fieldset disabled={!mail}>
          <legend>E-mail digest</legend>
          {!mail && <p class="warning">This service sends no e-mail (no SMTP server is configured), so there is no digest. Follow the feeds instead.</p>}
          {DIGEST_FREQUENCIES.map((frequency) => (
            <label>
              <input type="radio" name="digest" value={frequency} checked={settings.digest === frequency} /> {frequency === 'off' ? 'No digest' : frequency === 'daily' ? 'Daily' : 'Weekly'}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit">Save</button>
        </div>
      </form>
      <FeedTokenSection made={await feedTokenCreatedAt(db, user.id)} csrf={chrome.csrf} />
    </>,
    status,
  );
}

async function feedTokenPage(c: Context<WebEnv>, token: string) {
  const { db } = c.get('services');
  const base = baseUrl(c);
  const libraries = await librariesOf(db, c.get('session').userId);
  return sendPage(
    c,
    chromeOf(c, 'account'),
    'Your feed addresses',
    <>
      <h1>Your feed addresses</h1>
      <p class="notice" role="status">
        Copy these now: they are shown once. Anyone with one of them can read that feed; renew or revoke the token on your account page if one leaks.
      </p>
      {libraries.map((library) => (
        <section class="card">
          <h2>{library.name}</h2>
          <ul>
            <li>
              Activity: <code>{`${base}/feeds/${token}/libraries/${library.id}/activity`}</code>
            </li>
            <li>
              For me: <code>{`${base}/feeds/${token}/libraries/${library.id}/inbox`}</code>
            </li>
            <li>
              A case: <code>{`${base}/feeds/${token}/libraries/${library.id}/cases/CASE-ID`}</code>; a tag: <code>{`${base}/feeds/${token}/libraries/${library.id}/tags/TAG`}</code>
            </li>
          </ul>
        </section>
      ))}
      <p>
        <a href="/account">Back to your account</a>
      </p>
    </>,
  );
}

export const inboxPages = new Hono<WebEnv>()
  .get('/l/:lib/inbox', async (c) => {
    const { db } = c.get('services');
    const libraryId = c.get('libraryId');
    const params = parseActivityParams(c.req.query());
    const page = await inboxPage(db, libraryId, c.get('user').id, c.get('role'), { limit: params.limit ?? 30, ...(params.before !== undefined ? { before: params.before } : {}) });
    const chrome = chromeOf(c);
    const newest = page.items[0]?.version;
    return sendPage(
      c,
      chrome,
      page.unread ? `For me (${page.unread} new)` : 'For me',
      <>
        <h1>For me</h1>
        <p class="meta">
          {page.unread ? `${page.unread > 99 ? '99+' : page.unread} new.` : 'Nothing new.'} <a href={libUrl(libraryId, 'inbox/settings')}>Settings, digest and feeds</a> ·{' '}
          <a href={libUrl(libraryId, 'activity')}>All activity</a>
        </p>
        {page.unread > 0 && newest !== undefined && (
          <form method="post" action={libUrl(libraryId, 'inbox/read')}>
            <CsrfField token={chrome.csrf} />
            <input type="hidden" name="upTo" value={String(newest)} />
            <button type="submit">Mark all read</button>
          </form>
        )}
        {page.items.length === 0 ? (
          <p>Nothing for you yet: mentions, replies to your questions, comments on your clips and new clips in your subgroups' cases appear here.</p>
        ) : (
          <ul class="events">
            {page.items.map((item) => (
              <>
                <EventLine libraryId={libraryId} event={item} unread={item.unread} />
                <span class="hint">{KIND_WORDS[item.kind]}</span>
              </>
            ))}
          </ul>
        )}
        {page.next !== undefined && (
          <p class="pager">
            <a href={libUrl(libraryId, `inbox?before=${page.next}`)}>Older</a>
          </p>
        )}
      </>,
    );
  })
  .post('/l/:lib/inbox/read', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    const upTo = Number(form.get('upTo'));
    if (!Number.isSafeInteger(upTo) || upTo < 0) throw new ApiError(400, 'invalid', 'The form did not say up to where to mark read.');
    await markRead(c.get('services').db, c.get('libraryId'), c.get('user').id, upTo);
    return c.redirect(libUrl(c.get('libraryId'), 'inbox'), 303);
  })
  .get('/l/:lib/inbox/settings', async (c) => settingsPage(c))
  .post('/l/:lib/inbox/settings', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    const parsed = settingsInput.safeParse({ inboxKinds: form.all('kinds'), ...(form.has('digest') ? { digest: form.get('digest') } : {}) });
    if (!parsed.success) return settingsPage(c, 'Those choices are not ones this page offers; nothing was saved.', 400);
    const { db, config } = c.get('services');
    if (parsed.data.digest && parsed.data.digest !== 'off' && !mailConfigured(config)) return settingsPage(c, 'This service sends no e-mail, so the digest cannot be turned on; nothing was saved.', 409);
    await saveSettings(db, c.get('libraryId'), c.get('user').id, parsed.data);
    return settingsPage(c, 'Saved.');
  })
  .post('/account/feed-token', requireSignedIn, async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    const { db } = c.get('services');
    const userId = c.get('session').userId;
    if (form.get('action') === 'revoke') {
      await revokeFeedToken(db, userId);
      return c.redirect('/account?saved=1', 303);
    }
    if (form.get('action') !== 'renew') throw new ApiError(400, 'invalid', 'Say renew or revoke.');
    return feedTokenPage(c, await renewFeedToken(db, userId));
  });
