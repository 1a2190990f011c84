#!/usr/bin/env node
// Launcher of the `casebook` command: runs the compiled CLI, or the TypeScript source
// through tsx when dist/ has not been built (e.g. while developing).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/main.mjs', import.meta.url));
if (existsSync(compiled) && !process.env.CASEBOOK_FROM_SOURCE) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../service/cli/main.ts', import.meta.url).href);
}
