// Issue 10 in the background's logic: the company is saved under the name the site states and the
// person accepted (never the domain), the legal name is written whenever an accepted one changes,
// a page the extension may not read yet names the one origin to ask for, the popup gets a preview
// only while the page waits in the background for Save, and the badge counts clips and scans.
import 'fake-indexeddb/auto';
import { fakeBrowser } from 'wxt/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewOf, keptCapture, keepCapture } from '../../extension/lib/captures.ts';
import { closeDbForTests, openDb, type Db } from '../../extension/lib/db.ts';
import type { CapturedPage, ScanProposals } from '../../extension/lib/engines.ts';
import { badgeText, badgeTitle, forgetHoldings, lookupHoldings } from '../../extension/lib/holdings.ts';
import { CasebookError } from '../../extension/lib/messages.ts';
import { keepAnswers, loadScan, saveScan } from '../../extension/lib/scan.ts';
import { originPattern, type Session } from '../../extension/lib/settings.ts';
import { Api } from '../../extension/lib/api.ts';
import { evidenceText } from '../../extension/entrypoints/sidepanel/format.ts';
import type { DraftAnswer } from '../../extension/lib/types.ts';

const LIB = '11111111-1111-4111-8111-111111111111';
const session: Session = {
  serverUrl: 'http://127.0.0.1:8787', token: 't', tokenId: null, clientId: 'client-1', libraryId: LIB,
  user: { id: 'u', name: 'Ada', email: 'ada@example.org', organisation: 'NGO' }, libraries: [{ id: LIB, name: 'L', role: 'member' }],
};
const SITE_URL = 'http://www.markeich.de:5173/impressum';
const proposals: ScanProposals = {
  url: SITE_URL,
  answers: {
    name: [{ value: 'MARKE ICH', method: 'meta', confidence: 0.9, evidence: { url: SITE_URL, snippet: '<meta property="og:site_name" content="MARKE ICH">' } }],
    legalName: [{ value: 'Marke Ich GmbH', method: 'text', confidence: 0.8, evidence: { url: SITE_URL, snippet: 'Marke Ich GmbH, Berlin' } }],
  },
} as ScanProposals;
const noAccess = async (): Promise<ScanProposals> => { throw new CasebookError('no-access', 'Casebook may not read this page yet.'); };
const accepted = (value: string): DraftAnswer => ({ value, method: 'auto', evidence: [], state: 'accepted' });

let db: Db;
let tabId: number;
let n = 0;
beforeEach(async () => {
  fakeBrowser.reset();
  db = await openDb(`scan-name-${++n}`);
  tabId = (await fakeBrowser.tabs.create({ url: SITE_URL, title: 'Impressum' })).id!;
});
afterEach(async () => { await closeDbForTests(); });

describe('company scan names', () => {
  it('asks for the one origin it may not read, and saves the company under the accepted name, not the domain', async () => {
    const first = await loadScan(db, session, tabId, noAccess);
    expect(first.accessPattern).toBe('http://www.markeich.de:5173/*');
    expect(first.companyName).toBe('');
    const read = await loadScan(db, session, tabId, async () => proposals);
    expect(read.accessPattern).toBeNull();
    expect(read.proposedName).toBe('MARKE ICH');
    const { mutations } = await saveScan(db, session, { site: 'markeich.de', companyName: '', complete: false, answers: { name: accepted('MARKE ICH') } });
    expect(mutations[0]).toMatchObject({ type: 'company', fields: { name: 'MARKE ICH', domains: ['markeich.de'] } });
  });

  it('renames a company saved under its domain once a name is accepted, and writes the legal name whenever it is accepted', async () => {
    await loadScan(db, session, tabId, async () => proposals);
    // Saved first under the domain (what the panel's field held before issue 10), no legal name.
    const first = await saveScan(db, session, { site: 'markeich.de', companyName: 'markeich.de', complete: false, answers: {} });
    expect(first.mutations[0]!.fields).toMatchObject({ name: 'MARKE ICH' });
    const second = await saveScan(db, session, { site: 'markeich.de', companyName: 'MARKE ICH', complete: false, answers: { legalName: accepted('Marke Ich GmbH') } });
    const company = second.mutations.find((m) => m.type === 'company');
    expect(company?.fields).toEqual({ legalName: 'Marke Ich GmbH' });
    const third = await saveScan(db, session, { site: 'markeich.de', companyName: 'MARKE ICH', complete: false, answers: { legalName: accepted('Marke Ich GmbH') } });
    expect(third.mutations.find((m) => m.type === 'company')).toBeUndefined();
    const fourth = await saveScan(db, session, { site: 'markeich.de', companyName: 'MARKE ICH', complete: false, answers: { legalName: accepted('MARKE ICH GmbH & Co. KG') } });
    expect(fourth.mutations.find((m) => m.type === 'company')?.fields).toEqual({ legalName: 'MARKE ICH GmbH & Co. KG' });
  });

  it('keeps the decisions the panel sends before Save over what a later read proposes', async () => {
    await loadScan(db, session, tabId, async () => proposals);
    await keepAnswers(db, session, 'markeich.de', { name: { value: 'Marke Ich', method: 'manual', evidence: [], state: 'manual' }, legalName: { ...accepted('Marke Ich GmbH'), state: 'rejected' } });
    const again = await loadScan(db, session, tabId, async () => proposals);
    expect(again.answers.name).toMatchObject({ value: 'Marke Ich', state: 'manual' });
    expect(again.answers.legalName?.state).toBe('rejected');
  });

  it('keeps what the person typed as the name over any proposal', async () => {
    await loadScan(db, session, tabId, async () => proposals);
    const { mutations } = await saveScan(db, session, { site: 'markeich.de', companyName: 'Marke Ich (Berlin)', complete: false, answers: { name: accepted('MARKE ICH') } });
    expect(mutations[0]!.fields).toMatchObject({ name: 'Marke Ich (Berlin)' });
  });
});

describe('origins and evidence', () => {
  it('names exactly one origin, with its port, for a host permission', () => {
    expect(originPattern('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/*');
    expect(originPattern('https://casebook.example.org/some/path')).toBe('https://casebook.example.org/*');
    expect(originPattern('http://localhost:5000/x', false)).toBe('http://localhost/*');
  });

  it('shows evidence as text a person reads, not markup', () => {
    expect(evidenceText('<title>MARKE ICH – Kakao &amp; mehr</title>')).toBe('page title: MARKE ICH – Kakao & mehr');
    expect(evidenceText('<meta property="og:site_name" content="Nick Stein Wonen">')).toBe('og:site_name: Nick Stein Wonen');
    expect(evidenceText('KvK <b>12345678</b> &#8211; Amsterdam')).toBe('KvK 12345678 – Amsterdam');
  });
});

describe('popup preview', () => {
  const big: CapturedPage = {
    url: 'https://news.example.org/a', pageTitle: 'A', articleError: null, selection: null,
    article: { title: 'Cocoa', byline: '', siteName: 'Wire', lang: 'en', publishedAt: '', canonicalUrl: '', excerpt: 'Short.', leadImage: '',
      html: `<p>${'word '.repeat(80_000)}</p>`, markdown: 'word '.repeat(80_000), text: 'word '.repeat(80_000) } as CapturedPage['article'],
  };

  it('sends the popup a small preview and keeps the page in the background until Save', async () => {
    const preview = previewOf(big);
    expect(preview).toEqual({ url: big.url, title: 'Cocoa', siteName: 'Wire', excerpt: 'Short.', wordCount: 80_000, suggestedKind: 'article', hasSelection: false });
    expect(JSON.stringify(preview).length).toBeLessThan(1_000);
    await keepCapture(3, big);
    expect((await keptCapture(3))?.article?.text.length).toBe(big.article!.text.length);
    expect(await keptCapture(4)).toBeNull();
  });
});

describe('badge', () => {
  const holdingsReply = (clipCount: number, scanCount: number) => JSON.stringify({
    site: 'markeich.de', clipCount, scanCount, recentClips: [],
    companies: scanCount ? [{ id: 'c', name: 'MARKE ICH', domains: ['markeich.de'], scans: [], clipCount: 0, recentClips: [] }] : [],
  });

  it('counts the clips and scans the library holds for the site, and asks again once forgotten after a save', async () => {
    let reply = holdingsReply(2, 1);
    const asked: string[] = [];
    const api = new Api(session.serverUrl, 't', (async (url: string | URL | Request) => {
      asked.push(String(url));
      return new Response(reply, { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch);
    const before = await lookupHoldings(db, session, 'markeich.de', { api });
    expect(asked[0]).toBe(`http://127.0.0.1:8787/api/v1/libraries/${LIB}/holdings?domain=markeich.de`);
    expect(badgeText(before)).toBe('3');
    expect(badgeTitle(before)).toBe('Casebook: the library holds 2 clips and 1 scan for markeich.de (MARKE ICH)');
    reply = holdingsReply(3, 1);
    expect(badgeText(await lookupHoldings(db, session, 'markeich.de', { api }))).toBe('3'); // cached
    await forgetHoldings(db);
    expect(badgeText(await lookupHoldings(db, session, 'markeich.de', { api }))).toBe('4');
    expect(badgeText({ clipCount: 0, scanCount: 0 })).toBe('');
  });
});
