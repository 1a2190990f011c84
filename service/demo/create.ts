// Creates the demo library: members, cases, clips, companies and one filled company scan,
// written through the same push as the extension so the sample behaves like real data.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../db/store.ts';
import { createLibrary, createSigninLink, createUser, findUserByEmail, setIntro, setMembership } from '../repos/accounts.ts';
import { pushChanges } from '../sync/push.ts';
import { CACAO_SCAN, CASES, CLIPS, COMPANIES, DEMO_TEMPLATE_ID, MEMBERS } from './sample.ts';

export interface DemoLibrary {
  libraryId: string;
  /** E-mail and password of the demo admin (null when the account existed before: its password is unchanged). */
  admin: { email: string; password: string | null };
  /**
   * A one-time link secret with which the admin chooses a new password, made only when the
   * account existed (its password is not printed); never beside a printed password, which the
   * link would silently replace (issue 13, item 3).
   */
  signinSecret: string | null;
  counts: { members: number; cases: number; clips: number; answers: number };
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function createDemoLibrary(store: Store, name = 'Learning community (demo)'): Promise<DemoLibrary> {
  const { db } = store;
  const library = await createLibrary(db, name);
  // One password for every demo account: it is printed once, and the accounts are fictional.
  const password = `demo-${randomBytes(6).toString('base64url')}`;
  const userIds = new Map<string, string>();
  let adminPassword: string | null = null;
  for (const member of MEMBERS) {
    const existing = await findUserByEmail(db, member.email);
    const user = existing ?? (await createUser(db, { email: member.email, name: member.name, organisation: member.organisation, password }));
    if (!existing) {
      await setIntro(db, user.id, member.intro);
      if (member.key === 'amina') adminPassword = password;
    }
    await setMembership(db, library.id, user.id, member.role);
    userIds.set(member.key, user.id);
  }
  const uid = (key: string) => userIds.get(key)!;
  const mids = new Map<string, number>();
  const push = async (by: string, mutations: Array<Record<string, unknown>>) => {
    const numbered = mutations.map((mutation) => {
      const mid = (mids.get(by) ?? 0) + 1;
      mids.set(by, mid);
      return { ...mutation, mid };
    });
    const response = await pushChanges(store, { libraryId: library.id, userId: uid(by), clientId: `demo:${uid(by)}`, mutations: numbered });
    const failed = response.results.find((result) => result.status !== 'applied');
    if (failed) throw new Error(`demo data was rejected: ${failed.error?.message ?? failed.status}`);
  };

  const caseIds = new Map(CASES.map((item) => [item.key, randomUUID()]));
  const companyIds = new Map(COMPANIES.map((item) => [item.key, randomUUID()]));
  for (const company of COMPANIES) {
    await push('joost', [{ type: 'company', id: companyIds.get(company.key), op: 'put', fields: { name: company.name, legalName: company.legalName, domains: company.domains, identifiers: company.identifiers } }]);
  }
  for (const item of CASES) {
    await push(item.members[0]!, [
      { type: 'case', id: caseIds.get(item.key), op: 'put', fields: { title: item.title, status: item.status, members: item.members.map(uid), description: item.description, lessons: item.lessons } },
    ]);
  }
  // Oldest first, so the newest clip is also the newest in the library's search order.
  for (const clip of [...CLIPS].sort((a, b) => a.capturedAt.localeCompare(b.capturedAt))) {
    const text = clip.paragraphs?.join('\n\n') ?? '';
    await push(clip.by, [
      {
        type: 'clip',
        id: randomUUID(),
        op: 'put',
        fields: {
          url: clip.url,
          canonicalUrl: clip.url,
          kind: clip.kind,
          title: clip.title,
          byline: clip.byline ?? '',
          siteName: clip.siteName,
          publishedAt: clip.publishedAt ?? '',
          lang: 'en',
          excerpt: clip.paragraphs?.[0] ?? clip.selection ?? '',
          html: clip.paragraphs ? clip.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n') : '',
          markdown: text,
          text,
          selection: clip.selection ? { text: clip.selection, quoteUrl: `${clip.url}#:~:text=${encodeURIComponent(clip.selection.split(' ').slice(0, 6).join(' '))}` } : null,
          note: clip.note ?? '',
          tags: clip.tags,
          caseIds: clip.cases.map((key) => caseIds.get(key)),
          companyId: clip.company ? companyIds.get(clip.company) : null,
          capturedAt: clip.capturedAt,
        },
      },
    ]);
  }
  const scanId = randomUUID();
  await push('joost', [{ type: 'scan', id: scanId, op: 'put', fields: { companyId: companyIds.get('cacao'), caseId: caseIds.get('cocoa'), templateId: DEMO_TEMPLATE_ID, status: 'draft' } }]);
  for (const answer of CACAO_SCAN) {
    await push(answer.by, [
      {
        type: 'answer',
        id: randomUUID(),
        op: 'put',
        fields: { scanId, field: answer.field, value: answer.value, method: answer.method, evidence: answer.evidence ?? [], confirmedBy: answer.confirmedBy ? uid(answer.confirmedBy) : null, note: answer.note ?? '' },
      },
    ]);
  }
  // A second, barely started scan shows what "in progress" looks like.
  await push('peter', [{ type: 'scan', id: randomUUID(), op: 'put', fields: { companyId: companyIds.get('polder'), caseId: caseIds.get('dairy'), templateId: DEMO_TEMPLATE_ID, status: 'draft' } }]);

  const admin = MEMBERS.find((member) => member.key === 'amina')!;
  return {
    libraryId: library.id,
    admin: { email: admin.email, password: adminPassword },
    signinSecret: adminPassword ? null : await createSigninLink(db, uid('amina'), 'reset'),
    counts: { members: MEMBERS.length, cases: CASES.length, clips: CLIPS.length, answers: CACAO_SCAN.length },
  };
}
