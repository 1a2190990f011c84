// The "Scan" tab: the company name, progress, and the questions by section with what the page
// proposes; the footer with Complete, Save scan and what the save did.
import { SCAN_SECTIONS } from '../../lib/template.ts';
import type { DraftAnswer, ScanView, SyncStatus } from '../../lib/types.ts';
import { AllowSite } from './allow-site.tsx';
import { EvidenceInbox } from './evidence-inbox.tsx';
import { Question } from './question.tsx';
import type { ScanState } from './use-scan.ts';

const done = (answer: DraftAnswer | undefined) => answer?.state === 'accepted' || answer?.state === 'manual';

/** The name Save uses when the field is empty: accepted in this panel, else proposed by the site. */
function proposedName(view: ScanView, answers: Record<string, DraftAnswer>): string {
  const accepted = (key: string) => {
    const answer = answers[key];
    return (answer?.state === 'accepted' || answer?.state === 'manual') && typeof answer.value === 'string' ? answer.value.trim() : '';
  };
  return accepted('name') || accepted('legalName') || view.proposedName;
}

export function ScanTab({ state }: { state: ScanState }) {
  const { scan, answers, setAnswer, companyName, setCompanyName } = state;
  if (scan.state === 'loading') return <div class="content"><div class="row muted"><div class="spinner" /> Reading the page…</div></div>;
  if (scan.state === 'error') return <div class="content"><div class="banner bad" data-testid="scan-error">{scan.message}</div></div>;
  const view = scan.value;
  const total = SCAN_SECTIONS.reduce((sum, s) => sum + s.questions.length, 0);
  const answered = SCAN_SECTIONS.reduce((sum, s) => sum + s.questions.filter((q) => done(answers[q.key])).length, 0);
  const proposed = proposedName(view, answers);
  return (
    <div class="content">
      <AllowSite view={view} onAllow={state.allowSite} />
      <EvidenceInbox site={view.site} answers={answers} onAttached={setAnswer} />
      <label class="field" for="company-name">Company</label>
      <input id="company-name" type="text" value={companyName} placeholder={proposed || view.site}
        onInput={(e) => setCompanyName((e.target as HTMLInputElement).value)} />
      {!companyName.trim() && proposed && <div class="small muted" data-testid="company-name-hint">Saved as “{proposed}” unless you type another name.</div>}
      <div class="row spread small muted" style={{ marginTop: '6px' }}>
        <span>{answered} of {total} answered · {Object.keys(view.proposals).length} found on this site</span>
        <button class="btn small" onClick={state.reload}>Read page again</button>
      </div>
      <div class="progress" style={{ marginTop: '4px' }}><span style={{ width: `${total ? (100 * answered) / total : 0}%` }} /></div>
      {SCAN_SECTIONS.map((section) => {
        const count = section.questions.filter((q) => done(answers[q.key])).length;
        return (
          <section class="section" key={section.title}>
            <div class="section-head"><h2 class="grow">{section.title}</h2><span class={`pill ${count === section.questions.length ? 'ok' : ''}`}>{count}/{section.questions.length}</span></div>
            {section.questions.map((question) => (
              <Question key={question.key} question={question} answer={answers[question.key]} onChange={(a) => setAnswer(question.key, a)} />
            ))}
          </section>
        );
      })}
    </div>
  );
}

/** The status takes a line of its own: in Firefox's 240 px sidebar it sat under "Save scan" (issue 18). */
export function ScanFooter({ state, status }: { state: ScanState; status: SyncStatus | null }) {
  const { message, complete, saving } = state;
  const synced = status !== null && status.pending === 0 && status.state === 'idle';
  return (
    <div class="sticky-footer" style={{ flexWrap: 'wrap' }}>
      {message && (
        <span class="small" style={{ flexBasis: '100%' }} data-testid="scan-message">
          <span class={message.tone === 'bad' ? 'pill bad' : synced ? 'pill ok' : 'pill warn'}>{message.tone === 'bad' ? message.text : synced ? `${message.text} Synced ✓` : `${message.text} Saved locally…`}</span>
        </span>
      )}
      <label class="row small"><input type="checkbox" checked={complete} onChange={() => state.setComplete(!complete)} /> Complete</label>
      <button class="btn primary" style={{ marginLeft: 'auto' }} disabled={saving} onClick={() => void state.save()} data-testid="save-scan">{saving ? 'Saving…' : 'Save scan'}</button>
    </div>
  );
}
