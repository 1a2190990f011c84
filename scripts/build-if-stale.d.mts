// Types of build-if-stale.mjs for the tests that import it.
export interface BuildTarget {
  name: string;
  /** Files and directories the build reads (directories walked in full). */
  inputs: string[];
  /** Environment variables that change what the build makes. */
  env: string[];
  /** A file the build writes last: its size and time tell whether anything rebuilt it since. */
  output: string;
  stamp: string;
  command: [string, string[]];
}
export const TARGETS: BuildTarget[];
export function hashInputs(target: BuildTarget): string;
export function outputFingerprint(target: BuildTarget): string | undefined;
export function readStamp(target: BuildTarget): { inputs: string; output: string } | undefined;
export function isUpToDate(target: BuildTarget): boolean;
export function recordBuild(target: BuildTarget, inputs: string): void;
