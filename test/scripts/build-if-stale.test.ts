// `npm start` skips the extension's build when nothing it is built from changed (issue 16,
// item 5), and builds whenever anything did: an input file, a new file, the environment that
// shapes the build, or the output itself rebuilt by something else.
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashInputs, isUpToDate, recordBuild, TARGETS, type BuildTarget } from '../../scripts/build-if-stale.mjs';
import { tempDir } from '../helpers/processes.ts';

/** A project of its own in a temp directory: sources, a lockfile, and a "build" we run by hand. */
function project() {
  const root = tempDir('casebook-stamp-');
  mkdirSync(join(root, 'extension', 'entrypoints'), { recursive: true });
  mkdirSync(join(root, 'shared'));
  mkdirSync(join(root, 'out'));
  writeFileSync(join(root, 'extension', 'entrypoints', 'popup.tsx'), 'export const popup = 1;\n');
  writeFileSync(join(root, 'shared', 'model.ts'), 'export const model = 1;\n');
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  const target: BuildTarget = {
    name: 'extension',
    inputs: [join(root, 'extension'), join(root, 'shared'), join(root, 'package-lock.json')],
    env: ['CASEBOOK_STAMP_TEST_ENV'],
    output: join(root, 'out', 'manifest.json'),
    stamp: join(root, 'out.build-stamp'),
    command: ['true', []],
  };
  /** What a build does: write the output, then the stamp of the inputs it was built from. */
  const build = (content = '{"manifest_version":3}') => {
    const inputs = hashInputs(target);
    writeFileSync(target.output, content);
    recordBuild(target, inputs);
  };
  return { root, target, build };
}

describe('build stamps', () => {
  it('builds on a fresh clone, then skips while nothing changed', () => {
    const { target, build } = project();
    expect(isUpToDate(target)).toBe(false);
    build();
    expect(isUpToDate(target)).toBe(true);
    expect(isUpToDate(target)).toBe(true);
  });

  it('builds again when a source changes, a file comes or goes, or the lockfile changes', () => {
    const { root, target, build } = project();
    build();
    writeFileSync(join(root, 'shared', 'model.ts'), 'export const model = 2;\n');
    expect(isUpToDate(target)).toBe(false);
    build();
    writeFileSync(join(root, 'extension', 'entrypoints', 'options.tsx'), 'export {};\n');
    expect(isUpToDate(target)).toBe(false);
    build();
    rmSync(join(root, 'extension', 'entrypoints', 'options.tsx'));
    expect(isUpToDate(target)).toBe(false);
    build();
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    expect(isUpToDate(target)).toBe(false);
  });

  it('builds again when the environment that shapes the build differs (test host permissions)', () => {
    const { target, build } = project();
    build();
    process.env.CASEBOOK_STAMP_TEST_ENV = 'http://127.0.0.1/*';
    try {
      expect(isUpToDate(target)).toBe(false);
    } finally {
      delete process.env.CASEBOOK_STAMP_TEST_ENV;
    }
    expect(isUpToDate(target)).toBe(true);
  });

  it('builds again when the output was rebuilt or removed by anything else', () => {
    const { target, build } = project();
    build();
    // Another build (wxt zip, a plain wxt build) wrote the output since our stamp.
    utimesSync(target.output, new Date(), new Date(Date.now() + 5_000));
    expect(isUpToDate(target)).toBe(false);
    build();
    rmSync(target.output);
    expect(isUpToDate(target)).toBe(false);
  });

  it('stamps the real extension and command-line builds beside their output, never inside the unpacked extension', () => {
    const extension = TARGETS.find((target) => target.name === 'extension')!;
    expect(extension.inputs).toEqual(expect.arrayContaining(['extension', 'shared', 'wxt.config.ts', 'package-lock.json']));
    expect(extension.stamp.startsWith(dirname(extension.output) + sep)).toBe(false);
    expect(TARGETS.map((target) => target.name)).toEqual(['extension', 'command line']);
  });
});
