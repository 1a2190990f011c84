// The search index of a store: one interface, a SQLite (FTS5) and a PostgreSQL (tsvector + GIN)
// implementation, chosen once per store from its kysely instance. Repositories index and remove
// clips through it and pages search through it; none of them names a dialect.
import type { Db, Dialect } from '../db/schema.ts';
import { dialectOf } from '../db/dialect.ts';
import { postgresSearchIndex } from './fts-postgres.ts';
import { sqliteSearchIndex } from './fts-sqlite.ts';
import type { SearchIndex } from './types.ts';

export type { SearchIndex } from './types.ts';

export function searchIndexFor(dialect: Dialect): SearchIndex {
  return dialect === 'postgres' ? postgresSearchIndex : sqliteSearchIndex;
}

const chosen = new WeakMap<object, SearchIndex>();

/** The search index of the store behind `db` (a transaction of it too), chosen once per instance. */
export function searchIndexOf(db: Db): SearchIndex {
  let index = chosen.get(db);
  if (!index) {
    index = searchIndexFor(dialectOf(db));
    chosen.set(db, index);
  }
  return index;
}
