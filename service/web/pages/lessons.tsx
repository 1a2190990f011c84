/** @jsxImportSource hono/jsx */
// Lessons across cases: every case's lessons and the clips tagged as lesson or common issue,
// grouped by theme, as the input of the plenary discussion.
import { Hono } from 'hono';
import type { ClipHit } from '../../search/clips.ts';
import { caseNames, ClipItem } from '../components.tsx';
import type { WebEnv } from '../env.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';
import { renderMarkdown, renderMarkdownParts } from '../markdown.ts';
import { clipNotes, LESSON_TAGS, lessonClips, liveObjects, memberDirectory } from '../queries.ts';
import { queryValue, SanitizedHtml } from '../ui.tsx';
import { CommonIssues, loadPlenary } from './plenary.tsx';

const GENERAL = 'General';
/** Themes one case's lessons may open: a page of themes, not one per line of a hostile text. */
const MAX_THEMES = 100;
/** Themes a page of the lessons shows, and a theme's clips shown on it (the rest in the search). */
const THEMES_PER_PAGE = 8;
const CLIPS_PER_THEME = 20;

/** A theme's key: case and spacing do not make two themes ("Trust" and "trust "). */
const themeKey = (theme: string) => theme.trim().toLowerCase().replace(/\s+/g, ' ').replace(/^theme:\s*/, '');

/**
 * Splits a case's lessons at its "## Theme" headings (any level); text before the first
 * heading belongs to the general theme.
 */
export function lessonSections(markdown: string): Array<{ theme: string; body: string }> {
  const sections: Array<{ theme: string; body: string }> = [];
  let current = { theme: GENERAL, body: '' };
  for (const line of markdown.split('\n')) {
    // Past MAX_THEMES headings, the rest stays in the last theme (as its Markdown).
    const theme = sections.length < MAX_THEMES ? headingText(line) : null;
    if (theme) {
      if (current.body.trim()) sections.push(current);
      current = { theme, body: '' };
    } else current.body += `${line}\n`;
  }
  if (current.body.trim()) sections.push(current);
  return sections;
}

/**
 * The text of a `## Heading ##` line, or null. Plain string steps, no backtracking: the
 * former pattern /^#{1,6}\s+(.+?)\s*#*\s*$/ took 13 s on one 2 KB line of tabs.
 */
function headingText(line: string): string | null {
  const opening = /^#{1,6}[ \t]/.exec(line);
  if (!opening) return null;
  let text = line.slice(opening[0].length).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end > 0) text = text.slice(0, end).trim();
  return text || null;
}

interface Theme {
  title: string;
  fromCases: Array<{ caseId: string; caseTitle: string; html: string }>;
  clips: ClipHit[];
}

export const lessonPages = new Hono<WebEnv>().get('/l/:lib/lessons', async (c) => {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const [cases, clips, directory] = await Promise.all([liveObjects(db, libraryId, 'case'), lessonClips(db, libraryId), memberDirectory(db, libraryId)]);
  const notes = await clipNotes(db, libraryId, clips.map((clip) => clip.id));
  const themes = new Map<string, Theme>();
  const theme = (title: string) => {
    const key = themeKey(title);
    let found = themes.get(key);
    if (!found) {
      found = { title: title.replace(/^theme:\s*/i, ''), fromCases: [], clips: [] };
      themes.set(key, found);
    }
    return found;
  };
  // A clip tag joins the case theme it begins ("trust" → "Trust and power balance") so the plenary sees one theme, not two.
  const themeForTag = (tag: string) => {
    const key = themeKey(tag);
    const match = [...themes.keys()].find((existing) => existing === key || existing.startsWith(`${key} `));
    return match ? themes.get(match)! : theme(tag);
  };
  const ordered = [...cases].sort((a, b) => String(a.fields.title).localeCompare(String(b.fields.title)));
  for (const item of ordered) {
    const sections = lessonSections(String(item.fields.lessons ?? ''));
    // One render budget for the whole text, however many themes it is split into.
    const html = renderMarkdownParts(sections.map((section) => section.body));
    sections.forEach((section, index) => theme(section.theme).fromCases.push({ caseId: item.id, caseTitle: String(item.fields.title), html: html[index]! }));
  }
  const lessonTags = new Set(LESSON_TAGS);
  for (const clip of clips) {
    // A lesson clip's other tags are its themes; a clip with none goes to the general theme.
    const others = clip.tags.filter((tag) => !lessonTags.has(tag.trim().toLowerCase()));
    for (const tag of others.length ? others : [GENERAL]) themeForTag(tag).clips.push(clip);
  }
  const list = [...themes.values()].sort((a, b) =>
    a.title === GENERAL ? 1 : b.title === GENERAL ? -1 : b.fromCases.length + b.clips.length - (a.fromCases.length + a.clips.length) || a.title.localeCompare(b.title),
  );
  const names = { members: directory.byId, cases: caseNames(cases) };
  const plenary = await loadPlenary(c);
  // Paged by theme: a page holds THEMES_PER_PAGE themes; the theme list links every page.
  const pages = Math.max(1, Math.ceil(list.length / THEMES_PER_PAGE));
  const requested = /^\d{1,6}$/.test(c.req.query('page') ?? '') ? Number(c.req.query('page')) : 1;
  const pageNo = Math.min(Math.max(requested, 1), pages);
  const first = (pageNo - 1) * THEMES_PER_PAGE;
  const shown = list.slice(first, first + THEMES_PER_PAGE);
  const themeHref = (index: number) => `${Math.floor(index / THEMES_PER_PAGE) + 1 === pageNo ? '' : `?page=${Math.floor(index / THEMES_PER_PAGE) + 1}`}#theme-${index}`;
  const pageHref = (n: number) => libUrl(libraryId, n === 1 ? 'lessons' : `lessons?page=${n}`);
  const Pager = () =>
    pages > 1 ? (
      <nav class="pager" aria-label="Lesson pages">
        <span class="meta">
          Themes {first + 1}–{first + shown.length} of {list.length}
        </span>
        {pageNo > 1 && (
          <a href={pageHref(pageNo - 1)} rel="prev">
            ← Previous themes
          </a>
        )}
        {pageNo < pages && (
          <a href={pageHref(pageNo + 1)} rel="next">
            Next themes →
          </a>
        )}
      </nav>
    ) : (
      <></>
    );
  return sendPage(
    c,
    chromeOf(c, 'lessons'),
    'Lessons across cases',
    <>
      <h1>Lessons across cases</h1>
      <p class="meta">
        Every case's lessons (grouped by their “## Theme” headings) and the clips tagged <em>lesson</em> or <em>common issue</em> (grouped by their other
        tags): the input of the plenary discussion.
      </p>
      <CommonIssues data={plenary} />
      {list.length === 0 && <p class="muted">No lessons yet. Write them on a case page, or tag clips “lesson” or “common issue”.</p>}
      {list.length > 1 && (
        <nav aria-label="Themes" class="card">
          <strong>Themes:</strong>{' '}
          {list.map((item, index) => (
            <>
              <a href={themeHref(index)}>{item.title}</a>
              {index < list.length - 1 ? ' · ' : ''}
            </>
          ))}
        </nav>
      )}
      <Pager />
      {shown.map((item, offset) => {
        const index = first + offset;
        const clipsShown = item.clips.slice(0, CLIPS_PER_THEME);
        return (
        <section class="theme" id={`theme-${index}`} aria-labelledby={`theme-${index}-h`}>
          <h2 id={`theme-${index}-h`}>{item.title}</h2>
          <div class="grid">
            {item.fromCases.map((entry) => (
              <div class="card">
                <h3>
                  <a href={libUrl(libraryId, `cases/${entry.caseId}`)}>{entry.caseTitle}</a>
                </h3>
                <div class="markdown">
                  <SanitizedHtml html={entry.html} />
                </div>
              </div>
            ))}
          </div>
          {clipsShown.length > 0 && (
            <ul class="items">
              {clipsShown.map((clip) => (
                <ClipItem libraryId={libraryId} clip={clip} names={names} noteHtml={renderMarkdown(notes.get(clip.id) ?? '')} />
              ))}
            </ul>
          )}
          {item.clips.length > clipsShown.length && (
            <p class="meta">
              {clipsShown.length} of {item.clips.length} clips shown ·{' '}
              <a href={libUrl(libraryId, `search?tag=${queryValue(item.clips[0]?.tags.find((tag) => themeKey(tag) === themeKey(item.title)) ?? 'lesson')}`)}>all of them in the search →</a>
            </p>
          )}
        </section>
        );
      })}
      <Pager />
    </>,
  );
});
