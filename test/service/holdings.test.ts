// What the library holds for a site (issue 10): clips are counted by their registrable domain
// (extension clips carry no companyId), scans by the site's companies; the badge shows these.
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../service/db/connect.ts';
import { migrationProvider } from '../../service/db/migrations/index.ts';
import type { Database } from '../../service/db/schema.ts';
import { createLibrary, createUser } from '../../service/repos/accounts.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { clipFields, makeWorld, newId, type World } from '../helpers/world.ts';

let w: World;
beforeEach(async () => {
  w = await makeWorld();
});

const holdings = (who: World['member'], domain: string, library = w.libA.id) =>
  w.call(who, 'GET', `/api/v1/libraries/${library}/holdings?domain=${encodeURIComponent(domain)}`);

describe('holdings by registrable domain', () => {
  it('counts clips made anywhere on the site and the scans of its companies', async () => {
    const companyId = newId();
    const scanId = newId();
    const gone = newId();
    await w.push(w.member, [
      { type: 'clip', id: newId(), op: 'put', fields: clipFields({ url: 'https://www.markeich.de/ueber-uns', title: 'Über uns' }) },
      { type: 'clip', id: newId(), op: 'put', fields: clipFields({ url: 'https://shop.markeich.de/kakao?x=1', title: 'Shop' }) },
      { type: 'clip', id: gone, op: 'put', fields: clipFields({ url: 'https://markeich.de/old', title: 'Old' }) },
      { type: 'clip', id: newId(), op: 'put', fields: clipFields({ url: 'https://news.example.org/markeich.de', title: 'Elsewhere' }) },
      { type: 'company', id: companyId, op: 'put', fields: { name: 'MARKE ICH', domains: ['markeich.de'] } },
      { type: 'scan', id: scanId, op: 'put', fields: { companyId, templateId: 'company-scan-v1', status: 'draft' } },
    ]);
    await w.push(w.member, [{ type: 'clip', id: gone, op: 'delete' }]);
    const reply = await holdings(w.member, 'markeich.de');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ site: 'markeich.de', clipCount: 2, scanCount: 1 });
    expect(reply.body.companies.map((c: { name: string }) => c.name)).toEqual(['MARKE ICH']);
    expect(reply.body.recentClips.map((c: { title: string }) => c.title).sort()).toEqual(['Shop', 'Über uns']);
    // Asked by a host or by another subdomain, the answer is the same site.
    expect((await holdings(w.member, 'www.markeich.de')).body.clipCount).toBe(2);
    expect((await holdings(w.member, 'example.org')).body).toMatchObject({ clipCount: 1, scanCount: 0, companies: [] });
  });

  it('counts a clip that moved to another site under its new domain only', async () => {
    const id = newId();
    await w.push(w.member, [{ type: 'clip', id, op: 'put', fields: clipFields({ url: 'http://127.0.0.1:8080/a.html' }) }]);
    expect((await holdings(w.member, '127.0.0.1')).body.clipCount).toBe(1);
    await w.push(w.member, [{ type: 'clip', id, op: 'put', fields: { url: 'https://cocoatrader.nl/a' } }]);
    expect((await holdings(w.member, '127.0.0.1')).body.clipCount).toBe(0);
    expect((await holdings(w.member, 'cocoatrader.nl')).body.clipCount).toBe(1);
  });

  it("never shows another library's clips, and rejects a missing or absurd domain", async () => {
    await w.push(w.member, [{ type: 'clip', id: newId(), op: 'put', fields: clipFields({ url: 'https://markeich.de/' }) }]);
    expect((await holdings(w.outsider, 'markeich.de', w.libB.id)).body.clipCount).toBe(0);
    expect((await holdings(w.outsider, 'markeich.de', w.libA.id)).status).toBe(404);
    for (const bad of ['', 'x'.repeat(300), 'not a host/', '%%%']) {
      const reply = await holdings(w.member, bad);
      expect(reply.status, bad).toBe(400);
      expect(reply.body.error.code).toBe('invalid');
    }
  });
});

describe.skipIf(TEST_STORE === 'postgres')('migration 005', () => {
  it('backfills the registrable domain of clips saved before it', async () => {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo('002_web')).error).toBeUndefined();
    const library = await createLibrary(db, 'Old library');
    const user = await createUser(db, { email: 'old@example.org', name: 'Old', organisation: '', password: 'correct horse battery' });
    const at = new Date().toISOString();
    const rows = [['https://www.markeich.de/a', 'markeich.de'], ['http://localhost:5000/x', 'localhost'], ['mailto:a@b.c', null]] as const;
    for (const [url] of rows) {
      await db.insertInto('clips').values({
        id: newId(), library_id: library.id, version: 1, deleted: 0, created_by: user.id, updated_by: user.id, created_at: at, updated_at: at,
        url, kind: 'link', title: url, company_id: null, captured_by: user.id, captured_at: at, data: JSON.stringify({ url }), field_versions: '{}',
      } as never).execute();
    }
    await migrate(db);
    const after = await db.selectFrom('clips').select(['url', 'domain']).orderBy('seq').execute();
    expect(after.map((r) => [r.url, r.domain])).toEqual(rows.map(([url, domain]) => [url, domain]));
    await db.destroy();
  });
});
