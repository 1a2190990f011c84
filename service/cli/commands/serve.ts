// `casebook serve`: runs the service (API and web library) on the chosen store.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../app.ts';
import { bootstrapIfEmpty } from '../../bootstrap.ts';
import { createDemoLibrary } from '../../demo/create.ts';
import { countUsers, createToken, findUserByEmail } from '../../repos/accounts.ts';
import { demoMessage } from './demo.ts';
import { CliError, parseCommandArgs, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, openStoreFromOption } from '../store-option.ts';
import { signinUrl } from '../urls.ts';
import { LINK_LIFETIME } from '../../auth/links.ts';

export const command: Command = {
  summary: 'run the service (API + web library)',
  usage: `usage: casebook serve [--port 8787] [--host 127.0.0.1] [--db FILE|postgres://URL] [--quiet]

Runs the API and the web library. Migrations run at start. On the first start with
no users it creates a library and an admin and prints a sign-in link and a token.
${DB_USAGE}
  --port N        port to listen on (default 8787, or $PORT)
  --host H        address to listen on (default 127.0.0.1)
  --quiet         do not log requests
  --demo          on a store with no users, fill a demo library (casebook demo) instead
                  of the empty first-start library, and print how to sign in`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTION, port: { type: 'string' }, host: { type: 'string' }, quiet: { type: 'boolean' }, demo: { type: 'boolean' } });
    const port = Number(values.port ?? process.env.PORT ?? 8787);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, not '${values.port}'`);
    const host = values.host ?? '127.0.0.1';
    const store = await openStoreFromOption(values.db);
    const publicUrl = process.env.CASEBOOK_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const extensionDir = resolve('.output/chrome-mv3');
    const app = createApp({
      store,
      config: { log: !values.quiet, publicUrl, ...(existsSync(extensionDir) ? { extensionDir } : {}) },
    });

    // A newcomer's `npm start` shows a working library at once (issue 5, item 10).
    const demo = values.demo && (await countUsers(store.db)) === 0 ? await createDemoLibrary(store) : undefined;
    // The demo admin also gets an API token, so the extension can be signed in at once too.
    const demoAdmin = demo ? await findUserByEmail(store.db, demo.admin.email) : undefined;
    const demoToken = demoAdmin ? (await createToken(store.db, demoAdmin.id, 'first start')).token : undefined;
    const first = await bootstrapIfEmpty(store.db);
    const server = serve({ fetch: app.fetch, port, hostname: host });
    await new Promise<void>((done, fail) => {
      server.once('listening', done);
      server.once('error', (error: Error) => fail(new CliError(`cannot listen on ${host}:${port}: ${error.message}`)));
    });
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const url = publicUrl.replace(`:${port}`, `:${actualPort}`);

    io.stdout(`Casebook is running at ${url} (store: ${store.location})\n`);
    if (demo) io.stdout(`\n${demoMessage(demo, url)}  API token for the extension (shown once): ${demoToken}\n\n`);
    if (first) {
      io.stdout(
        [
          '',
          'First start: created the library "Learning community" and its admin.',
          `  Sign in to the web library (one-time link, valid for ${LINK_LIFETIME}): ${signinUrl(url, first.signinSecret)}`,
          `  API token for the extension (shown once):       ${first.token}`,
          `  Library id:                                      ${first.libraryId}`,
          '',
        ].join('\n') + '\n',
      );
    }
    io.stdout(
      existsSync(extensionDir)
        ? `Extension for Chrome/Edge: load ${extensionDir} as an unpacked extension (chrome://extensions, developer mode).\n`
        : 'Extension for Chrome/Edge: run `npm run build` to build it into .output/chrome-mv3.\n',
    );
    // Firefox too (issue 18): its build is separate and loads as a temporary add-on.
    const firefoxManifest = resolve('.output/firefox-mv3/manifest.json');
    io.stdout(
      existsSync(firefoxManifest)
        ? `Extension for Firefox: about:debugging → This Firefox → Load Temporary Add-on → ${firefoxManifest}.\n`
        : 'Extension for Firefox: run `npm run build:firefox`, then about:debugging → This Firefox → Load Temporary Add-on → .output/firefox-mv3/manifest.json.\n',
    );

    const stop = () => {
      server.close();
      void store.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  },
};
