// PostgreSQL store (issue 6): opened when --db is a postgres:// URL.
import type { Store } from './connect.ts';

export async function openPostgres(url: string): Promise<Store> {
  const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  throw new Error(`PostgreSQL is not supported yet (${safe}); use a SQLite file`);
}
