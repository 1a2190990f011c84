// The popup's state: the session and the page's preview as the background gives them, the
// person's choices (kind, cases, tags, note) and the save with its result. The components of
// the popup only show it and call its actions.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send } from '../../lib/messages.ts';
import type { CachedCase, CapturePreview, ClipKind, ClipSaveResult, SessionView } from '../../lib/types.ts';

export type Load<T> = { state: 'loading' } | { state: 'error'; message: string; code?: string } | { state: 'ready'; value: T };

async function activeTabId(param: number | null): Promise<number> {
  if (param !== null) return param;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) throw new Error('No active tab.');
  return tab.id;
}

/** Cases matching the search box, at most 50 listed. */
function matchingCases(cases: CachedCase[], query: string): CachedCase[] {
  const q = query.trim().toLowerCase();
  return cases.filter((c) => !q || c.title.toLowerCase().includes(q)).slice(0, 50);
}

export function usePopupDraft(tabIdParam: number | null) {
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
  const [editingNote, setEditingNote] = useState(false);

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

  const visibleCases = useMemo(() => matchingCases(cases, caseQuery), [cases, caseQuery]);
  const tagSuggestions = useMemo(() => {
    const q = tagInput.trim().toLowerCase();
    return q ? allTags.filter((t) => t.toLowerCase().startsWith(q) && !tags.includes(t)).slice(0, 6) : [];
  }, [allTags, tagInput, tags]);
  const query = caseQuery.trim();
  /** The search box names a case that does not exist yet: Save can create it. */
  const newCaseTitle = query && !cases.some((c) => c.title.toLowerCase() === query.toLowerCase()) ? query : '';

  const addTag = (raw: string) => {
    const tag = raw.trim().replace(/,$/, '');
    if (tag && !tags.includes(tag)) setTags([...tags, tag]);
    setTagInput('');
  };
  const removeTag = (tag: string) => setTags(tags.filter((t) => t !== tag));
  const toggleCase = (id: string) => setCaseIds(caseIds.includes(id) ? caseIds.filter((c) => c !== id) : [...caseIds, id]);

  const save = async (withNewCase = false) => {
    if (preview.state !== 'ready' || saving) return;
    setSaving(true);
    setSaveError('');
    try {
      // A tag typed but not yet confirmed with Enter still goes with the clip.
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
  const clipAgain = () => { setSaved(null); setNote(''); setEditingNote(false); };

  return {
    session, tabId, preview, kind, setKind,
    cases: { visible: visibleCases, selected: caseIds, query: caseQuery, setQuery: setCaseQuery, toggle: toggleCase, newCaseTitle },
    tags: { chosen: tags, input: tagInput, setInput: setTagInput, suggestions: tagSuggestions, add: addTag, remove: removeTag },
    note, setNote, editingNote, setEditingNote,
    saving, saved, saveError, save, saveNote, clipAgain,
  };
}

export type PopupDraft = ReturnType<typeof usePopupDraft>;
