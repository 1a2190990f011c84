// Highlighted snippets computed from a clip's stored text: the first passage where the query's
// terms occur, HTML-escaped, with the terms in <mark>. FTS5's snippet() scores every phrase
// instance of the whole document, which costs milliseconds per long clip for common words;
// this stops at the first match.
import { foldWord } from './stem.ts';
import type { QueryTerm } from './types.ts';


/** For each base letter, the accented Latin letters that fold to it (é, è, ê … → e). */
const VARIANTS: Map<string, string> = (() => {
  const groups = new Map<string, Set<string>>();
  for (let code = 0x41; code <= 0x24f; code++) {
    const ch = String.fromCodePoint(code);
    const base = foldWord(ch);
    if (base.length !== 1 || !/\p{L}/u.test(ch)) continue;
    if (!groups.has(base)) groups.set(base, new Set([base]));
    groups.get(base)!.add(ch.toLowerCase());
  }
  return new Map([...groups].map(([base, set]) => [base, [...set].join('')]));
})();

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/**
 * A letter and the letters that fold to it, in both cases: patterns are built without the `i`
 * flag, whose Unicode case closure of every \p{L} class cost 1-2 ms to compile for each query.
 */
const classes = new Map<string, string>();
function letterClass(ch: string): string {
  const known = classes.get(ch);
  if (known !== undefined) return known;
  const lower = VARIANTS.get(ch) ?? ch;
  const both = new Set<string>();
  for (const letter of Array.from(lower)) {
    if (/\p{M}/u.test(letter)) continue; // 'i̇' (i and a combining dot) lists the dot on its own
    both.add(letter);
    // One code point only: 'ß'.toUpperCase() is 'SS', which a class would read as two letters.
    for (const cased of [letter.toUpperCase(), letter.toLowerCase()]) if (Array.from(cased).length === 1) both.add(cased);
  }
  const made = both.size > 1 ? `[${escapeRegex([...both].join(''))}]` : escapeRegex(ch);
  if (classes.size < 10_000) classes.set(ch, made);
  return made;
}

function termPattern(term: QueryTerm): string {
  const words = term.text.split(/\s+/).filter(Boolean).map((word) => [...foldWord(word)].map(letterClass).join(''));
  return words.join('[^\\p{L}\\p{N}]+') + (term.prefix ? '[\\p{L}\\p{N}]*' : '');
}

/** Compiled patterns by their terms: a search uses the same few for every title and snippet it scores. */
const compiled = new Map<string, RegExp>();
const COMPILED_LIMIT = 1_000;

/** One global, case-insensitive pattern for the terms (shared: callers reset lastIndex before using it). */
export function termsRegex(terms: QueryTerm[]): RegExp | undefined {
  if (terms.length === 0) return undefined;
  // Keyed by the terms themselves: building the pattern folds every letter, which cost more than
  // matching when a search made twenty snippets.
  const key = terms.map((term) => (term.prefix ? '*' : '=') + term.text).join('\u0000');
  let regex = compiled.get(key);
  if (!regex) {
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    // Whole words only: no letter or digit just before, and none just after (a prefix takes the
    // rest of its word), written once around all the terms.
    regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.map(termPattern).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
    compiled.set(key, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Wraps every match in <mark>, escaping the rest. */
export function markMatches(text: string, regex: RegExp): string {
  let out = '';
  let last = 0;
  regex.lastIndex = 0;
  for (const match of text.matchAll(regex)) {
    out += escapeHtml(text.slice(last, match.index)) + '<mark>' + escapeHtml(match[0]) + '</mark>';
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/**
 * The passage (about `width` characters) around the first match in the first source that has
 * one; without a match, the start of the first non-empty source.
 */
export function makeSnippet(sources: string[], terms: QueryTerm[], width = 220): string {
  const regex = termsRegex(terms);
  for (const source of sources) {
    if (!source || !regex) continue;
    regex.lastIndex = 0;
    const match = regex.exec(source);
    if (!match) continue;
    let start = Math.max(0, match.index - Math.floor(width / 3));
    let end = Math.min(source.length, start + width);
    // Cut at word boundaries so no half word shows.
    if (start > 0) start = source.indexOf(' ', start) + 1 || start;
    if (end < source.length) end = source.lastIndexOf(' ', end) > match.index ? source.lastIndexOf(' ', end) : end;
    const passage = source.slice(start, end).replace(/\s+/g, ' ');
    return (start > 0 ? '…' : '') + markMatches(passage, regex) + (end < source.length ? '…' : '');
  }
  const first = sources.find(Boolean) ?? '';
  const passage = first.slice(0, width).replace(/\s+/g, ' ');
  return escapeHtml(passage) + (first.length > width ? '…' : '');
}
