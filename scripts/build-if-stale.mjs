// `npm start` rebuilds the extension and the CLI bundle only when something they are built from
// changed since their last build (the extension's build took 8.5 s of every start). Each build
// leaves a stamp beside its output: a hash of its inputs (files and the environment that shapes
// the build) and the size and time of its output. A missing or different stamp, or an output
// rebuilt by anything else since (tests rebuild dist/, e2e builds the extension), means a build.
// `--force` builds regardless (what `npm run build` does).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const outDir = process.env.CASEBOOK_EXTENSION_OUT_DIR ?? '.output';
const bin = (name) => join('node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

export const TARGETS = [
  {
    name: 'extension',
    inputs: ['extension', 'shared', 'wxt.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json'],
    env: ['CASEBOOK_TEST_HOST_PERMISSIONS', 'CASEBOOK_EXTENSION_OUT_DIR'],
    output: join(outDir, 'chrome-mv3', 'manifest.json'),
    // Beside the unpacked extension, not in it: a person loads that directory as it is.
    stamp: join(outDir, 'chrome-mv3.build-stamp'),
    command: [bin('wxt'), ['build']],
  },
  {
    name: 'command line',
    inputs: ['service', 'shared', 'scripts/build-cli.mjs', 'tsconfig.json', 'package-lock.json'],
    env: [],
    output: join('dist', 'main.mjs'),
    stamp: join('dist', 'build-stamp'),
    command: [process.execPath, ['scripts/build-cli.mjs']],
  },
];

export function hashInputs(target) {
  const hash = createHash('sha256');
  const visit = (path) => {
    if (!existsSync(path)) return void hash.update(`absent ${path}\0`);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
      return;
    }
    hash.update(`${path}\0${stat.size}\0`);
    hash.update(readFileSync(path));
  };
  for (const input of target.inputs) visit(input);
  for (const name of target.env) hash.update(`${name}=${process.env[name] ?? ''}\0`);
  hash.update(`node ${process.versions.node}`);
  return hash.digest('hex');
}

/** The built output as it is now: rebuilt by anyone else, it no longer matches the stamp. */
export function outputFingerprint(target) {
  if (!existsSync(target.output)) return undefined;
  const stat = statSync(target.output);
  return `${stat.size}:${stat.mtimeMs}`;
}

export function readStamp(target) {
  try {
    return JSON.parse(readFileSync(target.stamp, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether the target's output was built by us from exactly the inputs it has now. */
export function isUpToDate(target) {
  const output = outputFingerprint(target);
  const stamp = readStamp(target);
  return output !== undefined && stamp?.inputs === hashInputs(target) && stamp.output === output;
}

/** After a build from inputs hashed as `inputs` (taken before it ran). */
export function recordBuild(target, inputs) {
  writeFileSync(target.stamp, `${JSON.stringify({ inputs, output: outputFingerprint(target) })}\n`);
}

function main() {
  const force = process.argv.includes('--force');
  for (const target of TARGETS) {
    if (!force && isUpToDate(target)) {
      console.log(`casebook: the ${target.name} is up to date (build skipped).`);
      continue;
    }
    // Hashed before the build: a file changed during it makes the next start build again.
    const inputs = hashInputs(target);
    const [command, args] = target.command;
    console.log(`casebook: building the ${target.name}…`);
    const run = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
    if (run.status !== 0) {
      console.error(`casebook: building the ${target.name} failed.`);
      process.exit(run.status ?? 1);
    }
    recordBuild(target, inputs);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
