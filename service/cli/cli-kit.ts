// Small helpers every CLI command shares: argument parsing with one-line errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** An error the user can act on: printed as one line on stderr, exit code 2. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for passwords piped in); '' when stdin is a terminal. */
  readStdin: () => Promise<string>;
}

export interface Command {
  /** One line for `casebook --help`. */
  summary: string;
  /** Full usage text for `casebook <command> --help`. */
  usage: string;
  run: (argv: string[], io: CliIo) => Promise<number | void>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking, turning its exceptions into one-line CliErrors. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    throw new CliError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

export function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new CliError(`missing --${name}`);
  return value;
}
