// The search index of a store: one interface, a SQLite (FTS5) and a PostgreSQL (tsvector + GIN)
// implementation, chosen once per store from its kysely instance. Repositories index and remove
// clips through it and pages search through it; none of them names a dialect.
import type { Db, Dialect } from '../db/schema.ts';
import { dialectOf } from '../db/dialect.ts';
import { postgresSearchIndex } from './fts-postgres.ts';
import { sqliteSearchIndex } from './fts-sqlite.ts';
import type { ClipSearchParams, ClipSearchResult, SearchDocument } from './types.ts';

export interface SearchIndex {
  /** Which implementation: for messages and benchmarks. */
  readonly kind: 'sqlite-fts5' | 'postgres-tsvector';
  /** Writes the search row of a live clip; `isNew`: the clip had no row before (skips the delete). */
  index(db: Db, seq: number, doc: SearchDocument, isNew: boolean): Promise<void>;
  /** Writes many new clips' rows at once (imports, store migration, generated benchmark libraries). */
  indexMany(db: Db, rows: Array<{ seq: number; doc: SearchDocument }>): Promise<void>;
  /** Removes a clip's row (a tombstone). */
  remove(db: Db, seq: number): Promise<void>;
  /**
   * A page of a library's clips: with words, the newest CANDIDATE_WINDOW matches ordered by
   * relevance or newest; without, the newest clips in scope. Query classes: plain words (their
   * word forms too), prefixes (`coc*`), "phrases", OR, and the case/tag/member/company/kind
   * filters. Never fails on what the user typed.
   */
  search(db: Db, params: ClipSearchParams): Promise<ClipSearchResult>;
  /** Before a bulk load into an empty store: drop what is cheaper to build once at the end. */
  beforeBulkLoad(db: Db): Promise<void>;
  /** After a bulk load: build what beforeBulkLoad dropped, merge segments, gather statistics. */
  afterBulkLoad(db: Db): Promise<void>;
}

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
