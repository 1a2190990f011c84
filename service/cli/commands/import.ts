// `casebook import`: reads a JSON export back into an empty library (same ids, versions and fields).
import { readFile } from 'node:fs/promises';
import { importLibrary, ImportError, parseExport } from '../../export/json.ts';
import { CliError, parseCommandArgs, requireOption, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';

export const command: Command = {
  summary: 'import a JSON export into an empty library',
  usage: `usage: casebook import --library ID --in FILE [--db FILE]

Reads a file written by \`casebook export --format json\` into the library ID, which must
be empty (make one with \`casebook library create\`). Objects keep their ids, versions and
fields; members are matched by id or e-mail, and missing ones are created without a
password (give them a sign-in link: casebook user add prints one). All or nothing: every
member and object is checked first, as a push is (members need an e-mail and a uuid; objects
may point only at objects of the same file), and a file with a bad item names each one and
imports nothing.
${DB_USAGE}`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTION, library: { type: 'string' }, in: { type: 'string' } });
    const libraryId = requireOption(values.library, 'library');
    const file = requireOption(values.in, 'in');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
    try {
      const data = parseExport(text);
      const summary = await withStore(values.db, (store) =>
        importLibrary(store, libraryId, data, (done, total) => io.stderr(`\rimported ${done} of ${total} objects${done === total ? '\n' : ''}`)),
      );
      io.stdout(`imported ${summary.objects} objects into ${libraryId}; members: ${summary.usersMatched} matched, ${summary.usersCreated} created without a password\n`);
      return 0;
    } catch (error) {
      if (error instanceof ImportError) throw new CliError(error.message);
      throw error;
    }
  },
};
