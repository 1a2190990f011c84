// `casebook token create|revoke|list`: API tokens for the extension and scripts.
import { createToken, findUserByEmail, listTokens, revokeToken } from '../../repos/accounts.ts';
import { CliError, parseCommandArgs, requireOption, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';

export const command: Command = {
  summary: 'create, list or revoke API tokens',
  usage: `usage: casebook token create --email E [--label L] [--db FILE]
       casebook token list --email E [--db FILE]
       casebook token revoke --id TOKEN_ID [--db FILE]

  create   prints a new token on one line; it is shown once and stored only as a hash
  list     prints id, label, created, last used, revoked for the user's tokens
  revoke   stops a token from working
${DB_USAGE}`,
  async run(argv, io) {
    const [action, ...rest] = argv;
    const { values } = parseCommandArgs(rest, { ...DB_OPTION, email: { type: 'string' }, label: { type: 'string' }, id: { type: 'string' } });
    return withStore(values.db, async (store) => {
      if (action === 'create' || action === 'list') {
        const email = requireOption(values.email, 'email');
        const user = await findUserByEmail(store.db, email);
        if (!user) throw new CliError(`no user with e-mail ${email}`);
        if (action === 'create') {
          const { token } = await createToken(store.db, user.id, values.label ?? 'cli');
          io.stdout(`${token}\n`);
        } else {
          for (const t of await listTokens(store.db, user.id)) {
            io.stdout([t.id, t.label, t.created_at, t.last_used_at ?? '-', t.revoked_at ?? '-'].join('\t') + '\n');
          }
        }
        return 0;
      }
      if (action === 'revoke') {
        const id = requireOption(values.id, 'id');
        if (!(await revokeToken(store.db, id))) throw new CliError(`no active token with id ${id}`);
        io.stdout(`revoked ${id}\n`);
        return 0;
      }
      throw new CliError(action ? `unknown action '${action}' (create, list or revoke)` : 'say create, list or revoke');
    });
  },
};
