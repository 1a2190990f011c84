// Search finds word forms (issue 17, item 4): the clip's language picks the stemmer (English,
// Dutch, German, French), a typed word finds its other forms, a quoted phrase or word stays
// exact, and the reader chooses best match or newest first. Runs on the store the project
// selects (SQLite, or PostgreSQL in the postgres project: test/helpers/store.ts).
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { up as stemmingMigration } from '../../service/db/migrations/011_stemming.ts';
import { up as spansMigration } from '../../service/db/migrations/013_search_spans.ts';
import { clipFields, makeWorld, newId, type World } from '../helpers/world.ts';

let w: World;
const ids = {
  en: newId(),
  nl: newId(),
  de: newId(),
  fr: newId(),
  plain: newId(),
  plainForms: newId(),
  older: newId(),
  newer: newId(),
};

beforeAll(async () => {
  w = await makeWorld();
  const clip = (id: string, fields: Record<string, unknown>) => ({ type: 'clip', id, op: 'put', fields: clipFields({ tags: [], ...fields }) });
  await w.push(w.member, [
    clip(ids.en, { title: 'Farm cover gets dearer', text: 'The premium for crop insurance went up again this season.', lang: 'en' }),
    clip(ids.nl, { title: 'Boeren betalen meer', text: 'De verzekering van de boerderij werd duurder.', lang: 'nl' }),
    clip(ids.de, { title: 'Bauern zahlen mehr', text: 'Die Versicherung der Bauern wird teurer.', lang: 'de-DE' }),
    clip(ids.fr, { title: 'Les agriculteurs paient plus', text: "L'assurance des agriculteurs augmente.", lang: 'fr-FR' }),
    // No language: words match as written, no other forms.
    clip(ids.plain, { title: 'Listed without a language', text: 'Annual premium tables.', lang: '' }),
    clip(ids.plainForms, { title: 'Also without a language', text: 'Annual premiums listed.' }),
    clip(ids.older, { title: 'Harvest outlook', text: 'Growers expect a good harvest.', lang: 'en' }),
  ]);
  await w.push(w.member, [clip(ids.newer, { title: 'Weather report', text: 'Rain helped the harvests in the north.', lang: 'en' })]);
});

const search = (query: string) => w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips?${query}`);
const found = async (q: string, extra = '') => {
  const reply = await search(`q=${encodeURIComponent(q)}${extra}`);
  expect(reply.status, q).toBe(200);
  return reply.body.clips.map((c: { id: string }) => c.id) as string[];
};

describe('search finds word forms', () => {
  it('in English: premiums finds premium, with the form found highlighted', async () => {
    const reply = await search('q=premiums');
    const hits = reply.body.clips as Array<{ id: string; snippet: string }>;
    expect(hits.map((hit) => hit.id)).toContain(ids.en);
    expect(hits.find((hit) => hit.id === ids.en)!.snippet).toMatch(/<mark>premium<\/mark> for crop/);
  });

  it('in Dutch, German and French', async () => {
    expect(await found('verzekeringen')).toEqual([ids.nl]);
    expect(await found('Versicherungen')).toEqual([ids.de]);
    expect(await found('assurances')).toEqual([ids.fr]);
  });

  it('by the clip language only: a clip without one matches the word as written', async () => {
    const hits = await found('premiums');
    expect(hits).toContain(ids.plainForms); // holds "premiums" itself
    expect(hits).not.toContain(ids.plain); // holds only "premium" and has no language
    expect(await found('premium')).toEqual(expect.arrayContaining([ids.en, ids.plain]));
  });

  it('keeps quoted phrases and quoted words exact', async () => {
    expect(await found('"premium for crop"')).toEqual([ids.en]);
    expect(await found('"premiums for crop"')).toEqual([]);
    expect(await found('"premiums"')).toEqual([ids.plainForms]);
    expect(await found('"verzekeringen"')).toEqual([]);
  });

  it('combines word forms with other words, prefixes and alternatives', async () => {
    expect(await found('premiums crop')).toEqual([ids.en]);
    expect(await found('premiums harvests', '')).toEqual([]);
    expect((await found('assurances OR verzekeringen')).sort()).toEqual([ids.fr, ids.nl].sort());
    expect(await found('verzek*')).toEqual([ids.nl]);
  });
});

describe('search order', () => {
  it('best match first by default, newest first on request', async () => {
    // "harvest" is in the older clip's title; the newer one holds "harvests" in its text only.
    expect(await found('harvest')).toEqual([ids.older, ids.newer]);
    expect(await found('harvest', '&order=relevance')).toEqual([ids.older, ids.newer]);
    expect(await found('harvest', '&order=newest')).toEqual([ids.newer, ids.older]);
  });

  it('answers 400 for an order it does not know', async () => {
    for (const order of ['oldest', 'RELEVANCE', '1', 'newest\u0000']) {
      const reply = await search(`q=harvest&order=${encodeURIComponent(order)}`);
      expect(reply.status, order).toBe(400);
    }
  });

});

describe('migration 011', () => {
  it('indexes the clips a library already holds with their word forms', async () => {
    const { db, dialect } = w.store;
    // The search rows as before word forms: none on PostgreSQL, the former FTS5 table on SQLite.
    // PostgreSQL: the rows and columns of 011's time; migration 013 then brings them to today's.
    if (dialect === 'postgres') {
      await sql`DELETE FROM clip_search`.execute(db);
      await sql`ALTER TABLE clip_search ADD COLUMN head tsvector, ALTER COLUMN prefixes DROP NOT NULL, ALTER COLUMN title DROP NOT NULL`.execute(db);
    } else {
      await sql`DROP TABLE clips_fts`.execute(db);
      await sql`CREATE VIRTUAL TABLE clips_fts USING fts5(filters, title, body, note, tags, site, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')`.execute(db);
    }
    if (dialect === 'postgres') expect(await found('premiums')).toEqual([]);
    await stemmingMigration(db);
    if (dialect === 'postgres') await spansMigration(db);
    expect(await found('premiums')).toEqual(expect.arrayContaining([ids.en, ids.plainForms]));
    expect(await found('Versicherungen')).toEqual([ids.de]);
    expect(await found('"premium for crop"')).toEqual([ids.en]);
    // Prefixes of the migrated rows (013 builds them from the indexed words on PostgreSQL).
    expect(await found('premi*')).toEqual(expect.arrayContaining([ids.en, ids.plainForms]));
    expect(await found('pr*')).toEqual(expect.arrayContaining([ids.en, ids.plainForms]));
  });
});
