// Renders members' Markdown (case descriptions, lessons, notes) to HTML that is safe to show.
//
// Bounded: markdown-it replaces marked (90 s on '_a' x 100,000, quadratic), with its nesting
// capped and budgets for the work it may do (below); what is past a budget is shown as plain
// text, so nothing a member wrote is lost. Done once: results are kept by content hash (bounded), so a page view renders nothing it
// rendered before.
//
// Safe: raw HTML in Markdown is hostile, so it is never passed through: its tags are dropped
// and its text kept, escaped (as sanitize-html's discard did before). Links and images keep
// http(s), mailto and scheme-less targets only (else a link loses its href and an image shows
// its alt text), and links open with rel=noopener noreferrer nofollow. Every other tag and
// attribute is markdown-it's own, with escaped content.
import { createHash } from 'node:crypto';
import { Tokenizer } from 'htmlparser2';
import MarkdownIt from 'markdown-it';
import { NON_TEXT_TAGS } from '../../shared/capture/sanitize-policy.ts';

/** Block nesting (quotes, lists) deeper than this is not parsed further. */
const MAX_NESTING = 12;
/**
 * Work bounds. markdown-it is linear in the number of tokens it makes, but a link or image
 * label that never closes is searched for to the end of its paragraph, so a paragraph costs
 * up to (syntax characters x length). A paragraph is parsed as Markdown only while that
 * product stays within INLINE_COST_BLOCK and the whole text's within INLINE_COST_TEXT (prose
 * has a few syntax characters per hundred: a 10 KB paragraph with 400 of them costs 4M);
 * past them it is shown as plain text. Past BLOCK_TOKENS block tokens (a few per paragraph,
 * list item or heading) the rest of the text is one plain paragraph.
 */
export const INLINE_COST_BLOCK = 4_000_000;
export const INLINE_COST_TEXT = 10_000_000;
export const BLOCK_TOKENS = 6_000;
/**
 * Lines past this are plain text too (reference definitions make no tokens but cost time,
 * and a list or quote rule reads all its lines in one call): 2,000 lines of 100 characters
 * fill the largest text the model allows.
 */
export const MAX_LINES = 2_000;
/** A table has at most this many columns (else it is not one) and body rows (then it ends). */
const TABLE_COLUMNS = 64;
const TABLE_ROWS = 1_000;

/** What is left of the work bounds; shared by the parts of one text (see renderMarkdownParts). */
interface Budget {
  lines: number;
  tokens: number;
  inline: number;
}
const newBudget = (): Budget => ({ lines: MAX_LINES, tokens: BLOCK_TOKENS, inline: INLINE_COST_TEXT });
const budgetOf = (env: unknown) => (env as { budget: Budget }).budget;

const LINK_REL = 'noopener noreferrer nofollow';
const SAFE_SCHEME = /^(https?|mailto):/i;
// A scheme is letters, digits, + - . before a colon that comes before any / ? #.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

const md = new MarkdownIt('default', { html: true, linkify: false, typographer: false, breaks: false, maxNesting: MAX_NESTING });

/**
 * What the library's pages link to (the former sanitize-html policy): http, https, mailto
 * and relative targets (not protocol-relative ones). Control characters and spaces are dropped first, as browsers do.
 */
export function safeTarget(url: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these in a scheme
  const bare = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  // `//host` (or `/\host`, read alike) leaves the library for another host without a scheme.
  if (/^[\\/]{2}/.test(bare)) return false;
  return !HAS_SCHEME.test(bare) || SAFE_SCHEME.test(bare);
}

// Every link and image is parsed as one (so `[x](javascript:…)` shows as x, not as its
// source); the renderer below drops the targets that are not safe.
md.validateLink = () => true;

const NON_TEXT = new Set(NON_TEXT_TAGS);

/** The text of an HTML fragment, escaped, without its tags (one linear pass). */
function htmlText(html: string): string {
  const out: string[] = [];
  let mute = 0;
  let name = '';
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext: (start, end) => {
        if (!mute) out.push(md.utils.escapeHtml(html.slice(start, end)));
      },
      ontextentity: (codepoint) => {
        if (!mute) out.push(md.utils.escapeHtml(String.fromCodePoint(codepoint)));
      },
      onopentagname: (start, end) => {
        name = html.slice(start, end).toLowerCase();
      },
      onopentagend: () => {
        if (NON_TEXT.has(name)) mute++;
      },
      onclosetag: (start, end) => {
        if (mute && NON_TEXT.has(html.slice(start, end).toLowerCase())) mute--;
      },
      onselfclosingtag() {},
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      onattribname() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return out.join('');
}

// Raw HTML: an inline tag is dropped (the text around it is Markdown text already); a block
// of HTML keeps only its text.
md.renderer.rules.html_inline = () => '';
md.renderer.rules.html_block = (tokens, idx) => {
  const text = htmlText(tokens[idx]!.content).trim();
  return text ? `<p>${text}</p>\n` : '';
};

// Syntax characters of inline Markdown (a line break makes a token too); prose has few,
// pathological input is made of them.
const INLINE_SYNTAX = new Set([...'*_~`[]!<>&\\\n'].map((char) => char.charCodeAt(0)));
function syntaxCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (INLINE_SYNTAX.has(text.charCodeAt(i))) count++;
  return count;
}

// First block rule: once the text has made BLOCK_TOKENS tokens, what is left of it (of the
// current quote or list item, then of its parents) is one plain paragraph.
md.block.ruler.before('table', 'casebook_block_budget', (state, startLine, endLine, silent) => {
  if (state.tokens.length < budgetOf(state.env).tokens) return false;
  if (silent) return true;
  const open = state.push('paragraph_open', 'p', 1);
  open.map = [startLine, endLine];
  const text = state.push('text', '', 0);
  text.content = state.getLines(startLine, endLine, state.blkIndent, false).trim();
  state.push('paragraph_close', 'p', -1);
  state.line = endLine;
  return true;
});

// markdown-it's table rule reads a whole table in one call, one inline token per cell.
// Wrapped so that a table has at most TABLE_COLUMNS columns and TABLE_ROWS rows (the rows
// after that start a new block).
const table = md.block.ruler.__rules__.find((rule) => rule.name === 'table');
if (!table) throw new Error('markdown-it has no table rule');
const tableRule = table.fn;
md.block.ruler.at(
  'table',
  (state, startLine, endLine, silent) => {
    // The delimiter row below the header gives the columns: | :-- | --: |
    const delimiter = startLine + 1;
    if (delimiter >= endLine) return false;
    const row = state.src.slice(state.bMarks[delimiter]! + state.tShift[delimiter]!, state.eMarks[delimiter]);
    let pipes = 0;
    for (let i = row.indexOf('|'); i !== -1 && pipes <= TABLE_COLUMNS; i = row.indexOf('|', i + 1)) pipes++;
    if (pipes > TABLE_COLUMNS) return false;
    return tableRule(state, startLine, Math.min(endLine, startLine + 2 + TABLE_ROWS), silent);
  },
  // A table may still interrupt a paragraph, as before.
  { alt: table.alt },
);

md.core.ruler.before('inline', 'casebook_bounds', (state) => {
  const budget = budgetOf(state.env);
  for (const token of state.tokens) {
    if (token.type === 'heading_open') {
      // A text's headings come below the page's own title: # becomes <h2>, down to <h6>.
      const level = Math.min(6, Number(token.tag.slice(1)) + 1);
      token.tag = `h${level}`;
    } else if (token.type === 'heading_close') {
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
    } else if (token.type === 'inline') {
      const cost = syntaxCount(token.content) * token.content.length;
      if (cost > INLINE_COST_BLOCK || cost > budget.inline) {
        // Rendered by the 'text' rule: escaped, never parsed.
        token.type = 'text';
        token.children = null;
      } else budget.inline -= cost;
    }
  }
});

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  const href = token.attrGet('href');
  if (href !== null && !safeTarget(String(href))) token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'href');
  token.attrSet('rel', LINK_REL);
  return self.renderToken(tokens, idx, options);
};
const defaultImage = md.renderer.rules.image;
if (!defaultImage) throw new Error('markdown-it has no image rule');
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  // Images load from http(s) only; another source leaves the image's alt text.
  if (!/^https?:\/\//i.test(src.trim())) return md.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
  return defaultImage(tokens, idx, options, env, self);
};

/** Renders without the cache: Markdown in, safe HTML out, within `budget` (then less of it is left). */
export function renderMarkdownUncached(markdown: string, budget: Budget = newBudget()): string {
  if (!markdown.trim()) return '';
  // Line ends as markdown-it reads them, then the lines past the budget are cut off before
  // parsing (markdown-it indexes every line of its input first) and shown as plain text.
  const text = markdown.replace(/\r\n?/g, '\n');
  let end = 0;
  let lines = 0;
  while (lines < budget.lines && end < text.length) {
    const next = text.indexOf('\n', end);
    end = next === -1 ? text.length : next + 1;
    lines++;
  }
  budget.lines -= lines;
  const head = text.slice(0, end);
  const rest = text.slice(end).trim();
  const env = { budget };
  const tokens = head.trim() ? md.parse(head, env) : [];
  budget.tokens = Math.max(0, budget.tokens - tokens.length);
  return md.renderer.render(tokens, md.options, env) + (rest ? `<p>${md.utils.escapeHtml(rest)}</p>\n` : '');
}

// Rendered HTML by the SHA-256 of its Markdown, least recently used first out, bounded in bytes.
const CACHE_BYTES = 32 * 1024 * 1024;
const cache = new Map<string, { html: string[]; bytes: number }>();
let cacheBytes = 0;

function cached(key: string, render: () => string[]): string[] {
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Re-inserted so that it is the newest (a Map iterates in insertion order).
    cache.delete(key);
    cache.set(key, hit);
    return hit.html;
  }
  const html = render();
  const bytes = html.reduce((sum, part) => sum + part.length * 2, 100);
  cache.set(key, { html, bytes });
  cacheBytes += bytes;
  for (const [oldest, entry] of cache) {
    if (cacheBytes <= CACHE_BYTES) break;
    cache.delete(oldest);
    cacheBytes -= entry.bytes;
  }
  return html;
}

/** Markdown in, safe HTML out; each distinct text is rendered once while it stays in the cache. */
export function renderMarkdown(markdown: string): string {
  if (!markdown.trim()) return '';
  return cached(createHash('sha256').update(markdown).digest('base64'), () => [renderMarkdownUncached(markdown)])[0]!;
}

/**
 * The parts of one text (a case's lessons split by theme) rendered with one budget between
 * them, so that splitting a text does not multiply the work it may cost; cached as a whole.
 */
export function renderMarkdownParts(parts: readonly string[]): string[] {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:`).update(part);
  return cached(`parts:${hash.digest('base64')}`, () => {
    const budget = newBudget();
    return parts.map((part) => renderMarkdownUncached(part, budget));
  });
}
