// Quality suite on trafilatura's labelled development set (../shared/fixtures/trafilatura-dev,
// when present): every page gives a clip, and by trafilatura's counting (whitespace-normalised
// substring per `with`/`without` passage) the clips beat plain Readability.js in the same run,
// on the tuning sites and on the held-back sites alike. Prints F1/P/R per part and language.
import { describe, expect, it } from 'vitest';
import { Readability } from '@mozilla/readability';
import { extractArticle } from '../../shared/page/node.ts';
import { blockText } from '../../shared/capture/dom.ts';
import { parseHtml as parseHtmlNode } from '../../shared/page/node.ts';
import { Scoreboard, loadTrafilaturaDev, prf, readPage, trafilaturaDev, withLanguages } from './trafilatura-score.ts';

const pages = loadTrafilaturaDev();

/** Lowest F1/precision/recall by trafilatura's counting that each part may fall to. */
const FLOORS = {
  'part:tuning': { f1: 0.925, precision: 0.925, recall: 0.925 },
  'part:held-back': { f1: 0.905, precision: 0.875, recall: 0.935 },
} as const;

describe('trafilatura-dev', () => {
  if (pages.length === 0) {
    it.skip(`skipped: ${trafilaturaDev} not found (CI provides ../shared/fixtures)`, () => {});
    return;
  }
  it('clips every page, with higher F1 and precision than Readability.js on tuning and held-back sites', { timeout: 600_000 }, () => {
    const board = new Scoreboard();
    const failures: string[] = [];
    for (const page of withLanguages(pages)) {
      const html = readPage(page);
      let text: string | null = null;
      try {
        const clip = extractArticle(html, page.url);
        text = clip.text;
        if (clip.title.trim() === '' || clip.text.trim() === '') failures.push(`${page.file}: empty clip`);
      } catch (error) {
        failures.push(`${page.file}: ${(error as Error).message.split('\n')[0]}`);
      }
      board.add('ours', page, text);
      let plain: string | null = null;
      try {
        const parsed = new Readability(parseHtmlNode(html)).parse();
        const doc = parseHtmlNode(`<!doctype html><html><body>${parsed?.content ?? ''}</body></html>`);
        plain = doc.body ? blockText(doc.body) : '';
      } catch {
        plain = null;
      }
      board.add('Readability.js', page, plain);
    }
    const langs = board.orderedGroups().filter((group) => group.startsWith('lang:'));
    console.table(board.table(['ours', 'Readability.js'], ['all', 'part:tuning', 'part:held-back', ...langs]));
    expect(failures).toEqual([]);
    for (const part of ['part:tuning', 'part:held-back']) {
      const ours = prf(board.counts(part, 'ours'));
      const theirs = prf(board.counts(part, 'Readability.js'));
      expect(ours.f1, part).toBeGreaterThan(theirs.f1);
      expect(ours.precision, part).toBeGreaterThan(theirs.precision);
      // Recall kept: precision is not bought by dropping the article.
      expect(ours.recall, part).toBeGreaterThan(theirs.recall - 0.02);
      // Floors a little under the figures of the last change (tuning F1 0.930 P 0.930 R 0.930,
      // held-back F1 0.910 P 0.880 R 0.942): raise them with the figures, never lower them.
      const floor = FLOORS[part as keyof typeof FLOORS];
      expect(ours.f1, `${part} F1`).toBeGreaterThanOrEqual(floor.f1);
      expect(ours.precision, `${part} precision`).toBeGreaterThanOrEqual(floor.precision);
      expect(ours.recall, `${part} recall`).toBeGreaterThanOrEqual(floor.recall);
    }
  });
});
