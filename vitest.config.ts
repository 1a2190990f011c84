// Test runner configuration: `npm test` runs every suite (unit, service in process and over a
// real socket, browser end to end) on SQLite, and the service suite again on PostgreSQL when
// CASEBOOK_TEST_PG names a reachable server (issue 6: both stores pass the same suite).
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { postgresUnavailable, reportSkippedPostgres } from './test/helpers/postgres-available.ts';

export default defineConfig(async () => {
  const pgReason = await postgresUnavailable(process.env.CASEBOOK_TEST_PG);
  if (pgReason) reportSkippedPostgres(pgReason);
  return {
    plugins: [WxtVitest()],
    test: {
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks' as const,
      projects: [
        {
          extends: true as const,
          test: { name: 'sqlite', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], globalSetup: ['test/global-setup.ts'] },
        },
        ...(pgReason
          ? []
          : [
              {
                extends: true as const,
                test: {
                  name: 'postgres',
                  include: ['test/service/**/*.test.ts'],
                  env: { CASEBOOK_TEST_STORE: 'postgres' },
                  globalSetup: ['test/global-setup.ts', 'test/helpers/postgres-setup.ts'],
                },
              },
            ]),
      ],
    },
  };
});
