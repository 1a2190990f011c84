// Whether the Postgres run of the service suite can happen: the server named by
// CASEBOOK_TEST_PG answers, or the reason it cannot (printed when the run is skipped).
import pg from 'pg';

export async function postgresUnavailable(url: string | undefined): Promise<string | null> {
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

/** Prints why the Postgres run is skipped; in CI with a server configured, refuses to skip. */
export function reportSkippedPostgres(reason: string): void {
  if (process.env.CI && process.env.CASEBOOK_TEST_PG) throw new Error(`Postgres test run: ${reason}`);
  process.stderr.write(
    `\n  SKIPPED: the PostgreSQL run of the service suite: ${reason}.\n` +
      '  Start a server and set CASEBOOK_TEST_PG=postgres://user:password@host/database (see scripts/ci-postgres.sh).\n\n',
  );
}
