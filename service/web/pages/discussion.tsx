/** @jsxImportSource hono/jsx */
// Discussion on a clip, a case, a company scan or a question (issue 14): threaded comments in
// Markdown (rendered by markdown.ts, safe and bounded), @name mentions of members, edit and
// delete of one's own (a deleted comment leaves a tombstone in the thread), hiding by admins.
// Every write is a push through writes.ts, as the extension's are.
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { assertCanWrite } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import type { membersOf } from '../../repos/accounts.ts';
import { commentsOn } from '../../repos/discussion.ts';
import { getLibrary } from '../../repos/accounts.ts';
import { shareTargets } from '../../repos/links.ts';
import { loadObject, type StoredObject } from '../../repos/objects.ts';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { oncePerSubmission } from '../form-token.ts';
import { readForm } from '../forms.ts';
import { chromeOf, CsrfField, FormTokenField, libUrl, sendPage } from '../layout.tsx';
import { renderMarkdown } from '../markdown.ts';
import { memberDirectory } from '../queries.ts';
import { DateText, SanitizedHtml } from '../ui.tsx';
import { pushFromWeb } from '../writes.ts';

/** A member as the library's directory lists them. */
export type Member = Awaited<ReturnType<typeof membersOf>>[number];

export type CommentTarget = 'clip' | 'case' | 'scan' | 'question';
const TARGETS: readonly CommentTarget[] = ['clip', 'case', 'scan', 'question'];
/** Replies nest this deep on the page; deeper ones are shown at this depth, in order. */
const MAX_DEPTH = 4;


/**
 * The members a text mentions: `@` followed by a member's name (any case, spaces kept) or the
 * part of their e-mail before the @. Someone who is not a member stays plain text.
 */
export function mentionedMembers(body: string, members: Array<Pick<Member, 'id' | 'name' | 'email'>>): string[] {
  const lower = body.toLowerCase();
  const found: string[] = [];
  for (const member of members) {
    const handles = [member.name, member.name.replace(/\s+/g, ''), member.email.split('@')[0] ?? ''].map((handle) => handle.trim().toLowerCase()).filter((handle) => handle.length >= 2);
    const hit = handles.some((handle) => {
      for (let at = lower.indexOf(`@${handle}`); at !== -1; at = lower.indexOf(`@${handle}`, at + 1)) {
        const before = at === 0 ? ' ' : lower[at - 1]!;
        const after = lower[at + 1 + handle.length] ?? ' ';
        // Not inside an e-mail address, and not the start of a longer word.
        if (!/[\p{L}\p{N}._-]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
      }
      return false;
    });
    if (hit) found.push(member.id);
  }
  return found.slice(0, 200);
}

/** Where a form may send the browser back to: a page of this library, nothing else. */
export function safeBack(libraryId: string, back: string, fallback: string): string {
  const prefix = libUrl(libraryId);
  return back.startsWith(prefix) && !/[\\\s]|\/\//.test(back.slice(1)) && back.length < 2000 ? back : fallback;
}

export interface DiscussionData {
  libraryId: string;
  targetType: CommentTarget;
  targetId: string;
  comments: StoredObject<'comment'>[];
  names: Map<string, Member>;
  me: string;
  role: string;
  csrf: string;
  back: string;
  /** Linked libraries this member may share the object into (clips, questions, cases). */
  shareTo: Array<{ id: string; name: string }>;
  /** Where a shared copy came from: that library's name and the original's page there. */
  origin?: { name: string; href: string };
}

/** Loads what a page's discussion section shows; the page renders it with <Discussion data={…} />. */
export async function loadDiscussion(c: Context<WebEnv>, targetType: CommentTarget, targetId: string): Promise<DiscussionData> {
  const { db } = c.get('services');
  const libraryId = c.get('libraryId');
  const me = c.get('session').userId;
  const [comments, directory, target] = await Promise.all([commentsOn(db, libraryId, targetType, targetId), memberDirectory(db, libraryId), loadObject(db, targetType, targetId)]);
  const shareTo = targetType !== 'scan' && c.get('role') !== 'reader' ? await shareTargets(db, libraryId, me) : [];
  const from = target?.libraryId === libraryId ? (target.fields.sharedFrom as { libraryId: string; type: string; id: string } | null | undefined) : undefined;
  const fromLibrary = from ? await getLibrary(db, from.libraryId) : undefined;
  const origin = from && fromLibrary ? { name: fromLibrary.name, href: libUrl(from.libraryId, `${from.type === 'case' ? 'cases' : from.type === 'question' ? 'questions' : 'clips'}/${from.id}`) } : undefined;
  const url = new URL(c.req.url);
  return { libraryId, targetType, targetId, comments, names: directory.byId, me, role: c.get('role'), csrf: c.get('session').csrf, back: url.pathname + url.search, shareTo, ...(origin ? { origin } : {}) };
}

function CommentForm({ data, parentId, label }: { data: DiscussionData; parentId?: string; label: string }) {
  const id = `comment-body-${parentId ?? 'new'}`;
  return (
    <form method="post" action={libUrl(data.libraryId, 'comments')} class="stack comment-form">
      <CsrfField token={data.csrf} />
      <FormTokenField />
      <input type="hidden" name="targetType" value={data.targetType} />
      <input type="hidden" name="targetId" value={data.targetId} />
      {parentId && <input type="hidden" name="parentId" value={parentId} />}
      <input type="hidden" name="back" value={data.back} />
      <label for={id}>
        {label} <span class="hint">(Markdown; @name mentions a member)</span>
      </label>
      <textarea id={id} name="body" required rows={parentId ? 2 : 3} />
      <div>
        <button type="submit">{parentId ? 'Reply' : 'Comment'}</button>
      </div>
    </form>
  );
}

function CommentView({ data, comment, nested }: { data: DiscussionData; comment: StoredObject<'comment'>; nested?: Child }): Child {
  const f = comment.fields;
  const author = data.names.get(f.author);
  const mine = f.author === data.me;
  const admin = data.role === 'admin';
  const writer = data.role !== 'reader';
  const hidden = f.hidden === true;
  let body: Child;
  if (comment.deleted) body = <p class="muted">This comment was deleted.</p>;
  else if (hidden && !admin && !mine) body = <p class="muted">This comment was hidden by an admin.</p>;
  else {
    const html = renderMarkdown(f.body);
    const mentioned = (Array.isArray(f.mentions) ? (f.mentions as string[]) : []).map((id) => data.names.get(id)?.name).filter(Boolean);
    body = (
      <>
        {hidden && <p class="warning">Hidden by an admin: other members see only that a comment was here.</p>}
        <div class="markdown">
          <SanitizedHtml html={html} />
        </div>
        {mentioned.length > 0 && <p class="meta">Mentions: {mentioned.join(', ')}</p>}
      </>
    );
  }
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      <div class="meta">
        <strong>{author?.name ?? 'A former member'}</strong> · <DateText iso={comment.createdAt} />
        {comment.updatedAt !== comment.createdAt && !comment.deleted && ' · edited'}
      </div>
      {body}
      {!comment.deleted && writer && (
        <div class="comment-actions">
          {mine && <a href={libUrl(data.libraryId, `comments/${comment.id}/edit?back=${encodeURIComponent(data.back)}`)}>Edit</a>}
          {mine && (
            <form method="post" action={libUrl(data.libraryId, `comments/${comment.id}/delete`)} class="inline">
              <CsrfField token={data.csrf} />
              <input type="hidden" name="back" value={data.back} />
              <button type="submit" class="quiet">
                Delete
              </button>
            </form>
          )}
          {admin && (
            <form method="post" action={libUrl(data.libraryId, `comments/${comment.id}/hide`)} class="inline">
              <CsrfField token={data.csrf} />
              <input type="hidden" name="back" value={data.back} />
              <input type="hidden" name="hidden" value={hidden ? '0' : '1'} />
              <button type="submit" class="quiet">
                {hidden ? 'Unhide' : 'Hide'}
              </button>
            </form>
          )}
          {(!hidden || admin) && (
            <details>
              <summary>Reply</summary>
              <CommentForm data={data} parentId={comment.id} label="Your reply" />
            </details>
          )}
        </div>
      )}
      {nested}
    </li>
  );
}

/** A page's discussion: the thread and, for members and admins, a form to comment. */
export function Discussion({ data, title = 'Discussion' }: { data: DiscussionData; title?: string }) {
  const byParent = new Map<string, StoredObject<'comment'>[]>();
  const ids = new Set(data.comments.map((comment) => comment.id));
  const roots: StoredObject<'comment'>[] = [];
  for (const comment of data.comments) {
    const parent = comment.fields.parentId;
    if (parent && ids.has(parent)) byParent.set(parent, [...(byParent.get(parent) ?? []), comment]);
    else roots.push(comment);
  }
  // A tombstone with no live reply under it has nothing left to show.
  const hasLive = (comment: StoredObject<'comment'>): boolean => !comment.deleted || (byParent.get(comment.id) ?? []).some(hasLive);
  // Past MAX_DEPTH, the replies of replies are listed at the deepest level, in order.
  const flat = (items: StoredObject<'comment'>[]): StoredObject<'comment'>[] => items.flatMap((item) => [item, ...flat(byParent.get(item.id) ?? [])]);
  const render = (list: StoredObject<'comment'>[], depth: number): Child[] =>
    list.filter(hasLive).map((comment) => {
      const kids = byParent.get(comment.id) ?? [];
      const nested =
        kids.length === 0 ? undefined : depth + 1 >= MAX_DEPTH ? (
          <ol class="thread">
            {flat(kids)
              .filter((kid) => !kid.deleted)
              .map((kid) => (
                <CommentView data={data} comment={kid} />
              ))}
          </ol>
        ) : (
          <ol class="thread">{render(kids, depth + 1)}</ol>
        );
      return <CommentView data={data} comment={comment} nested={nested} />;
    });
  const live = data.comments.filter((comment) => !comment.deleted).length;
  return (
    <section class="discussion" aria-labelledby={`discussion-${data.targetId}-h`} id={`discussion-${data.targetId}`}>
      <h2 id={`discussion-${data.targetId}-h`}>
        {title} ({live})
      </h2>
      {roots.filter(hasLive).length === 0 ? <p class="muted">No comments yet.</p> : <ol class="thread">{render(roots, 0)}</ol>}
      {data.role !== 'reader' && <CommentForm data={data} label="Add a comment" />}
      {data.origin && (
        <p class="meta" data-testid="shared-from">
          Shared from {data.origin.name} · <a href={data.origin.href}>the original</a> (for members of both libraries)
        </p>
      )}
      {data.shareTo.length > 0 && (
        <form method="post" action={libUrl(data.libraryId, 'share')} class="inline share-form">
          <CsrfField token={data.csrf} />
          <input type="hidden" name="type" value={data.targetType} />
          <input type="hidden" name="id" value={data.targetId} />
          <label for={`share-${data.targetId}`}>Share a copy into</label>{' '}
          <select id={`share-${data.targetId}`} name="to">
            {data.shareTo.map((target) => (
              <option value={target.id}>{target.name}</option>
            ))}
          </select>{' '}
          <button type="submit" class="quiet">
            Share
          </button>
        </form>
      )}
    </section>
  );
}

async function loadComment(c: Context<WebEnv>): Promise<StoredObject<'comment'>> {
  const found = await loadObject(c.get('services').db, 'comment', c.req.param('id') ?? '');
  if (!found || found.libraryId !== c.get('libraryId') || found.deleted) throw new ApiError(404, 'not_found', 'There is no such comment in this library (it may have been deleted).');
  return found;
}

function refusal(message: string | undefined, what: string): ApiError {
  return new ApiError(message && /^only|readers/.test(message) ? 403 : 400, 'invalid', `${what}: ${message ?? 'refused'}.`);
}

export const discussionPages = new Hono<WebEnv>()
  .post('/l/:lib/comments', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const libraryId = c.get('libraryId');
    const targetType = form.get('targetType') as CommentTarget;
    if (!TARGETS.includes(targetType)) throw new ApiError(400, 'invalid', 'Comments go on a clip, a case, a scan or a question.');
    const body = form.get('body').replace(/\r\n/g, '\n');
    if (!body.trim()) throw new ApiError(400, 'invalid', 'The comment is empty.');
    const directory = await memberDirectory(c.get('services').db, libraryId);
    const back = safeBack(libraryId, form.get('back'), libUrl(libraryId));
    return oncePerSubmission(c, form, async (id) => {
      const parentId = form.get('parentId');
      const fields = { targetType, targetId: form.get('targetId'), body, mentions: mentionedMembers(body, directory.members), ...(parentId ? { parentId } : {}) };
      const [result] = await pushFromWeb(c, [{ type: 'comment', id, op: 'put', fields }]);
      if (result?.status !== 'applied') throw refusal(result?.error?.message, 'The comment was not saved');
      return `${back.split('#')[0]}#comment-${id}`;
    });
  })
  .get('/l/:lib/comments/:id/edit', async (c) => {
    const comment = await loadComment(c);
    return editPage(c, comment, safeBack(c.get('libraryId'), c.req.query('back') ?? '', libUrl(c.get('libraryId'))));
  })
  .post('/l/:lib/comments/:id/edit', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const libraryId = c.get('libraryId');
    const comment = await loadComment(c);
    const back = safeBack(libraryId, form.get('back'), libUrl(libraryId));
    const body = form.get('body').replace(/\r\n/g, '\n');
    if (!body.trim()) throw new ApiError(400, 'invalid', 'The comment is empty; delete it instead.');
    const directory = await memberDirectory(c.get('services').db, libraryId);
    const mentions = mentionedMembers(body, directory.members);
    const before = Array.isArray(comment.fields.mentions) ? (comment.fields.mentions as string[]) : [];
    const baseVersion = Number(form.get('baseVersion'));
    const [result] = await pushFromWeb(c, [
      {
        type: 'comment',
        id: comment.id,
        op: 'put',
        fields: { body, mentions: { add: mentions, remove: before.filter((id) => !mentions.includes(id)) } },
        ...(Number.isSafeInteger(baseVersion) && baseVersion >= 0 ? { baseVersion } : {}),
      },
    ]);
    if (result?.status === 'conflict') return editPage(c, await loadComment(c), back, body);
    if (result?.status !== 'applied') throw refusal(result?.error?.message, 'The comment was not saved');
    return c.redirect(`${back.split('#')[0]}#comment-${comment.id}`, 303);
  })
  .post('/l/:lib/comments/:id/delete', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const comment = await loadComment(c);
    const [result] = await pushFromWeb(c, [{ type: 'comment', id: comment.id, op: 'delete' }]);
    if (result?.status !== 'applied') throw refusal(result?.error?.message, 'The comment was not deleted');
    return c.redirect(safeBack(c.get('libraryId'), form.get('back'), libUrl(c.get('libraryId'))), 303);
  })
  .post('/l/:lib/comments/:id/hide', async (c) => {
    const form = await readForm(c);
    verifySessionCsrf(c, c.get('session').csrf, form.get(CSRF_FIELD));
    assertCanWrite(c.get('role'));
    const comment = await loadComment(c);
    const [result] = await pushFromWeb(c, [{ type: 'comment', id: comment.id, op: 'put', fields: { hidden: form.get('hidden') === '1' } }]);
    if (result?.status !== 'applied') throw refusal(result?.error?.message, 'The comment was not changed');
    return c.redirect(`${safeBack(c.get('libraryId'), form.get('back'), libUrl(c.get('libraryId'))).split('#')[0]}#comment-${comment.id}`, 303);
  });

async function editPage(c: Context<WebEnv>, comment: StoredObject<'comment'>, back: string, mine?: string) {
  const chrome = chromeOf(c);
  const libraryId = c.get('libraryId');
  if (comment.fields.author !== c.get('session').userId) throw new ApiError(403, 'forbidden', 'Only its author edits a comment.');
  return sendPage(
    c,
    chrome,
    'Edit comment',
    <>
      <p class="meta">
        <a href={back}>← Back</a>
      </p>
      <h1>Edit comment</h1>
      {mine !== undefined && (
        <div class="warning" role="alert">
          <p>
            <strong>This comment changed</strong> while you were editing it (on another device). The field shows it now; your text is below. Merge and save
            again.
          </p>
          <label for="mine">Your text (not saved)</label>
          <textarea id="mine" class="long" readonly>
            {mine}
          </textarea>
        </div>
      )}
      <form method="post" action={libUrl(libraryId, `comments/${comment.id}/edit`)} class="stack wide">
        <CsrfField token={chrome.csrf} />
        <input type="hidden" name="baseVersion" value={String(comment.version)} />
        <input type="hidden" name="back" value={back} />
        <label for="body">Comment (Markdown; @name mentions a member)</label>
        <textarea id="body" name="body" class="long" required>
          {comment.fields.body}
        </textarea>
        <div>
          <button type="submit">Save comment</button> <a href={back}>Cancel</a>
        </div>
      </form>
    </>,
    mine !== undefined ? 409 : 200,
  );
}
