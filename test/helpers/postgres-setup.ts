// Global setup of the Postgres run of the service suite: one run id for the schemas the tests
// create, and a teardown that drops them all (vitest.postgres.config.ts).
import pg from 'pg';

export default function setup(): () => Promise<void> {
  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  // Set before the workers fork, so every test file's freshStore() uses the same prefix.
  process.env.CASEBOOK_TEST_RUN = run;
  return async () => {
    const client = new pg.Client({ connectionString: process.env.CASEBOOK_TEST_PG });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`cbt\\_${run}\\_%`]);
      for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`);
    } finally {
      await client.end();
    }
  };
}
