/** @jsxImportSource hono/jsx */
// What the clip page shows, from what pages/clip.tsx loaded: the header, the clipped content (a
// PDF by its pages), the facts about the clip and the form that edits its tags, cases and note.
import type { AttachmentInfo } from '../../shared/attachments.ts';
import type { PublicObject } from '../../shared/api.ts';
import { hostOf } from '../../shared/site.ts';
import type { StoredObject } from '../repos/objects.ts';
import { searchBackUrl } from './components.tsx';
import { CsrfField, libUrl } from './layout.tsx';
import { renderMarkdown } from './markdown.ts';
import { Badge, DateText, SanitizedHtml, Tags, queryValue, safeHref } from './ui.tsx';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** A note the form could not save because someone else changed it: the person's own text, kept. */
export interface ClipConflict {
  mine: string;
  message: string;
}

export interface ClipViewData {
  libraryId: string;
  clip: StoredObject<'clip'>;
  /** The library's live cases (the form's choices and the names of the clip's cases). */
  cases: Array<PublicObject<'case'>>;
  capturer: { id: string; name: string; organisation: string } | undefined;
  company: StoredObject<'company'> | undefined;
  /** Files the clip keeps (issue 16): its images shown from here, its PDF kept for download. */
  kept: AttachmentInfo[];
  /** The clip's HTML, sanitized and with kept images pointing here. */
  content: string;
  /** The search this clip was opened from (query, filters, page), kept through saves. */
  back: string | undefined;
  saved: boolean;
  canWrite: boolean;
}

/** Where the library serves one of its kept files. */
export const keptFileUrl = (libraryId: string, sha256: string) => `/api/v1/libraries/${encodeURIComponent(libraryId)}/attachments/${sha256}`;

/** The clip's title, or its address when it has none. */
export const clipTitle = (clip: StoredObject<'clip'>) => text(clip.fields.title) || text(clip.fields.url);

/** A PDF clip's pages with text, from its page index (shared/capture/pdf.ts). */
export function pdfPagesOf(f: StoredObject<'clip'>['fields']): Array<{ page: number; text: string }> {
  const body = text(f.text);
  const index = (f.pages as { index?: Array<{ page: number; start: number; end: number }> } | null | undefined)?.index ?? [];
  return index.filter((entry) => entry.end > entry.start).map((entry) => ({ page: entry.page, text: body.slice(entry.start, entry.end) }));
}

interface EditState {
  /** The session's CSRF token, which the form carries. */
  csrf: string | undefined;
  conflict?: ClipConflict | undefined;
  error?: string | undefined;
}

export function ClipView({ data, edit }: { data: ClipViewData; edit: EditState }) {
  return (
    <>
      <p class="meta">
        <a href={searchBackUrl(data.libraryId, data.back)}>← Search</a>
      </p>
      <ClipHeader clip={data.clip} />
      {data.saved && (
        <p class="notice" role="status">
          Saved. The extension sees the change on its next sync.
        </p>
      )}
      <div class="cols">
        <div>
          <ClipContent clip={data.clip} content={data.content} />
        </div>
        <aside>
          <ClipFacts data={data} />
          {data.canWrite && <ClipEditForm data={data} edit={edit} />}
        </aside>
      </div>
    </>
  );
}

function ClipHeader({ clip }: { clip: StoredObject<'clip'> }) {
  const f = clip.fields;
  return (
    <>
      <h1>{clipTitle(clip)}</h1>
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
    </>
  );
}

/** The selected passage, then the content: a PDF's pages, the article's HTML, or its excerpt. */
function ClipContent({ clip, content }: { clip: StoredObject<'clip'>; content: string }) {
  const f = clip.fields;
  const selection = f.selection as { text?: string; quoteUrl?: string } | null;
  const quote = safeHref(selection?.quoteUrl);
  const pdfPages = f.kind === 'pdf' ? pdfPagesOf(f) : [];
  return (
    <>
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
    </>
  );
}

/** "About this clip": source, kept files, who clipped it when, company, cases, tags and note. */
function ClipFacts({ data }: { data: ClipViewData }) {
  const { libraryId, clip, kept, capturer, company } = data;
  const f = clip.fields;
  const caseIds = list(f.caseIds);
  const tags = list(f.tags);
  const source = safeHref(f.url);
  const canonical = safeHref(f.canonicalUrl);
  const keptPdf = kept.find((file) => file.role === 'pdf');
  const pageCount = (f.pages as { count?: unknown } | null | undefined)?.count;
  return (
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
              <a href={keptFileUrl(libraryId, keptPdf.sha256)} download>
                PDF, {Math.max(1, Math.round(keptPdf.bytes / 1024))} KB
              </a>
              {f.kind === 'pdf' && typeof pageCount === 'number' && <> · {pageCount} pages</>}
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
            : data.cases
                .filter((item) => caseIds.includes(item.id))
                .map((item) => (
                  <>
                    <a href={libUrl(libraryId, `cases/${item.id}`)}>{String(item.title)}</a>{' '}
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
  );
}

/**
 * Tags, cases and note, with what the form showed (so a save edits sets relative to it) and the
 * version it showed (so a note changed meanwhile is a conflict, shown with the person's text).
 */
function ClipEditForm({ data, edit: { csrf, conflict, error } }: { data: ClipViewData; edit: EditState }) {
  const { libraryId, clip, back } = data;
  const f = clip.fields;
  const caseIds = list(f.caseIds);
  const tags = list(f.tags);
  const path = libUrl(libraryId, `clips/${clip.id}`);
  const action = back ? `${path}?back=${queryValue(back)}` : path;
  return (
    <section class="card" aria-labelledby="edit-h">
      <h2 id="edit-h">Edit tags, cases and note</h2>
      {conflict && (
        <div class="warning" role="alert">
          <p>
            <strong>Someone else changed the note</strong> since you opened this page. Their note is in the field
            below; your text is kept underneath. Merge the two and save again.
          </p>
          <label for="mine">Your text (not saved)</label>
          <textarea id="mine" readonly>
            {conflict.mine}
          </textarea>
        </div>
      )}
      {error && (
        <p class="warning" role="alert">
          {error}
        </p>
      )}
      <form method="post" action={action} class="stack wide">
        <CsrfField token={csrf} />
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
          {data.cases.length === 0 && <p class="meta">No cases yet.</p>}
          {data.cases.map((item) => (
            <label>
              <input type="checkbox" name="cases" value={item.id} checked={caseIds.includes(item.id)} /> {String(item.title)}
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
  );
}
