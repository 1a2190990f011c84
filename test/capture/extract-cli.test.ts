// `casebook extract` through runPageCommand: single page, batch in order, and the inputs that
// must give a one-line error instead of a crash (missing, directory, binary, not HTML, bad JSON).
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { command } from '../../service/cli/commands/extract.ts';
import { CliError, type CliIo } from '../../service/cli/cli-kit.ts';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (text) => out.push(text), stderr: (text) => err.push(text), readStdin: async () => '' };
  return { io, out, err };
}

const dir = mkdtempSync(path.join(tmpdir(), 'casebook-extract-'));
const article = `<html lang="en"><head><title>A page</title></head><body><article><h1>A page</h1><p>${'Readable words in a paragraph of an article. '.repeat(12)}</p></article></body></html>`;
writeFileSync(path.join(dir, 'ok.html'), article);
writeFileSync(path.join(dir, 'binary.html'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48]));
writeFileSync(path.join(dir, 'plain.html'), 'just some words, no markup at all\n');
mkdirSync(path.join(dir, 'folder.html'));
writeFileSync(
  path.join(dir, 'list.jsonl'),
  [
    JSON.stringify({ file: 'ok.html', url: 'https://site.example/ok' }),
    JSON.stringify({ file: 'missing.html', url: 'https://site.example/m' }),
    '{ not json',
    JSON.stringify({ file: 'binary.html', url: 'https://site.example/b' }),
    JSON.stringify({ file: 'plain.html', url: 'https://site.example/p' }),
    JSON.stringify({ file: 'folder.html', url: 'https://site.example/f' }),
    JSON.stringify({ file: 'ok.html', url: 'not a url' }),
    JSON.stringify({ file: path.join(dir, 'ok.html'), url: 'https://site.example/abs' }),
  ].join('\n'),
);

describe('casebook extract', () => {
  it('prints one JSON object for a page', async () => {
    const { io, out } = fakeIo();
    expect(await command.run([path.join(dir, 'ok.html'), '--url', 'https://site.example/ok'], io)).toBe(0);
    const clip = JSON.parse(out.join('')) as Record<string, string>;
    expect(Object.keys(clip).sort()).toEqual(['byline', 'canonicalUrl', 'excerpt', 'html', 'lang', 'leadImage', 'markdown', 'publishedAt', 'siteName', 'text', 'title'].sort());
    expect(clip.title).toBe('A page');
  });

  it('runs a batch in order; failed pages report an error and the batch goes on', async () => {
    const { io, out } = fakeIo();
    expect(await command.run(['--batch', path.join(dir, 'list.jsonl')], io)).toBe(0);
    const lines = out.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines.map((line) => [line.file, line.error === undefined ? 'ok' : line.error])).toEqual([
      ['ok.html', 'ok'],
      ['missing.html', 'file not found'],
      ['', 'line 3: not valid JSON'],
      ['binary.html', 'binary file, not an HTML page'],
      ['plain.html', 'not an HTML page (no HTML tags found)'],
      ['folder.html', 'is a directory, not a page'],
      ['ok.html', 'not an http(s) URL: not a url'],
      [path.join(dir, 'ok.html'), 'ok'],
    ]);
  });

  it('stops a page that overruns --timeout in its worker, and the batch goes on with a fresh worker', async () => {
    const big = `<html><head><title>Big</title></head><body><article>${`<p>${'A long sentence in a long report. '.repeat(40)}</p>`.repeat(3_000)}</article></body></html>`;
    writeFileSync(path.join(dir, 'big.html'), big);
    writeFileSync(path.join(dir, 'slow.jsonl'), [
      JSON.stringify({ file: 'big.html', url: 'https://site.example/big' }),
      JSON.stringify({ file: 'big.html', url: 'https://site.example/big2' }),
    ].join('\n'));
    const { io, out } = fakeIo();
    expect(await command.run(['--batch', path.join(dir, 'slow.jsonl'), '--timeout', '5'], io)).toBe(0);
    const lines = out.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines).toEqual([
      { file: 'big.html', error: 'timed out after 5 ms' },
      { file: 'big.html', error: 'timed out after 5 ms' },
    ]);
    // The same page within a generous bound comes out whole.
    const { io: io2, out: out2 } = fakeIo();
    expect(await command.run([path.join(dir, 'big.html'), '--url', 'https://site.example/big', '--timeout', '60000'], io2)).toBe(0);
    expect((JSON.parse(out2.join('')) as Record<string, string>).title).toBe('Big');
  }, 120_000);

  it('single page errors are one-line CliErrors with a non-zero exit code', async () => {
    const { io } = fakeIo();
    await expect(command.run([path.join(dir, 'binary.html'), '--url', 'https://site.example/'], io)).rejects.toThrow(CliError);
    await expect(command.run([path.join(dir, 'nope.html'), '--url', 'https://site.example/'], io)).rejects.toThrow(/file not found/);
    await expect(command.run([path.join(dir, 'ok.html')], io)).rejects.toThrow(/missing --url/);
  });
});
