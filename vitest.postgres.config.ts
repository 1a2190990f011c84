// The service suite again, against PostgreSQL (`npm run test:pg`): every test/service file, with
// freshStore() opening a schema of its own on the server named by CASEBOOK_TEST_PG.
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { postgresUnavailable, reportSkippedPostgres } from './test/helpers/postgres-available.ts';

export default defineConfig(async () => {
  const reason = await postgresUnavailable(process.env.CASEBOOK_TEST_PG);
  if (reason) reportSkippedPostgres(reason);
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
