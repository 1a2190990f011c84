/** @jsxImportSource hono/jsx */
// The plenary (issue 14, item 3): on the lessons page members propose common issues, support
// them (one vote each: a member adds or removes only themself), and link them to cases and
// clips; the plenary report gathers per case its description, subgroup, lessons and questions,
// and the common issues ranked by support, as printable HTML and as Markdown.
import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { assertCanWrite } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { commonIssuesOf, questionsOf, repliesOf } from '../../repos/discussion.ts';
import { loadLive, type StoredObject } from '../../repos/objects.ts';
import { searchClips, type ClipHit } from '../../search/clips.ts';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { oncePerSubmission } from '../form-token.ts';
import { readForm, readTitleBodyEdit } from '../forms.ts';
import { chromeOf, CsrfField, FormTokenField, libUrl, sendPage } from '../layout.tsx';
import { renderMarkdown } from '../markdown.ts';
import { liveObjects, memberDirectory } from '../queries.ts';
import { Badge, SanitizedHtml } from '../ui.tsx';
import { pushFromWeb, setEdit } from '../writes.ts';
import type { Member } from './discussion.tsx';

const supportOf = (issue: StoredObject<'commonIssue'>) => issue.fields.supporters.length;

export interface PlenaryData {
  libraryId: string;
  issues: StoredObject<'commonIssue'>[];
  cases: StoredObject<'case'>[];
  clips: ClipHit[];
  names: Map<string, Member>;
  me: string;
  csrf: string;
  canWrite: boolean;
  admin: boolean;
}

export async function loadPlenary(c: Context<WebEnv>): Promise<PlenaryData> {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const [issues, cases, clips, directory] = await Promise.all([
    commonIssuesOf(db, libraryId),
    liveObjects(db, libraryId, 'case'),
    searchClips(db, { libraryId, limit: 100 }),
    memberDirectory(db, libraryId),
  ]);
  cases.sort((a, b) => a.fields.title.localeCompare(b.fields.title));
  return { libraryId, issues, cases, clips: clips.clips, names: directory.byId, me: c.get('session').userId, csrf: c.get('session').csrf, canWrite: c.get('role') !== 'reader', admin: c.get('role') === 'admin' };
}

/** The lessons page's common issues: ranked by support, with support buttons and the report link. */
export function CommonIssues({ data }: { data: PlenaryData }) {
  const caseTitle = new Map(data.cases.map((item) => [item.id, item.fields.title]));
  const clipTitle = new Map(data.clips.map((clip) => [clip.id, clip.title || clip.url]));
  return (
    <section aria-labelledby="issues-h" class="plenary" id="common-issues">
      <div class="section-head">
        <h2 id="issues-h">Common issues for the plenary ({data.issues.length})</h2>
        <span>
          <a href={libUrl(data.libraryId, 'plenary/report')}>Plenary report</a> · <a href={libUrl(data.libraryId, 'plenary/report.md')}>as Markdown</a>
        </span>
      </div>
      {data.issues.length === 0 && <p class="muted">No common issues proposed yet.</p>}
      <ol class="items issues">
        {data.issues.map((issue) => {
          const f = issue.fields;
          const supporters = f.supporters;
          const mine = supporters.includes(data.me);
          const linkedCases = f.caseIds;
          return (
            <li class="issue" id={`issue-${issue.id}`}>
              <strong class="item-title">{f.title}</strong> <span class="badge support">{supporters.length} support</span>
              <div class="meta">
                proposed by {data.names.get(issue.createdBy)?.name ?? 'a former member'}
                {supporters.length > 0 && ` · supported by ${supporters.map((id) => data.names.get(id)?.name ?? 'a former member').join(', ')}`}
              </div>
              {f.body && (
                <div class="markdown">
                  <SanitizedHtml html={renderMarkdown(f.body)} />
                </div>
              )}
              {(linkedCases.length > 0 || f.clipIds.length > 0) && (
                <p class="meta">
                  Linked:{' '}
                  {linkedCases.map((id, index) => (
                    <>
                      {index > 0 && ', '}
                      <a href={libUrl(data.libraryId, `cases/${id}`)}>{caseTitle.get(id) ?? 'a deleted case'}</a>
                    </>
                  ))}
                  {linkedCases.length > 0 && f.clipIds.length > 0 && ' · '}
                  {f.clipIds.map((id, index) => (
                    <>
                      {index > 0 && ', '}
                      <a href={libUrl(data.libraryId, `clips/${id}`)}>{clipTitle.get(id) ?? 'a clip'}</a>
                    </>
                  ))}
                </p>
              )}
              {data.canWrite && (
                <div class="comment-actions">
                  <form method="post" action={libUrl(data.libraryId, `plenary/issues/${issue.id}/support`)} class="inline">
                    <CsrfField token={data.csrf} />
                    <input type="hidden" name="support" value={mine ? '0' : '1'} />
                    <button type="submit" class={mine ? 'quiet' : ''}>
                      {mine ? 'Withdraw support' : 'Support'}
                    </button>
                  </form>
                  {(issue.createdBy === data.me || data.admin) && (
                    <>
                      <a href={libUrl(data.libraryId, `plenary/issues/${issue.id}/edit`)}>Edit</a>
                      <form method="post" action={libUrl(data.libraryId, `plenary/issues/${issue.id}/delete`)} class="inline">
                        <CsrfField token={data.csrf} />
                        <input type="hidden" name="baseVersion" value={String(issue.version)} />
                        <button type="submit" class="quiet">
                          Delete
                        </button>
                      </form>
                    </>
                  )}
                  <details>
                    <summary>Link to cases and clips</summary>
                    <form method="post" action={libUrl(data.libraryId, `plenary/issues/${issue.id}/links`)} class="stack">
                      <CsrfField token={data.csrf} />
                      {linkedCases.map((id) => (
                        <input type="hidden" name="casesShown" value={id} />
                      ))}
                      <fieldset class="checks">
                        <legend>Cases</legend>
                        {data.cases.map((item) => (
                          <label>
                            <input type="checkbox" name="caseIds" value={item.id} checked={linkedCases.includes(item.id)} /> {item.fields.title}
                          </label>
                        ))}
                      </fieldset>
                      <div>
                        <label for={`clip-${issue.id}`}>Add a clip</label>
                        <select id={`clip-${issue.id}`} name="clipId">
                          <option value="">—</option>
                          {data.clips.map((clip) => (
                            <option value={clip.id}>{clip.title || clip.url}</option>
                          ))}
                        </select>
                      </div>
                      <div>
                        <button type="submit">Save links</button>
                      </div>
                    </form>
                  </details>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {data.canWrite && (
        <details>
          <summary>Propose a common issue</summary>
          <form method="post" action={libUrl(data.libraryId, 'plenary/issues')} class="stack">
            <CsrfField token={data.csrf} />
            <FormTokenField />
            <div>
              <label for="issue-title">Common issue</label>
              <input id="issue-title" name="title" type="text" required maxlength={500} />
            </div>
            <div>
              <label for="issue-body">
                Why it is common <span class="hint">(Markdown, optional)</span>
              </label>
              <textarea id="issue-body" name="body" rows={3} />
            </div>
            <fieldset class="checks">
              <legend>Seen in the cases</legend>
              {data.cases.map((item) => (
                <label>
                  <input type="checkbox" name="caseIds" value={item.id} /> {item.fields.title}
                </label>
              ))}
            </fieldset>
            <div>
              <button type="submit">Propose</button>
            </div>
          </form>
        </details>
      )}
    </section>
  );
}

interface Report {
  libraryName: string;
  cases: Array<{ item: StoredObject<'case'>; subgroup: string[]; questions: Array<{ question: StoredObject<'question'>; answers: number; helpful: number }> }>;
  issues: Array<{ issue: StoredObject<'commonIssue'>; cases: string[] }>;
}

async function gatherReport(c: Context<WebEnv>): Promise<Report> {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const [cases, questions, issues, directory] = await Promise.all([liveObjects(db, libraryId, 'case'), questionsOf(db, libraryId), commonIssuesOf(db, libraryId), memberDirectory(db, libraryId)]);
  const replies = await repliesOf(db, libraryId, questions.map((question) => question.id));
  cases.sort((a, b) => a.fields.title.localeCompare(b.fields.title));
  const caseTitle = new Map(cases.map((item) => [item.id, item.fields.title]));
  return {
    libraryName: c.get('library').name,
    cases: cases.map((item) => ({
      item,
      subgroup: item.fields.members.map((id) => directory.byId.get(id)?.name ?? '').filter(Boolean),
      questions: questions
        .filter((question) => question.fields.caseId === item.id)
        .map((question) => {
          const answers = replies.filter((reply) => reply.fields.questionId === question.id);
          return { question, answers: answers.length, helpful: answers.filter((reply) => reply.fields.helpful === true).length };
        }),
    })),
    issues: issues.map((issue) => ({ issue, cases: issue.fields.caseIds.map((id) => caseTitle.get(id) ?? '').filter(Boolean) })),
  };
}

/** One line of Markdown text: no line breaks, and a leading #, > or list marker cannot start a block. */
function mdLine(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\`*_[\]<>])/g, '\\$1')
    .replace(/^([#>+-]|\d+[.)])/, '\\$1');
}

export function reportMarkdown(report: Report): string {
  const out: string[] = [`# Plenary report: ${mdLine(report.libraryName)}`, ''];
  out.push('## Common issues, by support', '');
  if (report.issues.length === 0) out.push('No common issues proposed yet.', '');
  report.issues.forEach(({ issue, cases }, index) => {
    out.push(`${index + 1}. **${mdLine(issue.fields.title)}** (${supportOf(issue)} support)${cases.length ? `: ${cases.map(mdLine).join(', ')}` : ''}`);
  });
  out.push('');
  for (const { item, subgroup, questions } of report.cases) {
    out.push(`## ${mdLine(item.fields.title)}`, '', `Status: ${mdLine(item.fields.status)} · Subgroup: ${subgroup.map(mdLine).join(', ') || 'nobody yet'}`, '');
    // Descriptions and lessons are Markdown already; their headings go below the case's.
    const nest = (text: string) => text.replace(/^(#{1,4}) /gm, '###$1 ').trim();
    out.push('### Description', '', nest(item.fields.description) || '_No description yet._', '');
    out.push('### Lessons', '', nest(item.fields.lessons) || '_No lessons written down yet._', '');
    out.push('### Questions', '');
    if (questions.length === 0) out.push('_No questions._');
    for (const { question, answers, helpful } of questions) out.push(`- ${mdLine(question.fields.title)} (${question.fields.status}; ${answers} answers, ${helpful} helpful)`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function ReportPage({ report, libraryId }: { report: Report; libraryId: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Plenary report: {report.libraryName}</title>
        <link rel="stylesheet" href="/static/casebook.css" />
      </head>
      <body class="report">
        <main>
          <p class="meta">
            <a href={libUrl(libraryId, 'lessons')}>← Lessons</a> · <a href={libUrl(libraryId, 'plenary/report.md')}>Markdown</a>
          </p>
          <h1>Plenary report: {report.libraryName}</h1>
          <section aria-labelledby="r-issues">
            <h2 id="r-issues">Common issues, by support</h2>
            {report.issues.length === 0 ? (
              <p class="muted">No common issues proposed yet.</p>
            ) : (
              <ol class="report-issues">
                {report.issues.map(({ issue, cases }) => (
                  <li>
                    <strong>{issue.fields.title}</strong> ({supportOf(issue)} support){cases.length > 0 && `: ${cases.join(', ')}`}
                    {issue.fields.body && (
                      <div class="markdown">
                        <SanitizedHtml html={renderMarkdown(issue.fields.body)} />
                      </div>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
          {report.cases.map(({ item, subgroup, questions }) => (
            <section class="report-case" aria-labelledby={`r-${item.id}`}>
              <h2 id={`r-${item.id}`}>
                {item.fields.title} <Badge value={item.fields.status} />
              </h2>
              <p class="meta">Subgroup: {subgroup.join(', ') || 'nobody yet'}</p>
              <h3>Description</h3>
              <div class="markdown">{item.fields.description ? <SanitizedHtml html={renderMarkdown(item.fields.description)} /> : <p class="muted">No description yet.</p>}</div>
              <h3>Lessons</h3>
              <div class="markdown">{item.fields.lessons ? <SanitizedHtml html={renderMarkdown(item.fields.lessons)} /> : <p class="muted">No lessons written down yet.</p>}</div>
              <h3>Questions</h3>
              {questions.length === 0 ? (
                <p class="muted">No questions.</p>
              ) : (
                <ul>
                  {questions.map(({ question, answers, helpful }) => (
                    <li>
                      {question.fields.title} ({question.fields.status}; {answers} answers, {helpful} helpful)
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </main>
      </body>
    </html>
  );
}

async function loadIssue(c: Context<WebEnv>): Promise<StoredObject<'commonIssue'>> {
  const found = await loadLive(c.get('services').db, c.get('libraryId'), 'commonIssue', c.req.param('id') ?? '');
  if (!found) throw new ApiError(404, 'not_found', 'There is no such common issue in this library.');
  return found;
}

const back = (c: Context<WebEnv>, id?: string) => `${libUrl(c.get('libraryId'), 'lessons')}#${id ? `issue-${id}` : 'common-issues'}`;

function refused(message: string | undefined): ApiError {
  return new ApiError(message && /^(only|readers|supporters)/.test(message) ? 403 : 400, 'invalid', `Not saved: ${message ?? 'refused'}.`);
}

export const plenaryPages = new Hono<WebEnv>()
  .post('/l/:lib/plenary/issues', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    return oncePerSubmission(c, form, async (id) => {
      // The one who proposes an issue supports it.
      const fields = { title: form.get('title').trim(), body: form.get('body').replace(/\r\n/g, '\n'), caseIds: form.all('caseIds'), supporters: [c.get('session').userId] };
      const [result] = await pushFromWeb(c, [{ type: 'commonIssue', id, op: 'put', fields }]);
      if (result?.status !== 'applied') throw refused(result?.error?.message);
      return back(c, id);
    });
  })
  .post('/l/:lib/plenary/issues/:id/support', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const issue = await loadIssue(c);
    const me = [c.get('session').userId];
    const [result] = await pushFromWeb(c, [{ type: 'commonIssue', id: issue.id, op: 'put', fields: { supporters: form.get('support') === '1' ? { add: me } : { remove: me } } }]);
    if (result?.status !== 'applied') throw refused(result?.error?.message);
    return c.redirect(back(c, issue.id), 303);
  })
  .post('/l/:lib/plenary/issues/:id/links', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const issue = await loadIssue(c);
    const fields: Record<string, unknown> = {};
    const cases = setEdit(form.all('casesShown'), form.all('caseIds'));
    if (cases) fields.caseIds = cases;
    if (form.get('clipId')) fields.clipIds = { add: [form.get('clipId')] };
    if (Object.keys(fields).length) {
      const [result] = await pushFromWeb(c, [{ type: 'commonIssue', id: issue.id, op: 'put', fields }]);
      if (result?.status !== 'applied') throw refused(result?.error?.message);
    }
    return c.redirect(back(c, issue.id), 303);
  })
  .get('/l/:lib/plenary/issues/:id/edit', async (c) => editPage(c, await loadIssue(c)))
  .post('/l/:lib/plenary/issues/:id/edit', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const issue = await loadIssue(c);
    const { mine, fields, baseVersion, titleConflict } = readTitleBodyEdit(form, { version: issue.version, title: issue.fields.title }, 'A common issue needs a title.');
    if (titleConflict) return editPage(c, issue, mine);
    const [result] = await pushFromWeb(c, [{ type: 'commonIssue', id: issue.id, op: 'put', fields, ...(baseVersion !== undefined ? { baseVersion } : {}) }]);
    if (result?.status === 'conflict') return editPage(c, await loadIssue(c), mine);
    if (result?.status !== 'applied') throw refused(result?.error?.message);
    return c.redirect(back(c, issue.id), 303);
  })
  .post('/l/:lib/plenary/issues/:id/delete', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const issue = await loadIssue(c);
    const baseVersion = Number(form.get('baseVersion'));
    // A tombstone, as a deleted comment leaves: pulls and exports see it deleted, and its
    // supports go with it (the report and the ranking read live issues only).
    const [result] = await pushFromWeb(c, [{ type: 'commonIssue', id: issue.id, op: 'delete', ...(Number.isSafeInteger(baseVersion) && baseVersion >= 0 ? { baseVersion } : {}) }]);
    if (result?.status === 'conflict') throw new ApiError(409, 'conflict', 'This common issue changed since the page showed it (an edit, a link or a support); it was not deleted. Look at it again.');
    if (result?.status !== 'applied') throw refused(result?.error?.message);
    return c.redirect(back(c), 303);
  })
  .get('/l/:lib/plenary/report', async (c) => {
    const report = await gatherReport(c);
    const page = await (<ReportPage report={report} libraryId={c.get('libraryId')} />);
    return c.html(`<!doctype html>${raw(page.toString())}`);
  })
  .get('/l/:lib/plenary/report.md', async (c) => {
    const report = await gatherReport(c);
    c.header('Content-Type', 'text/markdown; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="plenary-report.md"');
    return c.body(reportMarkdown(report));
  });

/** The proposer's (or an admin's) edit form for a common issue's title and body; 409 with both texts when it changed meanwhile. */
async function editPage(c: Context<WebEnv>, issue: StoredObject<'commonIssue'>, mine?: { title: string; body: string }) {
  const chrome = chromeOf(c, 'lessons');
  const libraryId = c.get('libraryId');
  if (issue.createdBy !== c.get('session').userId && c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'Only the member who proposed it (or an admin) edits a common issue.');
  return sendPage(
    c,
    chrome,
    'Edit common issue',
    <>
      <p class="meta">
        <a href={back(c, issue.id)}>← Lessons</a>
      </p>
      <h1>Edit common issue</h1>
      {mine !== undefined && (
        <div class="warning" role="alert">
          <p>
            <strong>This common issue changed</strong> while you were editing it. The fields show it now; your text is below. Merge and save again.
          </p>
          <label for="mine-title">Your title (not saved)</label>
          <input id="mine-title" type="text" readonly value={mine.title} />
          <label for="mine-body">Your text (not saved)</label>
          <textarea id="mine-body" class="long" readonly>
            {mine.body}
          </textarea>
        </div>
      )}
      <form method="post" action={libUrl(libraryId, `plenary/issues/${issue.id}/edit`)} class="stack wide">
        <CsrfField token={chrome.csrf} />
        <input type="hidden" name="baseVersion" value={String(issue.version)} />
        <input type="hidden" name="titleShown" value={issue.fields.title} />
        <div>
          <label for="issue-title">Common issue</label>
          <input id="issue-title" name="title" type="text" required maxlength={500} value={issue.fields.title} />
        </div>
        <div>
          <label for="issue-body">
            Why it is common <span class="hint">(Markdown, optional)</span>
          </label>
          <textarea id="issue-body" name="body" class="long">
            {issue.fields.body}
          </textarea>
        </div>
        <div>
          <button type="submit">Save common issue</button> <a href={back(c, issue.id)}>Cancel</a>
        </div>
      </form>
    </>,
    mine !== undefined ? 409 : 200,
  );
}
