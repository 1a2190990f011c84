/** @jsxImportSource hono/jsx */
// Cases: the list, one case (description, subgroup, status, clips, scans, lessons), creating a
// case and editing it with conflict detection on the long texts.
import { Hono, type Context } from 'hono';
import { ApiError } from '../../http/errors.ts';
import { getCaseDetail, listCases } from '../../repos/library-read.ts';
import { loadLive, type StoredObject } from '../../repos/objects.ts';
import { searchClips } from '../../search/clips.ts';
import { caseNames, ClipList, ScanList } from '../components.tsx';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm } from '../forms.ts';
import { oncePerSubmission } from '../form-token.ts';
import { chromeOf, CsrfField, FormTokenField, libUrl, sendPage } from '../layout.tsx';
import { renderMarkdown } from '../markdown.ts';
import { liveObjects, memberDirectory, scanProgress } from '../queries.ts';
import { Badge, DateText, SanitizedHtml } from '../ui.tsx';
import { pushFromWeb, setEdit } from '../writes.ts';
import { Discussion, loadDiscussion } from './discussion.tsx';
import { CaseQuestions, loadCaseQuestions } from './questions.tsx';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

async function loadCase(c: Context<WebEnv>): Promise<StoredObject> {
  const found = await loadLive(c.get('services').db, c.get('libraryId'), 'case', c.req.param('id') ?? '');
  if (!found) throw new ApiError(404, 'not_found', 'There is no such case in this library (it may have been deleted).');
  return found;
}

interface EditState {
  conflict?: { message: string; mine: { description: string; lessons: string } };
  error?: string;
  draft?: { title: string; status: string; description: string; lessons: string; members: string[] };
}

async function editPage(c: Context<WebEnv>, item: StoredObject, state: EditState = {}) {
  const libraryId = c.get('libraryId');
  const directory = await memberDirectory(c.get('services').db, libraryId);
  const f = item.fields;
  const members = list(f.members);
  const draft = state.draft;
  const chrome = chromeOf(c, 'cases');
  const title = text(f.title);
  return sendPage(
    c,
    chrome,
    `Edit ${title}`,
    <>
      <p class="meta">
        <a href={libUrl(libraryId, `cases/${item.id}`)}>← {title}</a>
      </p>
      <h1>Edit case</h1>
      {state.conflict && (
        <div class="warning" role="alert">
          <p>
            <strong>Someone else changed this case</strong> while you were editing. The fields show their version now; your
            texts are below. Merge them and save again.
          </p>
          <label for="mine-description">Your description (not saved)</label>
          <textarea id="mine-description" class="long" readonly>
            {state.conflict.mine.description}
          </textarea>
          <label for="mine-lessons">Your lessons (not saved)</label>
          <textarea id="mine-lessons" class="long" readonly>
            {state.conflict.mine.lessons}
          </textarea>
        </div>
      )}
      {state.error && (
        <p class="warning" role="alert">
          {state.error}
        </p>
      )}
      <form method="post" action={libUrl(libraryId, `cases/${item.id}/edit`)} class="stack wide">
        <CsrfField token={chrome.csrf} />
        <input type="hidden" name="baseVersion" value={String(item.version)} />
        {members.map((id) => (
          <input type="hidden" name="membersShown" value={id} />
        ))}
        <div>
          <label for="title">Title</label>
          <input id="title" name="title" type="text" required value={draft?.title ?? title} />
        </div>
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            {['open', 'closed'].map((status) => (
              <option value={status} selected={(draft?.status ?? text(f.status)) === status}>
                {status}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="checks">
          <legend>Subgroup</legend>
          {directory.members.map((member) => (
            <label>
              <input type="checkbox" name="members" value={member.id} checked={(draft?.members ?? members).includes(member.id)} /> {member.name}
              {member.organisation && <span class="hint"> ({member.organisation})</span>}
            </label>
          ))}
        </fieldset>
        <div>
          <label for="description">
            Description <span class="hint">(Markdown: the company, the cooperation, the question the subgroup analyses)</span>
          </label>
          <textarea id="description" name="description" class="long">
            {state.conflict ? text(f.description) : draft?.description ?? text(f.description)}
          </textarea>
        </div>
        <div>
          <label for="lessons">
            Lessons and common issues <span class="hint">(Markdown; a “## Theme” heading groups lessons across cases)</span>
          </label>
          <textarea id="lessons" name="lessons" class="long">
            {state.conflict ? text(f.lessons) : draft?.lessons ?? text(f.lessons)}
          </textarea>
        </div>
        <div>
          <button type="submit">Save case</button> <a href={libUrl(libraryId, `cases/${item.id}`)}>Cancel</a>
        </div>
      </form>
    </>,
    state.conflict || state.error ? 409 : 200,
  );
}

export const casePages = new Hono<WebEnv>()
  .get('/l/:lib/cases', async (c) => {
    const libraryId = c.get('libraryId');
    const { db } = c.get('services');
    const [cases, directory] = await Promise.all([listCases(db, libraryId), memberDirectory(db, libraryId)]);
    const chrome = chromeOf(c, 'cases');
    type Row = { id: string; title: string; status: string; members: string[]; clipCount: number; updatedAt: string };
    const rows = cases as unknown as Row[];
    return sendPage(
      c,
      chrome,
      'Cases',
      <>
        <h1>Cases</h1>
        {rows.length === 0 ? (
          <p class="muted">No cases yet.</p>
        ) : (
          <ul class="items card">
            {rows.map((row) => (
              <li>
                <a class="item-title" href={libUrl(libraryId, `cases/${row.id}`)}>
                  {row.title}
                </a>{' '}
                <Badge value={row.status} />
                <div class="meta">
                  {row.clipCount} clips · subgroup: {row.members.map((id) => directory.byId.get(id)?.name).filter(Boolean).join(', ') || 'nobody yet'} · updated{' '}
                  <DateText iso={row.updatedAt} />
                </div>
              </li>
            ))}
          </ul>
        )}
        {c.get('role') !== 'reader' && (
          <section aria-labelledby="new-h">
            <h2 id="new-h">Start a case</h2>
            <form method="post" action={libUrl(libraryId, 'cases')} class="stack">
              <CsrfField token={chrome.csrf} />
              <FormTokenField />
              <div>
                <label for="new-title">Title</label>
                <input id="new-title" name="title" type="text" required maxlength={500} />
              </div>
              <div>
                <button type="submit">Create case</button>
              </div>
            </form>
          </section>
        )}
      </>,
    );
  })
  .post('/l/:lib/cases', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    // One case per submitted form, however often it is sent (form-token.ts).
    return oncePerSubmission(c, form, async (id) => {
      const [result] = await pushFromWeb(c, [{ type: 'case', id, op: 'put', fields: { title: form.get('title').trim(), status: 'open', members: [c.get('session').userId] } }]);
      if (result?.status !== 'applied') throw new ApiError(400, 'invalid', `The case was not created: ${result?.error?.message ?? 'rejected'}.`);
      return libUrl(c.get('libraryId'), `cases/${id}/edit`);
    });
  })
  .get('/l/:lib/cases/:id', async (c) => {
    const libraryId = c.get('libraryId');
    const { db } = c.get('services');
    const item = await loadCase(c);
    const [detail, directory, cases] = await Promise.all([getCaseDetail(db, libraryId, item.id), memberDirectory(db, libraryId), listCases(db, libraryId)]);
    const clips = await searchClips(db, { libraryId, caseId: item.id, limit: 100 });
    const scans = await scanProgress(db, libraryId, await liveObjects(db, libraryId, 'scan', (detail?.scans ?? []).map((scan) => scan.id)));
    const f = item.fields;
    const members = list(f.members).map((id) => directory.byId.get(id)).filter((member) => member !== undefined);
    const names = { members: directory.byId, cases: caseNames(cases) };
    const description = renderMarkdown(text(f.description));
    const lessons = renderMarkdown(text(f.lessons));
    const [questions, discussion] = await Promise.all([loadCaseQuestions(c, item.id), loadDiscussion(c, 'case', item.id)]);
    return sendPage(
      c,
      chromeOf(c, 'cases'),
      text(f.title),
      <>
        <p class="meta">
          <a href={libUrl(libraryId, 'cases')}>← Cases</a>
        </p>
        <div class="section-head">
          <h1>
            {text(f.title)} <Badge value={text(f.status)} />
          </h1>
          {c.get('role') !== 'reader' && (
            <a class="button quiet" href={libUrl(libraryId, `cases/${item.id}/edit`)}>
              Edit case
            </a>
          )}
        </div>
        {c.req.query('saved') && (
          <p class="notice" role="status">
            Saved.
          </p>
        )}
        <div class="cols">
          <div>
            <section aria-labelledby="desc-h">
              <h2 id="desc-h">Description</h2>
              {description ? (
                <div class="markdown">
                  <SanitizedHtml html={description} />
                </div>
              ) : (
                <p class="muted">No description yet.</p>
              )}
            </section>
            <section aria-labelledby="lessons-h">
              <h2 id="lessons-h">Lessons and common issues</h2>
              {lessons ? (
                <div class="markdown">
                  <SanitizedHtml html={lessons} />
                </div>
              ) : (
                <p class="muted">No lessons written down yet.</p>
              )}
            </section>
            <CaseQuestions data={questions} />
            <section aria-labelledby="clips-h">
              <h2 id="clips-h">Clips ({clips.clips.length}{clips.nextCursor ? '+' : ''})</h2>
              <ClipList libraryId={libraryId} clips={clips.clips} names={names} empty="No clips in this case yet." />
              {clips.nextCursor && (
                <p>
                  <a href={libUrl(libraryId, `search?case=${item.id}`)}>All clips of this case →</a>
                </p>
              )}
            </section>
            <Discussion data={discussion} />
          </div>
          <aside>
            <section class="card" aria-labelledby="group-h">
              <h2 id="group-h">Subgroup</h2>
              {members.length === 0 ? (
                <p class="muted">Nobody yet.</p>
              ) : (
                <ul class="items">
                  {members.map((member) => (
                    <li>
                      {member.name}
                      {member.organisation && <div class="meta">{member.organisation}</div>}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section class="card" aria-labelledby="scans-h">
              <h2 id="scans-h">Company scans</h2>
              <ScanList libraryId={libraryId} scans={scans} cases={names.cases} />
            </section>
            <section class="card" aria-labelledby="export-h">
              <h2 id="export-h">Export this case</h2>
              <p>
                <a href={libUrl(libraryId, `export/download?format=markdown&case=${item.id}`)}>Markdown (.zip)</a> ·{' '}
                <a href={libUrl(libraryId, `export/download?format=json&case=${item.id}`)}>JSON</a> ·{' '}
                <a href={libUrl(libraryId, `export/download?format=csv&case=${item.id}`)}>scans (CSV)</a>
              </p>
              <p class="meta">
                Updated <DateText iso={item.updatedAt} />
              </p>
            </section>
          </aside>
        </div>
      </>,
    );
  })
  .get('/l/:lib/cases/:id/edit', async (c) => editPage(c, await loadCase(c)))
  .post('/l/:lib/cases/:id/edit', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    const item = await loadCase(c);
    const draft = {
      title: form.get('title').trim(),
      status: form.get('status') === 'closed' ? 'closed' : 'open',
      description: form.get('description').replace(/\r\n/g, '\n'),
      lessons: form.get('lessons').replace(/\r\n/g, '\n'),
      members: form.all('members'),
    };
    const fields: Record<string, unknown> = {};
    if (draft.title !== text(item.fields.title)) fields.title = draft.title;
    if (draft.status !== text(item.fields.status)) fields.status = draft.status;
    if (draft.description !== text(item.fields.description)) fields.description = draft.description;
    if (draft.lessons !== text(item.fields.lessons)) fields.lessons = draft.lessons;
    const members = setEdit(form.all('membersShown'), draft.members);
    if (members) fields.members = members;
    const baseVersion = Number(form.get('baseVersion'));
    if (Object.keys(fields).length > 0) {
      const [result] = await pushFromWeb(c, [{ type: 'case', id: item.id, op: 'put', fields, ...(Number.isSafeInteger(baseVersion) && baseVersion >= 0 ? { baseVersion } : {}) }]);
      if (result?.status === 'conflict') {
        return editPage(c, await loadCase(c), { conflict: { message: result.error?.message ?? 'conflict', mine: { description: draft.description, lessons: draft.lessons } }, draft });
      }
      if (result?.status === 'rejected') return editPage(c, item, { error: `Not saved: ${result.error?.message ?? 'rejected'}.`, draft });
    }
    return c.redirect(libUrl(c.get('libraryId'), `cases/${item.id}?saved=1`), 303);
  });
