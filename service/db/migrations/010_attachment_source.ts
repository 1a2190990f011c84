// Migration 10: where a kept image came from (issue 16, item 2). The clip page swaps an image's
// source address in the clipped HTML for the kept copy, so it needs the address per clip link.
// Landed migrations never change; add a new file instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against any schema state
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('clip_attachments').addColumn('source_url', 'text').execute();
}
