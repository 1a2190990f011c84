// A comment thread's heading ends the article even when a long menu follows it (Readability
// took the whole page): the menu's links do not count as article text after the heading.
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { cleanArticleContent } from '../../shared/capture/boilerplate.ts';
import { blockText } from '../../shared/capture/dom.ts';

const PROSE = 'Chapter 121 is online now. As always the pictures can only be seen by members who are signed in, and chapter 122 follows on Friday.';

function cleaned(inner: string): string {
  const { document } = parseHTML(`<!doctype html><html><body><div id="root">${inner}</div></body></html>`);
  const root = document.getElementById('root') as unknown as Element;
  cleanArticleContent(root, 'https://fans.example/news/0409.html');
  return blockText(root);
}

const menu = `<ul>${Array.from({ length: 40 }, (_, index) => `<li><a href="/section/${index}">Section number ${index} of the site</a></li>`).join('')}</ul>`;

describe('comment thread at the end of a whole-page extraction', () => {
  it('drops the thread and what follows it, though a long menu comes after', () => {
    const text = cleaned(`<div><p>${PROSE}</p></div><p>Comments</p><div><h3>#1 Comment by Naru</h3><p>Thanks for this chapter, see you on Friday!</p></div>${menu}`);
    expect(text).toContain(PROSE);
    expect(text).not.toContain('Thanks for this chapter');
  });

  it('a "Comments" line before most of the article text does not end it', () => {
    const text = cleaned(`<p>Comments</p><div><p>${PROSE}</p><p>${PROSE.replace('121', '120')}</p><p>${PROSE.replace('121', '119')}</p></div>${menu}`);
    expect(text).toContain(PROSE.replace('121', '119'));
  });
});
