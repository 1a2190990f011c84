// Saving clips: one function for the popup, the context menus and the keyboard shortcut, so all
// three write the same clip through the outbox.
import type { Db } from './db.ts';
import { buildClipFields } from './clip.ts';
import { CasebookError } from './messages.ts';
import { enqueue, type NewMutation } from './outbox.ts';
import { rememberCaseIds, type Session } from './settings.ts';
import type { ClipSaveRequest, ClipSaveResult } from './types.ts';

/** What the popup sends (ClipSaveRequest), plus the link a menu or shortcut clips instead of the page. */
export interface SaveClipInput extends ClipSaveRequest {
  targetUrl?: string;
  linkText?: string;
}

export async function saveClip(db: Db, session: Session, input: SaveClipInput, newId: () => string = () => crypto.randomUUID()): Promise<ClipSaveResult> {
  const libraryId = session.libraryId;
  if (!libraryId) throw new CasebookError('no-library', 'Choose a library in the Casebook options first.');
  const reader = session.libraries.find((library) => library.id === libraryId)?.role === 'reader';
  if (reader) throw new CasebookError('read-only', 'You can read this library but not add to it (role: reader).');
  const mutations: NewMutation[] = [];
  const caseIds = [...new Set(input.caseIds)];
  const title = input.newCaseTitle?.trim();
  if (title) {
    // The case is created here, offline if need be, and pushed before the clip that names it.
    const caseId = newId();
    mutations.push({ type: 'case', id: caseId, op: 'put', fields: { title: title.slice(0, 500) } });
    caseIds.push(caseId);
  }
  const tags = [...new Set(input.tags.map((tag) => tag.trim()).filter(Boolean))];
  const fields = await buildClipFields(input.page, {
    kind: input.kind, tags, note: input.note, caseIds, capturedBy: session.user.name,
    capturedAt: new Date().toISOString(), targetUrl: input.targetUrl, linkText: input.linkText,
  });
  const clipId = newId();
  mutations.push({ type: 'clip', id: clipId, op: 'put', fields });
  await enqueue(db, libraryId, session.clientId, mutations);
  if (caseIds.length) await rememberCaseIds(caseIds);
  return { clipId, caseIds };
}
