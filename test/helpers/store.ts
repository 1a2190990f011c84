// Opens a fresh, isolated store for a test: SQLite in memory by default (real SQLite, no mocks),
// or a schema of its own on a real PostgreSQL server when CASEBOOK_TEST_STORE=postgres.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../service/db/connect.ts';
import { tempDir } from './processes.ts';

/** Which store the service suite runs against (vitest.postgres.config.ts sets it). */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.CASEBOOK_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** Prefix of every schema one test run creates, so its global teardown can drop them all. */
export const SCHEMA_PREFIX = `cbt_${process.env.CASEBOOK_TEST_RUN ?? 'adhoc'}_`;

function serverUrl(): string {
  const url = process.env.CASEBOOK_TEST_PG;
  if (!url) throw new Error('CASEBOOK_TEST_STORE=postgres needs CASEBOOK_TEST_PG=postgres://user:password@host/database');
  return url;
}

/** The server URL with every connection's search_path set to one schema. */
export function urlWithSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/**
 * A new empty schema on the test server. Schemas, not databases: creating one needs only the
 * CREATE privilege on the database and takes milliseconds, and test files running in parallel
 * workers never see each other's rows or migration tables.
 */
export async function freshPostgresUrl(): Promise<string> {
  const schema = SCHEMA_PREFIX + randomBytes(6).toString('hex');
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  return urlWithSchema(serverUrl(), schema);
}

/** Where a fresh store lives, for tests that hand it to the real CLI or server as --db. */
export async function freshStoreTarget(fileName = 'casebook.db'): Promise<string> {
  return TEST_STORE === 'postgres' ? freshPostgresUrl() : join(tempDir(), fileName);
}

export async function freshStore(): Promise<Store> {
  return openStore(TEST_STORE === 'postgres' ? await freshPostgresUrl() : ':memory:');
}
