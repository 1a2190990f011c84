// The page core takes its HTML parser as an argument (shared/page/host.ts): two hosts serve one
// process side by side, and importing the Node host changes nothing for anyone else (the two
// global parser registries it replaces leaked: whichever module registered last parsed for both
// engines, in opposite precedence).
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../shared/capture/article.ts';
import { proposeScanAnswers } from '../../shared/facts/propose.ts';
import type { PageHost } from '../../shared/page/host.ts';
import { nodeHost, extractArticle as extractInNode } from '../../shared/page/node.ts';

const STORY = [
  'The harbour board approved the dredging plan on Tuesday after two years of hearings, and work on the eastern channel starts in March.',
  'Fishermen had asked for the channel to be deepened since the 2019 storms left sandbanks across the entrance at low tide.',
  'The plan keeps the seagrass beds north of the pier untouched, which the environmental survey had named as its main condition.',
].map((text) => `<p>${text}</p>`).join('');

const PAGE = `<!doctype html><html lang="en"><head><title>Harbour dredging approved</title>
<meta property="og:site_name" content="Harbour Ledger"></head><body><nav><a href="/">Home</a></nav>
<article><h1>Harbour dredging approved</h1>${STORY}</article>
<footer><p>Harbour Ledger BV, Kade 12, 1011 AB Amsterdam. Tel. 020 123 4567</p></footer></body></html>`;

const URL_ = 'https://www.harbourledger.example/news/dredging';

/** A host that counts its parses and may show a page of its own (as a rendered page differs from its source). */
function counting(base: PageHost, rewrite: (html: string) => string = (html) => html): PageHost & { parses: number } {
  const host = {
    parses: 0,
    parseHtml(html: string, url?: string) {
      host.parses++;
      return base.parseHtml(rewrite(html), url);
    },
  };
  return host;
}

const happyWindow = new Window({ url: URL_ });
const happyHost: PageHost = { parseHtml: (html) => new happyWindow.DOMParser().parseFromString(html, 'text/html') as unknown as Document };

describe('page hosts', () => {
  it('two hosts used in turn in one process each parse only their own calls and neither changes the other', () => {
    const linkedom = counting(nodeHost);
    const renamed = counting(nodeHost, (html) => html.replaceAll('dredging', 'widening'));
    const first = extractArticle(PAGE, URL_, linkedom);
    const other = extractArticle(PAGE, URL_, renamed);
    const again = extractArticle(PAGE, URL_, linkedom);
    expect(first.text).toContain('approved the dredging plan');
    expect(other.text).toContain('approved the widening plan');
    expect(other.text).not.toContain('dredging');
    // The first host is unaffected by the second having been used.
    expect(again).toEqual(first);
    expect(linkedom.parses).toBeGreaterThan(0);
    expect(renamed.parses).toBeGreaterThan(0);
    const linkedomParses = linkedom.parses;
    proposeScanAnswers(PAGE, URL_, renamed);
    expect(linkedom.parses).toBe(linkedomParses);

    const viaRenamed = proposeScanAnswers(PAGE.replace('020 123 4567', 'dredging'), URL_, counting(nodeHost, (html) => html.replace('Tel. dredging', 'Tel. 020 765 4321')));
    const viaLinkedom = proposeScanAnswers(PAGE, URL_, linkedom);
    expect(viaRenamed.answers.phones?.map((p) => p.value.number)).toEqual(['+31207654321']);
    expect(viaLinkedom.answers.phones?.map((p) => p.value.number)).toEqual(['+31201234567']);
  });

  it('two different parsers (linkedom and happy-dom) give the same clip and the same facts, in either order', () => {
    const happyFirst = extractArticle(PAGE, URL_, happyHost);
    const linkedomClip = extractArticle(PAGE, URL_, nodeHost);
    const happyAgain = extractArticle(PAGE, URL_, happyHost);
    expect(happyFirst.text).toBe(linkedomClip.text);
    expect(happyAgain).toEqual(happyFirst);
    expect(linkedomClip.title).toBe('Harbour dredging approved');
    const phones = (host: PageHost) => proposeScanAnswers(PAGE, URL_, host).answers.phones?.map((p) => p.value.number);
    expect(phones(happyHost)).toEqual(['+31201234567']);
    expect(phones(nodeHost)).toEqual(['+31201234567']);
  });

  it('an HTML string needs a host even after the Node host was imported: nothing is registered globally', () => {
    expect(extractInNode(PAGE, URL_).text).toContain('dredging plan');
    expect(() => (extractArticle as unknown as (html: string, url: string) => unknown)(PAGE, URL_)).toThrow(TypeError);
    expect(() => (proposeScanAnswers as unknown as (html: string, url: string) => unknown)(PAGE, URL_)).toThrow(TypeError);
    // A live Document needs none.
    const doc = nodeHost.parseHtml(PAGE);
    expect(extractArticle(doc, URL_).text).toContain('dredging plan');
    expect(proposeScanAnswers(doc, URL_).answers.phones?.length).toBe(1);
  });
});
