// Side panel: the company scan for the site in the tab (proposals with evidence to accept, edit
// or reject; the human questions as text; progress per section) and what the library already
// holds for the site (issue 4, "Side panel"). State lives in useScan; each tab is its own component.
import { useState } from 'preact/hooks';
import { Conflicts } from '../../ui/conflicts.tsx';
import { Header } from '../../ui/header.tsx';
import { SyncFooter, useSyncStatus } from '../../ui/sync-status.tsx';
import { LibraryTab } from './library-tab.tsx';
import { ScanFooter, ScanTab } from './scan-tab.tsx';
import { useFollowedTab, useScan } from './use-scan.ts';

export function SidePanel({ pinnedTabId }: { pinnedTabId: number | null }) {
  const tabId = useFollowedTab(pinnedTabId);
  const state = useScan(tabId);
  const [tab, setTab] = useState<'scan' | 'library' | 'conflicts'>('scan');
  const status = useSyncStatus();
  const { scan } = state;

  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <Header title="Company scan">{scan.state === 'ready' && <span class="pill ellipsis" title={scan.value.site}>{scan.value.site}</span>}</Header>
      <div class="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'scan'} onClick={() => setTab('scan')} data-testid="tab-scan">Scan</button>
        <button role="tab" aria-selected={tab === 'library'} onClick={() => setTab('library')} data-testid="tab-library">In the library</button>
      </div>
      <div class="grow">
        {tab === 'conflicts' && <Conflicts onClose={() => setTab('scan')} />}
        {tab === 'library' && tabId !== null && <LibraryTab tabId={tabId} />}
        {tab === 'scan' && <ScanTab state={state} />}
      </div>
      {tab === 'scan' && scan.state === 'ready' && <ScanFooter state={state} status={status} />}
      <SyncFooter status={status} onConflicts={() => setTab('conflicts')} />
    </div>
  );
}
