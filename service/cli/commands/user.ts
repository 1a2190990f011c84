// `casebook user add|list`: people, their organisation and their role in a library.
import { ROLES, type Role } from '../../../shared/model.ts';
import { AccountError, createSigninLink, createUser, findUserByEmail, listUsers, setMembership } from '../../repos/accounts.ts';
import { CliError, parseCommandArgs, requireOption, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';
import { signinUrl } from '../urls.ts';

export const command: Command = {
  summary: 'add users to libraries, list users',
  usage: `usage: casebook user add --email E --name N [--org O] [--library ID --role admin|member|reader] [--db FILE]
       casebook user list [--library ID] [--db FILE]

  add    creates a user (or adds an existing one to --library). The password is read
         from stdin when piped (echo 'secret' | casebook user add ...); otherwise a
         one-time sign-in link is printed.
  list   prints one line a membership: email, name, organisation, library, role
${DB_USAGE}
  --url URL       base URL of the web library for printed links (default http://127.0.0.1:8787)`,
  async run(argv, io) {
    const [action, ...rest] = argv;
    const { values } = parseCommandArgs(rest, {
      ...DB_OPTION,
      email: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      library: { type: 'string' },
      role: { type: 'string' },
      url: { type: 'string' },
    });
    if (action === 'list') {
      const rows = await withStore(values.db, (store) => listUsers(store.db, values.library));
      for (const row of rows) io.stdout([row.email, row.name, row.organisation, row.libraryName ?? '-', row.role ?? '-'].join('\t') + '\n');
      return 0;
    }
    if (action !== 'add') throw new CliError(action ? `unknown action '${action}' (add or list)` : 'say add or list');

    const email = requireOption(values.email, 'email');
    const role = (values.role ?? (values.library ? 'member' : undefined)) as Role | undefined;
    if (role && !ROLES.includes(role)) throw new CliError(`--role must be admin, member or reader, not '${values.role}'`);
    if (values.role && !values.library) throw new CliError('--role needs --library ID');
    const password = (await io.readStdin()).replace(/\r?\n$/, '');

    return withStore(values.db, async (store) => {
      try {
        const existing = await findUserByEmail(store.db, email);
        let userId: string;
        if (existing) {
          if (!values.library) throw new CliError(`a user with e-mail ${existing.email} exists already`);
          userId = existing.id;
        } else {
          const user = await createUser(store.db, {
            email,
            name: requireOption(values.name, 'name'),
            organisation: values.org,
            ...(password ? { password } : {}),
          });
          userId = user.id;
          io.stdout(`created user ${user.email} (${user.id})\n`);
          if (!password) {
            const secret = await createSigninLink(store.db, userId, 'invite');
            io.stdout(`one-time sign-in link (valid 72 h): ${signinUrl(values.url, secret)}\n`);
          }
        }
        if (values.library && role) {
          await setMembership(store.db, values.library, userId, role);
          io.stdout(`${email} is ${role} of library ${values.library}\n`);
        }
        return 0;
      } catch (error) {
        if (error instanceof AccountError) throw new CliError(error.message);
        throw error;
      }
    });
  },
};
