// Opens a fresh store for a test: SQLite in memory by default (real SQLite, no mocks).
import { openStore, type Store } from '../../service/db/connect.ts';

export async function freshStore(): Promise<Store> {
  return openStore(':memory:');
}
