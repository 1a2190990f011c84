// `casebook facts` as a user runs it: the built bin on a fixture, exit codes, and a batch in
// which a missing file prints its error and the batch goes on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures/company');

function casebook(args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin/casebook.mjs'), 'facts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('casebook facts', () => {
  beforeAll(() => {
    // The bin runs the compiled CLI: build it from the current source.
    const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, encoding: 'utf8' });
    expect(build.status).toBe(0);
  });

  it('prints one JSON object for a page', () => {
    const run = casebook([join(fixtures, 'nl-contact.html'), '--url', 'https://www.bakkerijvandijk.nl/contact']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { url: string; answers: Record<string, Array<{ value: unknown }>> };
    expect(out.url).toBe('https://www.bakkerijvandijk.nl/contact');
    expect(out.answers.vatIds?.[0]?.value).toBe('NL009691108B01');
  });

  it('answers bad input with one line on stderr and a non-zero exit', () => {
    const noUrl = casebook([join(fixtures, 'nl-contact.html')]);
    expect(noUrl.status).not.toBe(0);
    expect(noUrl.stderr.trim().split('\n')).toHaveLength(1);
    const missing = casebook([join(fixtures, 'no-such-page.html'), '--url', 'https://x.nl/']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no-such-page/);
  });

  it('runs a batch in order, each line with its file, and goes on after a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'facts-batch-'));
    const list = join(dir, 'list.jsonl');
    writeFileSync(list, [
      { file: join(fixtures, 'de-impressum.html'), url: 'https://www.brunnhuber-maschinenbau.de/impressum' },
      { file: join(dir, 'missing.html'), url: 'https://x.nl/' },
      { file: join(fixtures, 'linkedin-profile.html'), url: 'https://nl.linkedin.com/company/groenveld-installatietechniek' },
    ].map((l) => JSON.stringify(l)).join('\n'));
    const run = casebook(['--batch', list]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error?: string; answers?: Record<string, Array<{ value: unknown }>> });
    expect(lines).toHaveLength(3);
    expect(lines[0]!.file).toMatch(/de-impressum\.html$/);
    expect(lines[0]!.answers?.vatIds?.[0]?.value).toBe('DE812345678');
    expect(lines[1]!.error).toBeTruthy();
    expect(lines[2]!.answers?.isOwnSite?.[0]?.value).toBe(false);
  });
});
