// The `casebook` command as an admin uses it: libraries, users, tokens, help and errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/processes.ts';
import { freshStoreTarget } from '../helpers/store.ts';

describe('casebook CLI', () => {
  // A SQLite file, or a fresh Postgres schema's URL in the Postgres run (npm run test:pg).
  let db: string;
  beforeAll(async () => {
    db = await freshStoreTarget('cli.db');
  });

  it('creates a library, a user with a piped password and a token that works', async () => {
    const created = runCli(['library', 'create', '--name', 'Dairy learning group', '--db', db]);
    expect(created.code, created.stderr).toBe(0);
    const library = created.stdout.trim();
    expect(library).toMatch(/^[0-9a-f-]{36}$/);
    expect(runCli(['library', 'list', '--db', db]).stdout).toContain(`${library}\tDairy learning group`);

    const added = runCli(['user', 'add', '--email', 'Fatima@Example.org', '--name', 'Fatima', '--org', 'ICCO', '--library', library, '--role', 'admin', '--db', db], { input: 'a long enough password\n' });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).not.toContain('sign-in link');
    const listed = runCli(['user', 'list', '--db', db]);
    expect(listed.stdout).toContain('fatima@example.org\tFatima\tICCO\tDairy learning group\tadmin');

    const invited = runCli(['user', 'add', '--email', 'joost@example.org', '--name', 'Joost', '--library', library, '--role', 'reader', '--db', db]);
    expect(invited.code).toBe(0);
    expect(invited.stdout).toMatch(/sign-in link.*\/signin\/link\/cbl_/);

    const token = runCli(['token', 'create', '--email', 'fatima@example.org', '--label', 'laptop', '--db', db]);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^cbk_[A-Za-z0-9_-]{40,}$/);
    const tokens = runCli(['token', 'list', '--email', 'fatima@example.org', '--db', db]);
    const tokenId = tokens.stdout.split('\t')[0]!;
    expect(tokens.stdout).toContain('laptop');
    expect(tokens.stdout).not.toContain(token.stdout.trim());
    expect(runCli(['token', 'revoke', '--id', tokenId, '--db', db]).code).toBe(0);
    expect(runCli(['token', 'revoke', '--id', tokenId, '--db', db]).code).not.toBe(0);
  });

  it('reads the database from CASEBOOK_DB', async () => {
    const envDb = await freshStoreTarget('env.db');
    const created = runCli(['library', 'create', '--name', 'From env'], { env: { CASEBOOK_DB: envDb } });
    expect(created.code).toBe(0);
    expect(runCli(['library', 'list', '--db', envDb]).stdout).toContain('From env');
  });

  it('answers bad input with one line on stderr and a non-zero exit', () => {
    const cases: string[][] = [
      ['library', 'create', '--db', db],
      ['library', 'create', '--name', 'x', '--colour', 'red', '--db', db],
      ['library', 'explode', '--db', db],
      ['user', 'add', '--email', 'not-an-email', '--name', 'X', '--db', db],
      ['user', 'add', '--email', 'x@example.org', '--name', 'X', '--role', 'king', '--library', 'abc', '--db', db],
      ['user', 'add', '--email', 'y@example.org', '--name', 'Y', '--library', 'no-such-library', '--db', db],
      ['token', 'create', '--email', 'nobody@example.org', '--db', db],
      ['serve', '--port', 'seventy', '--db', db],
      ['frobnicate'],
    ];
    for (const args of cases) {
      const run = runCli(args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(/^casebook/);
    }
  });

  it('prints help for every command', () => {
    const top = runCli(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['serve', 'library', 'user', 'token']) {
      expect(top.stdout).toContain(name);
      const help = runCli([name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: casebook/);
    }
  });
});
