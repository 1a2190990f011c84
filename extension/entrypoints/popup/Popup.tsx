// Popup: a preview of what will be saved, where it goes (cases, tags, note), Save, and the
// clip's status from "saved locally" to "synced" (issue 4, "Popup").
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { describeSaved } from '../../lib/saved.ts';
import { send } from '../../lib/messages.ts';
import { openScanPanel } from '../../lib/platform.ts';
import type { CachedCase, CapturePreview, ClipKind, ClipSaveResult, SessionView } from '../../lib/types.ts';
import { Conflicts } from '../../ui/conflicts.tsx';
import { Header } from '../../ui/header.tsx';
import { SyncFooter, useSyncStatus } from '../../ui/sync-status.tsx';
import { SiteTalk } from '../../ui/talk.tsx';
import { PdfProgress } from '../../lib/pdf-progress.tsx';

type Load<T> = { state: 'loading' } | { state: 'error'; message: string; code?: string } | { state: 'ready'; value: T };

async function activeTabId(param: number | null): Promise<number> {
  if (param !== null) return param;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) throw new Error('No active tab.');
  return tab.id;
}

export function Popup({ tabIdParam }: { tabIdParam: number | null }) {
  const [session, setSession] = useState<SessionView | null>(null);
  const [tabId, setTabId] = useState<number | null>(null);
  const [preview, setPreview] = useState<Load<CapturePreview>>({ state: 'loading' });
  const [cases, setCases] = useState<CachedCase[]>([]);
  const [allTags, setAllTags] = useState<string[]>([]);
  const [kind, setKind] = useState<ClipKind>('article');
  const [caseIds, setCaseIds] = useState<string[]>([]);
  const [caseQuery, setCaseQuery] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [tagInput, setTagInput] = useState('');
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<ClipSaveResult | null>(null);
  const [saveError, setSaveError] = useState('');
  const [view, setView] = useState<'clip' | 'conflicts'>('clip');
  const [editingNote, setEditingNote] = useState(false);
  const status = useSyncStatus();
  const saveButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void (async () => {
      const current = await send('session.get', {}).catch(() => null);
      setSession(current);
      if (!current?.signedIn) return;
      const id = await activeTabId(tabIdParam);
      setTabId(id);
      void send('cases.list', {}).then((r) => { setCases(r.cases); setCaseIds(r.lastCaseIds.slice(0, 1)); }).catch(() => undefined);
      void send('tags.list', {}).then((r) => setAllTags(r.tags)).catch(() => undefined);
      try {
        const value = await send('capture.preview', { tabId: id });
        setPreview({ state: 'ready', value });
        setKind(value.suggestedKind);
      } catch (error) {
        const e = error as Error & { code?: string };
        setPreview({ state: 'error', message: e.message, code: e.code });
      }
    })();
  }, [tabIdParam]);

  const visibleCases = useMemo(() => {
    const q = caseQuery.trim().toLowerCase();
    return cases.filter((c) => !q || c.title.toLowerCase().includes(q)).slice(0, 50);
  }, [cases, caseQuery]);
  const tagSuggestions = useMemo(() => {
    const q = tagInput.trim().toLowerCase();
    return q ? allTags.filter((t) => t.toLowerCase().startsWith(q) && !tags.includes(t)).slice(0, 6) : [];
  }, [allTags, tagInput, tags]);

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
    const onResolved = (conflict: { id: string; field: string }, text: string) => { if (conflict.id === saved?.clipId && conflict.field === 'note') setNote(text); };
    return <div><Header title="Casebook" /><Conflicts onClose={() => setView('clip')} onResolved={onResolved} /></div>;
  }

  const library = session.libraries.find((l) => l.id === session.libraryId);
  const newCaseTitle = caseQuery.trim() && !cases.some((c) => c.title.toLowerCase() === caseQuery.trim().toLowerCase()) ? caseQuery.trim() : '';
  const conflicted = saved !== null && status !== null && (status.conflictIds ?? []).includes(saved.clipId);
  const synced = saved !== null && status !== null && !status.pendingIds.includes(saved.clipId) && !conflicted;

  const addTag = (raw: string) => {
    const tag = raw.trim().replace(/,$/, '');
    if (tag && !tags.includes(tag)) setTags([...tags, tag]);
    setTagInput('');
  };
  const toggleCase = (id: string) => setCaseIds(caseIds.includes(id) ? caseIds.filter((c) => c !== id) : [...caseIds, id]);

  const save = async (withNewCase = false) => {
    if (preview.state !== 'ready' || saving) return;
    setSaving(true);
    setSaveError('');
    try {
      const pendingTag = tagInput.trim();
      const result = await send('clip.save', {
        tabId: tabId!, kind, caseIds, tags: pendingTag ? [...tags, pendingTag] : tags, note,
        ...(withNewCase && newCaseTitle ? { newCaseTitle } : {}),
      });
      setSaved(result);
    } catch (error) {
      setSaveError((error as Error).message);
    } finally {
      setSaving(false);
    }
  };
  const saveNote = async () => {
    if (!saved) return;
    setSaveError('');
    try {
      await send('clip.editNote', { clipId: saved.clipId, note });
      setEditingNote(false);
    } catch (error) {
      setSaveError((error as Error).message);
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (saved) return; // the saved view has its own buttons; Enter must not save the page again
    const target = event.target as HTMLElement;
    if (event.key !== 'Enter' || event.isComposing) return;
    if (target.tagName === 'TEXTAREA' && !(event.ctrlKey || event.metaKey)) return;
    if (target.id === 'tag-input' && tagInput.trim()) { event.preventDefault(); addTag(tagInput); return; }
    if (target.id === 'case-search' && newCaseTitle) { event.preventDefault(); void save(true); return; }
    event.preventDefault();
    void save();
  };

  return (
    <div class="popup" onKeyDown={onKeyDown}>
      <Header title="Clip to Casebook">
        <span class="pill ellipsis" style={{ maxWidth: "170px" }} title={session.user?.email}>{library?.name ?? "No library"}</span>
      </Header>
      {saved ? (
        <div class="content popup-body" data-testid="saved" data-clip-id={saved.clipId}>
          {conflicted ? (
            <div class="banner bad row spread" data-testid="clip-status">
              <span>Someone else changed this clip’s note meanwhile.</span>
              <button class="btn small" onClick={() => setView('conflicts')} data-testid="resolve-conflict">Compare and choose</button>
            </div>
          ) : (
            <div class={`banner ${synced ? 'ok' : 'warn'}`} data-testid="clip-status">
              {synced ? 'Synced ✓ — in the library.' : status?.state === 'offline' || status?.state === 'waiting' ? `Saved locally — waiting: ${status.message}` : 'Saved locally — syncing…'}
            </div>
          )}
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
                <button class="btn primary" onClick={() => void saveNote()} data-testid="save-note">Save note</button>
                <button class="btn" onClick={() => setEditingNote(false)}>Cancel</button>
              </div>
            </>
          ) : (
            note && <div class="small" style={{ margin: '6px 0' }}><span class="muted">Note:</span> <span data-testid="saved-note-text" style={{ whiteSpace: 'pre-wrap' }}>{note}</span></div>
          )}
          {saveError && <div class="banner bad">{saveError}</div>}
          <div class="row">
            {!editingNote && <button class="btn" onClick={() => setEditingNote(true)} data-testid="edit-note">{note ? 'Edit note' : 'Add a note'}</button>}
            <button class="btn" onClick={() => { setSaved(null); setNote(''); setEditingNote(false); }}>Clip again</button>
            <button class="btn" onClick={() => window.close()}>Close</button>
          </div>
        </div>
      ) : (
        <div class="content popup-body">
          {preview.state === 'loading' && <div class="row muted"><div class="spinner" /> Reading the page…</div>}
          {preview.state === 'loading' && <PdfProgress />}
          {preview.state === 'error' && <div class="banner bad" data-testid="preview-error">{preview.message}</div>}
          {preview.state === 'ready' && (
            <div class="card" data-testid="preview">
              <div class="preview-title clamp3">{preview.value.title}</div>
              <div class="small muted ellipsis">{preview.value.siteName} · {preview.value.wordCount.toLocaleString()} words</div>
              {preview.value.excerpt && <div class="small clamp3" style={{ marginTop: '4px' }}>{preview.value.excerpt}</div>}
            </div>
          )}
          {tabId !== null && <SiteTalk tabId={tabId} />}
          <label class="field">Save as</label>
          <div class="segmented" role="group">
            {(['article', 'selection', 'link'] as const).map((k) => (
              <button key={k} aria-pressed={kind === k} onClick={() => setKind(k)} data-testid={`kind-${k}`}
                disabled={k === 'selection' && !(preview.state === 'ready' && preview.value.hasSelection)}>
                {k === 'article' ? 'Article' : k === 'selection' ? 'Selection' : 'Link'}
              </button>
            ))}
          </div>
          <label class="field" for="case-search">Cases</label>
          <input id="case-search" type="search" placeholder="Search or name a new case" value={caseQuery}
            onInput={(e) => setCaseQuery((e.target as HTMLInputElement).value)} />
          <div class="case-list" data-testid="case-list">
            {visibleCases.map((c) => (
              <label class="case-item" key={c.id}>
                <input type="checkbox" checked={caseIds.includes(c.id)} onChange={() => toggleCase(c.id)} />
                <span class="grow ellipsis">{c.title}</span>
                {c.local && <span class="pill warn">new</span>}
                {c.status === 'closed' && <span class="pill">closed</span>}
              </label>
            ))}
            {newCaseTitle && (
              <button class="case-item btn" style={{ width: '100%', border: 0 }} onClick={() => void save(true)} data-testid="create-case">
                + Save into new case “{newCaseTitle}”
              </button>
            )}
            {!visibleCases.length && !newCaseTitle && <div class="case-item muted">No cases yet: type a name to create one.</div>}
          </div>
          <label class="field" for="tag-input">Tags</label>
          <input id="tag-input" type="text" placeholder="Add a tag, Enter" value={tagInput}
            onInput={(e) => { const v = (e.target as HTMLInputElement).value; if (v.endsWith(',')) addTag(v); else setTagInput(v); }} />
          {tagSuggestions.length > 0 && (
            <div class="chips">{tagSuggestions.map((t) => <button class="btn small" key={t} onClick={() => addTag(t)}>{t}</button>)}</div>
          )}
          {tags.length > 0 && (
            <div class="chips">{tags.map((t) => <span class="chip" key={t}>{t}<button aria-label={`Remove ${t}`} onClick={() => setTags(tags.filter((x) => x !== t))}>×</button></span>)}</div>
          )}
          <label class="field" for="note">Note</label>
          <textarea id="note" rows={2} placeholder="Why this matters for the case" value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          {saveError && <div class="banner bad">{saveError}</div>}
        </div>
      )}
      {!saved && (
        // Outside the scrolling body: Save stays in view however many cases and tags there are.
        <div class="row popup-actions">
          <button ref={saveButton} class="btn primary grow" disabled={preview.state !== 'ready' || saving} onClick={() => void save()} data-testid="save">
            {saving ? 'Saving…' : caseIds.length ? `Save to ${caseIds.length === 1 ? '1 case' : `${caseIds.length} cases`}` : 'Save'}
          </button>
          <button class="btn" title="Open the company scan for this site" onClick={() => void openScanPanel(tabId ?? undefined)}>Company scan</button>
        </div>
      )}
      <SyncFooter status={status} onConflicts={() => setView('conflicts')} />
    </div>
  );
}
