/** @jsxImportSource hono/jsx */
// The page shell of the web library: header with library switcher and navigation, main, footer.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { LibrarySummary, User } from '../repos/accounts.ts';
import { CSRF_FIELD } from './csrf.ts';
import type { WebEnv } from './env.ts';
import { FORM_TOKEN_FIELD, newFormToken } from './form-token.ts';
import { unreadCount } from '../activity/inbox.ts';

export type Section = 'home' | 'search' | 'cases' | 'lessons' | 'companies' | 'members' | 'export' | 'account' | 'libraries';

/** What every page's chrome needs: taken from the request once, passed down explicitly. */
export interface Chrome {
  user?: User;
  csrf?: string;
  library?: { id: string; name: string };
  libraries?: LibrarySummary[];
  active?: Section;
  /** The member's unread inbox items in this library, counted when the header renders. */
  unread?: () => Promise<number>;
}

export function chromeOf(c: Context<WebEnv>, active?: Section): Chrome {
  const session = c.get('session');
  return {
    ...(session ? { user: c.get('user'), csrf: session.csrf } : {}),
    ...(c.get('library') ? { library: c.get('library'), libraries: c.get('libraries') } : {}),
    ...(active ? { active } : {}),
    ...(session && c.get('library') && c.get('role') ? { unread: () => unreadCount(c.get('services').db, c.get('library').id, session.userId, c.get('role')) } : {}),
  };
}

/** "For me" with the unread count (issue 15), a link to the member's inbox in this library. */
function InboxLink({ libraryId, count }: { libraryId: string; count: number }) {
  return (
    <a href={libUrl(libraryId, 'inbox')} class="inbox">
      For me{count > 0 ? <span class="badge" aria-label={`${count} unread`}>{count > 99 ? '99+' : count}</span> : null}
    </a>
  );
}

/** A library page's URL: every page lives under the library it shows. */
export const libUrl = (libraryId: string, path = '') => `/l/${libraryId}/${path}`;

export const CsrfField = ({ token }: { token: string | undefined }) => <input type="hidden" name={CSRF_FIELD} value={token ?? ''} />;

/** The one-time nonce of a form that creates something (form-token.ts): a double submit creates one. */
export const FormTokenField = () => <input type="hidden" name={FORM_TOKEN_FIELD} value={newFormToken()} />;

const NAV: Array<[Section, string, string]> = [
  ['home', 'Home', ''],
  ['search', 'Search', 'search'],
  ['cases', 'Cases', 'cases'],
  ['lessons', 'Lessons', 'lessons'],
  ['companies', 'Companies', 'companies'],
  ['members', 'Members', 'members'],
  ['export', 'Export', 'export'],
];

function Header({ chrome, unread }: { chrome: Chrome; unread?: number | undefined }) {
  const { library, user } = chrome;
  return (
    <header class="top">
      <div class="bar">
        <a class="brand" href={library ? libUrl(library.id) : '/'}>
          Case<span>book</span>
        </a>
        {library && (
          <span class="libname">
            <span title={library.name}>{library.name}</span>
            {(chrome.libraries?.length ?? 0) > 1 && <a href="/libraries">switch library</a>}
          </span>
        )}
        {library && (
          <nav class="main" aria-label="Library">
            {NAV.map(([key, label, path]) => (
              <a href={libUrl(library.id, path)} aria-current={chrome.active === key ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
        )}
        {user && (
          <div class="who">
            {library && unread !== undefined && <InboxLink libraryId={library.id} count={unread} />}
            <a href="/account" aria-current={chrome.active === 'account' ? 'page' : undefined}>
              {user.name}
            </a>
            <form method="post" action="/signout">
              <CsrfField token={chrome.csrf} />
              <button type="submit" class="link">
                Sign out
              </button>
            </form>
          </div>
        )}
      </div>
    </header>
  );
}

export function Layout({ chrome, title, children, unread }: { chrome: Chrome; title: string; children?: Child; unread?: number | undefined }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{title} · Casebook</title>
        <link rel="stylesheet" href="/static/casebook.css" />
        <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <Header chrome={chrome} unread={unread} />
        <main id="content" tabindex={-1}>
          {children}
        </main>
        <footer class="foot">Casebook · the shared library of the learning community</footer>
      </body>
    </html>
  );
}

/** Sends a full page; every page goes through here so the doctype and status are never forgotten. */
export async function sendPage(c: Context<WebEnv>, chrome: Chrome, title: string, body: Child, status: ContentfulStatusCode = 200) {
  // Counted before rendering: the page is rendered synchronously.
  const unread = chrome.unread ? await chrome.unread() : undefined;
  const rendered = await (
    <Layout chrome={chrome} title={title} unread={unread}>
      {body}
    </Layout>
  );
  return c.html(`<!doctype html>${rendered.toString()}`, status);
}
