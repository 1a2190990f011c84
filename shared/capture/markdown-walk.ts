// turndown's conversion walk (turndown 7.2: collapseWhitespace, process, replacementForNode,
// join), run with the service's own rules and giving the same output, but with each node's
// "blank" and edge-whitespace facts computed once. turndown derives them per node from
// textContent and ~27 getElementsByTagName scans, which made it the largest part of extraction
// after Readability on long articles (profiled on Readability's corpus).
// collapseWhitespace is adapted from collapse-whitespace by Luc Thevenard (MIT), as in turndown.
import type TurndownService from 'turndown';

const BLOCK = new Set(['ADDRESS', 'ARTICLE', 'ASIDE', 'AUDIO', 'BLOCKQUOTE', 'BODY', 'CANVAS', 'CENTER', 'DD', 'DIR', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'FRAMESET', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HGROUP', 'HR', 'HTML', 'ISINDEX', 'LI', 'MAIN', 'MENU', 'NAV', 'NOFRAMES', 'NOSCRIPT', 'OL', 'OUTPUT', 'P', 'PRE', 'SECTION', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL']);
const VOID = new Set(['AREA', 'BASE', 'BR', 'COL', 'COMMAND', 'EMBED', 'HR', 'IMG', 'INPUT', 'KEYGEN', 'LINK', 'META', 'PARAM', 'SOURCE', 'TRACK', 'WBR']);
const MEANINGFUL_WHEN_BLANK = new Set(['A', 'TABLE', 'THEAD', 'TBODY', 'TFOOT', 'TH', 'TD', 'IFRAME', 'SCRIPT', 'AUDIO', 'VIDEO']);

/**
 * Text that turndown's escape (13 replacements) would change: its characters escaped anywhere,
 * or its line-start patterns at the start of the text (its start-anchored rules have no m flag).
 */
const MARKDOWN_SYNTAX = /[\\*`[\]_]|^(?:-|\+ |=|#{1,6} |~~~|>|\d+\. )/;

/** What turndown's Node() wrapper reads from a node; rules read isBlank and isBlock. */
type TurndownNode = HTMLElement & { isBlank?: boolean; isBlock?: boolean };

/** Per element: whether its text is whitespace only, and whether it holds a void or "meaningful when blank" element. */
interface Facts {
  blankText: Set<Node>;
  holdsShown: Set<Node>;
}

/** Markdown of `root`'s content, as `service.turndown(root)` would give it; `root` is changed (whitespace). */
export function convertWithRules(service: TurndownService, root: Element): string {
  collapseWhitespace(root);
  const facts = measure(root);
  const output = processChildren(service, root, false, facts);
  return output.join('').replace(/^[\t\r\n]+/, '').replace(/[\t\r\n\s]+$/, '');
}

/** One post-order walk: blank text and shown descendants of every element below `root`. */
function measure(root: Element): Facts {
  const facts: Facts = { blankText: new Set(), holdsShown: new Set() };
  const stack: Array<[Node, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [node, done] = stack.pop() as [Node, boolean];
    if (!done) {
      stack.push([node, true]);
      for (let child = node.lastChild; child; child = child.previousSibling) if (child.nodeType === 1) stack.push([child, false]);
      continue;
    }
    let blank = true;
    let shown = false;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3 || child.nodeType === 4) {
        if (blank && !/^\s*$/.test(child.nodeValue ?? '')) blank = false;
      } else if (child.nodeType === 1) {
        if (!facts.blankText.has(child)) blank = false;
        if (facts.holdsShown.has(child) || VOID.has(child.nodeName) || MEANINGFUL_WHEN_BLANK.has(child.nodeName)) shown = true;
      }
    }
    if (blank) facts.blankText.add(node);
    if (shown) facts.holdsShown.add(node);
  }
  return facts;
}

function processChildren(service: TurndownService, parent: Node, parentIsCode: boolean, facts: Facts): string[] {
  const output: string[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    let replacement = '';
    if (node.nodeType === 3) {
      const value = node.nodeValue ?? '';
      replacement = parentIsCode || !MARKDOWN_SYNTAX.test(value) ? value : service.escape(value);
    } else if (node.nodeType === 1) {
      replacement = replacementForNode(service, node as TurndownNode, parentIsCode || node.nodeName === 'CODE', facts);
    }
    join(output, replacement);
  }
  return output;
}

function replacementForNode(service: TurndownService, node: TurndownNode, isCode: boolean, facts: Facts): string {
  const name = node.nodeName;
  node.isBlock = BLOCK.has(name);
  node.isBlank = !VOID.has(name) && !MEANINGFUL_WHEN_BLANK.has(name) && facts.blankText.has(node) && !facts.holdsShown.has(node);
  const rule = ruleFor(service, node, name);
  let content = processChildren(service, node, isCode, facts).join('');
  const { leading, trailing } = node.isBlock ? { leading: '', trailing: '' } : flankingWhitespace(node);
  if (leading || trailing) content = content.trim();
  return leading + (rule.replacement?.(content, node, service.options) ?? '') + trailing;
}

/**
 * Tags whose rule the service's filters choose from more than the tag name: turndown's inline
 * `code` rule skips a <code> that is a <pre>'s only child. Every other filter of the service
 * (markdown.ts and turndown's CommonMark rules with our options) reads the tag name only.
 */
const NODE_DEPENDENT_TAGS = new Set(['CODE']);
const rulesByTag = new WeakMap<TurndownService, Map<string, TurndownService.Rule>>();

/** service.rules.forNode(node), remembered per tag: it tries ~25 filters in turn on every node. */
function ruleFor(service: TurndownService, node: TurndownNode, name: string): TurndownService.Rule {
  if (node.isBlank || NODE_DEPENDENT_TAGS.has(name)) return service.rules.forNode(node);
  let byTag = rulesByTag.get(service);
  if (!byTag) rulesByTag.set(service, (byTag = new Map()));
  let rule = byTag.get(name);
  if (!rule) byTag.set(name, (rule = service.rules.forNode(node)));
  return rule;
}

function flankingWhitespace(node: Element): { leading: string; trailing: string } {
  const first = edgeText(node, true);
  const last = edgeText(node, false);
  if (/^\s*$/.test(first)) {
    // Whitespace only: all of it is leading (turndown's edgeWhitespace).
    const ascii = /^[ \t\r\n]*/.exec(first)?.[0] ?? '';
    return { leading: ascii !== '' && flanked(node.previousSibling, / $/, false) ? first.slice(ascii.length) : first, trailing: '' };
  }
  const leading = /^\s*/.exec(first)?.[0] ?? '';
  const leadingAscii = /^[ \t\r\n]*/.exec(leading)?.[0] ?? '';
  const trailing = /\s*$/.exec(last)?.[0] ?? '';
  const trailingAscii = /[ \t\r\n]*$/.exec(trailing)?.[0] ?? '';
  return {
    leading: leadingAscii !== '' && flanked(node.previousSibling, / $/, false) ? leading.slice(leadingAscii.length) : leading,
    trailing: trailingAscii !== '' && flanked(node.nextSibling, /^ /, true) ? trailing.slice(0, trailing.length - trailingAscii.length) : trailing,
  };
}

/** turndown's isFlankedByWhitespace: the neighbour's text touching `node` is a space. */
function flanked(sibling: Node | null, pattern: RegExp, fromStart: boolean): boolean {
  if (!sibling) return false;
  if (sibling.nodeType === 3) return pattern.test(sibling.nodeValue ?? '');
  if (sibling.nodeType === 1 && !BLOCK.has(sibling.nodeName)) return pattern.test(edgeText(sibling, fromStart));
  return false;
}

/**
 * The start (or end) of `node`'s textContent, up to and including the first (last) text node
 * with a non-whitespace character; the whole text when it is whitespace only.
 */
function edgeText(node: Node, fromStart: boolean): string {
  const parts: string[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as Node;
    if (current.nodeType === 3 || current.nodeType === 4) {
      const value = current.nodeValue ?? '';
      parts.push(value);
      if (/\S/.test(value)) break;
      continue;
    }
    if (current !== node && current.nodeType !== 1) continue;
    if (fromStart) for (let child = current.lastChild; child; child = child.previousSibling) stack.push(child);
    else for (let child = current.firstChild; child; child = child.nextSibling) stack.push(child);
  }
  return fromStart ? parts.join('') : parts.reverse().join('');
}

function join(output: string[], replacement: string): void {
  const tail = output.pop() ?? '';
  const s1 = trimTrailingNewlines(tail);
  const s2 = replacement.replace(/^\n*/, '');
  const newlines = Math.max(tail.length - s1.length, replacement.length - s2.length);
  const separator = '\n\n'.substring(0, newlines);
  if (s1) output.push(s1);
  if (separator) output.push(separator);
  if (s2) output.push(s2);
}

function trimTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '\n') end--;
  return text.substring(0, end);
}

/** Removes extraneous whitespace outside <pre> the way a browser renders it (turndown's collapseWhitespace). */
function collapseWhitespace(element: Element): void {
  const isPre = (node: Node) => node.nodeName === 'PRE';
  if (!element.firstChild || isPre(element)) return;
  let prevText: CharacterData | null = null;
  let keepLeadingWs = false;
  let prev: Node | null = null;
  let node: Node | null = next(prev, element, isPre);
  while (node && node !== element) {
    if (node.nodeType === 3 || node.nodeType === 4) {
      const data = node as CharacterData;
      let text = data.data.replace(/[ \r\n\t]+/g, ' ');
      if ((!prevText || / $/.test(prevText.data)) && !keepLeadingWs && text[0] === ' ') text = text.substring(1);
      if (!text) {
        node = remove(node);
        continue;
      }
      data.data = text;
      prevText = data;
    } else if (node.nodeType === 1) {
      if (BLOCK.has(node.nodeName) || node.nodeName === 'BR') {
        if (prevText) prevText.data = prevText.data.replace(/ $/, '');
        prevText = null;
        keepLeadingWs = false;
      } else if (VOID.has(node.nodeName) || isPre(node)) {
        // Spaces around inline void elements and inline <pre> stay.
        prevText = null;
        keepLeadingWs = true;
      } else if (prevText) {
        keepLeadingWs = false;
      }
    } else {
      node = remove(node);
      continue;
    }
    const following: Node | null = next(prev, node, isPre);
    prev = node;
    node = following;
  }
  if (prevText) {
    prevText.data = prevText.data.replace(/ $/, '');
    if (!prevText.data) remove(prevText);
  }
}

function remove(node: Node): Node | null {
  const following = node.nextSibling ?? node.parentNode;
  node.parentNode?.removeChild(node);
  return following;
}

function next(prev: Node | null, current: Node, isPre: (node: Node) => boolean): Node | null {
  if ((prev && prev.parentNode === current) || isPre(current)) return current.nextSibling ?? current.parentNode;
  return current.firstChild ?? current.nextSibling ?? current.parentNode;
}
