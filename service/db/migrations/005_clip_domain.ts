// Migration 5: each clip's registrable domain, indexed, so that "what does the library hold for
// this site" counts the clips made there (issue 10: the badge never counted extension clips,
// which carry no companyId). Existing clips are backfilled. Landed migrations never change.
import type { Kysely } from 'kysely';
import { siteKey as siteOfUrl } from '../../../shared/site.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

const BATCH = 1000;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('clips').addColumn('domain', 'text').execute();
  let after = 0;
  for (;;) {
    const rows = (await db.selectFrom('clips').select(['seq', 'url']).where('seq', '>', after).orderBy('seq').limit(BATCH).execute()) as { seq: number | string; url: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const domain = siteOfUrl(row.url);
      if (domain) await db.updateTable('clips').set({ domain }).where('seq', '=', row.seq).execute();
    }
    after = Number(rows.at(-1)!.seq);
  }
  await db.schema.createIndex('clips_library_domain').on('clips').columns(['library_id', 'domain', 'deleted']).execute();
}
