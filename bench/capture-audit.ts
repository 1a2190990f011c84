// `tsx bench/capture-audit.ts [tuning|held-back|all] [--list]`: scores extractArticle alone on
// trafilatura-dev (F1/P/R per part, quickly: one round, no Readability.js) and, with --list,
// prints each `without` passage that survives in the clip (false positives) and each `with`
// passage that is missing (recall losses), with the element path it sits in on the page, so
// they can be sorted into kinds (other stories' dates, comments, related lists, credits, …).
// Writes per-page counts to $AUDIT_OUT (JSON) when set, to compare two runs page by page.
import { writeFileSync } from 'node:fs';
import { descendantElements } from '../shared/capture/dom.ts';
import { extractArticle, parseHtml } from '../shared/page/node.ts';
import { emptyCounts, loadTrafilaturaDev, normalizeWhitespace, prf, readPage, scorePage, type Counts, type LabelledPage } from '../test/capture/trafilatura-score.ts';

const args = process.argv.slice(2);
const part = args.find((arg) => !arg.startsWith('--')) ?? 'all';
const list = args.includes('--list');
const pages = loadTrafilaturaDev().filter((page) => part === 'all' || page.part === part);

/** The innermost element of the page whose text holds `passage`, as a path of tag.class#id. */
function whereOnPage(doc: Document, passage: string): string {
  const wanted = normalizeWhitespace(passage);
  let best: Element | undefined;
  for (const element of descendantElements(doc.body ?? doc.documentElement)) {
    const text = normalizeWhitespace(element.textContent ?? '');
    if (text.includes(wanted) && (!best || (best.textContent ?? '').length >= (element.textContent ?? '').length)) best = element;
  }
  const path: string[] = [];
  for (let current: Element | null = best ?? null; current && path.length < 8; current = current.parentElement) {
    const cls = (current.getAttribute('class') ?? '').trim().split(/\s+/).slice(0, 3).join('.');
    const id = current.getAttribute('id');
    const role = current.getAttribute('role');
    path.unshift(`${current.localName}${cls ? '.' + cls : ''}${id ? '#' + id : ''}${role ? `[role=${role}]` : ''}`);
  }
  return path.join(' > ') || '(not found on page)';
}

const totals: Record<string, Counts> = { all: emptyCounts(), tuning: emptyCounts(), 'held-back': emptyCounts() };
const perPage: Record<string, { tp: number; fn: number; fp: number }> = {};
const started = performance.now();
for (const page of pages) {
  const html = readPage(page);
  let text: string | null = null;
  try {
    text = extractArticle(html, page.url).text;
  } catch {
    text = null;
  }
  const counts = scorePage(page, text, emptyCounts());
  perPage[page.file] = { tp: counts.tp, fn: counts.fn, fp: counts.fp };
  for (const group of ['all', page.part]) scorePage(page, text, totals[group] as Counts);
  if (list && text !== null && (counts.fp > 0 || counts.fn > 0)) report(page, html, text);
}
for (const [group, counts] of Object.entries(totals)) {
  if (counts.pages === 0) continue;
  const { precision, recall, f1 } = prf(counts);
  console.log(`${group.padEnd(10)} pages ${String(counts.pages).padStart(3)}  F1 ${f1.toFixed(3)}  P ${precision.toFixed(3)}  R ${recall.toFixed(3)}  tp ${counts.tp} fn ${counts.fn} fp ${counts.fp} failed ${counts.failed}`);
}
console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
if (process.env.AUDIT_OUT) writeFileSync(process.env.AUDIT_OUT, JSON.stringify(perPage));

function report(page: LabelledPage, html: string, text: string): void {
  const haystack = normalizeWhitespace(text);
  const doc = parseHtml(html);
  console.log(`\n## ${page.file} ${page.url} [${page.part}]`);
  for (const passage of page.without) {
    if (haystack.includes(normalizeWhitespace(passage))) console.log(`  FP "${normalizeWhitespace(passage).slice(0, 90)}"\n     at ${whereOnPage(doc, passage)}`);
  }
  for (const passage of page.with) {
    if (!haystack.includes(normalizeWhitespace(passage))) console.log(`  FN "${normalizeWhitespace(passage).slice(0, 90)}"\n     at ${whereOnPage(doc, passage)}`);
  }
}
