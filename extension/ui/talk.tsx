// How much the library discusses the site in a tab (issue 14, item 5): comments on its clips and
// scans and open questions of the cases that hold them, each linking to the web library. Shown by
// the popup and the side panel's library tab; counts come with the site's holdings.
import { useEffect, useState } from 'preact/hooks';
import { send } from '../lib/messages.ts';
import type { SiteHoldings } from '../lib/types.ts';
import { safeHref } from './header.tsx';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A web-library path of the holdings answer as a full link, or undefined. */
export function webLink(holdings: Pick<SiteHoldings, 'libraryUrl'>, path: string | null | undefined): string | undefined {
  if (!path || !holdings.libraryUrl) return undefined;
  try {
    return safeHref(new URL(path, holdings.libraryUrl).href);
  } catch {
    return undefined;
  }
}

export function TalkLine({ holdings }: { holdings: SiteHoldings }) {
  const talk = holdings.discussion;
  if (!talk || talk.comments + talk.openQuestions === 0) return null;
  const comments = webLink(holdings, talk.links.comments);
  const questions = webLink(holdings, talk.links.questions);
  return (
    <div class="small" data-testid="site-talk">
      {talk.comments > 0 && (comments ? <a href={comments} target="_blank" rel="noreferrer">{plural(talk.comments, 'comment')}</a> : plural(talk.comments, 'comment'))}
      {talk.comments > 0 && talk.openQuestions > 0 && ' · '}
      {talk.openQuestions > 0 && (questions ? <a href={questions} target="_blank" rel="noreferrer">{plural(talk.openQuestions, 'open question')}</a> : plural(talk.openQuestions, 'open question'))}
      <span class="muted"> on this site</span>
    </div>
  );
}

/** The popup's line: asks the background for the tab's holdings, shows nothing until they come. */
export function SiteTalk({ tabId }: { tabId: number }) {
  const [holdings, setHoldings] = useState<SiteHoldings | null>(null);
  useEffect(() => {
    void send('site.holdings', { tabId }).then(setHoldings).catch(() => undefined);
  }, [tabId]);
  return holdings ? <TalkLine holdings={holdings} /> : null;
}
