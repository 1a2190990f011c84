// The sync status every extension page shows: read from storage.local, where the background
// publishes it, so pages update live without polling.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send } from '../lib/messages.ts';
import type { SyncStatus } from '../lib/types.ts';

export function useSyncStatus(): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    void browser.storage.local.get('syncStatus').then((stored) => setStatus((stored.syncStatus as SyncStatus | undefined) ?? null));
    void send('sync.status', {}).then(setStatus).catch(() => undefined);
    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === 'local' && changes.syncStatus?.newValue) setStatus(changes.syncStatus.newValue as SyncStatus);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  return status;
}

/** The changes the service would not accept, one line each: "Not accepted: <what>: <reason>". */
export function notAccepted(status: SyncStatus | null): string[] {
  return (status?.rejected ?? []).map((item) => `Not accepted: ${item.message}`);
}

/** One line a person can read: what sync is doing and, when it waits, why. */
export function describeSync(status: SyncStatus | null): { tone: 'ok' | 'busy' | 'bad'; text: string } {
  const line = describeState(status);
  const refused = status?.rejected ?? [];
  if (refused.length === 0 || status?.state === 'signed-out') return line;
  // Set aside, not retried: the person has to see it, whatever else sync is doing.
  const first = refused[refused.length - 1]!;
  const more = refused.length > 1 ? ` (+${refused.length - 1} more)` : '';
  const text = `${line.tone === 'ok' ? '' : `${line.text} · `}not accepted: ${first.message}${more}`;
  return { tone: 'bad', text };
}

function describeState(status: SyncStatus | null): { tone: 'ok' | 'busy' | 'bad'; text: string } {
  if (!status) return { tone: 'busy', text: 'Starting…' };
  switch (status.state) {
    case 'signed-out': return { tone: 'bad', text: 'Signed out' };
    case 'syncing':
      return { tone: 'busy', text: status.runTotal > 1 ? `Syncing ${status.runDone} of ${status.runTotal}` : 'Syncing…' };
    case 'offline': case 'waiting': case 'error':
      return { tone: 'bad', text: `${status.pending} waiting · ${status.message}` };
    default:
      if (status.pending > 0) return { tone: 'busy', text: `${status.pending} waiting to sync` };
      return status.conflicts > 0 ? { tone: 'busy', text: 'Synced · choose a version' } : { tone: 'ok', text: 'All synced' };
  }
}

export function SyncFooter({ status, onConflicts }: { status: SyncStatus | null; onConflicts?: () => void }) {
  const { tone, text } = describeSync(status);
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    try { await send('sync.now', {}); } catch { /* the footer shows the new state either way */ } finally { setBusy(false); }
  };
  return (
    <div class="footer" data-testid="sync-footer">
      <span class={`dot ${tone}`} />
      <span class="grow ellipsis" data-testid="sync-text" title={[text, ...notAccepted(status)].join('\n')}>{text}</span>
      {status && status.conflicts > 0 && onConflicts && (
        <button class="btn small" onClick={onConflicts}>{status.conflicts} conflict{status.conflicts > 1 ? 's' : ''}</button>
      )}
      {status && status.rejected.length > 0 && (
        <button class="btn small" title="Forget the changes the service did not accept" onClick={() => void send('sync.dismissRejected', {}).catch(() => undefined)} data-testid="sync-dismiss">Dismiss</button>
      )}
      {status && status.state !== 'signed-out' && (status.pending > 0 || tone === 'bad') && (
        <button class="btn small" disabled={busy} onClick={retry} data-testid="sync-now">Sync now</button>
      )}
    </div>
  );
}
