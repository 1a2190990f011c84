// Save and the company scan button, outside the scrolling body: Save stays in view however many
// cases and tags there are.
import { openScanPanel } from '../../lib/platform.ts';

export function SaveBar({ ready, saving, caseCount, tabId, onSave }: { ready: boolean; saving: boolean; caseCount: number; tabId: number | null; onSave: () => void }) {
  return (
    <div class="row popup-actions">
      <button class="btn primary grow" disabled={!ready || saving} onClick={onSave} data-testid="save">
        {saving ? 'Saving…' : caseCount ? `Save to ${caseCount === 1 ? '1 case' : `${caseCount} cases`}` : 'Save'}
      </button>
      <button class="btn" title="Open the company scan for this site" onClick={() => void openScanPanel(tabId ?? undefined)}>Company scan</button>
    </div>
  );
}
