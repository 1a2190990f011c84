/** @jsxImportSource hono/jsx */
// The library's home: recent clips, open cases and scans in progress, with a search box on top.
import { Hono } from 'hono';
import { listCases } from '../../repos/library-read.ts';
import { searchClips } from '../../search/clips.ts';
import { caseNames, ClipList, ScanList } from '../components.tsx';
import type { WebEnv } from '../env.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';
import { liveObjects, memberDirectory, scanProgress } from '../queries.ts';
import { Badge, DateText } from '../ui.tsx';
import { HomeQuestions, loadHomeQuestions } from './questions.tsx';

/** Recent clips are the newest by the date they show: read from the last arrivals, sorted by capture date. */
const RECENT_WINDOW = 100;
const RECENT_SHOWN = 10;

export const homePages = new Hono<WebEnv>().get('/l/:lib/', async (c) => {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const [recent, cases, directory, scans] = await Promise.all([
    searchClips(db, { libraryId, limit: RECENT_WINDOW }),
    listCases(db, libraryId),
    memberDirectory(db, libraryId),
    liveObjects(db, libraryId, 'scan'),
  ]);
  // Arrival order is not the date shown (an import or an offline outbox arrives late): sort by the capture date.
  const newest = [...recent.clips].sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || 0).slice(0, RECENT_SHOWN);
  const open = cases.filter((item) => (item as { status?: string }).status === 'open');
  const drafts = await scanProgress(db, libraryId, scans.filter((scan) => scan.fields.status === 'draft'));
  const names = { members: directory.byId, cases: caseNames(cases) };
  const waiting = await loadHomeQuestions(c);
  return sendPage(
    c,
    chromeOf(c, 'home'),
    c.get('library').name,
    <>
      <h1>{c.get('library').name}</h1>
      <form method="get" action={libUrl(libraryId, 'search')} role="search" class="searchline">
        <label for="home-q" class="skip">
          Search the library
        </label>
        <input id="home-q" name="q" type="search" placeholder="Search clips, notes and cases…" />
        <button type="submit">Search</button>
      </form>
      <div class="grid">
        <section class="card" aria-labelledby="recent-h">
          <h2 id="recent-h">Recent clips</h2>
          <ClipList libraryId={libraryId} clips={newest} names={names} empty="Nothing clipped yet: install the extension and clip a page into a case." />
          {(recent.nextCursor || recent.clips.length > RECENT_SHOWN) && <p><a href={libUrl(libraryId, 'search')}>All clips →</a></p>}
        </section>
        <div>
          <HomeQuestions data={waiting} />
          <section class="card" aria-labelledby="cases-h">
            <h2 id="cases-h">Open cases</h2>
            {open.length === 0 ? (
              <p class="muted">No open cases.</p>
            ) : (
              <ul class="items">
                {open.map((item) => {
                  const fields = item as unknown as { id: string; title: string; members: string[]; clipCount: number; updatedAt: string };
                  return (
                    <li>
                      <a class="item-title" href={libUrl(libraryId, `cases/${fields.id}`)}>
                        {fields.title}
                      </a>{' '}
                      <Badge value="open" />
                      <div class="meta">
                        {fields.clipCount} clips · {fields.members.length} in the subgroup · updated <DateText iso={fields.updatedAt} />
                      </div>
                    </li>
                  );
                })}
              </ul>
            )}
            <p>
              <a href={libUrl(libraryId, 'cases')}>All cases →</a>
            </p>
          </section>
          <section class="card" aria-labelledby="scans-h">
            <h2 id="scans-h">Scans in progress</h2>
            <ScanList libraryId={libraryId} scans={drafts} cases={names.cases} />
          </section>
        </div>
      </div>
    </>,
  );
});
