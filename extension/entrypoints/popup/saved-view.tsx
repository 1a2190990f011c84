// After Save: the clip's status from "saved locally" to "synced" (or conflicted), where it went
// with a link once the library has it, and the note, which can still be added or edited.
import { describeSaved } from '../../lib/saved.ts';
import type { SyncStatus } from '../../lib/types.ts';
import type { PopupDraft } from './use-popup-draft.ts';

type Saved = NonNullable<PopupDraft['saved']>;

/** Where the clip stands: conflicted, synced, or saved locally and why it still waits. */
export function clipState(saved: Saved, status: SyncStatus | null): { conflicted: boolean; synced: boolean } {
  const conflicted = status !== null && (status.conflictIds ?? []).includes(saved.clipId);
  return { conflicted, synced: status !== null && !status.pendingIds.includes(saved.clipId) && !conflicted };
}

function ClipStatus({ saved, status, onConflicts }: { saved: Saved; status: SyncStatus | null; onConflicts: () => void }) {
  const { conflicted, synced } = clipState(saved, status);
  if (conflicted) {
    return (
      <div class="banner bad row spread" data-testid="clip-status">
        <span>Someone else changed this clip’s note meanwhile.</span>
        <button class="btn small" onClick={onConflicts} data-testid="resolve-conflict">Compare and choose</button>
      </div>
    );
  }
  return (
    <div class={`banner ${synced ? 'ok' : 'warn'}`} data-testid="clip-status">
      {synced ? 'Synced ✓ — in the library.' : status?.state === 'offline' || status?.state === 'waiting' ? `Saved locally — waiting: ${status.message}` : 'Saved locally — syncing…'}
    </div>
  );
}

export function SavedView({ draft, status, onConflicts }: { draft: PopupDraft; status: SyncStatus | null; onConflicts: () => void }) {
  const saved = draft.saved!;
  const { synced } = clipState(saved, status);
  const { note, setNote, editingNote, setEditingNote } = draft;
  return (
    <div class="content popup-body" data-testid="saved" data-clip-id={saved.clipId}>
      <ClipStatus saved={saved} status={status} onConflicts={onConflicts} />
      <div class="card small" data-testid="saved-where">
        <div><span class="muted">Saved to</span> {describeSaved(saved)}</div>
        <div style={{ marginTop: '4px' }}>
          {synced
            ? <a href={saved.libraryUrl} target="_blank" rel="noreferrer" data-testid="open-in-library">Open in library ↗</a>
            : <span class="muted">Open in library once synced</span>}
        </div>
      </div>
      {editingNote ? (
        <>
          <label class="field" for="saved-note">Note</label>
          <textarea id="saved-note" rows={3} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          <div class="row" style={{ marginTop: '6px' }}>
            <button class="btn primary" onClick={() => void draft.saveNote()} data-testid="save-note">Save note</button>
            <button class="btn" onClick={() => setEditingNote(false)}>Cancel</button>
          </div>
        </>
      ) : (
        note && <div class="small" style={{ margin: '6px 0' }}><span class="muted">Note:</span> <span data-testid="saved-note-text" style={{ whiteSpace: 'pre-wrap' }}>{note}</span></div>
      )}
      {draft.saveError && <div class="banner bad">{draft.saveError}</div>}
      <div class="row">
        {!editingNote && <button class="btn" onClick={() => setEditingNote(true)} data-testid="edit-note">{note ? 'Edit note' : 'Add a note'}</button>}
        <button class="btn" onClick={draft.clipAgain}>Clip again</button>
        <button class="btn" onClick={() => window.close()}>Close</button>
      </div>
    </div>
  );
}
