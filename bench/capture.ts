// `npm run bench:capture`: times extractArticle against plain Readability.js on the same pages in
// the same run, scores both on trafilatura's labelled development set (F1/P/R by its counting, per
// part and language) and on Readability's corpus, and times proposeScanAnswers when present.
// Prints tables; asserts nothing about time. BENCH_ROUNDS (default 3) rounds per page, best kept.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Readability } from '@mozilla/readability';
import { DOMParser } from 'linkedom';
import { blockText } from '../shared/capture/dom.ts';
import { extractArticle } from '../shared/page/node.ts';
import { CORPUS_URL, MetaSplit, htmlWords, loadCorpus, projectRoot, sharedFixtures, shingleF1, splitTable } from '../test/capture/corpus-score.ts';
import { Scoreboard, loadTrafilaturaDev, readPage, trafilaturaDev, withLanguages } from '../test/capture/trafilatura-score.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function stats(times: number[]): { median: number; p95: number; mean: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95), mean: sorted.reduce((sum, time) => sum + time, 0) / Math.max(1, sorted.length) };
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** linkedom's parser as it comes, no repairs: what a user of Readability.js would call. */
function parseHtmlNode(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

/** Plain Readability.js as a user of the library runs it: linkedom parse + parse(). */
function plainReadability(html: string): ReturnType<Readability['parse']> {
  return new Readability(parseHtmlNode(html)).parse();
}

/** Text of Readability's article HTML, rendered as the clip's text is (one paragraph per block). */
function readabilityText(content: string | null | undefined): string {
  const doc = parseHtmlNode(`<!doctype html><html><body>${content ?? ''}</body></html>`);
  return doc.body ? blockText(doc.body) : '';
}

// trafilatura-dev: the quality figure (labelled passages that must be in or out of the clip).
const labelled = withLanguages(loadTrafilaturaDev());
if (labelled.length === 0) {
  console.log(`No labelled pages at ${trafilaturaDev}: trafilatura-dev skipped.`);
} else {
  for (const page of labelled.slice(0, 10)) {
    extractArticle(readPage(page), page.url);
    plainReadability(readPage(page));
  }
  const board = new Scoreboard();
  const times: Record<string, Record<string, number[]>> = { all: { ours: [], readability: [] }, tuning: { ours: [], readability: [] }, 'held-back': { ours: [], readability: [] } };
  for (const page of labelled) {
    const html = readPage(page);
    let oursBest = Infinity;
    let theirsBest = Infinity;
    let oursText: string | null = null;
    let theirsText: string | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      try {
        const [clip, ms] = time(() => extractArticle(html, page.url));
        oursText = clip.text;
        oursBest = Math.min(oursBest, ms);
      } catch {
        oursText = null;
      }
      try {
        const [parsed, ms] = time(() => plainReadability(html));
        theirsText = readabilityText(parsed?.content);
        theirsBest = Math.min(theirsBest, ms);
      } catch {
        theirsText = null;
      }
    }
    board.add('ours', page, oursText);
    board.add('Readability.js', page, theirsText);
    for (const group of ['all', page.part]) {
      if (oursBest < Infinity) times[group]?.ours?.push(oursBest);
      if (theirsBest < Infinity) times[group]?.readability?.push(theirsBest);
    }
  }
  const langs = board.orderedGroups().filter((group) => group.startsWith('lang:'));
  console.log(`\ntrafilatura-dev: ${labelled.length} pages, F1/P/R by trafilatura's counting (whitespace-normalised substring per passage), clip text vs Readability.js's article text`);
  console.log('held-back: the third of the sites (by a hash of the site) that no rule or model was tuned or trained on');
  console.table(board.table(['ours', 'Readability.js'], ['all', 'part:tuning', 'part:held-back', ...langs]));
  console.log('per part and language:');
  console.table(board.table(['ours', 'Readability.js'], board.orderedGroups().filter((group) => group.includes('/'))));
  const timeRows: Record<string, Record<string, string>> = {};
  for (const [group, byExtractor] of Object.entries(times)) {
    const ours = stats(byExtractor.ours ?? []);
    const theirs = stats(byExtractor.readability ?? []);
    timeRows[group] = { 'ours median': fmt(ours.median), 'ours p95': fmt(ours.p95), 'Readability.js median': fmt(theirs.median), 'Readability.js p95': fmt(theirs.p95) };
  }
  console.log(`time per page (best of ${ROUNDS} rounds; ours is the full clip: metadata, cleanup, sanitize, Markdown, text; Readability.js is parse + parse())`);
  console.table(timeRows);
}

const pages = loadCorpus();
if (pages.length === 0) {
  console.log(`No corpus at ${path.join(sharedFixtures, 'readability')}: nothing more to measure.`);
  process.exit(0);
}

// Warm up both paths so JIT compilation is not billed to the first pages.
for (const page of pages.slice(0, 10)) {
  extractArticle(page.source, CORPUS_URL);
  plainReadability(page.source);
}

const oursTimes: number[] = [];
const readabilityTimes: number[] = [];
const perPageRatio: number[] = [];
let oursF1 = 0;
let readabilityF1 = 0;
const agree = { ours: new MetaSplit(), readability: new MetaSplit() };

for (const page of pages) {
  let oursBest = Infinity;
  let readabilityBest = Infinity;
  let clip = extractArticle(page.source, CORPUS_URL);
  let plain: ReturnType<Readability['parse']> = null;
  // Alternate the two per round so machine noise hits both alike; keep each one's best round.
  for (let round = 0; round < ROUNDS; round++) {
    const [ours, oursMs] = time(() => extractArticle(page.source, CORPUS_URL));
    const [theirs, theirsMs] = time(() => plainReadability(page.source));
    clip = ours;
    plain = theirs;
    oursBest = Math.min(oursBest, oursMs);
    readabilityBest = Math.min(readabilityBest, theirsMs);
  }
  oursTimes.push(oursBest);
  readabilityTimes.push(readabilityBest);
  perPageRatio.push(oursBest / readabilityBest);
  const expectedWords = htmlWords(page.expectedHtml);
  oursF1 += shingleF1(htmlWords(clip.html), expectedWords);
  readabilityF1 += shingleF1(htmlWords(plain?.content ?? ''), expectedWords);
  const ours: Record<string, string> = { title: clip.title, byline: clip.byline, excerpt: clip.excerpt, siteName: clip.siteName, publishedTime: clip.publishedAt };
  const theirs: Record<string, string> = { title: plain?.title ?? '', byline: plain?.byline ?? '', excerpt: plain?.excerpt ?? '', siteName: plain?.siteName ?? '', publishedTime: plain?.publishedTime ?? '' };
  agree.ours.add(ours, page.expectedMeta);
  agree.readability.add(theirs, page.expectedMeta);
}

const ours = stats(oursTimes);
const theirs = stats(readabilityTimes);
console.log(`\nextractArticle vs plain Readability.js (linkedom parse + parse()), ${pages.length} pages, best of ${ROUNDS} rounds each\n`);
console.table({
  'extractArticle (full clip: metadata, cleanup, sanitize, Markdown, text)': { median: fmt(ours.median), p95: fmt(ours.p95), mean: fmt(ours.mean), 'mean body F1': (oursF1 / pages.length).toFixed(3) },
  'Readability.js 0.6.0 (HTML only)': { median: fmt(theirs.median), p95: fmt(theirs.p95), mean: fmt(theirs.mean), 'mean body F1': (readabilityF1 / pages.length).toFixed(3) },
});
console.log(`per-page time ratio extractArticle / Readability: median ${stats(perPageRatio).median.toFixed(2)}, p95 ${stats(perPageRatio).p95.toFixed(2)}`);
console.log('\nmetadata against expected-metadata.json: agreement where a value is expected; filled where it expects null');
console.table(splitTable({ ours: agree.ours, Readability: agree.readability }));
console.log('Note: expected.html is Readability\'s own output, so body F1 against it rewards keeping what Readability keeps;\nboilerplate that extractArticle removes on purpose lowers its F1 here.');

// proposeScanAnswers, when the facts engine is in the tree (loaded dynamically so this bench runs without it).
const proposePath = path.join(projectRoot, 'shared', 'facts', 'propose.ts');
const companyDir = path.join(sharedFixtures, 'company-dev');
if (existsSync(proposePath) && existsSync(companyDir)) {
  // Its Node entry point (linkedom as the page host) in shared/page/node.ts.
  const module = (await import(pathToFileURL(path.join(projectRoot, 'shared', 'page', 'node.ts')).href)) as { proposeScanAnswers?: (input: string, url: string) => unknown };
  const propose = module.proposeScanAnswers;
  if (typeof propose === 'function') {
    const files = readdirSync(companyDir).filter((file) => file.endsWith('.html'));
    const times: number[] = [];
    for (const file of files) {
      const html = readFileSync(path.join(companyDir, file), 'utf8');
      const url = `https://${file.replace(/\.html$/, '')}.example/`;
      try {
        propose(html, url);
        let best = Infinity;
        for (let round = 0; round < ROUNDS; round++) best = Math.min(best, time(() => propose(html, url))[1]);
        times.push(best);
      } catch (error) {
        console.log(`proposeScanAnswers failed on ${file}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    const facts = stats(times);
    console.log(`\nproposeScanAnswers on ${times.length} company-dev pages:`);
    console.table({ proposeScanAnswers: { median: fmt(facts.median), p95: fmt(facts.p95), mean: fmt(facts.mean) } });
  }
} else {
  console.log('\nproposeScanAnswers: shared/facts/propose.ts or company-dev fixtures not present; skipped.');
}
