/** @jsxImportSource hono/jsx */
// Linked libraries in the web library (issue 14, item 4): admins link this library with another
// (the other's admins accept), and members of both share clips, questions and case summaries
// into it from the discussion section of those pages.
import { Hono } from 'hono';
import { assertCanWrite } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { acceptLink, LinkError, linksOf, removeLink, requestLink, searchLinked, SHAREABLE, shareObject, type Shareable } from '../../repos/links.ts';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm } from '../forms.ts';
import { chromeOf, CsrfField, libUrl, sendPage } from '../layout.tsx';
import { Badge, SanitizedHtml } from '../ui.tsx';

function webError(error: unknown): never {
  if (error instanceof LinkError) throw new ApiError(error.status, error.status === 403 ? 'forbidden' : error.status === 404 ? 'not_found' : 'invalid', `${error.message[0]!.toUpperCase()}${error.message.slice(1)}.`);
  throw error;
}

const PATH: Record<Shareable, string> = { clip: 'clips', question: 'questions', case: 'cases' };

export const linkPages = new Hono<WebEnv>()
  .get('/l/:lib/links', async (c) => {
    const libraryId = c.get('libraryId');
    const links = await linksOf(c.get('services').db, libraryId);
    const chrome = chromeOf(c, 'members');
    const admin = c.get('role') === 'admin';
    return sendPage(
      c,
      chrome,
      'Linked libraries',
      <>
        <h1>Linked libraries</h1>
        <p class="meta">
          A linked library (a sister community) receives what members of both share into it: a copy that names where it came from. Nothing else is
          read across a link. This library's id, for the other side's admins: <code>{libraryId}</code>
        </p>
        {links.some((link) => link.status === 'accepted') && (
          <form method="get" action={libUrl(libraryId, 'links/search')} role="search" class="searchline">
            <label for="linked-q" class="skip">
              Search this library and the linked ones
            </label>
            <input id="linked-q" name="q" type="search" placeholder="Search this and linked libraries…" />
            <button type="submit">Search both</button>
          </form>
        )}
        {links.length === 0 ? (
          <p class="muted">No linked libraries.</p>
        ) : (
          <ul class="items card">
            {links.map((link) => (
              <li id={`link-${link.id}`}>
                <strong>{link.name}</strong> <Badge value={link.status} />
                <div class="meta">{link.status === 'pending' ? (link.direction === 'outgoing' ? 'asked by this library; waiting for its admins' : 'asks to link with this library') : 'linked'}</div>
                {admin && link.status === 'pending' && link.direction === 'incoming' && (
                  <form method="post" action={libUrl(libraryId, `links/${link.id}/accept`)} class="inline">
                    <CsrfField token={chrome.csrf} />
                    <button type="submit">Accept</button>
                  </form>
                )}
                {admin && (
                  <form method="post" action={libUrl(libraryId, `links/${link.id}/remove`)} class="inline">
                    <CsrfField token={chrome.csrf} />
                    <button type="submit" class="quiet">
                      {link.status === 'pending' && link.direction === 'incoming' ? 'Decline' : 'Unlink'}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        {admin && (
          <form method="post" action={libUrl(libraryId, 'links')} class="stack">
            <CsrfField token={chrome.csrf} />
            <div>
              <label for="link-library">Link with the library whose id is</label>
              <input id="link-library" name="libraryId" type="text" required maxlength={36} />
            </div>
            <div>
              <button type="submit">Ask to link</button>
            </div>
          </form>
        )}
      </>,
    );
  })
  .get('/l/:lib/links/search', async (c) => {
    const libraryId = c.get('libraryId');
    const q = (c.req.query('q') ?? '').slice(0, 1_000);
    const { db } = c.get('services');
    const results = q.trim() ? await searchLinked(db, libraryId, c.get('session').userId, q) : [];
    return sendPage(
      c,
      chromeOf(c, 'search'),
      'Search linked libraries',
      <>
        <p class="meta">
          <a href={libUrl(libraryId, 'links')}>← Linked libraries</a>
        </p>
        <h1>Search this and linked libraries</h1>
        <form method="get" action={libUrl(libraryId, 'links/search')} role="search" class="searchline">
          <label for="linked-q2" class="skip">
            Words
          </label>
          <input id="linked-q2" name="q" type="search" value={q} />
          <button type="submit">Search both</button>
        </form>
        <p class="meta">Each library is searched as you may read it: only the libraries you belong to.</p>
        {results.map((library) => {
          const count = library.clips.length + library.questions.length + library.cases.length;
          return (
            <section aria-label={library.name} class="linked-results">
              <h2>
                {library.name} ({count})
              </h2>
              {count === 0 && <p class="muted">Nothing found.</p>}
              {library.clips.length > 0 && (
                <>
                  <h3>Clips ({library.clips.length})</h3>
                  <ul class="items card">
                    {library.clips.map((clip) => (
                      <li>
                        <a class="item-title" href={libUrl(library.libraryId, `clips/${clip.id}`)}>
                          {clip.title || clip.url}
                        </a>
                        {clip.snippet && (
                          <div class="snippet">
                            <SanitizedHtml html={clip.snippet} />
                          </div>
                        )}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {(['questions', 'cases'] as const).map((kind) =>
                library[kind].length === 0 ? null : (
                  <>
                    <h3>
                      {kind === 'questions' ? 'Questions' : 'Cases'} ({library[kind].length})
                    </h3>
                    <ul class="items card">
                      {library[kind].map((hit) => (
                        <li>
                          <a class="item-title" href={libUrl(library.libraryId, `${kind}/${hit.id}`)}>
                            {hit.title}
                          </a>{' '}
                          <Badge value={hit.status} />
                          {hit.snippet && (
                            <div class="snippet">
                              <SanitizedHtml html={hit.snippet} />
                            </div>
                          )}
                        </li>
                      ))}
                    </ul>
                  </>
                ),
              )}
            </section>
          );
        })}
      </>,
    );
  })
  .post('/l/:lib/links', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    if (c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'Only admins link libraries.');
    await requestLink(c.get('services').db, c.get('libraryId'), form.get('libraryId').trim(), c.get('session').userId).catch(webError);
    return c.redirect(libUrl(c.get('libraryId'), 'links'), 303);
  })
  .post('/l/:lib/links/:id/accept', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    if (c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'Only admins accept a link.');
    await acceptLink(c.get('services').db, c.get('libraryId'), c.req.param('id'), c.get('session').userId).catch(webError);
    return c.redirect(libUrl(c.get('libraryId'), 'links'), 303);
  })
  .post('/l/:lib/links/:id/remove', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    if (c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'Only admins unlink libraries.');
    await removeLink(c.get('services').db, c.get('libraryId'), c.req.param('id')).catch(webError);
    return c.redirect(libUrl(c.get('libraryId'), 'links'), 303);
  })
  .post('/l/:lib/share', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const type = form.get('type') as Shareable;
    if (!SHAREABLE.includes(type)) throw new ApiError(400, 'invalid', 'Share a clip, a question or a case.');
    const { store } = c.get('services');
    const shared = await shareObject(store, { libraryId: c.get('libraryId'), role: c.get('role'), userId: c.get('session').userId, type, id: form.get('id'), targetId: form.get('to') }).catch(webError);
    return c.redirect(libUrl(shared.libraryId, `${PATH[type]}/${shared.id}`), 303);
  });
