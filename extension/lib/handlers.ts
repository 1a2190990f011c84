// The background's answer to each message of the message map: one entry per message type.
import { browser } from 'wxt/browser';
import { Api, ApiError } from './api.ts';
import { capturePage } from './capture.ts';
import { offerPdfAsReport, queueImageUploads, queuePdfUpload, uploadPending } from './pdf.ts';
import { keepCapture, keptCapture, previewOf } from './captures.ts';
import { saveClip } from './clips.ts';
import { objectKey, type Db } from './db.ts';
import { siteKey } from '../../shared/site.ts';
import { lookupHoldings, noHoldings } from './holdings.ts';
import { unreadInbox } from './inbox.ts';
import { CasebookError, type Handlers, type TabReadableNotice } from './messages.ts';
import { enqueue } from './outbox.ts';
import { removePendingEvidence } from './evidence.ts';
import { attachToDraft, keepAnswers, loadScan, saveScan } from './scan.ts';
import {
  lastCaseIds, lastServerUrl, loadSession, normaliseServerUrl, saveSession, sessionView, type Session,
} from './settings.ts';
import type { SyncEngine } from './sync.ts';
import type { CachedCase, ConflictView } from './types.ts';

export interface BackgroundContext {
  db: Db;
  sync: SyncEngine;
  /** Starts a push without waiting for it: a save answers as soon as it is in the outbox. */
  kick: () => void;
  refreshBadges: () => Promise<void>;
}

async function requireSession(): Promise<Session> {
  const session = await loadSession();
  if (!session) throw new CasebookError('signed-out', 'Sign in to Casebook first (Options).');
  return session;
}

function toCasebookError(error: unknown): never {
  if (error instanceof ApiError) {
    const code = error.offline ? 'offline' : error.status === 401 ? 'unauthorized' : error.code;
    throw new CasebookError(code, error.message);
  }
  throw error;
}

async function listConflicts(db: Db): Promise<ConflictView[]> {
  return (await db.getAll('conflicts')).map(({ key, type, id, field, title, mine, theirs, theirsVersion }) =>
    ({ key, type, id, field, title, mine, theirs, theirsVersion }));
}

export function createHandlers(ctx: BackgroundContext): Handlers {
  const { db, sync } = ctx;
  return {
    'session.get': async () => sessionView(await loadSession(), await lastServerUrl()),

    'session.signIn': async ({ serverUrl, email, password, token }) => {
      let origin: string;
      try { origin = normaliseServerUrl(serverUrl); } catch {
        throw new CasebookError('bad-server', 'That is not a server address (e.g. https://casebook.example.org).');
      }
      try {
        let apiToken = token?.trim() ?? '';
        let tokenId: string | null = null;
        if (!apiToken) {
          if (!email || !password) throw new CasebookError('missing', 'Enter your email and password, or paste a token.');
          const created = await new Api(origin, null).createToken(email.trim(), password, `Casebook extension (${navigator.userAgent.includes('Firefox') ? 'Firefox' : 'Chrome'})`);
          apiToken = created.token;
          tokenId = created.id;
        }
        const me = await new Api(origin, apiToken).me();
        const previous = await loadSession();
        const session: Session = {
          serverUrl: origin, token: apiToken, tokenId, user: me.user, libraries: me.libraries,
          libraryId: me.libraries.find((l) => l.id === previous?.libraryId)?.id ?? me.libraries[0]?.id ?? null,
          clientId: crypto.randomUUID(),
        };
        await saveSession(session);
        await sync.refreshStatus({ state: 'idle', message: '' });
        void sync.pullChanges().catch(() => undefined);
        ctx.kick();
        void ctx.refreshBadges();
        return sessionView(session);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) throw new CasebookError('unauthorized', 'Email, password or token not accepted.');
        return toCasebookError(error);
      }
    },

    'session.signOut': async () => {
      const session = await loadSession();
      if (session) {
        // Revoking is best effort: offline, the token is still forgotten here.
        await new Api(session.serverUrl, session.token).revokeToken().catch(() => undefined);
        await saveSession(null);
      }
      await sync.refreshStatus();
      await ctx.refreshBadges();
      return sessionView(null, session?.serverUrl ?? '');
    },

    'session.chooseLibrary': async ({ libraryId }) => {
      const session = await requireSession();
      if (!session.libraries.some((library) => library.id === libraryId)) throw new CasebookError('unknown-library', 'You are not a member of that library.');
      const next = { ...session, libraryId };
      await saveSession(next);
      void sync.pullChanges().catch(() => undefined);
      void ctx.refreshBadges();
      return sessionView(next);
    },

    'capture.preview': async ({ tabId }) => {
      const page = await capturePage(tabId);
      await keepCapture(tabId, page);
      // A panel waiting for access to this tab can read it now. No page listening is no error.
      const notice: TabReadableNotice = { notice: 'tab-readable', tabId };
      void browser.runtime.sendMessage(notice).catch(() => undefined);
      return previewOf(page);
    },

    'clip.save': async ({ tabId, ...choice }) => {
      const session = await requireSession();
      // The page read for the preview; read again if the worker lost it (activeTab still holds).
      const page = (await keptCapture(tabId)) ?? (await capturePage(tabId));
      const result = await saveClip(db, session, { ...choice, page });
      await sync.refreshStatus();
      ctx.kick();
      // A PDF clip keeps its file: uploaded once the clip is on the server.
      if (session.libraryId && choice.kind !== 'selection') {
        await queuePdfUpload(session.libraryId, result.clipId, page);
        const libraryId = session.libraryId;
        // Images are fetched after the answer (a slow CDN must not hold the popup), then uploaded.
        void queueImageUploads(libraryId, result.clipId, page, choice.kind)
          .then(() => sync.pushChanges())
          .then(() => uploadPending(session))
          .catch(() => undefined);
        await offerPdfAsReport(db, session, page).catch(() => false);
      }
      return result;
    },

    'clip.editNote': async ({ clipId, note }) => {
      const session = await requireSession();
      if (!session.libraryId) throw new CasebookError('no-library', 'Choose a library first.');
      const cached = await db.get('objects', objectKey(session.libraryId, 'clip', clipId));
      // The note is a long text: it carries the version this browser last saw, so that a colleague's
      // edit since then comes back as a conflict with both versions instead of being overwritten.
      // A clip the service does not hold yet has no version to name.
      const baseVersion = cached && !cached.local ? cached.version : undefined;
      await enqueue(db, session.libraryId, session.clientId, [{
        type: 'clip', id: clipId, op: 'put', fields: { note }, ...(baseVersion !== undefined ? { baseVersion } : {}),
      }]);
      await sync.refreshStatus();
      ctx.kick();
      return { clipId };
    },

    'cases.list': async () => {
      const session = await requireSession();
      const recent = await lastCaseIds();
      const cached = await db.getAllFromIndex('objects', 'byLibraryType', [session.libraryId ?? '', 'case']);
      const cases: CachedCase[] = cached
        .filter((c) => !c.deleted && typeof c.fields.title === 'string')
        .map((c): CachedCase => ({ id: c.id, title: String(c.fields.title), status: c.fields.status === 'closed' ? 'closed' : 'open', version: c.version, local: c.local }))
        .sort((a, b) => {
          const ra = recent.indexOf(a.id), rb = recent.indexOf(b.id);
          if (ra !== rb) return (ra === -1 ? Infinity : ra) - (rb === -1 ? Infinity : rb);
          return Number(a.status === 'closed') - Number(b.status === 'closed') || b.version - a.version;
        });
      return { cases, lastCaseIds: recent.filter((id) => cases.some((c) => c.id === id)) };
    },

    'tags.list': async () => {
      const session = await requireSession();
      return { tags: ((await db.get('meta', `tags:${session.libraryId}`)) as string[] | undefined) ?? [] };
    },

    'sync.now': async () => {
      await sync.refreshStatus({ nextAttemptAt: null });
      await sync.pushChanges();
      const session = await loadSession();
      if (session) await uploadPending(session).catch(() => undefined);
      await sync.pullChanges().catch(() => undefined);
      return sync.refreshStatus();
    },

    'sync.status': async () => sync.refreshStatus(),

    'sync.dismissRejected': async () => sync.dismissRejected(),

    'conflicts.list': async () => ({ conflicts: await listConflicts(db) }),

    'conflicts.resolve': async ({ key, keep, text }) => {
      const session = await requireSession();
      const conflict = await db.get('conflicts', key);
      if (!conflict) throw new CasebookError('unknown-conflict', 'That conflict was already resolved.');
      if (keep === 'mine') {
        // Written again on top of the version the person has now seen.
        await enqueue(db, conflict.libraryId, session.clientId, [{
          type: conflict.type, id: conflict.id, op: 'put', baseVersion: conflict.theirsVersion,
          fields: { [conflict.field]: text ?? conflict.mine },
        }]);
        ctx.kick();
      } else {
        const cached = await db.get('objects', objectKey(conflict.libraryId, conflict.type, conflict.id));
        if (cached) await db.put('objects', { ...cached, fields: { ...cached.fields, [conflict.field]: conflict.theirs } });
      }
      await db.delete('conflicts', key);
      await sync.refreshStatus();
      return { conflicts: await listConflicts(db) };
    },

    'scan.load': async ({ tabId }) => loadScan(db, await requireSession(), tabId),

    'scan.save': async (request) => {
      const session = await requireSession();
      if (!session.libraryId) throw new CasebookError('no-library', 'Choose a library first.');
      const { draft, mutations, saved } = await saveScan(db, session, request);
      if (mutations.length) await enqueue(db, session.libraryId, session.clientId, mutations);
      await sync.refreshStatus();
      ctx.kick();
      return { companyId: draft.companyId!, scanId: draft.scanId!, saved };
    },

    'scan.attachEvidence': async ({ evidenceId, field, current }) => {
      const session = await requireSession();
      const item = await removePendingEvidence(evidenceId);
      if (!item) throw new CasebookError('unknown-evidence', 'That text was already attached or dismissed.');
      const answer = await attachToDraft(db, session, item.site, field, { url: item.url, snippet: item.snippet }, current);
      return { field, answer };
    },

    'scan.keepAnswers': async ({ site, answers }) => {
      await keepAnswers(db, await requireSession(), site, answers);
      return { ok: true };
    },

    'scan.dismissEvidence': async ({ evidenceId }) => {
      await removePendingEvidence(evidenceId);
      return { ok: true };
    },

    'site.holdings': async ({ tabId }) => {
      const session = await requireSession();
      const tab = await browser.tabs.get(tabId);
      const site = siteKey(tab.url);
      if (!site) return noHoldings('', 'Not a web page.');
      return lookupHoldings(db, session, site, { fresh: true });
    },

    'inbox.unread': async () => unreadInbox(await loadSession()),
  };
}
