// Conflicts of long texts, shown with both versions so the person chooses (DESIGN.md "Conflicts").
import { useEffect, useState } from 'preact/hooks';
import { send } from '../lib/messages.ts';
import type { ConflictView } from '../lib/types.ts';

export function Conflicts({ onClose }: { onClose: () => void }) {
  const [conflicts, setConflicts] = useState<ConflictView[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { void send('conflicts.list', {}).then((r) => setConflicts(r.conflicts)).catch((e: Error) => setError(e.message)); }, []);
  const resolve = async (key: string, keep: 'mine' | 'theirs') => {
    try { setConflicts((await send('conflicts.resolve', { key, keep })).conflicts); } catch (e) { setError((e as Error).message); }
  };
  return (
    <div class="content">
      <div class="row spread"><h2>Conflicts</h2><button class="btn small" onClick={onClose}>Back</button></div>
      {error && <div class="banner bad">{error}</div>}
      {conflicts?.length === 0 && <p class="muted">No conflicts left.</p>}
      {conflicts?.map((conflict) => (
        <div class="card" key={conflict.key} style={{ marginTop: '8px' }}>
          <div class="small muted">{conflict.type} “{conflict.title}” · {conflict.field}: someone else changed it since you last saw it.</div>
          <div class="conflict-pane">
            <div><h3>Yours</h3><pre>{conflict.mine}</pre><button class="btn small primary" onClick={() => resolve(conflict.key, 'mine')}>Keep mine</button></div>
            <div><h3>Theirs</h3><pre>{conflict.theirs}</pre><button class="btn small" onClick={() => resolve(conflict.key, 'theirs')}>Keep theirs</button></div>
          </div>
        </div>
      ))}
    </div>
  );
}
