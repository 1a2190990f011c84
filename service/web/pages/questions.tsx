/** @jsxImportSource hono/jsx */
// Questions (issue 14, item 1): a member asks in the library or in a case, naming colleagues or
// the case's subgroup; colleagues answer, citing clips and a passage of a clip (a text-fragment
// link); the asker marks the answers that helped; a question is open or answered. A case page
// lists its questions, the home page the open ones addressed to you.
import { Hono, type Context } from 'hono';
import { assertCanWrite } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { openQuestionsFor, questionsOf, repliesOf } from '../../repos/discussion.ts';
import { loadLive, loadObject, type StoredObject } from '../../repos/objects.ts';
import { searchClips, type ClipHit } from '../../search/clips.ts';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { oncePerSubmission } from '../form-token.ts';
import { readForm, readTitleBodyEdit } from '../forms.ts';
import { chromeOf, CsrfField, FormTokenField, libUrl, sendPage } from '../layout.tsx';
import { renderMarkdown } from '../markdown.ts';
import { liveObjects, memberDirectory } from '../queries.ts';
import { Badge, DateText, SanitizedHtml, safeHref } from '../ui.tsx';
import { pushFromWeb } from '../writes.ts';
import { Discussion, loadDiscussion, type Member } from './discussion.tsx';


/**
 * A link to a passage of a page: its URL with a text fragment (`#:~:text=`), which browsers
 * scroll to and highlight. A long passage is named by its first and last words.
 */
export function passageLink(url: string, passage: string): string {
  const words = passage.replace(/\s+/g, ' ').trim().split(' ');
  // Dashes, commas and ampersands are the syntax of a text directive: encoded inside its terms.
  const term = (text: string) => encodeURIComponent(text).replace(/-/g, '%2D').replace(/,/g, '%2C').replace(/&/g, '%26');
  const directive = words.join(' ').length <= 120 ? term(words.join(' ')) : `${term(words.slice(0, 6).join(' '))},${term(words.slice(-6).join(' '))}`;
  return `${url.split('#')[0]}#:~:text=${directive}`;
}

/** The passage a text-fragment link names, for showing it ("first words … last words"). */
export function passageOf(quoteUrl: string): string {
  const at = quoteUrl.indexOf('#:~:text=');
  if (at === -1) return '';
  try {
    return quoteUrl
      .slice(at + 9)
      .split('&')[0]!
      .split(',')
      .map((part) => decodeURIComponent(part))
      .filter((part) => !part.endsWith('-') && !part.startsWith('-'))
      .join(' … ');
  } catch {
    return '';
  }
}

async function loadQuestion(c: Context<WebEnv>): Promise<StoredObject<'question'>> {
  const found = await loadLive(c.get('services').db, c.get('libraryId'), 'question', c.req.param('id') ?? '');
  if (!found) throw new ApiError(404, 'not_found', 'There is no such question in this library (it may have been deleted).');
  return found;
}

function refusal(message: string | undefined, what: string): ApiError {
  return new ApiError(message && /^(only|readers|helpful)/.test(message) ? 403 : 400, 'invalid', `${what}: ${message ?? 'refused'}.`);
}

function QuestionItem({ libraryId, question, names, replies }: { libraryId: string; question: StoredObject<'question'>; names: Map<string, Member>; replies?: number }) {
  const f = question.fields;
  const to = f.addressedTo.map((id) => names.get(id)?.name).filter(Boolean);
  return (
    <li class="question">
      <a class="item-title" href={libUrl(libraryId, `questions/${question.id}`)}>
        {f.title}
      </a>{' '}
      <Badge value={f.status} />
      <div class="meta">
        asked by {names.get(f.askedBy)?.name ?? 'a former member'} · <DateText iso={question.createdAt} />
        {to.length > 0 && ` · to ${to.join(', ')}`}
        {replies !== undefined && ` · ${replies} ${replies === 1 ? 'answer' : 'answers'}`}
      </div>
    </li>
  );
}

function AskForm({ libraryId, csrf, members, cases, caseId }: { libraryId: string; csrf: string; members: Member[]; cases: Array<{ id: string; title: string }>; caseId?: string }) {
  return (
    <form method="post" action={libUrl(libraryId, 'questions')} class="stack ask-form">
      <CsrfField token={csrf} />
      <FormTokenField />
      <div>
        <label for="q-title">Question</label>
        <input id="q-title" name="title" type="text" required maxlength={500} placeholder="How did others handle…?" />
      </div>
      <div>
        <label for="q-body">
          Details <span class="hint">(Markdown, optional)</span>
        </label>
        <textarea id="q-body" name="body" rows={3} />
      </div>
      {caseId ? (
        <input type="hidden" name="caseId" value={caseId} />
      ) : (
        <div>
          <label for="q-case">In a case</label>
          <select id="q-case" name="caseId">
            <option value="">The whole library</option>
            {cases.map((item) => (
              <option value={item.id}>{item.title}</option>
            ))}
          </select>
        </div>
      )}
      <fieldset class="checks">
        <legend>Ask whom (optional)</legend>
        <label>
          <input type="checkbox" name="subgroup" value="1" /> the case's subgroup
        </label>
        {members.map((member) => (
          <label>
            <input type="checkbox" name="addressedTo" value={member.id} /> {member.name}
          </label>
        ))}
      </fieldset>
      <div>
        <button type="submit">Ask</button>
      </div>
    </form>
  );
}

export interface CaseQuestionsData {
  libraryId: string;
  caseId: string;
  questions: StoredObject<'question'>[];
  replies: Map<string, number>;
  names: Map<string, Member>;
  members: Member[];
  csrf: string;
  canWrite: boolean;
}

export async function loadCaseQuestions(c: Context<WebEnv>, caseId: string): Promise<CaseQuestionsData> {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const [questions, directory] = await Promise.all([questionsOf(db, libraryId, { caseId }), memberDirectory(db, libraryId)]);
  const replies = new Map<string, number>();
  for (const reply of await repliesOf(db, libraryId, questions.map((question) => question.id))) {
    const id = reply.fields.questionId;
    replies.set(id, (replies.get(id) ?? 0) + 1);
  }
  // Open questions first, then answered, newest first within each.
  questions.sort((a, b) => Number(a.fields.status !== 'open') - Number(b.fields.status !== 'open'));
  return { libraryId, caseId, questions, replies, names: directory.byId, members: directory.members, csrf: c.get('session').csrf, canWrite: c.get('role') !== 'reader' };
}

/** The case page's learning questions with their state, and a form to ask one. */
export function CaseQuestions({ data }: { data: CaseQuestionsData }) {
  const open = data.questions.filter((question) => question.fields.status === 'open').length;
  return (
    <section aria-labelledby="questions-h" class="questions">
      <h2 id="questions-h">
        Questions ({open} open, {data.questions.length - open} answered)
      </h2>
      {data.questions.length === 0 ? (
        <p class="muted">No questions yet.</p>
      ) : (
        <ul class="items">
          {data.questions.map((question) => (
            <QuestionItem libraryId={data.libraryId} question={question} names={data.names} replies={data.replies.get(question.id) ?? 0} />
          ))}
        </ul>
      )}
      {data.canWrite && (
        <details>
          <summary>Ask a question about this case</summary>
          <AskForm libraryId={data.libraryId} csrf={data.csrf} members={data.members} cases={[]} caseId={data.caseId} />
        </details>
      )}
    </section>
  );
}

export interface HomeQuestionsData {
  libraryId: string;
  questions: StoredObject<'question'>[];
  names: Map<string, Member>;
}

export async function loadHomeQuestions(c: Context<WebEnv>): Promise<HomeQuestionsData> {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const [questions, directory] = await Promise.all([openQuestionsFor(db, libraryId, c.get('session').userId), memberDirectory(db, libraryId)]);
  return { libraryId, questions, names: directory.byId };
}

/** The home page's open questions waiting for you. */
export function HomeQuestions({ data }: { data: HomeQuestionsData }) {
  return (
    <section class="card" aria-labelledby="waiting-h">
      <h2 id="waiting-h">Questions waiting for you ({data.questions.length})</h2>
      {data.questions.length === 0 ? (
        <p class="muted">No open questions addressed to you.</p>
      ) : (
        <ul class="items">
          {data.questions.slice(0, 10).map((question) => (
            <QuestionItem libraryId={data.libraryId} question={question} names={data.names} />
          ))}
        </ul>
      )}
      <p>
        <a href={libUrl(data.libraryId, 'questions')}>All questions →</a>
      </p>
    </section>
  );
}

async function clipChoices(c: Context<WebEnv>, question: StoredObject<'question'>): Promise<ClipHit[]> {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const { caseId } = question.fields;
  const found = await searchClips(db, { libraryId, ...(caseId ? { caseId } : {}), limit: 100 });
  return found.clips;
}

export const questionPages = new Hono<WebEnv>()
  .get('/l/:lib/questions', async (c) => {
    const { db } = c.get('services');
    const libraryId = c.get('libraryId');
    const [questions, directory, cases] = await Promise.all([questionsOf(db, libraryId), memberDirectory(db, libraryId), liveObjects(db, libraryId, 'case')]);
    const chrome = chromeOf(c, 'cases');
    const caseTitle = new Map(cases.map((item) => [item.id, item.fields.title]));
    const open = questions.filter((question) => question.fields.status === 'open');
    const answered = questions.filter((question) => question.fields.status !== 'open');
    const Group = ({ list, empty }: { list: StoredObject<'question'>[]; empty: string }) =>
      list.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <ul class="items card">
          {list.map((question) => (
            <>
              <QuestionItem libraryId={libraryId} question={question} names={directory.byId} />
              {question.fields.caseId && caseTitle.has(question.fields.caseId) && (
                <li class="meta">
                  in <a href={libUrl(libraryId, `cases/${question.fields.caseId}`)}>{caseTitle.get(question.fields.caseId)}</a>
                </li>
              )}
            </>
          ))}
        </ul>
      );
    return sendPage(
      c,
      chrome,
      'Questions',
      <>
        <h1>Questions</h1>
        <p class="meta">
          Practitioners help each other: ask, answer with what the library holds, and mark the answers that helped. ·{' '}
          <a href={libUrl(libraryId, 'links')}>Linked libraries</a>
        </p>
        <h2>Open ({open.length})</h2>
        <Group list={open} empty="No open questions." />
        <h2>Answered ({answered.length})</h2>
        <Group list={answered} empty="None answered yet." />
        {c.get('role') !== 'reader' && (
          <section aria-labelledby="ask-h">
            <h2 id="ask-h">Ask a question</h2>
            <AskForm libraryId={libraryId} csrf={chrome.csrf ?? ''} members={directory.members} cases={cases.map((item) => ({ id: item.id, title: item.fields.title }))} />
          </section>
        )}
      </>,
    );
  })
  .post('/l/:lib/questions', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const { db } = c.get('services');
    const libraryId = c.get('libraryId');
    const caseId = form.get('caseId');
    const addressedTo = new Set(form.all('addressedTo'));
    if (caseId && form.get('subgroup') === '1') {
      const item = await loadLive(db, libraryId, 'case', caseId);
      for (const id of item?.fields.members ?? []) addressedTo.add(id);
    }
    addressedTo.delete(c.get('session').userId);
    return oncePerSubmission(c, form, async (id) => {
      const fields = { title: form.get('title').trim(), body: form.get('body').replace(/\r\n/g, '\n'), caseId: caseId || null, addressedTo: [...addressedTo], status: 'open' };
      const [result] = await pushFromWeb(c, [{ type: 'question', id, op: 'put', fields }]);
      if (result?.status !== 'applied') throw refusal(result?.error?.message, 'The question was not asked');
      return libUrl(libraryId, `questions/${id}`);
    });
  })
  .get('/l/:lib/questions/:id', async (c) => {
    const { db } = c.get('services');
    const libraryId = c.get('libraryId');
    const question = await loadQuestion(c);
    const f = question.fields;
    const [replies, directory, clips, discussion] = await Promise.all([repliesOf(db, libraryId, [question.id]), memberDirectory(db, libraryId), clipChoices(c, question), loadDiscussion(c, 'question', question.id)]);
    const cited = new Map<string, StoredObject<'clip'>>();
    for (const reply of replies) {
      for (const citation of reply.fields.citations) {
        if (!cited.has(citation.clipId)) {
          const clip = await loadObject(db, 'clip', citation.clipId);
          if (clip && clip.libraryId === libraryId) cited.set(clip.id, clip);
        }
      }
    }
    const parent = f.caseId ? await loadLive(db, libraryId, 'case', f.caseId) : undefined;
    const chrome = chromeOf(c, 'cases');
    const me = c.get('session').userId;
    const asker = f.askedBy === me;
    const canWrite = c.get('role') !== 'reader';
    const to = f.addressedTo.map((id) => directory.byId.get(id)?.name).filter(Boolean);
    return sendPage(
      c,
      chrome,
      f.title,
      <>
        <p class="meta">
          {parent ? <a href={libUrl(libraryId, `cases/${parent.id}`)}>← {parent.fields.title}</a> : <a href={libUrl(libraryId, 'questions')}>← Questions</a>}
        </p>
        <h1>
          {f.title} <Badge value={f.status} />
        </h1>
        <p class="meta">
          Asked by {directory.byId.get(f.askedBy)?.name ?? 'a former member'} · <DateText iso={question.createdAt} />
          {to.length > 0 && ` · to ${to.join(', ')}`}
        </p>
        <div class="markdown">
          <SanitizedHtml html={renderMarkdown(f.body)} />
        </div>
        {(asker || c.get('role') === 'admin') && (
          <a href={libUrl(libraryId, `questions/${question.id}/edit`)} class="edit-question">
            Edit question
          </a>
        )}{' '}
        {(asker || c.get('role') === 'admin') && (
          <form method="post" action={libUrl(libraryId, `questions/${question.id}/status`)} class="inline">
            <CsrfField token={chrome.csrf} />
            <input type="hidden" name="status" value={f.status === 'open' ? 'answered' : 'open'} />
            <button type="submit" class="quiet">
              {f.status === 'open' ? 'Mark answered' : 'Reopen'}
            </button>
          </form>
        )}
        <section aria-labelledby="answers-h">
          <h2 id="answers-h">Answers ({replies.length})</h2>
          {replies.length === 0 && <p class="muted">No answers yet.</p>}
          <ol class="items answers">
            {replies.map((reply) => {
              const rf = reply.fields;
              const citations = rf.citations;
              return (
                <li class={`answer${rf.helpful === true ? ' helpful' : ''}`} id={`reply-${reply.id}`}>
                  <div class="meta">
                    <strong>{directory.byId.get(rf.author)?.name ?? 'A former member'}</strong> · <DateText iso={reply.createdAt} />
                    {rf.helpful === true && (
                      <>
                        {' '}
                        · <span class="badge helpful">helped the asker</span>
                      </>
                    )}
                  </div>
                  <div class="markdown">
                    <SanitizedHtml html={renderMarkdown(rf.body)} />
                  </div>
                  {citations.length > 0 && (
                    <ul class="citations">
                      {citations.map((citation) => {
                        const clip = cited.get(citation.clipId);
                        const passage = citation.quoteUrl ? passageOf(citation.quoteUrl) : '';
                        return (
                          <li>
                            Cites{' '}
                            {clip ? (
                              <a href={libUrl(libraryId, `clips/${clip.id}`)}>{clip.fields.title || clip.fields.url}</a>
                            ) : (
                              <span class="muted">a clip that was deleted</span>
                            )}
                            {passage && (
                              <>
                                {': '}
                                <q>{passage}</q>{' '}
                                {safeHref(citation.quoteUrl) && (
                                  <a href={safeHref(citation.quoteUrl)} rel="noopener noreferrer nofollow">
                                    the passage on the page ↗
                                  </a>
                                )}
                              </>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                  )}
                  {asker && (
                    <form method="post" action={libUrl(libraryId, `questions/${question.id}/replies/${reply.id}/helpful`)} class="inline">
                      <CsrfField token={chrome.csrf} />
                      <input type="hidden" name="helpful" value={rf.helpful === true ? '0' : '1'} />
                      <button type="submit" class="quiet">
                        {rf.helpful === true ? 'Did not help after all' : 'This helped'}
                      </button>
                    </form>
                  )}
                </li>
              );
            })}
          </ol>
          {canWrite && (
            <form method="post" action={libUrl(libraryId, `questions/${question.id}/replies`)} class="stack reply-form">
              <CsrfField token={chrome.csrf} />
              <FormTokenField />
              <label for="reply-body">
                Your answer <span class="hint">(Markdown)</span>
              </label>
              <textarea id="reply-body" name="body" rows={4} required />
              <div>
                <label for="reply-clip">Cite a clip</label>
                <select id="reply-clip" name="clipId">
                  <option value="">No clip</option>
                  {clips.map((clip) => (
                    <option value={clip.id}>{clip.title || clip.url}</option>
                  ))}
                </select>
              </div>
              <div>
                <label for="reply-passage">
                  Passage <span class="hint">(optional: words of the clip to point at)</span>
                </label>
                <input id="reply-passage" name="passage" type="text" maxlength={2000} />
              </div>
              <div>
                <button type="submit">Answer</button>
              </div>
            </form>
          )}
        </section>
        <Discussion data={discussion} />
      </>,
    );
  })
  .post('/l/:lib/questions/:id/replies', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const libraryId = c.get('libraryId');
    const question = await loadQuestion(c);
    const clipId = form.get('clipId');
    const citations: Array<{ clipId: string; quoteUrl?: string }> = [];
    if (clipId) {
      const clip = await loadLive(c.get('services').db, libraryId, 'clip', clipId);
      if (!clip) throw new ApiError(400, 'invalid', 'That clip is not in this library.');
      const passage = form.get('passage').trim();
      citations.push(passage ? { clipId, quoteUrl: passageLink(clip.fields.url, passage) } : { clipId });
    }
    return oncePerSubmission(c, form, async (id) => {
      const [result] = await pushFromWeb(c, [{ type: 'reply', id, op: 'put', fields: { questionId: question.id, body: form.get('body').replace(/\r\n/g, '\n'), citations } }]);
      if (result?.status !== 'applied') throw refusal(result?.error?.message, 'The answer was not saved');
      return libUrl(libraryId, `questions/${question.id}#reply-${id}`);
    });
  })
  .post('/l/:lib/questions/:id/replies/:rid/helpful', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const libraryId = c.get('libraryId');
    const question = await loadQuestion(c);
    const reply = await loadLive(c.get('services').db, libraryId, 'reply', c.req.param('rid') ?? '');
    if (!reply || reply.fields.questionId !== question.id) throw new ApiError(404, 'not_found', 'There is no such answer to this question.');
    const helpful = form.get('helpful') === '1';
    // An answer that helped answers the question.
    const results = await pushFromWeb(c, [
      { type: 'reply', id: reply.id, op: 'put', fields: { helpful } },
      ...(helpful && question.fields.status === 'open' ? [{ type: 'question' as const, id: question.id, op: 'put' as const, fields: { status: 'answered' } }] : []),
    ]);
    const refused = results.find((result) => result.status !== 'applied');
    if (refused) throw refusal(refused.error?.message, 'Not marked');
    return c.redirect(libUrl(libraryId, `questions/${question.id}#reply-${reply.id}`), 303);
  })
  .get('/l/:lib/questions/:id/edit', async (c) => editPage(c, await loadQuestion(c)))
  .post('/l/:lib/questions/:id/edit', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const question = await loadQuestion(c);
    const { mine, fields, baseVersion, titleConflict } = readTitleBodyEdit(form, { version: question.version, title: question.fields.title }, 'A question needs a title.');
    if (titleConflict) return editPage(c, question, mine);
    const [result] = await pushFromWeb(c, [{ type: 'question', id: question.id, op: 'put', fields, ...(baseVersion !== undefined ? { baseVersion } : {}) }]);
    if (result?.status === 'conflict') return editPage(c, await loadQuestion(c), mine);
    if (result?.status !== 'applied') throw refusal(result?.error?.message, 'The question was not saved');
    return c.redirect(libUrl(c.get('libraryId'), `questions/${question.id}`), 303);
  })
  .post('/l/:lib/questions/:id/status', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const question = await loadQuestion(c);
    const status = form.get('status') === 'answered' ? 'answered' : 'open';
    const [result] = await pushFromWeb(c, [{ type: 'question', id: question.id, op: 'put', fields: { status } }]);
    if (result?.status !== 'applied') throw refusal(result?.error?.message, 'Not changed');
    return c.redirect(libUrl(c.get('libraryId'), `questions/${question.id}`), 303);
  });

/**
 * The asker's (or an admin's) edit form for a question's title and body. `mine` is what the
 * member sent when the question changed meanwhile (on another device): the form then shows the
 * question as it is now, their text beside it, and answers 409.
 */
async function editPage(c: Context<WebEnv>, question: StoredObject<'question'>, mine?: { title: string; body: string }) {
  const chrome = chromeOf(c, 'cases');
  const libraryId = c.get('libraryId');
  if (question.fields.askedBy !== c.get('session').userId && c.get('role') !== 'admin') throw new ApiError(403, 'forbidden', 'Only the member who asked (or an admin) edits a question.');
  const back = libUrl(libraryId, `questions/${question.id}`);
  return sendPage(
    c,
    chrome,
    'Edit question',
    <>
      <p class="meta">
        <a href={back}>← Back to the question</a>
      </p>
      <h1>Edit question</h1>
      {mine !== undefined && (
        <div class="warning" role="alert">
          <p>
            <strong>This question changed</strong> while you were editing it (on another device or by an admin). The fields show it now; your text is below.
            Merge and save again.
          </p>
          <label for="mine-title">Your title (not saved)</label>
          <input id="mine-title" type="text" readonly value={mine.title} />
          <label for="mine-body">Your details (not saved)</label>
          <textarea id="mine-body" class="long" readonly>
            {mine.body}
          </textarea>
        </div>
      )}
      <form method="post" action={libUrl(libraryId, `questions/${question.id}/edit`)} class="stack wide">
        <CsrfField token={chrome.csrf} />
        <input type="hidden" name="baseVersion" value={String(question.version)} />
        <input type="hidden" name="titleShown" value={question.fields.title} />
        <div>
          <label for="q-title">Question</label>
          <input id="q-title" name="title" type="text" required maxlength={500} value={question.fields.title} />
        </div>
        <div>
          <label for="q-body">
            Details <span class="hint">(Markdown, optional)</span>
          </label>
          <textarea id="q-body" name="body" class="long">
            {question.fields.body}
          </textarea>
        </div>
        <div>
          <button type="submit">Save question</button> <a href={back}>Cancel</a>
        </div>
      </form>
    </>,
    mine !== undefined ? 409 : 200,
  );
}
