// `casebook digest [--dry-run]`: runs the e-mail digest once (the service also runs it on a
// timer); --dry-run prints each mail that would go out and records and sends nothing.
import { mailConfigured } from '../../mail/send.ts';
import { runDigests } from '../../digest/run.ts';
import { CliError, parseCommandArgs, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';

export const command: Command = {
  summary: 'send the e-mail digests that are due (or --dry-run: print them)',
  usage: `usage: casebook digest [--dry-run] [--at ISO-DATE] [--public-url URL] [--db FILE]

  Sends each member who chose a daily or weekly digest the one of the current period, once.
  --dry-run      print what would be sent (recipient, subject, text); send and record nothing
  --at DATE      decide as if it were this moment (ISO 8601), e.g. to preview next week's digest
  --public-url   base of the links in the mails (default $CASEBOOK_PUBLIC_URL)
  Mail goes through $CASEBOOK_SMTP_URL; without it only --dry-run works.
${DB_USAGE}`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTION, 'dry-run': { type: 'boolean' }, at: { type: 'string' }, 'public-url': { type: 'string' } });
    const dryRun = values['dry-run'] === true;
    const now = values.at === undefined ? new Date() : new Date(values.at);
    if (Number.isNaN(now.getTime())) throw new CliError(`--at: '${values.at}' is not a date (use ISO 8601, e.g. 2026-12-07T08:00:00Z)`);
    const publicUrl = values['public-url'] ?? process.env.CASEBOOK_PUBLIC_URL;
    const config = { ...(publicUrl ? { publicUrl } : {}) };
    if (!dryRun && !mailConfigured(config)) throw new CliError('mail is not configured: set CASEBOOK_SMTP_URL (or use --dry-run)');
    return withStore(values.db, async (store) => {
      const outcomes = await runDigests({ store, config, now, dryRun });
      let failed = 0;
      for (const outcome of outcomes) {
        io.stdout(`${outcome.status}\t${outcome.to}\t${outcome.period}\t${outcome.items} items${outcome.error ? `\t${outcome.error}` : ''}\n`);
        if (outcome.status === 'failed') failed++;
        if (dryRun && outcome.mail) io.stdout(`Subject: ${outcome.mail.subject}\n\n${outcome.mail.text}\n`);
      }
      if (!outcomes.length) io.stdout('no member has chosen a digest\n');
      return failed ? 1 : 0;
    });
  },
};
