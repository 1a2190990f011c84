// The scan panel's state: which tab it reads (the active one, or the one it was opened for), the
// scan read from that tab's page, the person's answers kept over re-reads of the same site and
// written to the site's draft at each decision, and Save with its message.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { isTabReadableNotice, send } from '../../lib/messages.ts';
import type { DraftAnswer, ScanView } from '../../lib/types.ts';

export type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };
export type PanelMessage = { tone: 'ok' | 'bad'; text: string };

/** The panel's own decisions win over what a re-read proposes; proposals fill the rest. */
export function keepDecisions(read: Record<string, DraftAnswer>, mine: Record<string, DraftAnswer>): Record<string, DraftAnswer> {
  const next = { ...read };
  for (const [key, answer] of Object.entries(mine)) if (answer.state !== 'proposed') next[key] = answer;
  return next;
}

/** Follows the active tab unless the panel was opened for one tab (?tab=). */
export function useFollowedTab(pinnedTabId: number | null): number | null {
  const [tabId, setTabId] = useState<number | null>(pinnedTabId);
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
  return tabId;
}

export function useScan(tabId: number | null) {
  const [scan, setScan] = useState<Load<ScanView>>({ state: 'loading' });
  const [answers, setAnswers] = useState<Record<string, DraftAnswer>>({});
  const [companyName, setCompanyName] = useState('');
  const [complete, setComplete] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<PanelMessage | null>(null);
  const shownSite = useRef<string | null>(null);
  /** The page in the tab could not be read for want of access: a notice that it can be is awaited. */
  const needsAccess = useRef(false);
  /** The answers as the last read gave them: only the person's changes since are kept in the draft. */
  const loadedAnswers = useRef<Record<string, DraftAnswer> | null>(null);

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
    const onNotice = (notice: unknown) => {
      if (isTabReadableNotice(notice) && notice.tabId === tabId && needsAccess.current) void load(tabId);
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

  return {
    scan, answers, setAnswer, companyName, setCompanyName, complete, setComplete, saving, message,
    reload: () => { if (tabId !== null) void load(tabId); }, allowSite, save,
  };
}

export type ScanState = ReturnType<typeof useScan>;
