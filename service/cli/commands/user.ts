// `casebook user add|list|role|remove|link`: people, their organisation and their role in a library,
// and a one-time link with which someone chooses a (new) password.
import { ROLES, type Role } from '../../../shared/model.ts';
import { LINK_LIFETIME } from '../../auth/links.ts';
import { AccountError, changeRole, createSigninLink, createUser, findUserByEmail, listUsers, removeMember, setMembership } from '../../repos/accounts.ts';
import { CliError, parseCommandArgs, requireOption, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';
import { signinUrl } from '../urls.ts';

export const command: Command = {
  summary: 'add users to libraries, change roles, make sign-in links, list users',
  usage: `usage: casebook user add --email E --name N [--org O] [--library ID --role admin|member|reader] [--db FILE]
       casebook user role --email E --library ID --role admin|member|reader [--db FILE]
       casebook user remove --email E --library ID [--db FILE]
       casebook user link --email E [--url URL] [--db FILE]
       casebook user list [--library ID] [--db FILE]

  add     creates a user (or adds an existing one to --library). The password is read
          from stdin when piped (echo 'secret' | casebook user add ...); otherwise a
          one-time sign-in link is printed (valid for ${LINK_LIFETIME}).
  role    changes the role of a member of --library
  remove  removes a member from --library (what they wrote stays)
  link    prints a one-time link with which the user chooses a new password (valid for
          ${LINK_LIFETIME}); using it signs out their other sessions and API tokens
  list    prints one line a membership: email, name, organisation, library, role
          A library always keeps one admin: its last admin is never demoted or removed.
${DB_USAGE}
  --url URL       base URL of the web library for printed links (default $CASEBOOK_PUBLIC_URL or http://127.0.0.1:8787)`,
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
    if (!['add', 'role', 'remove', 'link'].includes(action ?? '')) {
      throw new CliError(action ? `unknown action '${action}' (add, role, remove, link or list)` : 'say add, role, remove, link or list');
    }

    const email = requireOption(values.email, 'email');
    const role = (values.role ?? (values.library && action === 'add' ? 'member' : undefined)) as Role | undefined;
    if (role && !ROLES.includes(role)) throw new CliError(`--role must be admin, member or reader, not '${values.role}'`);
    if (values.role && !values.library) throw new CliError('--role needs --library ID');
    const needsUser = async (db: Parameters<typeof findUserByEmail>[0]) => {
      const user = await findUserByEmail(db, email);
      if (!user) throw new CliError(`no user with e-mail ${email}`);
      return user;
    };

    if (action === 'link') {
      return withStore(values.db, async (store) => {
        const user = await needsUser(store.db);
        const secret = await createSigninLink(store.db, user.id, 'reset');
        io.stdout(`one-time link for ${user.email} to choose a new password (valid for ${LINK_LIFETIME}): ${signinUrl(values.url, secret)}\n`);
        return 0;
      });
    }
    if (action === 'role' || action === 'remove') {
      const library = requireOption(values.library, 'library');
      if (action === 'role' && !role) throw new CliError('--role is required (admin, member or reader)');
      return withStore(values.db, async (store) => {
        const user = await needsUser(store.db);
        try {
          if (action === 'role') await changeRole(store.db, library, user.id, role!);
          else await removeMember(store.db, library, user.id);
        } catch (error) {
          if (error instanceof AccountError) throw new CliError(error.message);
          throw error;
        }
        io.stdout(action === 'role' ? `${user.email} is ${role} of library ${library}\n` : `${user.email} is no longer a member of library ${library}\n`);
        return 0;
      });
    }

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
            io.stdout(`one-time sign-in link (valid for ${LINK_LIFETIME}): ${signinUrl(values.url, secret)}\n`);
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
