// The member's unread inbox count as a quiet link to the web inbox (issue 15, item 5): shown by
// the popup's header and the side panel's library tab. Nothing while it loads, at 0, signed out,
// offline or on any failure: it never holds up or crowds what the page is for.
import { useEffect, useState } from 'preact/hooks';
import { send } from '../lib/messages.ts';
import { unreadLabel, type UnreadInbox } from '../lib/inbox.ts';
import { safeHref } from './header.tsx';

/** Asks the background once `ask` names something (the library shown), and again when it changes. */
export function useUnreadInbox(ask: string | null): UnreadInbox | null {
  const [inbox, setInbox] = useState<UnreadInbox | null>(null);
  useEffect(() => {
    setInbox(null);
    if (ask === null) return;
    let live = true;
    void send('inbox.unread', {}).then((value) => { if (live) setInbox(value); }).catch(() => undefined);
    return () => { live = false; };
  }, [ask]);
  return inbox;
}

export function UnreadLink({ inbox, long = false }: { inbox: UnreadInbox | null; long?: boolean }) {
  const href = inbox?.inboxUrl ? safeHref(inbox.inboxUrl) : undefined;
  if (!inbox?.unread || !href) return null;
  const label = unreadLabel(inbox.unread);
  return (
    <a class="unread" href={href} target="_blank" rel="noreferrer" data-testid="unread-inbox"
      title={`${label} in your Casebook inbox (mentions, replies, comments on your clips)`}>
      {long ? `${label} for you` : label}
    </a>
  );
}
