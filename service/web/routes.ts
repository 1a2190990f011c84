// The web library as one Hono router: static stylesheet, security headers, sessions, HTML errors,
// and the pages, each library page scoped to a library the member belongs to.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { ApiError } from '../http/errors.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';
import type { WebEnv } from './env.ts';
import { errorPage } from './error-page.tsx';
import { activityPages } from './pages/activity.tsx';
import { authPages } from './pages/auth.tsx';
import { casePages } from './pages/cases.tsx';
import { clipPages } from './pages/clip.tsx';
import { companyPages } from './pages/companies.tsx';
import { discussionPages } from './pages/discussion.tsx';
import { exportPages } from './pages/export.tsx';
import { homePages } from './pages/home.tsx';
import { inboxPages } from './pages/inbox.tsx';
import { lessonPages } from './pages/lessons.tsx';
import { linkPages } from './pages/links.tsx';
import { memberPages } from './pages/members.tsx';
import { plenaryPages } from './pages/plenary.tsx';
import { questionPages } from './pages/questions.tsx';
import { searchPages } from './pages/search.tsx';
import { loadSession, requireMember, requireSignedIn } from './session.ts';
import { STYLESHEET } from './style.ts';

export { CONTENT_SECURITY_POLICY } from './csp.ts';

/** The brand's open book in the accent colour, as a 32 px SVG. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d6b5f"/><path d="M6 9c4-1 7 0 10 2 3-2 6-3 10-2v15c-4-1-7 0-10 2-3-2-6-3-10-2z" fill="#fff"/><path d="M16 11v15" stroke="#1d6b5f" stroke-width="1.5"/></svg>`;

// Changes whenever the stylesheet does, so browsers revalidate after an upgrade.
const STYLESHEET_ETAG = `"${createHash('sha256').update(STYLESHEET).digest('base64url').slice(0, 16)}"`;

export function webRoutes(): Hono<WebEnv> {
  const web = new Hono<WebEnv>();
  web.onError(errorPage);
  web.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    // Pages show a member's library: never kept by shared caches or the back-forward cache of another user.
    if (!c.res.headers.get('Cache-Control')) c.header('Cache-Control', 'private, no-store');
  });
  web.get('/static/casebook.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('ETag', STYLESHEET_ETAG);
    return c.body(STYLESHEET);
  });
  // Browsers ask for /favicon.ico on every first visit: a small icon, not the API's JSON 404.
  web.get('/favicon.ico', (c) => {
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(FAVICON);
  });
  web.use('*', loadSession);
  web.route('/', authPages);
  web.use('/l/:lib', requireSignedIn);
  web.use('/l/:lib/*', requireSignedIn, requireMember);
  web.get('/l/:lib', (c) => c.redirect(`/l/${encodeURIComponent(c.req.param('lib'))}/`, 301));
  for (const pages of [homePages, searchPages, clipPages, casePages, lessonPages, companyPages, memberPages, exportPages, questionPages, discussionPages, plenaryPages, activityPages, inboxPages, linkPages]) web.route('/', pages);
  // Unknown pages under a library get the library's 404 page, not the API's JSON.
  web.all('/l/:lib/*', () => {
    throw new ApiError(404, 'not_found', 'There is no such page in this library.');
  });
  return web;
}
