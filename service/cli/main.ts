// Entry point of the `casebook` command: dispatches to one module per command.
import { CliError, type CliIo, type Command } from './cli-kit.ts';

// Loaded lazily so that `casebook extract` does not pay for the database and server code.
const commands: Record<string, () => Promise<{ command: Command }>> = {
  serve: () => import('./commands/serve.ts'),
  library: () => import('./commands/library.ts'),
  user: () => import('./commands/user.ts'),
  token: () => import('./commands/token.ts'),
  extract: () => import('./commands/extract.ts'),
  'migrate-store': () => import('./commands/migrate-store.ts'),
  export: () => import('./commands/export.ts'),
  import: () => import('./commands/import.ts'),
  'import-csl': () => import('./commands/import-csl.ts'),
  demo: () => import('./commands/demo.ts'),
  facts: () => import('./commands/facts.ts'),
  digest: () => import('./commands/digest.ts'),
};

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => {
    if (process.stdin.isTTY) return Promise.resolve('');
    // A piped password arrives at once; a stdin that stays open with nothing in it (a parent
    // process that never closes it) must not hang the command, so it counts as empty.
    return new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      const finish = () => {
        clearTimeout(timer);
        process.stdin.pause();
        process.stdin.removeAllListeners('data');
        resolve(Buffer.concat(chunks).toString('utf8'));
      };
      let timer = setTimeout(finish, 1500);
      process.stdin.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        clearTimeout(timer);
        timer = setTimeout(finish, 1500);
      });
      process.stdin.once('end', finish);
      process.stdin.once('error', finish);
    });
  },
};

async function usage(): Promise<string> {
  const lines = ['usage: casebook <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(14)}${command.summary}`);
  }
  lines.push('', 'Run `casebook <command> --help` for its options.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await usage());
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`casebook: unknown command '${name}' (see casebook --help)\n`);
    return 2;
  }
  try {
    const { command } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(command.usage.trimEnd() + '\n');
      return 0;
    }
    const code = await command.run(rest, io);
    return code ?? 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`casebook ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`casebook ${name}: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// serve keeps running through its listening socket; every other command ends here.
if (code !== -1) {
  process.exitCode = code;
}
