// Side panel: the company scan for the site in the tab (proposals with evidence to accept, edit
// or reject; the human questions as text; progress per section) and what the library already
// holds for the site (issue 4, "Side panel").
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { isTabReadableNotice, send } from '../../lib/messages.ts';
import { isListQuestion, SCAN_SECTIONS, type TemplateQuestion } from '../../lib/template.ts';
import { pendingEvidence } from '../../lib/evidence.ts';
import type { DraftAnswer, PendingEvidence, ScanView, SiteHoldings } from '../../lib/types.ts';
import { Conflicts } from '../../ui/conflicts.tsx';
import { Header, safeHref } from '../../ui/header.tsx';
import { SyncFooter, useSyncStatus } from '../../ui/sync-status.tsx';
import { TalkLine, webLink } from '../../ui/talk.tsx';
import { evidenceText, formatValue } from './format.ts';

type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

const done = (answer: DraftAnswer | undefined) => answer?.state === 'accepted' || answer?.state === 'manual';

export function SidePanel({ pinnedTabId }: { pinnedTabId: number | null }) {
  const [tabId, setTabId] = useState<number | null>(pinnedTabId);
  const [scan, setScan] = useState<Load<ScanView>>({ state: 'loading' });
  const [answers, setAnswers] = useState<Record<string, DraftAnswer>>({});
  const [companyName, setCompanyName] = useState('');
  const [complete, setComplete] = useState(false);
  const [tab, setTab] = useState<'scan' | 'library' | 'conflicts'>('scan');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const status = useSyncStatus();
  const shownSite = useRef<string | null>(null);
  /** The page in the tab could not be read for want of access: a notice that it can be is awaited. */
  const needsAccess = useRef(false);
  /** The answers as the last read gave them: only the person's changes since are kept in the draft. */
  const loadedAnswers = useRef<Record<string, DraftAnswer> | null>(null);

  // Follows the active tab unless the panel was opened for one tab (?tab=).
  useEffect(() => {
    if (pinnedTabId !== null) return;
    const follow = async () => {
      const [active] = await browser.tabs.query({ active: true, currentWindow: true });
      if (active?.id !== undefined) setTabId(active.id);
    };
    void follow();
    const onActivated = ({ tabId: id }: { tabId: number }) => setTabId(id);
    browser.tabs.onActivated.addListener(onActivated);
    return () => browser.tabs.onActivated.removeListener(onActivated);
  }, [pinnedTabId]);

  const load = useCallback(async (id: number) => {
    setScan((current) => (current.state === 'ready' && current.value.site ? current : { state: 'loading' }));
    try {
      const value = await send('scan.load', { tabId: id });
      // Another site: its own draft. The same site read again: the person's decisions in this
      // panel (not saved yet) are kept over the proposals (issue 10: a re-read dropped them).
      const sameSite = shownSite.current === value.site;
      shownSite.current = value.site;
      setAnswers((mine) => (loadedAnswers.current = sameSite ? keepDecisions(value.answers, mine) : value.answers));
      setCompanyName((mine) => (sameSite && mine ? mine : value.companyName));
      if (!sameSite) setMessage(null);
      needsAccess.current = value.accessPattern !== null;
      setScan({ state: 'ready', value });
    } catch (error) {
      setScan({ state: 'error', message: (error as Error).message });
    }
  }, []);

  useEffect(() => {
    if (tabId === null) return;
    void load(tabId);
    // A new page of the same site adds its proposals to the scan; a new site starts its own.
    const onUpdated = (id: number, change: { status?: string }) => { if (id === tabId && change.status === 'complete') void load(id); };
    // Access granted (from this panel's button, the popup, or the browser's site settings): read at once.
    const onAdded = () => void load(tabId);
    // Signed in or out (or another library chosen) on the options page: read again. Firefox opens
    // this sidebar at install, before sign-in, and it kept saying "Sign in" (issue 18).
    const onStorage = (changes: Record<string, unknown>, area: string) => { if (area === 'local' && 'session' in changes) void load(tabId); };
    // The toolbar button clicked on this tab grants activeTab, which fires no event: the
    // background says so when the popup could read the page.
    const onNotice = (message: unknown) => {
      if (isTabReadableNotice(message) && message.tabId === tabId && needsAccess.current) void load(tabId);
    };
    browser.tabs.onUpdated.addListener(onUpdated);
    browser.permissions.onAdded.addListener(onAdded);
    browser.storage.onChanged.addListener(onStorage);
    browser.runtime.onMessage.addListener(onNotice);
    return () => {
      browser.runtime.onMessage.removeListener(onNotice);
      browser.tabs.onUpdated.removeListener(onUpdated);
      browser.permissions.onAdded.removeListener(onAdded);
      browser.storage.onChanged.removeListener(onStorage);
    };
  }, [tabId, load]);

  // Each decision (Accept, Reject, Done…) goes to the site's draft at once, not only at Save.
  useEffect(() => {
    const site = shownSite.current;
    if (!site || answers === loadedAnswers.current) return;
    void send('scan.keepAnswers', { site, answers }).catch(() => undefined);
  }, [answers]);

  /** Runs inside the click: permissions.request needs the person's gesture. */
  const allowSite = (pattern: string) => {
    setMessage(null);
    browser.permissions.request({ origins: [pattern] })
      .then((granted) => { if (!granted) setMessage({ tone: 'bad', text: 'Not allowed: Casebook still cannot read this site.' }); })
      .catch((error: Error) => setMessage({ tone: 'bad', text: error.message }));
  };

  const setAnswer = (key: string, answer: DraftAnswer | null) => {
    setAnswers((current) => {
      const next = { ...current };
      if (answer) next[key] = answer; else delete next[key];
      return next;
    });
  };

  const save = async () => {
    if (scan.state !== 'ready') return;
    setSaving(true);
    setMessage(null);
    try {
      const result = await send('scan.save', { site: scan.value.site, companyName, answers, complete });
      setMessage({ tone: 'ok', text: result.saved ? `Saved ${result.saved} answer${result.saved > 1 ? 's' : ''}.` : 'Saved.' });
    } catch (error) {
      setMessage({ tone: 'bad', text: (error as Error).message });
    } finally {
      setSaving(false);
    }
  };

  const total = SCAN_SECTIONS.reduce((sum, s) => sum + s.questions.length, 0);
  const answered = SCAN_SECTIONS.reduce((sum, s) => sum + s.questions.filter((q) => done(answers[q.key])).length, 0);
  const synced = status !== null && status.pending === 0 && status.state === 'idle';

  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <Header title="Company scan">{scan.state === 'ready' && <span class="pill ellipsis" title={scan.value.site}>{scan.value.site}</span>}</Header>
      <div class="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'scan'} onClick={() => setTab('scan')} data-testid="tab-scan">Scan</button>
        <button role="tab" aria-selected={tab === 'library'} onClick={() => setTab('library')} data-testid="tab-library">In the library</button>
      </div>
      <div class="grow">
        {tab === 'conflicts' && <Conflicts onClose={() => setTab('scan')} />}
        {tab === 'library' && tabId !== null && <Holdings tabId={tabId} />}
        {tab === 'scan' && (
          <div class="content">
            {scan.state === 'loading' && <div class="row muted"><div class="spinner" /> Reading the page…</div>}
            {scan.state === 'error' && <div class="banner bad" data-testid="scan-error">{scan.message}</div>}
            {scan.state === 'ready' && (
              <>
                {scan.value.accessPattern ? (
                  <div class="banner warn" data-testid="access-needed">
                    <div>Casebook may not read <strong>{hostOf(scan.value.url)}</strong> yet, so it cannot propose answers from this page.</div>
                    <button class="btn primary" style={{ marginTop: '6px' }} onClick={() => allowSite(scan.value.accessPattern!)} data-testid="allow-site">
                      Allow Casebook to read {hostOf(scan.value.url)}
                    </button>
                  </div>
                ) : scan.value.captureError && <div class="banner warn">{scan.value.captureError}</div>}
                <EvidenceInbox site={scan.value.site} answers={answers} onAttached={setAnswer} />
                <label class="field" for="company-name">Company</label>
                <input id="company-name" type="text" value={companyName} placeholder={proposedName(scan.value, answers) || scan.value.site}
                  onInput={(e) => setCompanyName((e.target as HTMLInputElement).value)} />
                {!companyName.trim() && proposedName(scan.value, answers) && <div class="small muted" data-testid="company-name-hint">Saved as “{proposedName(scan.value, answers)}” unless you type another name.</div>}
                <div class="row spread small muted" style={{ marginTop: '6px' }}>
                  <span>{answered} of {total} answered · {Object.keys(scan.value.proposals).length} found on this site</span>
                  <button class="btn small" onClick={() => tabId !== null && void load(tabId)}>Read page again</button>
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
              </>
            )}
          </div>
        )}
      </div>
      {/* The status takes a line of its own: in Firefox's 240 px sidebar it sat under "Save scan" (issue 18). */}
      {tab === 'scan' && scan.state === 'ready' && (
        <div class="sticky-footer" style={{ flexWrap: 'wrap' }}>
          {message && (
            <span class="small" style={{ flexBasis: '100%' }} data-testid="scan-message">
              <span class={message.tone === 'bad' ? 'pill bad' : synced ? 'pill ok' : 'pill warn'}>{message.tone === 'bad' ? message.text : synced ? `${message.text} Synced ✓` : `${message.text} Saved locally…`}</span>
            </span>
          )}
          <label class="row small"><input type="checkbox" checked={complete} onChange={() => setComplete(!complete)} /> Complete</label>
          <button class="btn primary" style={{ marginLeft: 'auto' }} disabled={saving} onClick={() => void save()} data-testid="save-scan">{saving ? 'Saving…' : 'Save scan'}</button>
        </div>
      )}
      <SyncFooter status={status} onConflicts={() => setTab('conflicts')} />
    </div>
  );
}

function Question({ question, answer, onChange }: { question: TemplateQuestion; answer: DraftAnswer | undefined; onChange: (answer: DraftAnswer | null) => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const focusBox = useRef(false);
  // "Answer by hand" and "Edit" put the cursor in the box they open (issue 10).
  useEffect(() => {
    if (editing && focusBox.current && box.current) {
      focusBox.current = false;
      box.current.focus();
    }
  }, [editing]);
  const list = isListQuestion(question.key);
  const state = answer?.state;
  const startEdit = () => { setText(formatValue(answer?.value)); focusBox.current = true; setEditing(true); };
  const finishEdit = () => {
    // The box itself, not `text`: a click in the same turn as the last keystroke runs this render's
    // handler, whose `text` is one keystroke old (issue 10: Done dropped the answer).
    const typed = box.current?.value ?? text;
    const value = list ? typed.split('\n').map((l) => l.trim()).filter(Boolean) : typed.trim();
    onChange(value.length ? { value, method: 'manual', evidence: answer?.evidence ?? [], state: 'manual' } : null);
    setEditing(false);
  };
  const removeItem = (index: number) => {
    if (!answer || !Array.isArray(answer.value)) return;
    const value = answer.value.filter((_, i) => i !== index);
    const evidence = answer.evidence.length === answer.value.length ? answer.evidence.filter((_, i) => i !== index) : answer.evidence;
    onChange(value.length ? { ...answer, value, evidence } : null);
  };

  // Questions only a person can answer, and any question nothing was found for, take text.
  if (!answer || editing) {
    if (!editing && question.fill !== 'human') {
      return (
        <div class="question" data-question={question.key}>
          <div class="row spread"><span class="question-label">{question.label}</span><span class="pill">{question.fill === 'link' ? 'link' : 'not found'}</span></div>
          <button class="btn small" style={{ marginTop: '4px' }} onClick={startEdit}>Answer by hand</button>
        </div>
      );
    }
    return (
      <div class="question manual" data-question={question.key}>
        <div class="question-label">{question.label}</div>
        {question.help && <div class="small muted">{question.help}</div>}
        <textarea ref={box} rows={editing ? 3 : 2} value={editing ? text : ''} aria-label={question.label} placeholder={list ? 'One per line' : 'Your answer'}
          onInput={(e) => { setText((e.target as HTMLTextAreaElement).value); if (!editing) setEditing(true); }} onBlur={() => editing && finishEdit()} />
        {editing && <div class="actions"><button class="btn small primary" onMouseDown={(e) => e.preventDefault()} onClick={finishEdit}>Done</button></div>}
      </div>
    );
  }

  const values = list && Array.isArray(answer.value) ? answer.value : [answer.value];
  return (
    <div class={`question ${state ?? ''}`} data-question={question.key} data-state={state}>
      <div class="row spread">
        <span class="question-label">{question.label}</span>
        <span class={`pill ${state === 'accepted' || state === 'manual' ? 'ok' : state === 'rejected' ? 'bad' : 'warn'}`}>
          {state === 'proposed' ? 'proposed' : state === 'manual' ? 'edited' : state}
        </span>
      </div>
      <div class="value">
        {values.map((value, index) => (
          <div class="value-item" key={index}>
            <span class="grow">{formatValue(value)}</span>
            {list && state !== 'rejected' && values.length > 1 && <button class="btn small" aria-label="Remove this one" onClick={() => removeItem(index)}>×</button>}
          </div>
        ))}
      </div>
      {answer.evidence.slice(0, 3).map((evidence, index) => (
        <div class="evidence" key={index}>“{evidenceText(evidence.snippet)}” <a href={safeHref(evidence.url)} target="_blank" rel="noreferrer">{pathOf(evidence.url)}</a></div>
      ))}
      <div class="actions">
        {state !== 'accepted' && state !== 'manual' && <button class="btn small primary" onClick={() => onChange({ ...answer, state: 'accepted' })} data-testid={`accept-${question.key}`}>Accept</button>}
        <button class="btn small" onClick={startEdit}>Edit</button>
        {state !== 'rejected'
          ? <button class="btn small danger" onClick={() => onChange({ ...answer, state: 'rejected' })}>Reject</button>
          : <button class="btn small" onClick={() => onChange({ ...answer, state: 'proposed' })}>Undo</button>}
      </div>
    </div>
  );
}

/** The text sent with "Add to company scan" that waits here for this site, as pages keep it in storage.local. */
function usePendingEvidence(site: string): PendingEvidence[] {
  const [items, setItems] = useState<PendingEvidence[]>([]);
  useEffect(() => {
    void pendingEvidence().then(setItems);
    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === 'local' && 'scanEvidence' in changes) setItems((changes.scanEvidence!.newValue as PendingEvidence[] | undefined) ?? []);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  return items.filter((item) => item.site === site);
}

/** Each piece of sent text, with the question it most likely answers chosen; the person picks another or dismisses it. */
function EvidenceInbox({ site, answers, onAttached }: { site: string; answers: Record<string, DraftAnswer>; onAttached: (key: string, answer: DraftAnswer) => void }) {
  const items = usePendingEvidence(site);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  if (!items.length) return null;
  const attach = async (item: PendingEvidence) => {
    const field = chosen[item.id] ?? item.suggested;
    try {
      const { answer } = await send('scan.attachEvidence', { evidenceId: item.id, field, current: answers[field] });
      onAttached(field, answer);
      document.querySelector(`[data-question="${field}"]`)?.scrollIntoView({ block: 'center' });
    } catch (e) { setError((e as Error).message); }
  };
  return (
    <div class="card evidence-inbox" data-testid="evidence-inbox" style={{ marginBottom: '8px' }}>
      <h3>From the page</h3>
      {error && <div class="banner bad">{error}</div>}
      {items.map((item) => (
        <div key={item.id} data-testid="pending-evidence" style={{ marginTop: '6px' }}>
          <div class="evidence">“{evidenceText(item.snippet)}” <span class="muted">{pathOf(item.url)}</span></div>
          <div class="row" style={{ marginTop: '4px' }}>
            <select class="grow" aria-label="Question" data-testid="evidence-question" value={chosen[item.id] ?? item.suggested}
              onChange={(e) => setChosen({ ...chosen, [item.id]: (e.target as HTMLSelectElement).value })}>
              {SCAN_SECTIONS.map((section) => (
                <optgroup key={section.id} label={section.title}>
                  {section.questions.map((question) => <option key={question.key} value={question.key}>{question.label}</option>)}
                </optgroup>
              ))}
            </select>
            <button class="btn small primary" onClick={() => void attach(item)} data-testid="attach-evidence">Attach</button>
            <button class="btn small" onClick={() => void send('scan.dismissEvidence', { evidenceId: item.id })}>Dismiss</button>
          </div>
        </div>
      ))}
    </div>
  );
}

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

/** The name Save uses when the field is empty: accepted in this panel, else proposed by the site. */
function proposedName(view: ScanView, answers: Record<string, DraftAnswer>): string {
  const accepted = (key: string) => {
    const answer = answers[key];
    return (answer?.state === 'accepted' || answer?.state === 'manual') && typeof answer.value === 'string' ? answer.value.trim() : '';
  };
  return accepted('name') || accepted('legalName') || view.proposedName;
}

/** The panel's own decisions win over what a re-read proposes; proposals fill the rest. */
function keepDecisions(read: Record<string, DraftAnswer>, mine: Record<string, DraftAnswer>): Record<string, DraftAnswer> {
  const next = { ...read };
  for (const [key, answer] of Object.entries(mine)) if (answer.state !== 'proposed') next[key] = answer;
  return next;
}

function pathOf(url: string): string {
  try { const u = new URL(url); return u.pathname === '/' ? u.host : u.pathname; } catch { return url; }
}

function Holdings({ tabId }: { tabId: number }) {
  const [holdings, setHoldings] = useState<Load<SiteHoldings>>({ state: 'loading' });
  useEffect(() => {
    void send('site.holdings', { tabId }).then((value) => setHoldings({ state: 'ready', value }))
      .catch((error: Error) => setHoldings({ state: 'error', message: error.message }));
  }, [tabId]);
  if (holdings.state === 'loading') return <div class="content row muted"><div class="spinner" /> Asking the library…</div>;
  if (holdings.state === 'error') return <div class="content"><div class="banner bad">{holdings.message}</div></div>;
  const { companies, site, error, clipCount, scanCount, recentClips } = holdings.value;
  return (
    <div class="content" data-testid="holdings">
      {error && <div class="banner warn">Showing what was known before: {error}</div>}
      {clipCount + scanCount === 0
        ? <p class="muted">The library holds nothing yet for {site}.</p>
        : <p data-testid="holdings-counts">The library holds <strong>{clipCount} clip{clipCount === 1 ? '' : 's'}</strong> and <strong>{scanCount} scan{scanCount === 1 ? '' : 's'}</strong> for {site}.</p>}
      <TalkLine holdings={holdings.value} />
      {companies.map((company) => (
        <div class="card" key={company.id} style={{ marginBottom: '8px' }}>
          <h2>{company.name}</h2>
          <div class="small muted">{company.domains.join(', ')}</div>
          {company.scans.map((scan) => (
            <div class="small" key={scan.id} style={{ marginTop: '6px' }}>
              Scan <span class={`pill ${scan.status === 'complete' ? 'ok' : 'warn'}`}>{scan.status}</span> · {scan.answerCount} answers
              {scan.answeredBy.length > 0 && <> · by {scan.answeredBy.join(', ')}</>}
            </div>
          ))}
        </div>
      ))}
      {recentClips.length > 0 && <h3 style={{ marginTop: '8px' }}>Recent clips</h3>}
      {recentClips.map((clip) => (
        <div class="small ellipsis" key={clip.id}>
          <a href={safeHref(clip.url)} target="_blank" rel="noreferrer">{clip.title || clip.url}</a> <span class="muted">· {clip.capturedBy}</span>
          {(clip.comments ?? 0) > 0 && <> · <a href={webLink(holdings.value, `clips/${clip.id}#discussion-${clip.id}`)} target="_blank" rel="noreferrer">{clip.comments} comment{clip.comments === 1 ? '' : 's'}</a></>}
        </div>
      ))}
    </div>
  );
}
