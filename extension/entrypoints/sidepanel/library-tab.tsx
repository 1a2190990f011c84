// The "In the library" tab: what the library already holds for the site (counts, companies with
// their scans, recent clips with their comments) and, first, the member's unread inbox (issue 15).
import { useEffect, useState } from 'preact/hooks';
import { send } from '../../lib/messages.ts';
import type { SiteHoldings } from '../../lib/types.ts';
import { safeHref } from '../../ui/header.tsx';
import { TalkLine, webLink } from '../../ui/talk.tsx';
import { UnreadLink, useUnreadInbox } from '../../ui/unread.tsx';
import type { Load } from './use-scan.ts';

export function LibraryTab({ tabId }: { tabId: number }) {
  const unread = useUnreadInbox(String(tabId));
  const [holdings, setHoldings] = useState<Load<SiteHoldings>>({ state: 'loading' });
  useEffect(() => {
    void send('site.holdings', { tabId }).then((value) => setHoldings({ state: 'ready', value }))
      .catch((error: Error) => setHoldings({ state: 'error', message: error.message }));
  }, [tabId]);
  const forYou = unread?.unread ? <div class="small" style={{ marginBottom: '8px' }}><UnreadLink inbox={unread} long /></div> : null;
  if (holdings.state === 'loading') return <div class="content">{forYou}<div class="row muted"><div class="spinner" /> Asking the library…</div></div>;
  if (holdings.state === 'error') return <div class="content">{forYou}<div class="banner bad">{holdings.message}</div></div>;
  const { companies, site, error, clipCount, scanCount, recentClips } = holdings.value;
  return (
    <div class="content" data-testid="holdings">
      {forYou}
      {error && <div class="banner warn">Showing what was known before: {error}</div>}
      {clipCount + scanCount === 0
        ? <p class="muted">The library holds nothing yet for {site}.</p>
        : <p data-testid="holdings-counts">The library holds <strong>{clipCount} clip{clipCount === 1 ? '' : 's'}</strong> and <strong>{scanCount} scan{scanCount === 1 ? '' : 's'}</strong> for {site}.</p>}
      <TalkLine holdings={holdings.value} />
      {companies.map((company) => (
        <div class="card" key={company.id} style={{ marginBottom: '8px' }}>
          <h2>{company.name}</h2>
          <div class="small muted">{company.domains.join(', ')}</div>
          {company.scans.map((scan) => (
            <div class="small" key={scan.id} style={{ marginTop: '6px' }}>
              Scan <span class={`pill ${scan.status === 'complete' ? 'ok' : 'warn'}`}>{scan.status}</span> · {scan.answerCount} answers
              {scan.answeredBy.length > 0 && <> · by {scan.answeredBy.join(', ')}</>}
            </div>
          ))}
        </div>
      ))}
      {recentClips.length > 0 && <h3 style={{ marginTop: '8px' }}>Recent clips</h3>}
      {recentClips.map((clip) => (
        <div class="small ellipsis" key={clip.id}>
          <a href={safeHref(clip.url)} target="_blank" rel="noreferrer">{clip.title || clip.url}</a> <span class="muted">· {clip.capturedBy}</span>
          {(clip.comments ?? 0) > 0 && <> · <a href={webLink(holdings.value, `clips/${clip.id}#discussion-${clip.id}`)} target="_blank" rel="noreferrer">{clip.comments} comment{clip.comments === 1 ? '' : 's'}</a></>}
        </div>
      ))}
    </div>
  );
}
