// Stored text cannot stall the service (issue 9, finding 3): Markdown renders in bounded time
// at the largest size the model allows, clip HTML is sanitized in linear time once at ingest
// and not again on a view, both outputs stay safe, and /health answers over a real socket
// while pages holding such text are served.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/model.ts';
import { boundNesting, MAX_DEPTH, sanitizeClipHtml, sanitizeClipHtmlOnce } from '../../shared/sanitize.ts';
import { pushChanges } from '../../service/sync/push.ts';
import { renderMarkdown, renderMarkdownParts, renderMarkdownUncached } from '../../service/web/markdown.ts';
import { lessonSections } from '../../service/web/pages/lessons.tsx';
import { Client, signedIn, webWorld, type WebWorld } from '../web/helpers.ts';
import { cpuMs } from '../helpers/cpu-time.ts';

/** The generous bound of the issue for one render of the largest allowed input. */
const RENDER_MS = 100;

/** `unit` repeated to exactly `size` characters. */
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const lines = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join('\n');

/** Pathological Markdown, each made at a given size (the largest allowed in the test). */
const MARKDOWN: Record<string, (size: number) => string> = {
  'underscore runs _a': (n) => fill('_a', n),
  'star runs *a': (n) => fill('*a', n),
  'double stars **': (n) => fill('**', n),
  'mixed delimiters *_': (n) => fill('*_', n),
  'strikethrough runs ~~a': (n) => fill('~~a', n),
  'backtick run': (n) => fill('`', n),
  'backtick runs of growing length': (n) => fill(Array.from({ length: 500 }, (_, i) => `${'`'.repeat(i + 1)}a `).join(''), n),
  'open brackets [': (n) => fill('[', n),
  'image openers ![': (n) => fill('![', n),
  'bracket and star [*': (n) => fill('[*', n),
  'unclosed link [a](': (n) => fill('[a](', n),
  'empty link []( ': (n) => fill('[](', n),
  'nested emphasis': (n) => fill('*a **b _c __d ', n),
  'brackets in 4 KB paragraphs': (n) => fill(`${'!['.repeat(2000)}\n\n`, n),
  'emphasis in 4 KB paragraphs': (n) => fill(`${'_a'.repeat(2000)}\n\n`, n),
  'deep list': (n) => fill(lines(400, (i) => `${'  '.repeat(i)}- a`), n),
  'deep ordered list': (n) => fill(lines(400, (i) => `${'   '.repeat(i)}1. a`), n),
  'list items': (n) => fill('- a\n', n),
  'deep block quote': (n) => fill('>', n),
  'quotes of changing depth': (n) => fill(lines(1000, (i) => `${'>'.repeat(i % 100)} a`), n),
  'quoted lists': (n) => fill('> - ', n),
  'headings': (n) => fill('# a\n', n),
  'rules': (n) => fill('---\n', n),
  'fences': (n) => fill('```\n', n),
  'wide table': (n) => fill(`${'|a'.repeat(n / 8)}\n${'|-'.repeat(n / 8)}\n${'|a'.repeat(n / 8)}\n`, n),
  'long table': (n) => fill(`|a|b|\n|-|-|\n${'|a|b|\n'.repeat(n / 6)}`, n),
  'reference definitions': (n) => fill('[a]: b\n', n),
  'backslashes': (n) => fill('\\', n),
  'nested tags <b>': (n) => fill('<b>', n),
  'nested tags <div>': (n) => fill('<div>', n),
  'nested tags <div> on lines': (n) => fill('<div>\n', n),
  'unclosed tags <a ': (n) => fill('<a ', n),
  'unclosed comments <!--': (n) => fill('a <!--', n),
  'unclosed attributes': (n) => fill('a <a b="', n),
  'entity runs &amp;': (n) => fill('&amp;', n),
  'unfinished entities &#': (n) => fill('&#', n),
  'less-than run': (n) => fill('<', n),
  'autolink openers': (n) => fill('<http://a', n),
  'script in Markdown': (n) => fill('<script>alert(1)</script> [x](javascript:alert(1)) ![y](javascript:alert(2)) ', n),
};

/** A seeded generator, so a failing input can be made again. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const PIECES = ['_', '*', '**', '~~', '`', '```', '[', ']', '](', ')', '![', '<', '>', '<b>', '</b>', '<div>', '&amp;', '&#', '\\', '\n', '\n\n', '- ', '> ', '# ', '|', 'a', ' ', 'javascript:', '<script>', 'http://x.example/', '"', "'", 'onerror='];
function fuzzInput(seed: number, size: number): string {
  const next = random(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const piece = PIECES[Math.floor(next() * PIECES.length)]!;
    // Runs of one piece are what hurts parsers, so pieces come in runs of up to 200.
    const run = piece.repeat(1 + Math.floor(next() * 200));
    parts.push(run);
    length += run.length;
  }
  return parts.join('').slice(0, size);
}

const ALLOWED_MARKDOWN_TAGS = new Set(['p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'em', 'strong', 's', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img']);

/** Asserts `html` has only content tags and no way to run anything. */
function expectSafe(html: string, allowedTags: Set<string> | null): void {
  expect(html).not.toMatch(/<(script|style|iframe|object|embed|form|svg|math|template|base|meta|link)\b/i);
  // No event handler or style attribute inside a tag, no script URL in an attribute.
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    expect(tag).not.toMatch(/\s(on\w+|style|srcdoc|formaction)\s*=/i);
    expect(tag).not.toMatch(/(href|src|cite|action)\s*=\s*["']?\s*(javascript|vbscript|data|file):/i);
    if (allowedTags) expect(allowedTags.has(/^<([a-z0-9]+)/i.exec(tag)![1]!.toLowerCase()), tag).toBe(true);
  }
}

/**
 * Milliseconds of CPU one call takes: what it blocks the event loop for on an idle machine
 * (wall time on a CI machine also counts the other test files running on the same cores).
 */
function timed<T>(run: () => T): { ms: number; value: T } {
  const start = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, value };
}

describe('Markdown rendering is bounded', () => {
  const size = LIMITS.longText;

  for (const [name, make] of Object.entries(MARKDOWN)) {
    it(`${name}: ${size} characters render in under ${RENDER_MS} ms, safely`, () => {
      // A smaller input of the same shape first, so the time measured is the render, not the JIT.
      renderMarkdownUncached(make(size / 20));
      const input = make(size);
      expect(input.length).toBe(size);
      const { ms, value } = cpuMs(() => renderMarkdownUncached(input), RENDER_MS);
      expect(ms, `${name} took ${ms.toFixed(0)} ms`).toBeLessThan(RENDER_MS);
      expectSafe(value, ALLOWED_MARKDOWN_TAGS);
    });
  }

  it(`random runs of Markdown and HTML syntax: ${size} characters render in under ${RENDER_MS} ms, safely`, () => {
    renderMarkdownUncached(fuzzInput(0, size / 20));
    for (let seed = 1; seed <= 12; seed++) {
      const input = fuzzInput(seed, size);
      const { ms, value } = cpuMs(() => renderMarkdownUncached(input), RENDER_MS);
      expect(ms, `seed ${seed} took ${ms.toFixed(0)} ms`).toBeLessThan(RENDER_MS);
      expectSafe(value, ALLOWED_MARKDOWN_TAGS);
    }
  });

  it('still renders ordinary Markdown: headings one level down, links with rel, lists, code, tables', () => {
    const html = renderMarkdown('# Trust\n\nA *case* with **bold**, `code` and [a link](https://a.example/x).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(html).toContain('<h2>Trust</h2>');
    expect(html).toContain('<em>case</em>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<a href="https://a.example/x" rel="noopener noreferrer nofollow">a link</a>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<td>1<\/td>/);
  });

  it('drops raw HTML tags and unsafe targets but keeps the text', () => {
    const html = renderMarkdown('Hi <script>alert(1)</script> <b onclick="x">bold</b> [x](javascript:alert(1)) [y]( JAVASCRIPT:alert(1)) [z](&#106;avascript:alert(1)) [p](//evil.example/) ![i](data:image/png;base64,AA)\n\n<div onmouseover="x">\nblock <em>text</em>\n</div>');
    expectSafe(html, ALLOWED_MARKDOWN_TAGS);
    expect(html).toContain('bold');
    expect(html).toContain('<a rel="noopener noreferrer nofollow">x</a>');
    expect(html).toContain('block text');
    expect(html).not.toMatch(/onclick|onmouseover|<div|<b>|href="\/\//);
  });

  it(`lessons split into themes: ${size} characters split and render in under ${RENDER_MS} ms in all`, () => {
    // A heading line the former heading pattern backtracked on (13 s for 2 KB), then a
    // theme per line, each holding the costliest inline syntax.
    const hostile = [`# a${'\t'.repeat(size / 2)}b`, fill(`## theme\n${'!['.repeat(1000)}\n`, size / 2)].join('\n');
    renderMarkdownParts(lessonSections(hostile.slice(0, size / 20)).map((section) => section.body));
    const { ms, value } = cpuMs(() => renderMarkdownParts(lessonSections(hostile).map((section) => section.body)), RENDER_MS);
    expect(ms, `lessons took ${ms.toFixed(0)} ms`).toBeLessThan(RENDER_MS);
    for (const html of value) expectSafe(html, ALLOWED_MARKDOWN_TAGS);
    expect(lessonSections('intro\n## Trust ##\nbody\n### theme: Power#\nx').map((section) => section.theme)).toEqual(['General', 'Trust', 'theme: Power']);
  });

  it('past the work budget a text is shown as plain text, not lost', () => {
    const input = `${'_a'.repeat(50_000)}\n\nThe end.`;
    const html = renderMarkdown(input);
    expect(html).toContain('_a_a_a');
    expect(html).toContain('The end.');
  });
});

/** Pathological clip HTML at the largest allowed size. */
const CLIP_HTML: Record<string, (size: number) => string> = {
  'nested <b>': (n) => fill('<b>', n),
  'nested <div>': (n) => fill('<div>', n),
  'nested mixed inline tags': (n) => fill('<b><i><u><s><em>', n),
  'nested disallowed tags': (n) => fill('<x-a>', n),
  'nested <q> with text': (n) => fill('<q>a', n),
  'stray end tags': (n) => fill('<b></i>', n),
  'end tags only': (n) => fill('</b>', n),
  'stray </p> (each makes an element)': (n) => fill('</p>', n),
  'self-closing tags with many attributes': (n) => fill(`<bx ${Array.from({ length: 40 }, (_, i) => `a${i}=1`).join(' ')}/>`, n),
  'unclosed tags': (n) => fill('<a ', n),
  'many attributes': (n) => fill(`<a ${Array.from({ length: 1000 }, (_, i) => `a${i}=1`).join(' ')}>`, n),
  'nested lists': (n) => fill('<ul><li>', n),
  'table cells': (n) => fill('<table><tr><td>', n),
  'paragraphs': (n) => fill('<p>', n),
  'self-closing in svg': (n) => `<svg>${fill('<b/>', n - 5)}`,
  'nested scripts': (n) => fill('<script>', n),
  'nested links': (n) => fill('<a href="https://a.example/">', n),
  'images without source': (n) => fill('<img>', n),
  'entity runs': (n) => fill('&amp;', n),
  'less-than run': (n) => fill('<', n),
  'ampersand run': (n) => fill('&', n),
  'comments': (n) => fill('<!--', n),
};

describe('clip HTML is sanitized in linear time, once', () => {
  const size = LIMITS.html;

  for (const [name, make] of Object.entries(CLIP_HTML)) {
    it(`${name}: ${size} characters sanitize at ingest in bounded time and a view does no sanitizing`, () => {
      sanitizeClipHtml(make(size / 20));
      const input = make(size);
      expect(input.length).toBe(size);
      // Ingest: once per clip version (nested <b> took 31 s before; now most cases take under
      // 100 ms, and a 600 KB run of `<` about 0.5 s: sanitize-html handles each as its own text).
      const ingest = cpuMs(() => sanitizeClipHtml(input), 1_000);
      expect(ingest.ms, `${name} ingest took ${ingest.ms.toFixed(0)} ms`).toBeLessThan(1_000);
      expectSafe(ingest.value, null);
      // The stored result is recognised on a view: no second sanitizing.
      const view = timed(() => sanitizeClipHtmlOnce(ingest.value));
      expect(view.value).toBe(ingest.value);
      expect(view.ms, `${name} view took ${view.ms.toFixed(0)} ms`).toBeLessThan(RENDER_MS);
    });
  }

  it(`flattens nesting deeper than ${MAX_DEPTH} and keeps the text`, () => {
    const html = `${'<b>'.repeat(1000)}deep${'</b>'.repeat(1000)}<p>after</p>`;
    const out = sanitizeClipHtml(html);
    expect(out.match(/<b>/g)?.length).toBe(MAX_DEPTH);
    expect(out).toBe(`${'<b>'.repeat(MAX_DEPTH)}deep${'</b>'.repeat(MAX_DEPTH)}<p>after</p>`);
  });

  it('leaves HTML within the bounds as sanitize-html alone would (well-formed or not)', () => {
    for (const html of ['<p>a<p>b</p></p><li>x<li>y', '<table><tr><td>1<td>2<tr><td>3</table>', '<div><p>one<div>two</div></p></div>', '<b>x</i>y</b></p></br>', '<a href="https://a.example/">a<a href="https://b.example/">b</a>']) {
      // The pre-pass only re-writes: its output parses to the same elements.
      expect(sanitizeClipHtml(boundNesting(html)), html).toBe(sanitizeClipHtml(html));
    }
    expect(sanitizeClipHtml('<p>a<p>b</p></p>')).toBe('<p>a</p><p>b</p><p></p>');
  });

  it('dropped tags cannot join the text around them into new tags', () => {
    const deep = '<b>'.repeat(MAX_DEPTH);
    const out = sanitizeClipHtml(`${deep}<<i>script>alert(1)<</i>/script><<i>img src=x onerror=alert(1)>`);
    expectSafe(out, null);
    expect(out).not.toMatch(/<(script|img)/);
  });

  it('a deep <script> loses its content with its tags', () => {
    const out = sanitizeClipHtml(`${'<b>'.repeat(MAX_DEPTH)}<script>alert(1)</script><style>p{}</style>after`);
    expect(out).not.toContain('alert');
    expect(out).toContain('after');
  });
});

describe('pages holding pathological text over a real socket', () => {
  let world: WebWorld;
  let client: Client;
  let server: ServerType;
  let base: string;
  let cookie: string;
  let caseId: string;
  let clipId: string;

  beforeAll(async () => {
    world = await webWorld();
    client = await signedIn(world);
    cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const userId = (await world.store.db.selectFrom('users').select('id').where('email', '=', world.demo.admin.email).executeTakeFirstOrThrow()).id;
    caseId = crypto.randomUUID();
    clipId = crypto.randomUUID();
    const heavy = fill('_a', LIMITS.longText);
    const result = await pushChanges(world.store, {
      libraryId: world.demo.libraryId,
      userId,
      clientId: 'render-bounds',
      mutations: [
        { mid: 1, type: 'case', id: caseId, op: 'put', fields: { title: 'Heavy case', description: heavy, lessons: `# a${'\t'.repeat(5_000)}b\n${fill(`## t\n${'*a'.repeat(1000)}\n`, LIMITS.longText - 5_005)}` } },
        {
          mid: 2,
          type: 'clip',
          id: clipId,
          op: 'put',
          fields: { url: 'https://news.example.org/heavy', kind: 'article', title: 'Heavy clip', html: fill('<b>', LIMITS.html), note: fill('![', LIMITS.longText), caseIds: [caseId] },
        },
      ],
    });
    expect(result.results.map((item) => item.status)).toEqual(['applied', 'applied']);
    server = await new Promise<ServerType>((done) => {
      const listening: ServerType = serve({ fetch: world.app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    await world.store.close();
  });

  /** Requests `paths` over the socket while polling /health; the slowest /health answer. */
  async function whileServing(paths: string[]): Promise<{ statuses: number[]; pageMs: number; healthMs: number }> {
    let serving = true;
    let healthMs = 0;
    const poll = (async () => {
      while (serving) {
        const { ms } = await timedAsync(() => fetch(`${base}/health`).then((response) => response.json()));
        healthMs = Math.max(healthMs, ms);
      }
    })();
    const started = performance.now();
    const statuses = await Promise.all(paths.map((path) => fetch(`${base}${path}`, { headers: { cookie } }).then(async (response) => (await response.text(), response.status))));
    const pageMs = performance.now() - started;
    serving = false;
    await poll;
    return { statuses, pageMs, healthMs };
  }

  it('serves the case, lessons and clip pages in bounded time while /health stays responsive', async () => {
    const lib = `/l/${world.demo.libraryId}`;
    const paths = [`${lib}/cases/${caseId}`, `${lib}/lessons`, `${lib}/clips/${clipId}`];
    // Twice: the first views render (bounded), the second find everything rendered.
    for (let round = 0; round < 2; round++) {
      const { statuses, pageMs, healthMs } = await whileServing(paths);
      expect(statuses).toEqual([200, 200, 200]);
      // Generous bounds, wall time on shared CI cores (the case page took 90 s before; /health
      // waited 5.5 s behind 60 KB; here each page is about 1 MB of HTML).
      expect(pageMs, `pages took ${pageMs.toFixed(0)} ms`).toBeLessThan(5_000);
      expect(healthMs, `/health took ${healthMs.toFixed(0)} ms`).toBeLessThan(2_000);
    }
  });
});

async function timedAsync<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}
