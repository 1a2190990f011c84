// The ordered list of migrations, imported statically so the bundled CLI carries them.
import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_initial.ts';
import * as m002 from './002_web.ts';
import * as m003 from './003_accounts.ts';
import * as m005 from './005_clip_domain.ts';
import * as m006 from './006_form_tokens.ts';
import * as m007 from './007_discussion.ts';
import * as m008 from './008_activity.ts';
import * as m009 from './009_attachments.ts';
import * as m010 from './010_attachment_source.ts';
import * as m011 from './011_stemming.ts';
import * as m012 from './012_library_links.ts';
import * as m013 from './013_search_spans.ts';
import * as m014 from './014_phrase_pairs.ts';

const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_web': m002,
  '003_accounts': m003,
  '005_clip_domain': m005,
  '006_form_tokens': m006,
  '007_discussion': m007,
  '008_activity': m008,
  '009_attachments': m009,
  '010_attachment_source': m010,
  '011_stemming': m011,
  '012_library_links': m012,
  '013_search_spans': m013,
  '014_phrase_pairs': m014,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
