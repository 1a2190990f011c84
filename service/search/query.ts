// Reading a user's query: plain words, "quoted phrases", trailing-* prefixes and OR. Pure.
import type { QueryTerm } from './types.ts';

/**
 * Reads a user's query as plain words, "quoted phrases" and trailing-* prefixes. Everything
 * else (AND, NEAR, parentheses, column names, emoji) is just text, so no input is a syntax error.
 */
export function parseUserQuery(input: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const pattern = /"([^"]*)"?|(\S+)/g;
  let or = false;
  for (const match of input.slice(0, 500).matchAll(pattern)) {
    const phrase = match[1];
    const word = match[2];
    const raw = phrase ?? word ?? '';
    const prefix = word !== undefined && /\*+$/.test(word);
    const text = raw.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    // Upper-case AND (also written `AND(`) is what the words already mean; OR starts an alternative.
    if (word !== undefined && text === 'AND') continue;
    if (word !== undefined && text === 'OR') {
      or = terms.length > 0;
      continue;
    }
    // A term with no letters or digits would produce an empty phrase: drop it.
    if (!text) continue;
    if (prefix && text.length < 2) continue;
    terms.push({ text, prefix, ...(or ? { or } : {}), ...(phrase !== undefined ? { exact: true } : {}) });
    or = false;
    if (terms.length >= 12) break;
  }
  return terms;
}

/** A term of several words (a phrase): matched in order, adjacent. */
export const isPhrase = (term: QueryTerm) => /[^\p{L}\p{N}]/u.test(term.text.trim());
