// @vitest-environment happy-dom
// The popup's and side panel's discussion line (issue 14, item 5): counts of comments and open
// questions around the site, linking into the web library of the chosen library.
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteHoldings } from '../../extension/lib/types.ts';
import { TalkLine } from '../../extension/ui/talk.tsx';

const holdings = (patch: Partial<SiteHoldings>): SiteHoldings => ({
  site: 'example.org', clipCount: 2, scanCount: 1, companies: [], recentClips: [], fetchedAt: 0, error: null,
  libraryUrl: 'https://casebook.example/l/lib-1/', ...patch,
});

afterEach(() => render(null, document.body));

describe('TalkLine', () => {
  it('shows the counts with links into the web library', () => {
    render(<TalkLine holdings={holdings({ discussion: { comments: 3, openQuestions: 1, links: { comments: '/l/lib-1/companies/c1', questions: '/l/lib-1/cases/k1#questions-h' } } })} />, document.body);
    const line = document.querySelector('[data-testid="site-talk"]')!;
    expect(line.textContent).toBe('3 comments · 1 open question on this site');
    expect([...line.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'https://casebook.example/l/lib-1/companies/c1',
      'https://casebook.example/l/lib-1/cases/k1#questions-h',
    ]);
  });

  it('shows nothing for a site nobody discusses, or for a service that does not say', () => {
    render(<TalkLine holdings={holdings({ discussion: { comments: 0, openQuestions: 0, links: { comments: null, questions: null } } })} />, document.body);
    expect(document.querySelector('[data-testid="site-talk"]')).toBeNull();
    render(<TalkLine holdings={holdings({})} />, document.body);
    expect(document.querySelector('[data-testid="site-talk"]')).toBeNull();
  });

  it('never links outside http(s), whatever path the answer carries', () => {
    render(<TalkLine holdings={holdings({ discussion: { comments: 1, openQuestions: 0, links: { comments: 'javascript:alert(1)', questions: null } } })} />, document.body);
    const line = document.querySelector('[data-testid="site-talk"]')!;
    expect(line.textContent).toBe('1 comment on this site');
    expect(line.querySelector('a')).toBeNull();
  });
});
