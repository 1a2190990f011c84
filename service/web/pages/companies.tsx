/** @jsxImportSource hono/jsx */
// Companies: the list with their scans, and one company's page with its scan by section:
// answers, evidence links, who answered, completeness per section.
import { Hono, type Context } from 'hono';
import { assertCanWrite } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { loadLive, type StoredObject } from '../../repos/objects.ts';
import { searchClips } from '../../search/clips.ts';
import { caseNames, ClipList, ScanList } from '../components.tsx';
import type { WebEnv } from '../env.ts';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import { oncePerSubmission } from '../form-token.ts';
import { readForm } from '../forms.ts';
import { chromeOf, CsrfField, FormTokenField, libUrl, sendPage } from '../layout.tsx';
import { answersOf, hasValue, liveObjects, memberDirectory, scanProgress } from '../queries.ts';
import { answerEditText, answerFromText, answerText, evidenceText, sectionsFor } from '../scan-sections.ts';
import { pushFromWeb, type WebMutation } from '../writes.ts';
import { hostOf } from '../../../shared/site.ts';
import { Badge, DateText, Meter, safeHref } from '../ui.tsx';
import { Discussion, loadDiscussion } from './discussion.tsx';

type Directory = Awaited<ReturnType<typeof memberDirectory>>;

/** What the scan's rows need to offer editing: who may write, the form's CSRF token, where to post. */
interface EditContext {
  scanId?: string;
  canWrite: boolean;
  csrf: string | undefined;
  action: string;
}

/** Who confirmed an answer: a member id (the web, the demo) or a name (the extension sends one). */
function confirmer(value: unknown, directory: Directory): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return directory.byId.get(value)?.name ?? value;
}

/** An answer the site proposed and nobody has accepted or edited yet. */
const isProposal = (answer: StoredObject | undefined) => !!answer && answer.fields.method === 'auto' && !answer.fields.confirmedBy;

/** The hidden fields that tell the service which answer the form showed (conflict detection). */
const Shown = ({ field, answer }: { field: string; answer: StoredObject | undefined }) => (
  <>
    <input type="hidden" name="field" value={field} />
    <input type="hidden" name="answerId" value={answer?.id ?? ''} />
    <input type="hidden" name="baseVersion" value={String(answer?.version ?? 0)} />
  </>
);

function AnswerEditor({ field, label, answer, edit }: { field: string; label: string; answer: StoredObject | undefined; edit: EditContext }) {
  const hasAnswer = !!answer && hasValue(answer.fields.value);
  const id = `edit-${field}`;
  return (
    <div class="answer-actions">
      {isProposal(answer) && (
        <>
          <form method="post" action={edit.action} class="inline">
            <CsrfField token={edit.csrf} />
            <Shown field={field} answer={answer} />
            <button type="submit" name="action" value="accept" class="small" aria-label={`Accept the proposal for ${label}`}>
              Accept
            </button>
          </form>
          <form method="post" action={edit.action} class="inline">
            <CsrfField token={edit.csrf} />
            <Shown field={field} answer={answer} />
            <button type="submit" name="action" value="reject" class="small quiet" aria-label={`Reject the proposal for ${label}`}>
              Reject
            </button>
          </form>
        </>
      )}
      <details>
        <summary>{hasAnswer ? 'Edit' : 'Answer by hand'}</summary>
        <form method="post" action={edit.action} class="stack">
          <CsrfField token={edit.csrf} />
          {!answer && <FormTokenField />}
          <Shown field={field} answer={answer} />
          <input type="hidden" name="action" value={answer ? 'edit' : 'answer'} />
          <label for={id}>
            {label} <span class="hint">{Array.isArray(answer?.fields.value) ? '(one a line)' : ''}</span>
          </label>
          <textarea id={id} name="value" rows={2} maxlength={20000}>
            {answer ? answerEditText(answer.fields.value) : ''}
          </textarea>
          <div>
            <button type="submit" class="small">
              Save answer
            </button>
          </div>
        </form>
      </details>
    </div>
  );
}

function AnswerRow({ field, label, answer, directory, edit }: { field: string; label: string; answer: StoredObject | undefined; directory: Directory; edit?: EditContext }) {
  const value = answer && hasValue(answer.fields.value) ? answerText(answer.fields.value) : '';
  const evidence = (Array.isArray(answer?.fields.evidence) ? (answer.fields.evidence as Array<{ url?: unknown; snippet?: unknown }>) : []).filter((item) => item && typeof item === 'object');
  // A proposal is its proposer's (who ran the scan); an answer by hand is whoever last typed it.
  const who = answer ? directory.byId.get(answer.fields.method === 'auto' ? answer.createdBy : answer.updatedBy) : undefined;
  const confirmed = confirmer(answer?.fields.confirmedBy, directory);
  const link = safeHref(value);
  return (
    <tr id={edit?.scanId ? `q-${edit.scanId}-${field}` : undefined}>
      <th scope="row">{label}</th>
      <td class="answer">
        {value ? link ? <a href={link} rel="noopener noreferrer nofollow">{value}</a> : value : <span class="answer-empty">not answered</span>}
        {isProposal(answer) && value && (
          <>
            {' '}
            <span class="badge proposal">proposal</span>
          </>
        )}
        {typeof answer?.fields.note === 'string' && answer.fields.note && <div class="meta">{answer.fields.note}</div>}
        {evidence.length > 0 && (
          <ul class="evidence">
            {evidence.map((item) => {
              const href = safeHref(item.url);
              const snippet = evidenceText(item.snippet);
              return (
                <li>
                  {href ? (
                    <a href={href} rel="noopener noreferrer nofollow">
                      {hostOf(href, { stripWww: true }) || 'source'}
                    </a>
                  ) : (
                    'source'
                  )}
                  {snippet && <>: “{snippet}”</>}
                </li>
              );
            })}
          </ul>
        )}
        {edit?.canWrite && <AnswerEditor field={field} label={label} answer={answer} edit={edit} />}
      </td>
      <td class="meta answered-by">
        {answer ? (
          <>
            {answer.fields.method === 'auto' ? 'proposed from the site' : 'by hand'}
            {who && <>, {who.name}</>}
            {confirmed && <>; confirmed by {confirmed}</>}
            <br />
            <DateText iso={answer.updatedAt} />
          </>
        ) : (
          ''
        )}
      </td>
    </tr>
  );
}

/** The live answer of one question of a scan (the latest if two were made at once). */
function answerFor(answers: StoredObject[], field: string): StoredObject | undefined {
  return answers.filter((answer) => answer.fields.field === field).sort((a, b) => a.version - b.version).at(-1);
}

function ScanSections({ scan, answers, directory, cases, libraryId, edit }: { scan: StoredObject; answers: StoredObject[]; directory: Directory; cases: Map<string, string>; libraryId: string; edit: EditContext }) {
  const sections = sectionsFor(String(scan.fields.templateId));
  const byField = new Map(sections.flatMap((section) => section.questions.map((question) => [question.key, answerFor(answers, question.key)] as const)));
  const known = new Set(sections.flatMap((section) => section.questions.map((question) => question.key)));
  const others = answers.filter((answer) => !known.has(String(answer.fields.field)));
  const caseId = typeof scan.fields.caseId === 'string' ? scan.fields.caseId : undefined;
  const total = sections.reduce((sum, section) => sum + section.questions.length, 0);
  const done = sections.reduce((sum, section) => sum + section.questions.filter((question) => hasValue(byField.get(question.key)?.fields.value)).length, 0);
  const proposals = answers.filter((answer) => isProposal(answer) && known.has(String(answer.fields.field))).length;
  const scanEdit = { ...edit, scanId: scan.id, action: libUrl(libraryId, `scans/${scan.id}/answers`) };
  return (
    <section id={`scan-${scan.id}`} aria-labelledby={`scan-${scan.id}-h`}>
      <div class="section-head">
        <h2 id={`scan-${scan.id}-h`}>
          Company scan <Badge value={String(scan.fields.status)} />
        </h2>
        <span class="meta">
          {done} of {total} answered <Meter done={done} total={total} label="Whole scan" />
        </span>
      </div>
      <p class="meta">
        Template {String(scan.fields.templateId)}
        {caseId && cases.has(caseId) && (
          <>
            {' · for the case '}
            <a href={libUrl(libraryId, `cases/${caseId}`)}>{cases.get(caseId)}</a>
          </>
        )}
        {' · started '}
        <DateText iso={scan.createdAt} />
        {edit.canWrite && proposals > 0 && <> · {proposals === 1 ? '1 proposal' : `${proposals} proposals`} to accept, edit or reject</>}
      </p>
      {sections.map((section) => {
        const answered = section.questions.filter((question) => hasValue(byField.get(question.key)?.fields.value)).length;
        return (
          <div class="card scan-section">
            <div class="section-head">
              <h3>{section.title}</h3>
              <span class="meta">
                {answered} of {section.questions.length} <Meter done={answered} total={section.questions.length} label={section.title} />
              </span>
            </div>
            <table class="data scan">
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col">Answer and evidence</th>
                  <th scope="col">Who</th>
                </tr>
              </thead>
              <tbody>
                {section.questions.map((question) => (
                  <AnswerRow field={question.key} label={question.label} answer={byField.get(question.key)} directory={directory} edit={scanEdit} />
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
      {others.length > 0 && (
        <div class="card scan-section">
          <h3>Other answers</h3>
          <table class="data scan">
            <tbody>
              {others.map((answer) => (
                <AnswerRow field={String(answer.fields.field)} label={String(answer.fields.field)} answer={answer} directory={directory} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface AnswerForm {
  action: 'accept' | 'reject' | 'edit' | 'answer';
  field: string;
  answerId: string;
  baseVersion: number;
  value: string;
}

/** The page that shows a conflict: the answer as it is now, the person's own, and the choice. */
async function conflictPage(c: Context<WebEnv>, scan: StoredObject, label: string, current: StoredObject | undefined, mine: AnswerForm) {
  const libraryId = c.get('libraryId');
  const chrome = chromeOf(c, 'companies');
  const directory = await memberDirectory(c.get('services').db, libraryId);
  const back = libUrl(libraryId, `companies/${String(scan.fields.companyId)}#q-${scan.id}-${mine.field}`);
  const who = current ? directory.byId.get(current.updatedBy)?.name : undefined;
  const currentText = current && hasValue(current.fields.value) ? answerText(current.fields.value) : '';
  const wanted = mine.action === 'reject' ? 'reject the proposal' : mine.action === 'accept' ? 'accept the proposal' : 'save your answer';
  return sendPage(
    c,
    chrome,
    `Changed meanwhile: ${label}`,
    <div class="card">
      <h1>Someone else changed this answer</h1>
      <p class="warning" role="alert">
        While you were looking at <strong>{label}</strong>, {who ?? 'someone'} {current ? 'changed' : 'removed'} it
        {current && (
          <>
            {' '}(<DateText iso={current.updatedAt} />)
          </>
        )}
        . You wanted to {wanted}. Choose which answer stays.
      </p>
      <dl class="facts">
        <dt>Now</dt>
        <dd data-testid="current-value">{currentText || <span class="answer-empty">not answered</span>}</dd>
        {(mine.action === 'edit' || mine.action === 'answer') && (
          <>
            <dt>Yours</dt>
            <dd data-testid="my-value">{mine.value}</dd>
          </>
        )}
      </dl>
      <div class="choices">
        <a class="button" href={back}>
          Keep the current answer
        </a>
        {(current || mine.action === 'edit' || mine.action === 'answer') && (
          <form method="post" action={libUrl(libraryId, `scans/${scan.id}/answers`)} class="inline">
            <CsrfField token={chrome.csrf} />
            {!current && <FormTokenField />}
            <input type="hidden" name="field" value={mine.field} />
            <input type="hidden" name="answerId" value={current?.id ?? ''} />
            <input type="hidden" name="baseVersion" value={String(current?.version ?? 0)} />
            <input type="hidden" name="action" value={current ? mine.action === 'answer' ? 'edit' : mine.action : 'answer'} />
            <input type="hidden" name="value" value={mine.value} />
            <button type="submit" class="quiet">
              {mine.action === 'reject' ? 'Reject it anyway' : mine.action === 'accept' ? 'Accept the current answer' : 'Replace it with mine'}
            </button>
          </form>
        )}
      </div>
    </div>,
    409,
  );
}

export const companyPages = new Hono<WebEnv>()
  .get('/l/:lib/companies', async (c) => {
    const { db } = c.get('services');
    const libraryId = c.get('libraryId');
    const [companies, scans, cases] = await Promise.all([liveObjects(db, libraryId, 'company'), liveObjects(db, libraryId, 'scan'), liveObjects(db, libraryId, 'case')]);
    const progress = await scanProgress(db, libraryId, scans);
    const sorted = [...companies].sort((a, b) => String(a.fields.name).localeCompare(String(b.fields.name)));
    return sendPage(
      c,
      chromeOf(c, 'companies'),
      'Companies',
      <>
        <h1>Companies</h1>
        {sorted.length === 0 ? (
          <p class="muted">No companies yet: the extension adds one when you start a scan on a company's site.</p>
        ) : (
          <ul class="items card">
            {sorted.map((company) => (
              <li>
                <a class="item-title" href={libUrl(libraryId, `companies/${company.id}`)}>
                  {String(company.fields.name)}
                </a>
                <div class="meta">{((company.fields.domains as string[]) ?? []).join(', ')}</div>
                <ScanList libraryId={libraryId} scans={progress.filter((item) => item.scan.fields.companyId === company.id)} cases={caseNames(cases)} named={false} />
              </li>
            ))}
          </ul>
        )}
      </>,
    );
  })
  .get('/l/:lib/companies/:id', async (c) => {
    const { db } = c.get('services');
    const libraryId = c.get('libraryId');
    const company = await loadLive(db, libraryId, 'company', c.req.param('id'));
    if (!company) throw new ApiError(404, 'not_found', 'There is no such company in this library.');
    const [allScans, directory, cases] = await Promise.all([liveObjects(db, libraryId, 'scan'), memberDirectory(db, libraryId), liveObjects(db, libraryId, 'case')]);
    const scans = allScans.filter((scan) => scan.fields.companyId === company.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const answers = await answersOf(db, libraryId, scans.map((scan) => scan.id));
    const scanDiscussions = new Map(await Promise.all(scans.map(async (scan) => [scan.id, await loadDiscussion(c, 'scan', scan.id)] as const)));
    const clips = await searchClips(db, { libraryId, companyId: company.id, limit: 10 });
    const f = company.fields;
    const identifiers = Object.entries((f.identifiers as Record<string, string>) ?? {});
    const names = { members: directory.byId, cases: caseNames(cases) };
    const chrome = chromeOf(c, 'companies');
    const edit: EditContext = { canWrite: c.get('role') !== 'reader', csrf: chrome.csrf, action: '' };
    const saved = c.req.query('saved');
    const savedLabel = saved ? sectionsFor('').flatMap((section) => section.questions).find((question) => question.key === saved)?.label : undefined;
    return sendPage(
      c,
      chrome,
      String(f.name),
      <>
        <p class="meta">
          <a href={libUrl(libraryId, 'companies')}>← Companies</a>
        </p>
        <h1>{String(f.name)}</h1>
        {savedLabel && (
          <p class="notice" role="status">
            Saved “{savedLabel}”. The extension sees the change on its next sync.
          </p>
        )}
        <div class="cols">
          <div>
            {scans.length === 0 && <p class="muted">No scan of this company yet.</p>}
            {scans.map((scan) => (
              <>
                <ScanSections scan={scan} answers={answers.filter((answer) => answer.fields.scanId === scan.id)} directory={directory} cases={names.cases} libraryId={libraryId} edit={edit} />
                <Discussion data={scanDiscussions.get(scan.id)!} title="Discussion of this scan" />
              </>
            ))}
          </div>
          <aside>
            <section class="card" aria-labelledby="facts-h">
              <h2 id="facts-h">Company</h2>
              <dl class="facts">
                {f.legalName ? (
                  <>
                    <dt>Legal name</dt>
                    <dd>{String(f.legalName)}</dd>
                  </>
                ) : (
                  ''
                )}
                <dt>Sites</dt>
                <dd>{((f.domains as string[]) ?? []).join(', ') || '—'}</dd>
                {identifiers.map(([scheme, value]) => (
                  <>
                    <dt>{scheme.toUpperCase()}</dt>
                    <dd>{value}</dd>
                  </>
                ))}
              </dl>
            </section>
            <section class="card" aria-labelledby="cclips-h">
              <h2 id="cclips-h">Clips about it</h2>
              <ClipList libraryId={libraryId} clips={clips.clips} names={names} empty="No clips linked to this company." />
              {clips.nextCursor && (
                <p>
                  <a href={libUrl(libraryId, `search?company=${company.id}`)}>All clips →</a>
                </p>
              )}
            </section>
          </aside>
        </div>
      </>,
    );
  })
  .post('/l/:lib/scans/:id/answers', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    // Readers are refused before anything is compared or shown (the push refuses them as well).
    assertCanWrite(c.get('role'));
    const { db } = c.get('services');
    const libraryId = c.get('libraryId');
    const scan = await loadLive(db, libraryId, 'scan', c.req.param('id'));
    if (!scan) throw new ApiError(404, 'not_found', 'There is no such scan in this library (it may have been deleted).');
    const action = form.get('action');
    if (action !== 'accept' && action !== 'reject' && action !== 'edit' && action !== 'answer') throw new ApiError(400, 'invalid', 'Unknown action on an answer.');
    const mine: AnswerForm = { action, field: form.get('field'), answerId: form.get('answerId'), baseVersion: Number(form.get('baseVersion')), value: form.get('value').replace(/\r\n/g, '\n').trim() };
    const question = sectionsFor(String(scan.fields.templateId)).flatMap((section) => section.questions).find((item) => item.key === mine.field);
    if (!question) throw new ApiError(400, 'invalid', 'This scan has no such question.');
    // A new answer: one per submitted form, however often it is sent (form-token.ts).
    if (mine.action === 'answer') return oncePerSubmission(c, form, (id) => changeAnswer(c, scan, question, mine, id));
    const outcome = await changeAnswer(c, scan, question, mine);
    return typeof outcome === 'string' ? c.redirect(outcome, 303) : outcome;
  });

/** Accepts, rejects, edits or makes an answer; a URL to go to, or the conflict page. */
async function changeAnswer(c: Context<WebEnv>, scan: StoredObject, question: { key: string; label: string }, mine: AnswerForm, newId?: string): Promise<string | Response> {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const companyUrl = libUrl(libraryId, `companies/${String(scan.fields.companyId)}?saved=${encodeURIComponent(question.key)}#q-${scan.id}-${question.key}`);
  const current = answerFor(await answersOf(db, libraryId, [scan.id]), question.key);
  // What the form showed is no longer what is stored: the person chooses (the answer is not a long text the push would check).
  const stale = mine.answerId ? !current || current.id !== mine.answerId || current.version !== mine.baseVersion : current !== undefined;
  const value = mine.action === 'edit' || mine.action === 'answer' ? answerFromText(mine.value, current?.fields.value) : undefined;
  const unchanged = current && value !== undefined && answerText(current.fields.value) === answerText(value);
  if (stale && !unchanged && !(mine.action === 'reject' && !current)) return conflictPage(c, scan, question.label, current, mine);
  const userId = c.get('session').userId;
  const save = async (mutation: WebMutation) => {
    const [result] = await pushFromWeb(c, [mutation]);
    if (result?.status === 'conflict') return conflictPage(c, scan, question.label, answerFor(await answersOf(db, libraryId, [scan.id]), question.key), mine);
    if (result?.status !== 'applied') throw new ApiError(400, 'invalid', `The answer was not saved: ${result?.error?.message ?? 'rejected'}.`);
    return companyUrl;
  };
  if (mine.action === 'reject') {
    if (!current) return companyUrl;
    return save({ type: 'answer', id: current.id, op: 'delete', baseVersion: current.version });
  }
  if (mine.action === 'accept') {
    if (!current) throw new ApiError(400, 'invalid', 'There is no proposal to accept any more.');
    return save({ type: 'answer', id: current.id, op: 'put', baseVersion: current.version, fields: { confirmedBy: userId } });
  }
  if (value === undefined) throw new ApiError(400, 'invalid', `Type an answer to “${question.label}”${current ? ', or reject it' : ''}.`);
  if (current) return save({ type: 'answer', id: current.id, op: 'put', baseVersion: current.version, fields: { value, method: 'manual', confirmedBy: userId } });
  return save({ type: 'answer', id: newId ?? crypto.randomUUID(), op: 'put', fields: { scanId: scan.id, field: question.key, value, method: 'manual', evidence: [], confirmedBy: userId } });
}
