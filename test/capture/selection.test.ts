// @vitest-environment happy-dom
// captureSelection on a real DOM: the quote, its context, and a text-fragment link that an
// independent resolver (written here from the WICG spec, not shared with the code) finds once.
import { beforeEach, describe, expect, it } from 'vitest';
import { captureSelection, encodeTerm } from '../../shared/capture/selection.ts';

const PAGE = `<article>
  <h1>Working with companies</h1>
  <p>The partner agreed to publish its supplier list. Our team reviewed the list in May.</p>
  <p>Later the partner agreed to publish its supplier list again, after a second audit.</p>
  <p>Risk sharing matters: who pays when a harvest fails, and who decides what happens next?
     The answer shapes every partnership we studied, from dairy to cocoa to garments.</p>
  <ul><li>First, price.</li><li>Second, volume.</li></ul>
  <p>Some text with a hyphen-ated word, commas, and an ampersand &amp; more.</p>
</article>`;

beforeEach(() => {
  document.body.innerHTML = PAGE;
});

/** Text of the page as a text fragment sees it: blocks separated, whitespace collapsed. */
function visibleText(): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) parts.push(node.nodeValue ?? '');
    else if (node.nodeType === 1) {
      const block = /^(P|LI|UL|H1|ARTICLE|DIV)$/.test(node.nodeName);
      if (block) parts.push('\n');
      node.childNodes.forEach(walk);
      if (block) parts.push('\n');
    }
  };
  walk(document.body);
  return parts.join('').replace(/[ \t]+/g, ' ').replace(/ *\n[\n ]*/g, '\n').trim();
}

/** Independent resolver: all matches of a `text=` directive, case-insensitive, whole words. */
function resolve(directive: string, text: string): string[] {
  const raw = directive.split(',');
  let prefix = '';
  let suffix = '';
  if (raw[0]?.endsWith('-')) prefix = decodeURIComponent(raw.shift()!.slice(0, -1));
  if (raw[raw.length - 1]?.startsWith('-')) suffix = decodeURIComponent(raw.pop()!.slice(1));
  const [start = '', end = ''] = raw.map(decodeURIComponent);
  const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern =
    (prefix ? `(?<=(?:^|\\W)${escape(prefix)}\\s+)` : '(?<=^|\\W)') +
    `(${escape(start)}${end ? `[\\s\\S]*?${escape(end)}` : ''})` +
    (suffix ? `(?=\\s+${escape(suffix)}(?:\\W|$))` : '(?=\\W|$)');
  return Array.from(text.matchAll(new RegExp(pattern, 'gi')), (match) => match[1] as string);
}

function selectText(paragraph: Element, needle: string): Range {
  const node = paragraph.firstChild as Text;
  const at = (node.nodeValue ?? '').indexOf(needle);
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, at + needle.length);
  return range;
}

function directiveOf(quoteUrl: string): string {
  return quoteUrl.split('#:~:text=')[1] as string;
}

describe('captureSelection', () => {
  it('a phrase that occurs twice gets context that makes it unique', () => {
    const second = document.querySelectorAll('p')[1]!;
    const clip = captureSelection(document, selectText(second, 'agreed to publish its supplier list'), 'https://ngo.example/report#section-2')!;
    expect(clip.text).toBe('agreed to publish its supplier list');
    expect(clip.quoteUrl.startsWith('https://ngo.example/report#:~:text=')).toBe(true);
    const matches = resolve(directiveOf(clip.quoteUrl), visibleText());
    expect(matches).toEqual(['agreed to publish its supplier list']);
    expect(clip.context.before).toMatch(/Later the partner$/);
    expect(clip.context.after).toMatch(/^again, after a second audit\./);
  });

  it('a unique phrase needs no context', () => {
    const clip = captureSelection(document, selectText(document.querySelectorAll('p')[0]!, 'Our team reviewed the list'), 'https://ngo.example/r')!;
    expect(directiveOf(clip.quoteUrl)).toBe('Our%20team%20reviewed%20the%20list');
  });

  it('a long selection uses the start,end form and still resolves to that passage only', () => {
    const paragraph = document.querySelectorAll('p')[2]!;
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    const clip = captureSelection(document, range, 'https://ngo.example/r')!;
    const directive = directiveOf(clip.quoteUrl);
    expect(directive.split(',').length).toBeGreaterThanOrEqual(2);
    const matches = resolve(directive, visibleText());
    expect(matches).toHaveLength(1);
    expect(matches[0]!.replace(/\s+/g, ' ')).toBe(clip.text.replace(/\s+/g, ' '));
  });

  it('percent-encodes the characters the directive syntax uses', () => {
    expect(encodeTerm('hyphen-ated, & more')).toBe('hyphen%2Dated%2C%20%26%20more');
    const paragraph = document.querySelectorAll('p')[3]!;
    const clip = captureSelection(document, selectText(paragraph, 'hyphen-ated word, commas, and an ampersand & more'), 'https://ngo.example/r')!;
    expect(directiveOf(clip.quoteUrl)).not.toContain('&');
    expect(directiveOf(clip.quoteUrl)).toContain('hyphen%2Dated');
    expect(resolve(directiveOf(clip.quoteUrl), visibleText())).toHaveLength(1);
  });

  it('works from a Selection and across list items; empty selections give null', () => {
    const items = document.querySelectorAll('li');
    const range = document.createRange();
    range.setStart(items[0]!.firstChild!, 0);
    range.setEnd(items[1]!.firstChild!, 'Second, volume.'.length);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    const clip = captureSelection(document, selection, 'https://ngo.example/r')!;
    expect(clip.text).toBe('First, price.\n\nSecond, volume.');
    expect(resolve(directiveOf(clip.quoteUrl), visibleText())).toHaveLength(1);
    selection.removeAllRanges();
    expect(captureSelection(document, selection, 'https://ngo.example/r')).toBeNull();
  });
});
