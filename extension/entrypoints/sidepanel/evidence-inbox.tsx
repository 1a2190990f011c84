// Text sent from a page with "Add to company scan" that waits for this site: each piece with the
// question it most likely answers chosen, to attach or dismiss.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { pendingEvidence } from '../../lib/evidence.ts';
import { send } from '../../lib/messages.ts';
import { SCAN_SECTIONS } from '../../lib/template.ts';
import type { DraftAnswer, PendingEvidence } from '../../lib/types.ts';
import { evidenceText, pathOf } from './format.ts';

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
export function EvidenceInbox({ site, answers, onAttached }: { site: string; answers: Record<string, DraftAnswer>; onAttached: (key: string, answer: DraftAnswer) => void }) {
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
