/** @jsxImportSource hono/jsx */
// One clip: its sanitized content, source and quote links, metadata, and the form that edits
// its tags, cases and note through the versioned write path.
import { Hono, type Context } from 'hono';
import type { MutationResult } from '../../../shared/protocol.ts';
import { sanitizeClipHtmlOnce } from '../../../shared/sanitize.ts';
import { ApiError } from '../../http/errors.ts';
import { attachmentsOfClip, swapKeptImages } from '../../repos/attachments.ts';
import { listCases } from '../../repos/library-read.ts';
import { loadLive, type StoredObject } from '../../repos/objects.ts';
import { searchBackUrl } from '../components.tsx';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm, splitTags } from '../forms.ts';
import { chromeOf, CsrfField, libUrl, sendPage } from '../layout.tsx';
import { renderMarkdown } from '../markdown.ts';
import { liveObjects, memberDirectory } from '../queries.ts';
import { hostOf } from '../../../shared/site.ts';
import { Badge, DateText, SanitizedHtml, Tags, queryValue, safeHref } from '../ui.tsx';
import { pushFromWeb, setEdit } from '../writes.ts';
import { Discussion, loadDiscussion } from './discussion.tsx';

interface Conflict {
  mine: string;
  message: string;
}

async function loadClip(c: Context<WebEnv>): Promise<StoredObject> {
  const clip = await loadLive(c.get('services').db, c.get('libraryId'), 'clip', c.req.param('id') ?? '');
  if (!clip) throw new ApiError(404, 'not_found', 'There is no such clip in this library (it may have been deleted).');
  return clip;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

async function clipPage(c: Context<WebEnv>, clip: StoredObject, options: { conflict?: Conflict; error?: string } = {}) {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const f = clip.fields;
  const [cases, directory] = await Promise.all([listCases(db, libraryId), memberDirectory(db, libraryId)]);
  const discussion = await loadDiscussion(c, 'clip', clip.id);
  const company = typeof f.companyId === 'string' ? (await liveObjects(db, libraryId, 'company', [f.companyId]))[0] : undefined;
  const capturer = directory.byId.get(text(f.capturedBy));
  const caseIds = list(f.caseIds);
  const tags = list(f.tags);
  const selection = f.selection as { text?: string; quoteUrl?: string } | null;
  const source = safeHref(f.url);
  const canonical = safeHref(f.canonicalUrl);
  const quote = safeHref(selection?.quoteUrl);
  // Sanitized at ingest; checked again here (rows from older versions or other stores), which
  // costs a hash lookup when this process sanitized or saw that HTML before.
  // Files the clip keeps (issue 16): its images shown from here, its PDF kept for download.
  const kept = await attachmentsOfClip(db, libraryId, clip.id);
  const keptUrl = (sha256: string) => `/api/v1/libraries/${encodeURIComponent(libraryId)}/attachments/${sha256}`;
  const content = swapKeptImages(sanitizeClipHtmlOnce(text(f.html)), kept, keptUrl);
  const keptPdf = kept.find((file) => file.role === 'pdf');
  const pdfPages = f.kind === 'pdf' ? pdfPagesOf(f) : [];
  const chrome = chromeOf(c, 'search');
  const canWrite = c.get('role') !== 'reader';
  const title = text(f.title) || text(f.url);
  // The search this clip was opened from (query, filters, page), kept through saves.
  const back = c.req.query('back');
  const withBack = (path: string) => (back ? `${path}${path.includes('?') ? '&' : '?'}back=${queryValue(back)}` : path);

  return sendPage(
    c,
    chrome,
    title,
    <>
      <p class="meta">
        <a href={searchBackUrl(libraryId, back)}>← Search</a>
      </p>
      <h1>{title}</h1>
      <p class="meta">
        <Badge value={text(f.kind)} /> {text(f.siteName) || hostOf(text(f.url), { stripWww: true })}
        {text(f.byline) && <> · {text(f.byline)}</>}
        {text(f.publishedAt) && (
          <>
            {' · published '}
            <DateText iso={text(f.publishedAt)} />
          </>
        )}
      </p>
      {c.req.query('saved') && (
        <p class="notice" role="status">
          Saved. The extension sees the change on its next sync.
        </p>
      )}
      <div class="cols">
        <div>
          {selection?.text && (
            <blockquote>
              <p>{selection.text}</p>
              {quote && (
                <p class="meta">
                  <a href={quote} rel="noopener noreferrer nofollow">
                    Open the passage on the page
                  </a>
                </p>
              )}
            </blockquote>
          )}
          {pdfPages.length > 0 ? (
            <article class="clip-content" lang={text(f.lang) || undefined} aria-label="Clipped content">
              {pdfPages.map((page) => (
                <section id={`page-${page.page}`}>
                  <h2>Page {page.page}</h2>
                  {page.text.split(/\n+/).map((line) => (
                    <p>{line}</p>
                  ))}
                </section>
              ))}
            </article>
          ) : content ? (
            <article class="clip-content" lang={text(f.lang) || undefined} aria-label="Clipped content">
              <SanitizedHtml html={content} />
            </article>
          ) : (
            text(f.excerpt) && <p>{text(f.excerpt)}</p>
          )}
        </div>
        <aside>
          <section class="card" aria-labelledby="about-h">
            <h2 id="about-h">About this clip</h2>
            <dl class="facts">
              {source && (
                <>
                  <dt>Source</dt>
                  <dd>
                    <a href={source} rel="noopener noreferrer nofollow">
                      {hostOf(source, { stripWww: true })}
                    </a>
                  </dd>
                </>
              )}
              {canonical && canonical !== source && (
                <>
                  <dt>Canonical</dt>
                  <dd>
                    <a href={canonical} rel="noopener noreferrer nofollow">
                      {hostOf(canonical, { stripWww: true })}
                    </a>
                  </dd>
                </>
              )}
              {keptPdf && (
                <>
                  <dt>Kept copy</dt>
                  <dd>
                    <a href={keptUrl(keptPdf.sha256)} download>
                      PDF, {Math.max(1, Math.round(keptPdf.bytes / 1024))} KB
                    </a>
                    {f.kind === 'pdf' && typeof (f.pages as { count?: unknown } | null)?.count === 'number' && <> · {(f.pages as { count: number }).count} pages</>}
                  </dd>
                </>
              )}
              {kept.some((file) => file.role === 'image') && (
                <>
                  <dt>Images kept</dt>
                  <dd>{kept.filter((file) => file.role === 'image').length}</dd>
                </>
              )}
              <dt>Clipped</dt>
              <dd>
                <DateText iso={text(f.capturedAt)} />
                {capturer && (
                  <>
                    {' by '}
                    <a href={libUrl(libraryId, `search?member=${capturer.id}`)}>{capturer.name}</a>
                    {capturer.organisation && <> ({capturer.organisation})</>}
                  </>
                )}
              </dd>
              {company && (
                <>
                  <dt>Company</dt>
                  <dd>
                    <a href={libUrl(libraryId, `companies/${company.id}`)}>{String(company.fields.name)}</a>
                  </dd>
                </>
              )}
              <dt>Cases</dt>
              <dd>
                {caseIds.length === 0
                  ? '—'
                  : cases
                      .filter((item) => caseIds.includes(item.id))
                      .map((item) => (
                        <>
                          <a href={libUrl(libraryId, `cases/${item.id}`)}>{String((item as { title?: unknown }).title)}</a>{' '}
                        </>
                      ))}
              </dd>
              <dt>Tags</dt>
              <dd>{tags.length ? <Tags libraryId={libraryId} tags={tags} /> : '—'}</dd>
            </dl>
            {text(f.note) && (
              <>
                <h3>Note</h3>
                <div class="markdown">
                  <SanitizedHtml html={renderMarkdown(text(f.note))} />
                </div>
              </>
            )}
          </section>
          {canWrite && (
            <section class="card" aria-labelledby="edit-h">
              <h2 id="edit-h">Edit tags, cases and note</h2>
              {options.conflict && (
                <div class="warning" role="alert">
                  <p>
                    <strong>Someone else changed the note</strong> since you opened this page. Their note is in the field
                    below; your text is kept underneath. Merge the two and save again.
                  </p>
                  <label for="mine">Your text (not saved)</label>
                  <textarea id="mine" readonly>
                    {options.conflict.mine}
                  </textarea>
                </div>
              )}
              {options.error && (
                <p class="warning" role="alert">
                  {options.error}
                </p>
              )}
              <form method="post" action={withBack(libUrl(libraryId, `clips/${clip.id}`))} class="stack wide">
                <CsrfField token={chrome.csrf} />
                <input type="hidden" name="baseVersion" value={String(clip.version)} />
                {tags.map((tag) => (
                  <input type="hidden" name="tagsShown" value={tag} />
                ))}
                {caseIds.map((id) => (
                  <input type="hidden" name="casesShown" value={id} />
                ))}
                <div>
                  <label for="tags">
                    Tags <span class="hint">(separated by commas)</span>
                  </label>
                  <input id="tags" name="tags" type="text" value={tags.join(', ')} />
                </div>
                <fieldset class="checks">
                  <legend>Cases</legend>
                  {cases.length === 0 && <p class="meta">No cases yet.</p>}
                  {cases.map((item) => (
                    <label>
                      <input type="checkbox" name="cases" value={item.id} checked={caseIds.includes(item.id)} /> {String((item as { title?: unknown }).title)}
                    </label>
                  ))}
                </fieldset>
                <div>
                  <label for="note">
                    Note <span class="hint">(Markdown)</span>
                  </label>
                  <textarea id="note" name="note">
                    {text(f.note)}
                  </textarea>
                </div>
                <div>
                  <button type="submit">Save</button>
                </div>
              </form>
            </section>
          )}
        </aside>
      </div>
      <Discussion data={discussion} />
    </>,
    options.conflict || options.error ? 409 : 200,
  );
}

/** A PDF clip's pages with text, from its page index (shared/capture/pdf.ts). */
function pdfPagesOf(f: Record<string, unknown>): Array<{ page: number; text: string }> {
  const body = text(f.text);
  const index = (f.pages as { index?: Array<{ page: number; start: number; end: number }> } | null)?.index ?? [];
  return index.filter((entry) => entry.end > entry.start).map((entry) => ({ page: entry.page, text: body.slice(entry.start, entry.end) }));
}

function firstProblem(results: MutationResult[]): MutationResult | undefined {
  return results.find((result) => result.status !== 'applied');
}

export const clipPages = new Hono<WebEnv>()
  .get('/l/:lib/clips/:id', async (c) => clipPage(c, await loadClip(c)))
  .post('/l/:lib/clips/:id', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    const clip = await loadClip(c);
    const baseVersion = Number(form.get('baseVersion'));
    const fields: Record<string, unknown> = {};
    // Set edits relative to what the form showed: a tag a colleague added meanwhile survives.
    const tags = setEdit(form.all('tagsShown'), splitTags(form.get('tags')));
    if (tags) fields.tags = tags;
    const cases = setEdit(form.all('casesShown'), form.all('cases'));
    if (cases) fields.caseIds = cases;
    const note = form.get('note').replace(/\r\n/g, '\n');
    if (note !== text(clip.fields.note)) fields.note = note;
    if (Object.keys(fields).length === 0) {
      const back = c.req.query('back');
      return c.redirect(libUrl(c.get('libraryId'), `clips/${clip.id}${back ? `?back=${queryValue(back)}` : ''}`), 303);
    }

    const [result] = await pushFromWeb(c, [
      { type: 'clip', id: clip.id, op: 'put', fields, ...(Number.isSafeInteger(baseVersion) && baseVersion >= 0 ? { baseVersion } : {}) },
    ]);
    const problem = result && firstProblem([result]);
    if (problem?.status === 'conflict') {
      // Tags and cases merge as sets, so only the note can conflict: save the rest now.
      const { note: mine, ...rest } = fields;
      if (Object.keys(rest).length) await pushFromWeb(c, [{ type: 'clip', id: clip.id, op: 'put', fields: rest }]);
      return clipPage(c, await loadClip(c), { conflict: { mine: String(mine ?? ''), message: problem.error?.message ?? 'conflict' } });
    }
    if (problem) return clipPage(c, clip, { error: `Not saved: ${problem.error?.message ?? 'the change was rejected'}.` });
    const back = c.req.query('back');
    return c.redirect(libUrl(c.get('libraryId'), `clips/${clip.id}?saved=1${back ? `&back=${queryValue(back)}` : ''}`), 303);
  });
