// Fuzz suite (issue 11): real pages of ../shared/fixtures (when present), each through mutations
// a saved or half-loaded page shows (doctype removed, head cut, tags unclosed, wrapped in a
// frameset, cut off at a random point, BOM + XML prolog), must give a non-empty clip, never a
// throw. Seeded: a failure names the page and the mutation, and the same run repeats it.
// CASEBOOK_FUZZ_ALL=1 runs every page through every mutation (about 1,000 pages x 6).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../shared/page/node.ts';
import { sharedFixtures } from './corpus-score.ts';

/** Deterministic PRNG (mulberry32), so a run is repeatable from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (html: string, random: () => number) => string;

const MUTATIONS: Record<string, Mutation> = {
  'doctype removed': (html) => html.replace(/<!doctype[^>]*>/gi, ''),
  'head cut': (html) => html.replace(/<head\b[\s\S]*?<\/head\s*>/i, '').replace(/<head\b[\s\S]*/i, (rest) => rest.slice(rest.search(/<body\b/i) >>> 0)),
  'tags unclosed': (html) => html.replace(/<\/(div|p|li|span|td|tr|table|section|article|a|ul|body|html)\s*>/gi, ''),
  'wrapped in a frameset': (html) => {
    const body = /<body\b[^>]*>([\s\S]*)/i.exec(html)?.[1] ?? html;
    const head = /<head\b[^>]*>([\s\S]*?)<\/head\s*>/i.exec(html)?.[1] ?? '';
    return `<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN"><html><head>${head}</head><frameset rows="80,*"><frame src="top.html"><noframes><body>${body}</noframes></frameset></html>`;
  },
  'random truncation': (html, random) => html.slice(0, Math.floor(random() * html.length)),
  'BOM and XML prolog': (html) => `\uFEFF<?xml version="1.0" encoding="utf-8"?>\n${html.replace(/<html\b/i, '<html xmlns="http://www.w3.org/1999/xhtml"')}`,
};

const SEED = 11;
/** Pages drawn (with a fixed seed) for a CI run; each goes through two mutations. */
const SAMPLE = Number(process.env.CASEBOOK_FUZZ_PAGES ?? 160);
const ALL = process.env.CASEBOOK_FUZZ_ALL === '1';

/** Every HTML page under the fixtures folder (source.html of the Readability corpus, pages/*.html…). */
function fixturePages(): string[] {
  if (!existsSync(sharedFixtures)) return [];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.html?$/i.test(name) && name !== 'expected.html') found.push(file);
    }
  };
  walk(sharedFixtures);
  return found;
}

describe('fuzz: mutated fixture pages', () => {
  const pages = fixturePages();
  if (pages.length === 0) {
    it.skip(`skipped: no pages under ${sharedFixtures} (CI provides ../shared/fixtures)`, () => {});
    return;
  }
  it(`every sampled page, mutated, gives a non-empty clip (seed ${SEED})`, { timeout: ALL ? 3_600_000 : 600_000 }, () => {
    const random = seededRandom(SEED);
    // A seeded shuffle, then the first SAMPLE pages.
    const order = pages.map((file) => [random(), file] as const).sort((a, b) => a[0] - b[0]).map(([, file]) => file);
    const chosen = ALL ? order : order.slice(0, SAMPLE);
    const names = Object.keys(MUTATIONS);
    const failures: string[] = [];
    let runs = 0;
    chosen.forEach((file, index) => {
      const html = readFileSync(file, 'utf8');
      // Two mutations a page, cycling so that each is tried on many pages.
      const picked = ALL ? names : [names[index % names.length] as string, names[(index + 3) % names.length] as string];
      for (const name of picked) {
        const mutated = (MUTATIONS[name] as Mutation)(html, random);
        runs++;
        const where = `${path.relative(sharedFixtures, file)} (${name})`;
        try {
          const clip = extractArticle(mutated, 'https://example.com/fuzz/page.html');
          // Non-empty as extractArticle defines it: a title, and text or (a picture page) an image.
          const shows = clip.text.trim() !== '' || /<img\b/i.test(clip.html);
          if (clip.title.trim() === '' || !shows || clip.html.trim() === '' || clip.markdown.trim() === '') failures.push(`${where}: empty clip`);
        } catch (error) {
          failures.push(`${where}: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    });
    console.log(`fuzz: ${runs} extractions of ${chosen.length} of ${pages.length} pages, ${failures.length} failed`);
    expect(failures).toEqual([]);
  });
});
