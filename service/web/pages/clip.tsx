/** @jsxImportSource hono/jsx */
// One clip's page: reads the request, loads the clip with what its page shows, and saves the form
// that edits its tags, cases and note through the versioned write path. clip-view.tsx renders it.
import { Hono, type Context } from 'hono';
import { sanitizeClipHtmlOnce } from '../../../shared/sanitize.ts';
import { ApiError } from '../../http/errors.ts';
import { attachmentsOfClip, swapKeptImages } from '../../repos/attachments.ts';
import { listCases, liveObjects } from '../../repos/library-read.ts';
import { loadLive, type StoredObject } from '../../repos/objects.ts';
import { ClipView, clipTitle, keptFileUrl, type ClipConflict, type ClipViewData } from '../clip-view.tsx';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm, splitTags, type FormData } from '../forms.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';
import { memberDirectory } from '../queries.ts';
import { queryValue } from '../ui.tsx';
import { pushFromWeb, setEdit } from '../writes.ts';
import { Discussion, loadDiscussion } from './discussion.tsx';


async function loadClip(c: Context<WebEnv>): Promise<StoredObject<'clip'>> {
  const clip = await loadLive(c.get('services').db, c.get('libraryId'), 'clip', c.req.param('id') ?? '');
  if (!clip) throw new ApiError(404, 'not_found', 'There is no such clip in this library (it may have been deleted).');
  return clip;
}

/** Everything the clip page shows besides the clip: cases, who clipped it, its company and kept files. */
async function loadClipView(c: Context<WebEnv>, clip: StoredObject<'clip'>): Promise<ClipViewData> {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const f = clip.fields;
  const [cases, directory, company, kept] = await Promise.all([
    listCases(db, libraryId),
    memberDirectory(db, libraryId),
    typeof f.companyId === 'string' ? liveObjects(db, libraryId, 'company', [f.companyId]).then((found) => found[0]) : undefined,
    attachmentsOfClip(db, libraryId, clip.id),
  ]);
  return {
    libraryId,
    clip,
    cases,
    capturer: directory.byId.get(f.capturedBy),
    company,
    kept,
    // Sanitized at ingest; checked again here (rows from older versions or other stores), which
    // costs a hash lookup when this process sanitized or saw that HTML before.
    content: swapKeptImages(sanitizeClipHtmlOnce(f.html), kept, (sha256) => keptFileUrl(libraryId, sha256)),
    back: c.req.query('back'),
    saved: Boolean(c.req.query('saved')),
    canWrite: c.get('role') !== 'reader',
  };
}

async function clipPage(c: Context<WebEnv>, clip: StoredObject<'clip'>, options: { conflict?: ClipConflict; error?: string } = {}) {
  const [data, discussion] = await Promise.all([loadClipView(c, clip), loadDiscussion(c, 'clip', clip.id)]);
  const chrome = chromeOf(c, 'search');
  return sendPage(
    c,
    chrome,
    clipTitle(clip),
    <>
      <ClipView data={data} edit={{ csrf: chrome.csrf, ...options }} />
      <Discussion data={discussion} />
    </>,
    options.conflict || options.error ? 409 : 200,
  );
}

/**
 * The posted form as a clip change: tags and cases as set edits relative to what the form showed
 * (a tag a colleague added meanwhile survives), the note when it differs, and the version shown.
 */
export function readClipEdit(form: FormData, clip: StoredObject<'clip'>): { fields: Record<string, unknown>; baseVersion?: number } {
  const fields: Record<string, unknown> = {};
  const tags = setEdit(form.all('tagsShown'), splitTags(form.get('tags')));
  if (tags) fields.tags = tags;
  const cases = setEdit(form.all('casesShown'), form.all('cases'));
  if (cases) fields.caseIds = cases;
  const note = form.get('note').replace(/\r\n/g, '\n');
  if (note !== clip.fields.note) fields.note = note;
  const baseVersion = Number(form.get('baseVersion'));
  return { fields, ...(Number.isSafeInteger(baseVersion) && baseVersion >= 0 ? { baseVersion } : {}) };
}

/** The clip page again, with the search it was opened from and a query of its own. */
function clipUrl(c: Context<WebEnv>, clipId: string, query = ''): string {
  const back = c.req.query('back');
  const params = [query, back ? `back=${queryValue(back)}` : ''].filter(Boolean).join('&');
  return libUrl(c.get('libraryId'), `clips/${clipId}${params ? `?${params}` : ''}`);
}

export const clipPages = new Hono<WebEnv>()
  .get('/l/:lib/clips/:id', async (c) => clipPage(c, await loadClip(c)))
  .post('/l/:lib/clips/:id', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    const clip = await loadClip(c);
    const { fields, baseVersion } = readClipEdit(form, clip);
    if (Object.keys(fields).length === 0) return c.redirect(clipUrl(c, clip.id), 303);

    const [result] = await pushFromWeb(c, [{ type: 'clip', id: clip.id, op: 'put', fields, ...(baseVersion !== undefined ? { baseVersion } : {}) }]);
    if (result?.status === 'conflict') {
      // Tags and cases merge as sets, so only the note can conflict: save the rest now.
      const { note: mine, ...rest } = fields;
      if (Object.keys(rest).length) await pushFromWeb(c, [{ type: 'clip', id: clip.id, op: 'put', fields: rest }]);
      return clipPage(c, await loadClip(c), { conflict: { mine: String(mine ?? ''), message: result.error?.message ?? 'conflict' } });
    }
    if (result && result.status !== 'applied') return clipPage(c, clip, { error: `Not saved: ${result.error?.message ?? 'the change was rejected'}.` });
    return c.redirect(clipUrl(c, clip.id, 'saved=1'), 303);
  });
