// The service suite again, against PostgreSQL (`npm run test:pg`): every test/service file, with
// freshStore() opening a schema of its own on the server named by CASEBOOK_TEST_PG.
import pg from 'pg';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/** Why the Postgres run cannot happen, or null when the server answers. */
async function unreachable(url: string | undefined): Promise<string | null> {
  if (!url) return 'CASEBOOK_TEST_PG is not set';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

export default defineConfig(async () => {
  const reason = await unreachable(process.env.CASEBOOK_TEST_PG);
  if (reason) {
    // In CI a missing server is a failure, never a silent skip.
    if (process.env.CI) throw new Error(`Postgres test run: ${reason}`);
    process.stderr.write(`\n  SKIPPED: the PostgreSQL run of the service suite: ${reason}.\n  Start a server and set CASEBOOK_TEST_PG=postgres://user:password@host/database (see scripts/ci-postgres.sh).\n\n`);
  }
  return {
    plugins: [WxtVitest()],
    test: {
      name: 'service-postgres',
      include: reason ? [] : ['test/service/**/*.test.ts'],
      passWithNoTests: true,
      env: { CASEBOOK_TEST_STORE: 'postgres' },
      globalSetup: ['test/global-setup.ts', 'test/helpers/postgres-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks',
    },
  };
});
