// Conflicts of long texts, shown with both versions so the person chooses (DESIGN.md "Conflicts").
import { useEffect, useState } from 'preact/hooks';
import { send } from '../lib/messages.ts';
import type { ConflictView } from '../lib/types.ts';

/** `onResolved` tells the page which text now stands (mine, theirs or the merge), e.g. to show it. */
export function Conflicts({ onClose, onResolved }: { onClose: () => void; onResolved?: (conflict: ConflictView, text: string) => void }) {
  const [conflicts, setConflicts] = useState<ConflictView[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { void send('conflicts.list', {}).then((r) => setConflicts(r.conflicts)).catch((e: Error) => setError(e.message)); }, []);
  const resolve = async (key: string, keep: 'mine' | 'theirs', text?: string) => {
    const conflict = conflicts?.find((c) => c.key === key);
    try {
      setConflicts((await send('conflicts.resolve', { key, keep, ...(text !== undefined ? { text } : {}) })).conflicts);
      if (conflict) onResolved?.(conflict, keep === 'theirs' ? conflict.theirs : text ?? conflict.mine);
    } catch (e) { setError((e as Error).message); }
  };
  return (
    <div class="content">
      <div class="row spread"><h2>Conflicts</h2><button class="btn small" onClick={onClose}>Back</button></div>
      {error && <div class="banner bad">{error}</div>}
      {conflicts?.length === 0 && <p class="muted">No conflicts left.</p>}
      {conflicts?.map((conflict) => <ConflictCard key={conflict.key} conflict={conflict} onResolve={resolve} />)}
    </div>
  );
}

/** A starting point for merging: both texts, theirs first (it is what the library shows now). */
export function mergeDraft(mine: string, theirs: string): string {
  if (!theirs.trim() || theirs.includes(mine)) return theirs || mine;
  if (!mine.trim() || mine.includes(theirs)) return mine;
  return `${theirs.trimEnd()}\n\n${mine.trimStart()}`;
}

function ConflictCard({ conflict, onResolve }: { conflict: ConflictView; onResolve: (key: string, keep: 'mine' | 'theirs', text?: string) => Promise<void> }) {
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState('');
  return (
    <div class="card" style={{ marginTop: '8px' }} data-testid="conflict">
      <div class="small muted">{conflict.type} “{conflict.title}” · {conflict.field}: someone else changed it since you last saw it.</div>
      <div class="conflict-pane">
        <div><h3>Yours</h3><pre data-testid="conflict-mine">{conflict.mine}</pre><button class="btn small primary" onClick={() => void onResolve(conflict.key, 'mine')} data-testid="keep-mine">Keep mine</button></div>
        <div><h3>Theirs</h3><pre data-testid="conflict-theirs">{conflict.theirs}</pre><button class="btn small" onClick={() => void onResolve(conflict.key, 'theirs')} data-testid="keep-theirs">Keep theirs</button></div>
      </div>
      {merging ? (
        <div style={{ marginTop: '8px' }}>
          <label class="field" for={`merge-${conflict.key}`}>Merged</label>
          <textarea id={`merge-${conflict.key}`} rows={5} value={merged} onInput={(e) => setMerged((e.target as HTMLTextAreaElement).value)} data-testid="merge-text" />
          <div class="row" style={{ marginTop: '4px' }}>
            <button class="btn small primary" onClick={() => void onResolve(conflict.key, 'mine', merged)} data-testid="keep-merged">Save merged</button>
            <button class="btn small" onClick={() => setMerging(false)}>Cancel</button>
          </div>
        </div>
      ) : (
        <button class="btn small" style={{ marginTop: '8px' }} onClick={() => { setMerged(mergeDraft(conflict.mine, conflict.theirs)); setMerging(true); }} data-testid="merge">Merge both…</button>
      )}
    </div>
  );
}
