// `casebook migrate-store`: moves libraries with everything they hold from one store to another
// (typically the embedded SQLite file to PostgreSQL), in one target transaction, then verifies.
// The copy itself is repos/store-copy.ts.
import { openStore, type Store } from '../../db/connect.ts';
import { redactUrl } from '../../db/postgres/store.ts';
import { CopyRefused, countsOf, libraryIdsOf, moveLibraries } from '../../repos/store-copy.ts';
import { CliError, parseCommandArgs, requireOption, type CliIo, type Command } from '../cli-kit.ts';

export { moveLibraries };

export const command: Command = {
  summary: 'move libraries to another store (SQLite file to postgres://, losslessly)',
  usage: `usage: casebook migrate-store --from FILE|URL --to URL|FILE [--library ID ...]

  Moves libraries with everything they hold: members and their users (password hashes, API
  token hashes, sign-in links, sessions), cases, clips, companies, scans and answers with
  their versions, tombstones and field versions, stored mutation outcomes (so a client's
  resent push still answers as before) and the search index (rebuilt on the target).
  One transaction on the target: it has all of a library or none of it. Stop the service
  (or keep it read-only) while moving; then start it with --db set to the target.

  --from FILE|URL   the store to read (SQLite file or postgres:// URL)
  --to URL|FILE     the store to write; its schema is created or brought up to date
  --library ID      a library to move (repeat for several; default: all of them)
  Progress goes to stderr; the last stdout line is a verified summary.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { from: { type: 'string' }, to: { type: 'string' }, library: { type: 'string', multiple: true } });
    const from = requireOption(values.from, 'from');
    const to = requireOption(values.to, 'to');
    if (from === to) throw new CliError('--from and --to name the same store');
    const source = await open(from, 'source');
    try {
      const target = await open(to, 'target');
      try {
        return await migrate(source, target, values.library ?? [], io);
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  },
};

async function open(target: string, role: string): Promise<Store> {
  try {
    return await openStore(target);
  } catch (error) {
    throw new CliError(`cannot open the ${role} store ${redactUrl(target)}: ${(error as Error).message}`);
  }
}

async function migrate(source: Store, target: Store, requested: string[], io: CliIo): Promise<number> {
  const libraries = requested.length
    ? [...new Set(requested)]
    : await libraryIdsOf(source.db);
  if (libraries.length === 0) throw new CliError('the source store holds no library');
  const started = Date.now();
  const progress = (text: string) => io.stderr(`migrate-store: ${text}\n`);
  progress(`moving ${libraries.length} librar${libraries.length === 1 ? 'y' : 'ies'} from ${source.location} to ${target.location}`);
  await moveLibraries(source, target, { libraries, progress }).catch((error: unknown) => {
    throw error instanceof CopyRefused ? new CliError(error.message) : error;
  });

  const before = await countsOf(source, libraries);
  const after = await countsOf(target, libraries);
  const differences = Object.keys(before).filter((key) => before[key] !== after[key]);
  if (differences.length) {
    throw new CliError(`verification failed: ${differences.map((key) => `${key} ${before[key]} → ${after[key]}`).join(', ')}`, 1);
  }
  const summary = Object.entries(after).map(([key, n]) => `${key} ${n}`).join(', ');
  progress(`verified in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  io.stdout(`moved ${libraries.join(' ')}: ${summary}\n`);
  return 0;
}
