// Word forms for search (issue 17, item 4): a clip's language picks a Snowball stemmer (English,
// Dutch, German, French) whose stems are indexed beside the words as written; a query's plain
// words are looked up as their stems in each of these languages (one combined set of stems: a
// stem that two languages share finds both, which is what a reader of either means). The words
// as written stay indexed as they are: quoted phrases, prefixes and quoted words match exactly.
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import type { QueryTerm } from './types.ts';

export type StemLanguage = 'english' | 'dutch' | 'german' | 'french';

/** The stemmer of each language; PostgreSQL's text search configurations have the same names. */
export const STEM_LANGUAGES: Record<StemLanguage, (word: string) => string> = { english, dutch, german, french };
const ALL = Object.keys(STEM_LANGUAGES) as StemLanguage[];

/** The stemmer a clip's `lang` (a BCP 47 tag: en, en-GB, nl-BE, de, fr-CA …) picks; none: word as is. */
export function stemLanguageOf(lang: string | undefined): StemLanguage | undefined {
  const primary = (lang ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return ({ en: 'english', nl: 'dutch', de: 'german', fr: 'french' } as const)[primary as 'en'];
}

/** Lower case, accents removed: how FTS5's `unicode61 remove_diacritics 2` and foldWords() see a word. */
export const foldWord = (word: string) => word.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/** A text's words as search sees them: folded (foldWord), split at anything not a letter or digit. */
export const foldedWords = (text: string): string[] => foldWord(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Words are cut off here: a stemmer on a 10 KB "word" is wasted work, and no one types it. */
const MAX_WORD = 60;
/** Stems of the most recent words per language; a library's vocabulary repeats, so most words hit. */
const CACHE_LIMIT = 50_000;
const caches = new Map<StemLanguage, Map<string, string>>(ALL.map((language) => [language, new Map()]));

/** The folded stem of one lower-case word (accents kept: the stemmers read them). */
export function stemWord(language: StemLanguage, word: string): string {
  const cache = caches.get(language)!;
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = foldWord(STEM_LANGUAGES[language](word.slice(0, MAX_WORD)));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, stem);
  }
  return stem;
}

/** Stems of a text, each once (stems only answer "does the clip hold this word form"). */
export function stemTokens(language: StemLanguage | undefined, texts: string[]): string {
  if (!language) return '';
  const seen = new Set<string>();
  for (const text of texts) {
    for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (!word || /^\p{N}+$/u.test(word)) continue;
      const stem = stemWord(language, word);
      if (stem) seen.add(stem);
    }
  }
  return [...seen].join(' ');
}

/** A term whose word forms are searched: one plain word, not quoted, not a prefix. */
export const stemmable = (term: QueryTerm) => !term.exact && !term.prefix && !/\s/.test(term.text);

/** The stems a plain query word is looked up as: its stem in each language, without repeats. */
export function queryStems(word: string): string[] {
  const lower = word.toLowerCase();
  return [...new Set(ALL.map((language) => stemWord(language, lower)).filter(Boolean))];
}

/**
 * The terms a snippet highlights and a title is scored by: a plain word also as each language's
 * stem taken as a prefix ("premium*" marks "premiums"), when the stem is long enough to say
 * something; phrases, prefixes and quoted words as they are.
 */
export function highlightTerms(terms: QueryTerm[]): QueryTerm[][] {
  return terms.map((term) => {
    if (!stemmable(term)) return [term];
    const lower = term.text.toLowerCase();
    // A stem equal to the word still marks its longer forms ("premium" marks "Premiums").
    const stems = new Set(ALL.map((language) => stemWord(language, lower)).filter((stem) => stem.length >= 3));
    return [term, ...[...stems].map((text) => ({ text, prefix: true }))];
  });
}
