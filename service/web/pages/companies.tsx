/** @jsxImportSource hono/jsx */
// Companies: the list with their scans, and one company's page with its scan by section:
// answers, evidence links, who answered, completeness per section.
import { Hono } from 'hono';
import { ApiError } from '../../http/errors.ts';
import { loadLive, type StoredObject } from '../../repos/objects.ts';
import { searchClips } from '../../search/clips.ts';
import { caseNames, ClipList, ScanList } from '../components.tsx';
import type { WebEnv } from '../env.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';
import { answersOf, hasValue, liveObjects, memberDirectory, scanProgress } from '../queries.ts';
import { answerText, sectionsFor } from '../scan-sections.ts';
import { Badge, DateText, Meter, hostOf, safeHref } from '../ui.tsx';

type Directory = Awaited<ReturnType<typeof memberDirectory>>;

function AnswerRow({ label, answer, directory }: { label: string; answer: StoredObject | undefined; directory: Directory }) {
  const value = answer && hasValue(answer.fields.value) ? answerText(answer.fields.value) : '';
  const evidence = (answer?.fields.evidence as Array<{ url: string; snippet: string }> | undefined) ?? [];
  const who = answer ? directory.byId.get(answer.updatedBy) : undefined;
  const confirmed = typeof answer?.fields.confirmedBy === 'string' ? directory.byId.get(answer.fields.confirmedBy) : undefined;
  const link = safeHref(value);
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        {value ? link ? <a href={link} rel="noopener noreferrer nofollow">{value}</a> : value : <span class="answer-empty">not answered</span>}
        {typeof answer?.fields.note === 'string' && answer.fields.note && <div class="meta">{answer.fields.note}</div>}
        {evidence.length > 0 && (
          <ul class="evidence">
            {evidence.map((item) => {
              const href = safeHref(item.url);
              return (
                <li>
                  {href ? (
                    <a href={href} rel="noopener noreferrer nofollow">
                      {hostOf(href) || 'source'}
                    </a>
                  ) : (
                    'source'
                  )}
                  {item.snippet && <>: “{item.snippet}”</>}
                </li>
              );
            })}
          </ul>
        )}
      </td>
      <td class="meta">
        {answer ? (
          <>
            {answer.fields.method === 'auto' ? 'proposed from the site' : 'by hand'}
            {who && <>, {who.name}</>}
            {confirmed && <>; confirmed by {confirmed.name}</>}
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

function ScanSections({ scan, answers, directory, cases, libraryId }: { scan: StoredObject; answers: StoredObject[]; directory: Directory; cases: Map<string, string>; libraryId: string }) {
  const sections = sectionsFor(String(scan.fields.templateId));
  const byField = new Map(answers.map((answer) => [String(answer.fields.field), answer]));
  const known = new Set(sections.flatMap((section) => section.questions.map((question) => question.key)));
  const others = answers.filter((answer) => !known.has(String(answer.fields.field)));
  const caseId = typeof scan.fields.caseId === 'string' ? scan.fields.caseId : undefined;
  const total = sections.reduce((sum, section) => sum + section.questions.length, 0);
  const done = sections.reduce((sum, section) => sum + section.questions.filter((question) => hasValue(byField.get(question.key)?.fields.value)).length, 0);
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
      </p>
      {sections.map((section) => {
        const answered = section.questions.filter((question) => hasValue(byField.get(question.key)?.fields.value)).length;
        return (
          <div class="card">
            <div class="section-head">
              <h3>{section.title}</h3>
              <span class="meta">
                {answered} of {section.questions.length} <Meter done={answered} total={section.questions.length} label={section.title} />
              </span>
            </div>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col">Answer and evidence</th>
                  <th scope="col">Who</th>
                </tr>
              </thead>
              <tbody>
                {section.questions.map((question) => (
                  <AnswerRow label={question.label} answer={byField.get(question.key)} directory={directory} />
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
      {others.length > 0 && (
        <div class="card">
          <h3>Other answers</h3>
          <table class="data">
            <tbody>
              {others.map((answer) => (
                <AnswerRow label={String(answer.fields.field)} answer={answer} directory={directory} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
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
                <ScanList libraryId={libraryId} scans={progress.filter((item) => item.scan.fields.companyId === company.id)} cases={caseNames(cases)} />
              </li>
            ))}
          </ul>
        )}
      </>,
    );
  })
  .get('/l/:lib/companies/:id', async (c) => {
    const { db, dialect } = c.get('services');
    const libraryId = c.get('libraryId');
    const company = await loadLive(db, libraryId, 'company', c.req.param('id'));
    if (!company) throw new ApiError(404, 'not_found', 'There is no such company in this library.');
    const [allScans, directory, cases] = await Promise.all([liveObjects(db, libraryId, 'scan'), memberDirectory(db, libraryId), liveObjects(db, libraryId, 'case')]);
    const scans = allScans.filter((scan) => scan.fields.companyId === company.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const answers = await answersOf(db, libraryId, scans.map((scan) => scan.id));
    const clips = await searchClips(db, dialect, { libraryId, companyId: company.id, limit: 10 });
    const f = company.fields;
    const identifiers = Object.entries((f.identifiers as Record<string, string>) ?? {});
    const names = { members: directory.byId, cases: caseNames(cases) };
    return sendPage(
      c,
      chromeOf(c, 'companies'),
      String(f.name),
      <>
        <p class="meta">
          <a href={libUrl(libraryId, 'companies')}>← Companies</a>
        </p>
        <h1>{String(f.name)}</h1>
        <div class="cols">
          <div>
            {scans.length === 0 && <p class="muted">No scan of this company yet.</p>}
            {scans.map((scan) => (
              <ScanSections scan={scan} answers={answers.filter((answer) => answer.fields.scanId === scan.id)} directory={directory} cases={names.cases} libraryId={libraryId} />
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
  });
