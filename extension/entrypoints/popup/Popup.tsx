// Popup: a preview of what will be saved, where it goes (cases, tags, note), Save, and the
// clip's status from "saved locally" to "synced" (issue 4, "Popup"); the header links to the
// member's unread inbox (issue 15). State lives in usePopupDraft; each part is its own component.
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Conflicts } from '../../ui/conflicts.tsx';
import { Header } from '../../ui/header.tsx';
import { SyncFooter, useSyncStatus } from '../../ui/sync-status.tsx';
import { SiteTalk } from '../../ui/talk.tsx';
import { UnreadLink, useUnreadInbox } from '../../ui/unread.tsx';
import { CasePicker } from './case-picker.tsx';
import { KindPicker, PreviewCard } from './preview-card.tsx';
import { SaveBar } from './save-bar.tsx';
import { SavedView } from './saved-view.tsx';
import { TagField } from './tag-field.tsx';
import { usePopupDraft, type PopupDraft } from './use-popup-draft.ts';

export function Popup({ tabIdParam }: { tabIdParam: number | null }) {
  const draft = usePopupDraft(tabIdParam);
  const [view, setView] = useState<'clip' | 'conflicts'>('clip');
  const status = useSyncStatus();
  const { session, saved } = draft;
  // Asked once the session names the library; the answer never holds up the preview or Save.
  const unread = useUnreadInbox(session?.signedIn ? session.libraryId : null);

  if (!session) return <div class="center"><div class="spinner" /><span class="muted">Loading…</span></div>;
  if (!session.signedIn) {
    return (
      <div>
        <Header title="Casebook" />
        <div class="center">
          <p>Sign in to your community’s Casebook server to clip pages into cases.</p>
          <button class="btn primary" onClick={() => void browser.runtime.openOptionsPage()}>Sign in</button>
        </div>
      </div>
    );
  }
  if (view === 'conflicts') {
    // The note shown for the clip just saved becomes the text the person chose.
    const onResolved = (conflict: { id: string; field: string }, text: string) => { if (conflict.id === saved?.clipId && conflict.field === 'note') draft.setNote(text); };
    return <div><Header title="Casebook" /><Conflicts onClose={() => setView('clip')} onResolved={onResolved} /></div>;
  }

  const library = session.libraries.find((l) => l.id === session.libraryId);
  return (
    <div class="popup" onKeyDown={(event) => onKeyDown(draft, event)}>
      <Header title="Clip to Casebook">
        <UnreadLink inbox={unread} />
        {/* The name may end in "…" beside the unread count: the tooltip gives it whole, with who is signed in. */}
        <span class="pill ellipsis" style={{ maxWidth: "170px" }} title={[library?.name, session.user?.email].filter(Boolean).join(' · ')}>{library?.name ?? "No library"}</span>
      </Header>
      {saved ? <SavedView draft={draft} status={status} onConflicts={() => setView('conflicts')} /> : <ClipForm draft={draft} />}
      {!saved && (
        <SaveBar ready={draft.preview.state === 'ready'} saving={draft.saving} caseCount={draft.cases.selected.length} tabId={draft.tabId} onSave={() => void draft.save()} />
      )}
      <SyncFooter status={status} onConflicts={() => setView('conflicts')} />
    </div>
  );
}

function ClipForm({ draft }: { draft: PopupDraft }) {
  const { preview } = draft;
  return (
    <div class="content popup-body">
      <PreviewCard preview={preview} />
      {draft.tabId !== null && <SiteTalk tabId={draft.tabId} />}
      <KindPicker kind={draft.kind} hasSelection={preview.state === 'ready' && preview.value.hasSelection} onChange={draft.setKind} />
      <CasePicker cases={draft.cases} onSaveIntoNew={() => void draft.save(true)} />
      <TagField tags={draft.tags} />
      <label class="field" for="note">Note</label>
      <textarea id="note" rows={2} placeholder="Why this matters for the case" value={draft.note} onInput={(e) => draft.setNote((e.target as HTMLTextAreaElement).value)} />
      {draft.saveError && <div class="banner bad">{draft.saveError}</div>}
    </div>
  );
}

/** Enter saves from anywhere in the form; in the tag box it adds the tag, in the case search it saves into the new case. */
function onKeyDown(draft: PopupDraft, event: KeyboardEvent) {
  if (draft.saved) return; // the saved view has its own buttons; Enter must not save the page again
  const target = event.target as HTMLElement;
  if (event.key !== 'Enter' || event.isComposing) return;
  if (target.tagName === 'TEXTAREA' && !(event.ctrlKey || event.metaKey)) return;
  if (target.id === 'tag-input' && draft.tags.input.trim()) { event.preventDefault(); draft.tags.add(draft.tags.input); return; }
  if (target.id === 'case-search' && draft.cases.newCaseTitle) { event.preventDefault(); void draft.save(true); return; }
  event.preventDefault();
  void draft.save();
}
