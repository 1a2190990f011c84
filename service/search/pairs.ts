// Which pairs of adjacent words a clip holds, as a small fixed-size bit signature (a Bloom
// filter) kept in the PostgreSQL search row beside its title. A phrase's candidates are the
// newest clips holding all its words; before a candidate's vector (5-7 KB, toasted) is read to
// check that the words stand together, its signature says whether they can: a clip without one of
// the phrase's pairs is passed over without that read. A signature never hides a clip that holds
// the phrase (the filter only answers "maybe" or "no"); the vector still decides every "maybe".
import { foldedWords } from './stem.ts';

/** Bits of a signature (1 KB): about 2% false "maybe"s for a clip of 600 words, 44% at 4,500. */
export const PAIR_BITS = 8192;

/** Words PostgreSQL leaves out of a vector (over 2,047 bytes): the pair goes around them, as positions do. */
const MAX_LEXEME_BYTES = 2047;

/**
 * A text's words as the search rows' vectors hold them (stem.ts foldedWords, without the ones too
 * long to index). A word of up to 682 UTF-16 units is at most 2,046 bytes: only longer ones are measured.
 */
export const pairWords = (text: string): string[] => foldedWords(text).filter((word) => word.length <= 682 || Buffer.byteLength(word) <= MAX_LEXEME_BYTES);

/** The two bits of one pair of words: FNV-1a over the pair, spread by murmur3's finalizer. */
export function pairBits(first: string, second: string): [number, number] {
  let h = 0x811c9dc5;
  const text = first + ' ' + second;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return [(h >>> 0) % PAIR_BITS, (h >>> 19) % PAIR_BITS];
}

/**
 * The signature of a clip's fields, in the order its vector concatenates them (title, tags and
 * note, site, body), so two words that meet across a field boundary there are a pair here too.
 * Bit n is bit n % 8 of byte n / 8, as PostgreSQL's get_bit reads a bytea.
 */
export function pairSignature(fields: string[]): Buffer {
  const signature = Buffer.alloc(PAIR_BITS / 8);
  let previous: string | null = null;
  for (const field of fields) {
    for (const word of pairWords(field)) {
      if (previous !== null) for (const bit of pairBits(previous, word)) signature[bit >> 3]! |= 1 << (bit & 7);
      previous = word;
    }
  }
  return signature;
}

/** The bits a phrase's words (folded, in order) need set: two for each adjacent pair. */
export function phraseBits(words: string[]): number[] {
  const bits = new Set<number>();
  for (let i = 1; i < words.length; i++) for (const bit of pairBits(words[i - 1]!, words[i]!)) bits.add(bit);
  return [...bits].sort((a, b) => a - b);
}
