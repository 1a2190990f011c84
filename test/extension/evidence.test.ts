// Text sent with "Add to company scan": the likely question is proposed, and attaching it in the
// side panel adds it as evidence to the site's scan draft, which "Save scan" then pushes.
import 'fake-indexeddb/auto';
import { fakeBrowser } from 'wxt/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDbForTests, openDb, type Db } from '../../extension/lib/db.ts';
import { addPendingEvidence, attachEvidence, pendingEvidence, suggestQuestion } from '../../extension/lib/evidence.ts';
import { createHandlers } from '../../extension/lib/handlers.ts';
import { pendingEntries } from '../../extension/lib/outbox.ts';
import { saveSession, type Session } from '../../extension/lib/settings.ts';
import { SyncEngine } from '../../extension/lib/sync.ts';

const LIB = '11111111-1111-4111-8111-111111111111';
const session: Session = {
  serverUrl: 'http://127.0.0.1:9', token: 't', tokenId: null, clientId: 'client-1', libraryId: LIB,
  user: { id: 'u', name: 'Ada', email: 'ada@example.org', organisation: 'NGO' }, libraries: [{ id: LIB, name: 'L', role: 'member' }],
};

describe('suggestQuestion', () => {
  it.each([
    ['Write to info@cocoatrader.nl for partnerships', 'emails'],
    ['Chamber of Commerce 12345678', 'registrations'],
    ['BTW NL009691108B01', 'vatIds'],
    ['Download our Annual Report 2025', 'reports'],
    ['Our cocoa is Fairtrade and Rainforest Alliance certified', 'certifications'],
    ['Cocoa Trading was founded in 1987 in Zaandam', 'foundingYear'],
    ['We employ 240 employees in three countries', 'employees'],
    ['Call us on +31 20 123 4567', 'phones'],
    ['An NGO campaign accused the company of child labour on farms', 'controversies'],
    ['Cocoa Trading B.V. is a trader of West African cocoa beans', 'legalName'],
    ['We trade cocoa beans from smallholder farmers to chocolate makers across Europe', 'products'],
    ['A family-owned company, now in its third generation', 'ownership'],
    ['Nothing in particular here', 'description'],
  ])('%s → %s', (snippet, key) => expect(suggestQuestion(snippet)).toBe(key));
});

describe('attachEvidence', () => {
  const evidence = { url: 'https://www.cocoatrader.nl/about', snippet: 'Founded in 1987' };
  it('adds evidence to an answer already there, once', () => {
    const answer = { value: '1987', method: 'auto' as const, evidence: [{ url: 'https://www.cocoatrader.nl/', snippet: 'since 1987' }], state: 'accepted' as const };
    const attached = attachEvidence('foundingYear', answer, evidence);
    expect(attached).toEqual({ ...answer, evidence: [...answer.evidence, evidence] });
    expect(attachEvidence('foundingYear', attached, evidence).evidence).toHaveLength(2);
  });
  it('answers an empty question by hand with the snippet, or the link for link questions', () => {
    expect(attachEvidence('controversies', undefined, evidence)).toEqual({ value: 'Founded in 1987', method: 'manual', evidence: [evidence], state: 'manual' });
    expect(attachEvidence('products', undefined, evidence).value).toEqual(['Founded in 1987']);
    expect(attachEvidence('codeOfConduct', undefined, evidence).value).toBe('https://www.cocoatrader.nl/about');
  });
});

describe('scan.attachEvidence', () => {
  let db: Db;
  beforeEach(async () => {
    fakeBrowser.reset();
    db = await openDb(`evidence-test-${Date.now()}-${Math.random()}`);
    await saveSession(session);
  });
  afterEach(() => closeDbForTests());

  it('moves the text from the inbox into the draft, and Save scan pushes it as the answer\'s evidence', async () => {
    const sync = new SyncEngine({ db, session: async () => session, publish: () => undefined });
    const handlers = createHandlers({ db, sync, kick: () => undefined, refreshBadges: async () => undefined });
    await addPendingEvidence({ id: 'ev-1', site: 'cocoatrader.nl', url: 'https://www.cocoatrader.nl/about', pageTitle: 'About', snippet: 'Registered with the KvK under 12345678.', suggested: 'registrations', at: 1 });
    await addPendingEvidence({ id: 'ev-2', site: 'cocoatrader.nl', url: 'https://www.cocoatrader.nl/', pageTitle: 'Home', snippet: 'Sourced from Ghana', suggested: 'countries', at: 2 });

    const { answer } = await handlers['scan.attachEvidence']({ evidenceId: 'ev-1', field: 'partnershipFit' }, {});
    expect(answer).toMatchObject({ value: 'Registered with the KvK under 12345678.', state: 'manual' });
    expect((await pendingEvidence()).map((item) => item.id)).toEqual(['ev-2']);
    await expect(handlers['scan.attachEvidence']({ evidenceId: 'ev-1', field: 'partnershipFit' }, {})).rejects.toMatchObject({ code: 'unknown-evidence' });
    await handlers['scan.dismissEvidence']({ evidenceId: 'ev-2' }, {});
    expect(await pendingEvidence()).toEqual([]);

    await handlers['scan.save']({ site: 'cocoatrader.nl', companyName: 'Cocoa Trading', answers: { partnershipFit: answer }, complete: false }, {});
    const saved = (await pendingEntries(db)).find((entry) => entry.mutation.type === 'answer');
    expect(saved?.mutation.fields).toMatchObject({ field: 'partnershipFit', evidence: [{ url: 'https://www.cocoatrader.nl/about', snippet: 'Registered with the KvK under 12345678.' }] });
  });
});
