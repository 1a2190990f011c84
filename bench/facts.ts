// npm run bench:facts [-- --baseline REF]: how well proposeScanAnswers (shared/facts) fills a
// company scan on real pages it was not written against (issue 12).
//  1. company-dev: per-field precision / recall / F1 against hand labels written by
//     company-scan.md (test/facts/company-dev-labels.json), split by site into a tuning part
//     and a held-back part (a hash of the site, not a choice), both reported; plus the number of
//     values proposed that belong to someone else (labelled thirdParty) and of snippets that do
//     not contain their value.
//  2. company-annotated: recall of every annotated phone, e-mail, street, city, postcode,
//     country and organisation mention (WebAnnotator spans, stripped before extraction).
//  3. time per page.
// With --baseline REF (a commit, e.g. the one before a change) the same tables are computed
// for that commit's shared/facts in the same run, side by side. Needs ../shared/fixtures.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { baseHref, fixturesDir } from '../test/facts/fixture-pages.ts';

const projectRoot = path.resolve(import.meta.dirname, '..');
const labelsPath = path.join(projectRoot, 'test/facts/company-dev-labels.json');
const devDir = path.join(fixturesDir, 'company-dev');
const annotatedDir = path.join(fixturesDir, 'company-annotated/pages');

type Proposal = { value: unknown; method: string; confidence: number; evidence: { url: string; snippet: string } };
type Answers = Record<string, Proposal[] | undefined>;
type Report = { proposals: { url: string; answers: Answers }; failures: Array<{ extractor: string; message: string }> };
type Engine = { name: string; run: (html: string, url: string) => Report };

interface Label {
  url: string;
  name?: string[] | null;
  legalName?: string[] | null;
  logo?: string[] | null;
  website?: string | null;
  country?: string[] | null;
  phones?: string[];
  emails?: string[];
  social?: string[];
  vatIds?: string[];
  registrations?: string[];
  policy?: string[];
  addresses?: string[];
  ignore?: string[];
  thirdParty?: string[];
  optional?: string[];
}

const FIELDS = ['name', 'legalName', 'website', 'logo', 'country', 'isOwnSite', 'emails', 'phones', 'vatIds', 'registrationIds', 'social', 'policy links', 'street', 'postcode', 'locality'] as const;
type Field = (typeof FIELDS)[number];
type Counts = Record<Field, { tp: number; fp: number; fn: number }>;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---------- engines: the working tree, and optionally a baseline commit ----------

async function loadEngine(dir: string, name: string): Promise<Engine> {
  // Today's engine takes its HTML parser as an argument; shared/page/node.ts binds linkedom.
  const nodeEntry = path.join(dir, 'shared/page/node.ts');
  if (existsSync(nodeEntry)) {
    const node = (await import(pathToFileURL(nodeEntry).href)) as { proposeScanAnswersReport: (h: string, u: string) => Report };
    return { name, run: node.proposeScanAnswersReport };
  }
  // Older engines registered linkedom when shared/facts/node-html.ts was imported.
  const facts = path.join(dir, 'shared/facts');
  const host = (await import(pathToFileURL(path.join(facts, 'node-html.ts')).href)) as { proposeScanAnswers?: (h: string, u: string) => Report['proposals'] };
  const propose = (await import(pathToFileURL(path.join(facts, 'propose.ts')).href)) as {
    proposeScanAnswersReport?: (h: string, u: string) => Report;
    proposeScanAnswers?: (h: string, u: string) => Report['proposals'];
  };
  if (propose.proposeScanAnswersReport) return { name, run: propose.proposeScanAnswersReport };
  const plain = propose.proposeScanAnswers ?? host.proposeScanAnswers!;
  // An older engine without guards: a throw is the page's failure.
  return {
    name,
    run: (html, url) => {
      try {
        return { proposals: plain(html, url), failures: [] };
      } catch (error) {
        return { proposals: { url, answers: {} }, failures: [{ extractor: 'proposeScanAnswers', message: (error as Error).message }] };
      }
    },
  };
}

/** Exports REF's shared/ (facts and the page core it uses) under node_modules/.cache (so its imports resolve to this project's packages). */
function checkout(ref: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short', ref], { cwd: projectRoot, encoding: 'utf8' }).trim();
  const dir = path.join(projectRoot, 'node_modules/.cache/facts-baseline', sha);
  if (!existsSync(path.join(dir, 'shared/site.ts')) && !existsSync(path.join(dir, 'shared/facts/node-html.ts'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${sha} shared | tar -x -C "${dir}"`], { cwd: projectRoot });
  }
  return dir;
}

// ---------- normalising values for comparison ----------

const squash = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
const urlKey = (s: string) => s.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^(?:www\.|m\.)/, '').replace(/[?#].*$/, '').replace(/\/+$/, '');
const hostKey = (s: string) => {
  try {
    return new URL(/^https?:/i.test(s) ? s : `http://${s}`).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return s.toLowerCase();
  }
};
const pathKey = (s: string) => {
  try {
    return decodeURIComponent(new URL(s, 'http://x/').pathname).toLowerCase();
  } catch {
    return s.toLowerCase();
  }
};
const postcodeKey = (s: string) => s.replace(/\s+/g, '').toUpperCase();
const alternatives = (s: string) => s.split(' || ').map((a) => a.trim());

function fuzzyStreet(a: string, b: string): boolean {
  const x = squash(a);
  const y = squash(b);
  return x.length > 0 && y.length > 0 && (x === y || (x.length >= 6 && y.includes(x)) || (y.length >= 6 && x.includes(y)));
}

function strings(answers: Answers, key: string): string[] {
  return (answers[key] ?? []).map((p) => p.value).filter((v): v is string => typeof v === 'string');
}

function addressParts(answers: Answers): Array<{ street: string; postalCode: string; locality: string }> {
  return (answers.addresses ?? []).map((p) => p.value as { street: string; postalCode: string; locality: string });
}

// ---------- company-dev: scoring against labels ----------

function emptyCounts(): Counts {
  return Object.fromEntries(FIELDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Counts;
}

/** One list field: labels (each with alternatives) against proposals; ignored values count neither way. */
// --show FIELD prints the tuning pages' misses for that field (the held-back pages' stay unread).
const showField = arg('--show');
let show: string | undefined = showField;
let current = '';

function scoreList(c: { tp: number; fp: number; fn: number }, labels: string[][], proposed: string[], ignore: string[], same: (label: string, value: string) => boolean, field = ''): void {
  const used = new Set<number>();
  // A value labelled twice (two offices in one town) is one value to find.
  labels = [...new Map(labels.map((alts) => [alts.map((a) => squash(a)).join('|'), alts])).values()];
  for (const alts of labels) {
    const hit = proposed.findIndex((v, i) => !used.has(i) && alts.some((a) => same(a, v)));
    if (hit >= 0) {
      used.add(hit);
      c.tp++;
    } else {
      c.fn++;
      if (show === field) console.log(`  ${current} ${field} missed: ${alts.join(' || ')}`);
    }
  }
  proposed.forEach((v, i) => {
    if (used.has(i)) return;
    if (labels.some((alts) => alts.some((a) => same(a, v)))) return; // a second spelling of a found value
    if (ignore.some((a) => same(a, v))) return;
    c.fp++;
    if (show === field) console.log(`  ${current} ${field} wrong: ${v}`);
  });
}

function scoreSingle(c: { tp: number; fp: number; fn: number }, label: string[] | null | undefined, top: string | undefined, optional: boolean, same: (label: string, value: string) => boolean, field = ''): void {
  if (label === undefined) return;
  if (show === field && !(top !== undefined && label?.some((l) => same(l, top))) && !(top === undefined && (label === null || optional))) console.log(`  ${current} ${field}: proposed ${top ?? '(nothing)'}, labelled ${label === null ? 'nothing' : label.join(' || ')}`);
  if (label === null) {
    if (top !== undefined) c.fp++;
    return;
  }
  if (top !== undefined && label.some((l) => same(l, top))) {
    c.tp++;
    return;
  }
  if (top !== undefined) c.fp++;
  if (!optional) c.fn++;
}

const dedupe = (values: string[], key: (v: string) => string) => [...new Map(values.map((v) => [key(v), v])).values()];

function scorePage(counts: Counts, label: Label, answers: Answers): void {
  const optional = new Set(label.optional ?? []);
  const ignore = label.ignore ?? [];
  const sameName = (l: string, v: string) => squash(l) === squash(v);
  scoreSingle(counts.name, label.name, strings(answers, 'name')[0], optional.has('name'), sameName, 'name');
  scoreSingle(counts.legalName, label.legalName, strings(answers, 'legalName')[0], optional.has('legalName'), sameName, 'legalName');
  scoreSingle(counts.website, label.website === null ? null : label.website ? alternatives(label.website) : undefined, strings(answers, 'website')[0], optional.has('website'), (l, v) => hostKey(l) === hostKey(v), 'website');
  const topLogo = strings(answers, 'logo')[0];
  const logoIgnored = topLogo !== undefined && ignore.some((i) => i.startsWith('/') && pathKey(topLogo).endsWith(i.toLowerCase()));
  if (!logoIgnored) scoreSingle(counts.logo, label.logo, topLogo, optional.has('logo'), (l, v) => pathKey(v).endsWith(l.toLowerCase()), 'logo');
  scoreSingle(counts.country, label.country, strings(answers, 'country')[0], optional.has('country'), (l, v) => l.toUpperCase() === v.toUpperCase(), 'country');
  const own = answers.isOwnSite?.[0]?.value;
  scoreSingle(counts.isOwnSite, ['true'], own === undefined ? undefined : String(own), false, (l, v) => l === v);

  const list = (field: Field, labels: string[] | undefined, proposed: string[], key: (s: string) => string) =>
    scoreList(counts[field], (labels ?? []).map(alternatives), dedupe(proposed, key), ignore, (l, v) => key(l) === key(v), field);
  list('emails', label.emails, strings(answers, 'emails'), (s) => s.toLowerCase());
  list('phones', label.phones, (answers.phones ?? []).map((p) => (p.value as { number: string }).number), (s) => s);
  list('vatIds', label.vatIds, strings(answers, 'vatIds'), (s) => s.toUpperCase().replace(/\s/g, ''));
  list('registrationIds', label.registrations, (answers.registrations ?? []).map((p) => { const r = p.value as { scheme: string; value: string }; return `${r.scheme}:${r.value}`; }), (s) => s.toUpperCase());
  list('social', label.social, strings(answers, 'social'), urlKey);
  const policy = [...strings(answers, 'csrPage'), ...(answers.reports ?? []).map((p) => (p.value as { url: string }).url), ...strings(answers, 'codeOfConduct'), ...strings(answers, 'humanRightsStatement'), ...strings(answers, 'whistleblowing')];
  list('policy links', label.policy, policy, urlKey);

  const labelled = (label.addresses ?? []).map((a) => {
    const [street = '', postalCode = '', locality = ''] = a.split(/(?<!\|)\|(?!\|)/);
    return { streets: alternatives(street), postalCode: postalCode === '-' ? '' : postalCode, locality };
  });
  const proposed = addressParts(answers);
  scoreList(counts.street, labelled.map((a) => a.streets), dedupe(proposed.map((a) => a.street).filter(Boolean), squash), ignore, fuzzyStreet, 'street');
  scoreList(counts.postcode, labelled.filter((a) => a.postalCode).map((a) => [a.postalCode]), dedupe(proposed.map((a) => a.postalCode).filter(Boolean), postcodeKey), ignore, (l, v) => postcodeKey(l) === postcodeKey(v), 'postcode');
  scoreList(counts.locality, labelled.filter((a) => a.locality).map((a) => [a.locality]), dedupe(proposed.map((a) => a.locality).filter(Boolean), squash), ignore, (l, v) => squash(l) === squash(v), 'locality');
}

const IDENTITY_KEYS = new Set(['name', 'legalName', 'website', 'logo', 'emails', 'phones', 'social', 'addresses', 'vatIds', 'registrations']);

/** Values proposed (in identity and contact keys) that the labels name as someone else's. */
function thirdPartyHits(label: Label, answers: Answers): string[] {
  const hits: string[] = [];
  for (const t of label.thirdParty ?? []) {
    // Identity and contact keys: the company's own description may well name its parent or partners.
    const found = Object.entries(answers).filter(([key]) => IDENTITY_KEYS.has(key)).some(([, list]) => (list ?? []).some((p) => {
      const v = p.value;
      if (t.startsWith('+')) return typeof v === 'object' && v !== null && (v as { number?: string }).number === t;
      if (t.includes('@')) return typeof v === 'string' && v.toLowerCase() === t.toLowerCase();
      if (t.startsWith('/')) return typeof v === 'string' && pathKey(v).endsWith(t.toLowerCase());
      if (t.includes('|')) return typeof v === 'object' && v !== null && postcodeKey((v as { postalCode?: string }).postalCode ?? '') === postcodeKey(t.split('|')[1] ?? '-');
      if (/(?:facebook|twitter|linkedin|youtube|instagram)\./.test(t)) return typeof v === 'string' && urlKey(v) === urlKey(t);
      const text = typeof v === 'string' ? v : '';
      return squash(t).length >= 3 && squash(text).includes(squash(t));
    }));
    if (found) hits.push(t);
  }
  return hits;
}

/** Proposals whose evidence snippet does not contain their (string) value, for keys whose value is shown as written. */
function snippetMisses(answers: Answers): string[] {
  const misses: string[] = [];
  for (const key of ['name', 'legalName', 'emails']) {
    for (const p of answers[key] ?? []) {
      const v = String(p.value).toLowerCase();
      // An obfuscated address is shown as written ("info[at]x[dot]nl"): its raw form counts.
      const snippet = p.evidence.snippet.toLowerCase().replace(/\s*[[({]\s*(?:at|@)\s*[\])}]\s*/g, '@').replace(/\s*[[({]\s*(?:dot|punt)\s*[\])}]\s*/g, '.');
      if (!snippet.includes(v)) misses.push(`${key}: ${String(p.value)}`);
    }
  }
  return misses;
}

/** FNV-1a of the site: the split does not depend on anyone's choice of pages. */
function heldBack(site: string): boolean {
  let h = 0x811c9dc5;
  for (const ch of site) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h % 2 === 1;
}

function prf(c: { tp: number; fp: number; fn: number }): { p: number; r: number; f: number } | null {
  if (c.tp + c.fp + c.fn === 0) return null;
  const p = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const r = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  return { p, r, f: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}

const fmt = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2));

// ---------- company-annotated: recall of annotated mentions ----------

interface Annotated { file: string; html: string; url: string; entities: Map<string, Set<string>> }

function loadAnnotated(): Annotated[] {
  if (!existsSync(annotatedDir)) return [];
  const pages: Annotated[] = [];
  for (const file of readdirSync(annotatedDir).filter((f) => f.endsWith('.html')).sort()) {
    const raw = readFileSync(path.join(annotatedDir, file), 'utf8');
    const { document } = parseHTML(raw);
    const byId = new Map<string, { type: string; text: string }>();
    for (const el of document.querySelectorAll('[wa-type]')) {
      const type = el.getAttribute('wa-type') ?? '';
      const id = `${type}:${el.getAttribute('wa-id') ?? ''}`;
      const known = byId.get(id);
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      byId.set(id, { type, text: known ? `${known.text} ${text}` : text });
    }
    const entities = new Map<string, Set<string>>();
    for (const { type, text } of byId.values()) if (text) (entities.get(type) ?? entities.set(type, new Set()).get(type)!).add(text);
    // The page as it was before annotation: WebAnnotator's spans lose their attributes.
    const html = raw.replace(/<span\b[^>]*\bwa-type="[^"]*"[^>]*>/gi, '<span>');
    pages.push({ file, html, url: baseHref(raw) || `https://www.example.com/${file}`, entities });
  }
  return pages;
}

const COUNTRIES: Record<string, string> = { usa: 'US', us: 'US', 'united states': 'US', 'united states of america': 'US', america: 'US', canada: 'CA', uk: 'GB', 'united kingdom': 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'great britain': 'GB', australia: 'AU', ireland: 'IE', 'new zealand': 'NZ', india: 'IN', germany: 'DE', france: 'FR', netherlands: 'NL', 'the netherlands': 'NL', israel: 'IL', 'south africa': 'ZA', mexico: 'MX', spain: 'ES', italy: 'IT', china: 'CN', japan: 'JP', singapore: 'SG' };

function phoneKey(raw: string, country: string): string {
  const p = parsePhoneNumberFromString(raw.replace(/[^\d+()\-. ]/g, ' '), (country || 'US') as CountryCode);
  return p?.isValid() ? p.number : '';
}

type Recall = Record<string, { found: number; total: number }>;

function annotatedRecall(pages: Annotated[], results: Map<string, Answers>): Recall {
  const r: Recall = Object.fromEntries(['phones', 'emails', 'streets', 'cities', 'postcodes', 'countries', 'organisations (page names one)'].map((k) => [k, { found: 0, total: 0 }]));
  const count = (key: string, found: boolean) => {
    r[key]!.total++;
    if (found) r[key]!.found++;
  };
  for (const page of pages) {
    const answers = results.get(page.file) ?? {};
    const country = strings(answers, 'country')[0] ?? '';
    const phones = new Set((answers.phones ?? []).map((p) => (p.value as { number: string }).number));
    const wanted = new Set<string>();
    for (const t of [...(page.entities.get('TEL') ?? []), ...(page.entities.get('FAX') ?? [])]) {
      const key = phoneKey(t, country);
      if (key) wanted.add(key);
    }
    for (const key of wanted) count('phones', phones.has(key));
    const emails = new Set(strings(answers, 'emails'));
    for (const e of new Set([...(page.entities.get('EMAIL') ?? [])].map((e) => e.toLowerCase().replace(/^mailto:/, '')).filter((e) => /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/.test(e)))) count('emails', emails.has(e));
    const addresses = addressParts(answers);
    for (const s of new Set([...(page.entities.get('STREET') ?? [])].map((s) => s.replace(/[,.]+$/, '')))) count('streets', addresses.some((a) => fuzzyStreet(s, a.street)));
    for (const c of new Set([...(page.entities.get('CITY') ?? [])].map(squash))) count('cities', addresses.some((a) => squash(a.locality) === c));
    for (const z of new Set([...(page.entities.get('ZIPCODE') ?? [])].map(postcodeKey))) count('postcodes', addresses.some((a) => postcodeKey(a.postalCode) === z));
    const countries = new Set(strings(answers, 'country'));
    for (const c of new Set([...(page.entities.get('COUNTRY') ?? [])].map((c) => COUNTRIES[c.toLowerCase().replace(/\.$/, '').replace(/\./g, '')] ?? ''))) if (c) count('countries', countries.has(c));
    const orgs = [...(page.entities.get('ORG') ?? [])].map(squash).filter((o) => o.length >= 3);
    if (orgs.length > 0) {
      const names = [...strings(answers, 'name'), ...strings(answers, 'legalName')].map(squash).filter(Boolean);
      count('organisations (page names one)', names.some((n) => orgs.some((o) => o === n || (n.length >= 5 && o.includes(n)) || (o.length >= 5 && n.includes(o)))));
    }
  }
  return r;
}

// ---------- running ----------

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function main(): Promise<void> {
  if (!existsSync(devDir)) {
    console.log(`bench:facts: ${fixturesDir} not found (CI provides ../shared/fixtures); nothing to measure.`);
    return;
  }
  const engines: Engine[] = [];
  const baselineRef = arg('--baseline');
  if (baselineRef) engines.push(await loadEngine(checkout(baselineRef), `baseline ${baselineRef}`));
  engines.push(await loadEngine(projectRoot, 'now'));

  const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as Record<string, Label | string>;
  const pages = Object.entries(labels).filter((e): e is [string, Label] => typeof e[1] === 'object');
  const annotated = loadAnnotated();
  const split = pages.map(([file, label]) => ({ file, label, held: heldBack(hostKey(label.website ?? label.url)) }));
  console.log(`company-dev: ${split.length} labelled pages, ${split.filter((s) => !s.held).length} to tune on, ${split.filter((s) => s.held).length} held back (split by a hash of the site)`);
  console.log(`held back: ${split.filter((s) => s.held).map((s) => s.file).join(' ')}\n`);

  const perEngine = new Map<string, { tune: Counts; held: Counts; third: string[]; snippets: string[]; failures: string[]; recall: Recall; times: number[] }>();
  for (const engine of engines) {
    const tune = emptyCounts();
    const held = emptyCounts();
    const third: string[] = [];
    const snippets: string[] = [];
    const failures: string[] = [];
    const times: number[] = [];
    for (const { file, label, held: isHeld } of split) {
      const html = readFileSync(path.join(devDir, `${file}.html`), 'utf8');
      const started = performance.now();
      const report = engine.run(html, label.url);
      times.push(performance.now() - started);
      for (const f of report.failures) failures.push(`${file}: ${f.extractor}: ${f.message}`);
      const answers = report.proposals.answers;
      current = `[${engine.name}] ${file}`;
      show = isHeld ? undefined : showField;
      scorePage(isHeld ? held : tune, label, answers);
      for (const t of thirdPartyHits(label, answers)) third.push(`${file}: ${t}`);
      for (const s of snippetMisses(answers)) snippets.push(`${file}: ${s}`);
    }
    const results = new Map<string, Answers>();
    for (const page of annotated) {
      const started = performance.now();
      const report = engine.run(page.html, page.url);
      times.push(performance.now() - started);
      for (const f of report.failures) failures.push(`annotated/${page.file}: ${f.extractor}: ${f.message}`);
      results.set(page.file, report.proposals.answers);
      for (const s of snippetMisses(report.proposals.answers)) snippets.push(`annotated/${page.file}: ${s}`);
    }
    perEngine.set(engine.name, { tune, held, third, snippets, failures, recall: annotatedRecall(annotated, results), times });
  }

  const names = engines.map((e) => e.name);
  for (const part of ['held', 'tune'] as const) {
    console.log(`\ncompany-dev, ${part === 'held' ? 'HELD-BACK pages (never tuned on)' : 'tuning pages'}: P / R / F1 per field${names.length > 1 ? ` (${names.join(' → ')})` : ''}`);
    const rows: Record<string, Record<string, string>> = {};
    const macro: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const field of FIELDS) {
      const row: Record<string, string> = {};
      for (const name of names) {
        const c = perEngine.get(name)![part][field];
        const s = prf(c);
        const tag = names.length > 1 ? `${name} ` : '';
        row[`${tag}P`] = fmt(s?.p);
        row[`${tag}R`] = fmt(s?.r);
        row[`${tag}F1`] = fmt(s?.f);
        row[`${tag}tp/fp/fn`] = `${c.tp}/${c.fp}/${c.fn}`;
        if (s) macro[name]!.push(s.f);
      }
      rows[field] = row;
    }
    console.table(rows);
    for (const name of names) console.log(`macro-F1 (${name}, ${macro[name]!.length} fields with labels): ${fmt(macro[name]!.reduce((a, b) => a + b, 0) / Math.max(1, macro[name]!.length))}`);
  }

  console.log(`\ncompany-annotated (${annotated.length} pages): recall of annotated mentions (found / annotated)`);
  const recallRows: Record<string, Record<string, string>> = {};
  for (const key of Object.keys(perEngine.get(names[0]!)!.recall)) {
    const row: Record<string, string> = {};
    for (const name of names) {
      const r = perEngine.get(name)!.recall[key]!;
      row[names.length > 1 ? name : 'recall'] = `${fmt(r.total ? r.found / r.total : undefined)} (${r.found}/${r.total})`;
    }
    recallRows[key] = row;
  }
  console.table(recallRows);
  console.log('Note: the annotations mark every mention, the site\'s own company and others alike, so full recall is neither possible nor wanted (company-scan.md: others\' values are not proposed).');

  for (const name of names) {
    const e = perEngine.get(name)!;
    const sorted = [...e.times].sort((a, b) => a - b);
    console.log(`\n[${name}] third-party values proposed on company-dev: ${e.third.length}${e.third.length ? ` (${e.third.join('; ')})` : ''}`);
    console.log(`[${name}] failed extractors: ${e.failures.length}${e.failures.length ? ` (${e.failures.slice(0, 5).join('; ')})` : ''}`);
    console.log(`[${name}] name/legalName/e-mail snippets without their value: ${e.snippets.length}${e.snippets.length ? ` (${e.snippets.slice(0, 5).join('; ')})` : ''}`);
    console.log(`[${name}] time per page over ${sorted.length} pages: median ${quantile(sorted, 0.5).toFixed(1)} ms, p95 ${quantile(sorted, 0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms`);
  }
}

await main();
