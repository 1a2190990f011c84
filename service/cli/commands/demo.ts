// `casebook demo`: fills a new library with the sample community so a newcomer sees Casebook working.
import { createDemoLibrary } from '../../demo/create.ts';
import { parseCommandArgs, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';
import { signinUrl } from '../urls.ts';
import { LINK_LIFETIME } from '../../auth/links.ts';

export const command: Command = {
  summary: 'create a library filled with a realistic sample (cases, clips, a company scan)',
  usage: `usage: casebook demo [--db FILE] [--name NAME] [--public-url URL]

Creates a new library with six fictional members from four organisations, four cases
with subgroups and lessons, ten clips, three companies and a filled company scan, and
prints how to sign in. Existing accounts with the sample's e-mail addresses are reused.
${DB_USAGE}
  --name NAME       library name (default "Learning community (demo)")
  --public-url URL  base URL of the web library for the printed link (default $CASEBOOK_PUBLIC_URL or http://127.0.0.1:8787)`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTION, name: { type: 'string' }, 'public-url': { type: 'string' } });
    const demo = await withStore(values.db, (store) => createDemoLibrary(store, values.name));
    io.stdout(demoMessage(demo, values['public-url']));
    return 0;
  },
};

export function demoMessage(demo: Awaited<ReturnType<typeof createDemoLibrary>>, publicUrl: string | undefined): string {
  const base = signinUrl(publicUrl, '').replace(/\/signin\/link\/$/, '');
  return [
    `Demo library created: ${demo.libraryId}`,
    `  ${demo.counts.members} members, ${demo.counts.cases} cases, ${demo.counts.clips} clips, a company scan with ${demo.counts.answers} answers.`,
    demo.admin.password
      ? `  Sign in at ${base}/signin as ${demo.admin.email} with password ${demo.admin.password} (every demo member has this password)`
      : `  Sign in at ${base}/signin as ${demo.admin.email} (the account existed; its password is unchanged)`,
    ...(demo.signinSecret
      ? [`  Forgot that password? This one-time link lets you choose a new one (it replaces the old one; valid for ${LINK_LIFETIME}): ${signinUrl(publicUrl, demo.signinSecret)}`]
      : []),
    '',
  ].join('\n');
}
