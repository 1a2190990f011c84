/** @jsxImportSource hono/jsx */
// Cases: the list, one case (description, subgroup, status, clips, scans, lessons), creating a
// case and editing it with conflict detection on the long texts. Each handler reads the request,
// loads through the repositories and renders with case-view.tsx.
import { Hono, type Context } from 'hono';
import { ApiError } from '../../http/errors.ts';
import { listCases, scansOfCase } from '../../repos/library-read.ts';
import { loadLive, type StoredObject } from '../../repos/objects.ts';
import { searchClips } from '../../search/clips.ts';
import { CaseAside, CaseClips, CaseEditForm, CaseHeader, CaseList, CaseTexts, NewCaseForm, type CaseDraft, type CaseEditState } from '../case-view.tsx';
import { caseNames } from '../components.tsx';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { readForm, type FormData } from '../forms.ts';
import { oncePerSubmission } from '../form-token.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';
import { renderMarkdown } from '../markdown.ts';
import { memberDirectory, scanProgress } from '../queries.ts';
import { pushFromWeb, setEdit } from '../writes.ts';
import { Discussion, loadDiscussion } from './discussion.tsx';
import { CaseQuestions, loadCaseQuestions } from './questions.tsx';


async function loadCase(c: Context<WebEnv>): Promise<StoredObject<'case'>> {
  const found = await loadLive(c.get('services').db, c.get('libraryId'), 'case', c.req.param('id') ?? '');
  if (!found) throw new ApiError(404, 'not_found', 'There is no such case in this library (it may have been deleted).');
  return found;
}

/** Everything one case's page shows besides the case: its clips, scans, subgroup, questions and discussion. */
async function loadCaseView(c: Context<WebEnv>, item: StoredObject<'case'>) {
  const libraryId = c.get('libraryId');
  const { db } = c.get('services');
  const [caseScans, directory, cases, clips, questions, discussion] = await Promise.all([
    scansOfCase(db, libraryId, item.id),
    memberDirectory(db, libraryId),
    listCases(db, libraryId),
    searchClips(db, { libraryId, caseId: item.id, limit: 100 }),
    loadCaseQuestions(c, item.id),
    loadDiscussion(c, 'case', item.id),
  ]);
  return {
    clips,
    scans: await scanProgress(db, libraryId, caseScans),
    questions,
    discussion,
    members: item.fields.members.map((id) => directory.byId.get(id)).filter((member) => member !== undefined),
    names: { members: directory.byId, cases: caseNames(cases) },
    description: renderMarkdown(item.fields.description),
    lessons: renderMarkdown(item.fields.lessons),
  };
}

async function editPage(c: Context<WebEnv>, item: StoredObject<'case'>, state: CaseEditState = {}) {
  const libraryId = c.get('libraryId');
  const directory = await memberDirectory(c.get('services').db, libraryId);
  const chrome = chromeOf(c, 'cases');
  return sendPage(
    c,
    chrome,
    `Edit ${item.fields.title}`,
    <CaseEditForm libraryId={libraryId} item={item} members={directory.members} csrf={chrome.csrf} state={state} />,
    state.conflict || state.error ? 409 : 200,
  );
}

/** The posted edit form: what the person typed, and the fields that differ from the case as loaded. */
export function readCaseEdit(form: FormData, item: StoredObject<'case'>): { draft: CaseDraft; fields: Record<string, unknown>; baseVersion?: number } {
  const draft = {
    title: form.get('title').trim(),
    status: form.get('status') === 'closed' ? 'closed' : 'open',
    description: form.get('description').replace(/\r\n/g, '\n'),
    lessons: form.get('lessons').replace(/\r\n/g, '\n'),
    members: form.all('members'),
  };
  const fields: Record<string, unknown> = {};
  if (draft.title !== item.fields.title) fields.title = draft.title;
  if (draft.status !== item.fields.status) fields.status = draft.status;
  if (draft.description !== item.fields.description) fields.description = draft.description;
  if (draft.lessons !== item.fields.lessons) fields.lessons = draft.lessons;
  // The subgroup as a set edit relative to what the form showed: a member added meanwhile stays.
  const members = setEdit(form.all('membersShown'), draft.members);
  if (members) fields.members = members;
  const baseVersion = Number(form.get('baseVersion'));
  return { draft, fields, ...(Number.isSafeInteger(baseVersion) && baseVersion >= 0 ? { baseVersion } : {}) };
}

export const casePages = new Hono<WebEnv>()
  .get('/l/:lib/cases', async (c) => {
    const libraryId = c.get('libraryId');
    const { db } = c.get('services');
    const [cases, directory] = await Promise.all([listCases(db, libraryId), memberDirectory(db, libraryId)]);
    const chrome = chromeOf(c, 'cases');
    return sendPage(
      c,
      chrome,
      'Cases',
      <>
        <h1>Cases</h1>
        <CaseList libraryId={libraryId} cases={cases} members={directory.byId} />
        {c.get('role') !== 'reader' && <NewCaseForm libraryId={libraryId} csrf={chrome.csrf} />}
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
    const item = await loadCase(c);
    const view = await loadCaseView(c, item);
    return sendPage(
      c,
      chromeOf(c, 'cases'),
      item.fields.title,
      <>
        <CaseHeader libraryId={libraryId} item={item} canWrite={c.get('role') !== 'reader'} saved={Boolean(c.req.query('saved'))} />
        <div class="cols">
          <div>
            <CaseTexts description={view.description} lessons={view.lessons} />
            <CaseQuestions data={view.questions} />
            <CaseClips libraryId={libraryId} caseId={item.id} clips={view.clips} names={view.names} />
            <Discussion data={view.discussion} />
          </div>
          <CaseAside libraryId={libraryId} item={item} members={view.members} scans={view.scans} cases={view.names.cases} />
        </div>
      </>,
    );
  })
  .get('/l/:lib/cases/:id/edit', async (c) => editPage(c, await loadCase(c)))
  .post('/l/:lib/cases/:id/edit', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    const item = await loadCase(c);
    const { draft, fields, baseVersion } = readCaseEdit(form, item);
    if (Object.keys(fields).length > 0) {
      const [result] = await pushFromWeb(c, [{ type: 'case', id: item.id, op: 'put', fields, ...(baseVersion !== undefined ? { baseVersion } : {}) }]);
      if (result?.status === 'conflict') {
        return editPage(c, await loadCase(c), { conflict: { message: result.error?.message ?? 'conflict', mine: { description: draft.description, lessons: draft.lessons } }, draft });
      }
      if (result?.status === 'rejected') return editPage(c, item, { error: `Not saved: ${result.error?.message ?? 'rejected'}.`, draft });
    }
    return c.redirect(libUrl(c.get('libraryId'), `cases/${item.id}?saved=1`), 303);
  });
