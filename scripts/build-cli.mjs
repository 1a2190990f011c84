// Compiles the TypeScript CLI into dist/ at install time so `casebook` starts in ~0.1 s
// under plain node (TOOLCHAIN.md: a tsx launcher takes ~1.4 s a start).
import { build } from 'esbuild';

await build({
  // The batch worker is its own entry so worker_threads can load it beside main.mjs.
  entryPoints: ['service/cli/main.ts', 'service/cli/batch-worker.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
