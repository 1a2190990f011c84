// `casebook library create|list`: the shared spaces of communities.
import { AccountError, createLibrary, listAllLibraries } from '../../repos/accounts.ts';
import { CliError, parseCommandArgs, requireOption, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';

export const command: Command = {
  summary: 'create or list libraries',
  usage: `usage: casebook library create --name NAME [--db FILE]
       casebook library list [--db FILE]

  create   makes a library and prints its id
  list     prints one library a line: id, tab, name
${DB_USAGE}`,
  async run(argv, io) {
    const [action, ...rest] = argv;
    const { values } = parseCommandArgs(rest, { ...DB_OPTION, name: { type: 'string' } });
    if (action === 'create') {
      const name = requireOption(values.name, 'name');
      const library = await withStore(values.db, (store) => createLibrary(store.db, name)).catch((error: unknown) => {
        throw error instanceof AccountError ? new CliError(error.message) : error;
      });
      io.stdout(`${library.id}\n`);
      return 0;
    }
    if (action === 'list') {
      const libraries = await withStore(values.db, (store) => listAllLibraries(store.db));
      for (const library of libraries) io.stdout(`${library.id}\t${library.name}\n`);
      return 0;
    }
    throw new CliError(action ? `unknown action '${action}' (create or list)` : 'say create or list');
  },
};
