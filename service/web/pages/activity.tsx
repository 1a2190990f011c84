/** @jsxImportSource hono/jsx */
// The activity page: what members did in the library or one case, newest first, paged by version.
import { Hono } from 'hono';
import { parseActivityParams } from '../../activity/params.ts';
import { activityPage, type ActivityEvent } from '../../activity/stream.ts';
import { listCases } from '../../repos/library-read.ts';
import type { WebEnv } from '../env.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';
import { DateText } from '../ui.tsx';

/** One line of activity or of the inbox: who, what, when, with a link to the object. */
export function EventLine({ libraryId, event, unread }: { libraryId: string; event: ActivityEvent; unread?: boolean }) {
  return (
    <li class={unread ? 'event unread' : 'event'}>
      <strong>{event.who.name}</strong> {event.verb} {event.path ? <a href={libUrl(libraryId, event.path)}>{event.title || '(untitled)'}</a> : event.title}
      {unread && <span class="badge"> new</span>}
      <br />
      <span class="meta">
        <DateText iso={event.when} />
        {event.excerpt ? ` · ${event.excerpt}` : ''}
      </span>
    </li>
  );
}

export const activityPages = new Hono<WebEnv>().get('/l/:lib/activity', async (c) => {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const params = parseActivityParams(c.req.query());
  const cases = await listCases(db, libraryId);
  const page = await activityPage(db, {
    libraryId,
    role: c.get('role'),
    limit: params.limit ?? 30,
    ...(params.case ? { caseId: params.case } : {}),
    ...(params.before !== undefined ? { before: params.before } : {}),
  });
  const caseTitle = params.case ? String((cases.find((item) => item.id === params.case) as { title?: unknown } | undefined)?.title ?? '') : '';
  const more = (before: number) => libUrl(libraryId, `activity?${params.case ? `case=${params.case}&` : ''}before=${before}`);
  return sendPage(
    c,
    chromeOf(c),
    caseTitle ? `Activity: ${caseTitle}` : 'Activity',
    <>
      <h1>{caseTitle ? `Activity in ${caseTitle}` : 'Activity'}</h1>
      <form method="get" action={libUrl(libraryId, 'activity')} class="filters">
        <label for="case">Case</label>{' '}
        <select id="case" name="case">
          <option value="">The whole library</option>
          {cases.map((item) => (
            <option value={item.id} selected={item.id === params.case}>
              {String((item as { title?: unknown }).title)}
            </option>
          ))}
        </select>{' '}
        <button type="submit">Show</button>
      </form>
      {page.events.length === 0 ? (
        <p>{params.before !== undefined ? 'Nothing older.' : 'Nothing has happened here yet.'}</p>
      ) : (
        <ul class="events">
          {page.events.map((event) => (
            <EventLine libraryId={libraryId} event={event} />
          ))}
        </ul>
      )}
      <p class="pager">
        {params.before !== undefined && <a href={libUrl(libraryId, `activity${params.case ? `?case=${params.case}` : ''}`)}>Newest</a>}
        {page.next !== undefined && <a href={more(page.next)}>Older</a>}
      </p>
      <p class="hint">
        Follow this in a feed reader or a Teams/Slack feed connector: make a feed token on <a href={libUrl(libraryId, 'inbox/settings')}>your For me settings</a>.
      </p>
    </>,
  );
});
