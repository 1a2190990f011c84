// The ordered list of migrations, imported statically so the bundled CLI carries them.
import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_initial.ts';

const migrations: Record<string, Migration> = {
  '001_initial': m001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
