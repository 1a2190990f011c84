// One-time form tokens (issue 13, item 6): every web form that creates something carries a
// hidden nonce. The first POST with it claims the nonce together with the id of the object it
// will create; a second POST with the same nonce (a double click, a request resent on a slow
// link) creates nothing and answers with the first one's redirect, waiting for it if the first
// is still being handled. A submission that fails frees its nonce, so the person can retry.
import type { Context } from 'hono';
import { newId, newSecret } from '../auth/secrets.ts';
import { ApiError } from '../http/errors.ts';
import { claimFormToken, findFormToken, forgetFormTokensBefore, freeFormToken, setFormTokenResult } from '../repos/form-tokens.ts';
import type { WebEnv } from './env.ts';
import type { FormData } from './forms.ts';

export const FORM_TOKEN_FIELD = '_form';



/** Nonces are kept two days: long enough for any resent request, short enough to stay small. */
const KEEP_MS = 2 * 86_400_000;
/** How long a second submission waits for the first to finish before it says so. */
const WAIT_MS = 10_000;
/** A claim still without a result after this long belongs to a request that died. */
const STALE_MS = 60_000;
const TOKEN = /^ft_[A-Za-z0-9_-]{20,60}$/;

export function newFormToken(): string {
  return newSecret('ft');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `create` once per submitted nonce and redirects (303) to the URL it returns; a repeated
 * submission of the same form redirects to the same URL without calling `create`.
 * `create` gets the id the new object must have (recorded with the nonce).
 */
/**
 * What a submission's handler answers: the URL to redirect to (repeats go there too); a page
 * that is no result (a validation message, a conflict: the nonce is freed for a retry); or a
 * page that is the result and shows what only the first answer may show (a new invitation's
 * link), with the URL a repeat is sent to instead.
 */
export type SubmissionOutcome = string | Response | { page: Response; repeat: string };

export async function oncePerSubmission(c: Context<WebEnv>, form: FormData, create: (objectId: string) => Promise<SubmissionOutcome>): Promise<Response> {
  const token = form.get(FORM_TOKEN_FIELD);
  if (!TOKEN.test(token)) throw new ApiError(400, 'invalid', 'This form is out of date: reload the page and submit it again.');
  const { db } = c.get('services');
  const userId = c.get('session').userId;
  const libraryId = c.get('libraryId');
  await forgetFormTokensBefore(db, new Date(Date.now() - KEEP_MS).toISOString());

  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const objectId = newId();
    if (await claimFormToken(db, { userId, token, libraryId, objectId })) {
      let outcome: SubmissionOutcome;
      try {
        outcome = await create(objectId);
      } catch (error) {
        // Freed for a retry; if even that fails (a store that is busy), the row is reclaimed once stale.
        await freeFormToken(db, userId, token).catch(() => undefined);
        throw error;
      }
      if (typeof outcome === 'object' && 'repeat' in outcome) {
        await setFormTokenResult(db, userId, token, outcome.repeat);
        return outcome.page;
      }
      // A page (a validation message, a conflict) is not a result to repeat: the nonce is freed.
      if (typeof outcome !== 'string') {
        await freeFormToken(db, userId, token);
        return outcome;
      }
      await setFormTokenResult(db, userId, token, outcome);
      return c.redirect(outcome, 303);
    }
    const row = await findFormToken(db, userId, token);
    if (row && row.libraryId !== libraryId) throw new ApiError(400, 'invalid', 'This form is out of date: reload the page and submit it again.');
    if (row?.resultUrl) return c.redirect(row.resultUrl, 303);
    // No row: the first submission failed and freed the nonce; this one tries again.
    if (!row) continue;
    // Pending far longer than any request takes: its request died (a crash, a lost connection) before it finished.
    if (Date.parse(row.createdAt) < Date.now() - STALE_MS) {
      await freeFormToken(db, userId, token, true);
      continue;
    }
    if (Date.now() > deadline) throw new ApiError(409, 'busy', 'This form is still being saved from an earlier click. Reload the page in a moment.');
    await sleep(100);
  }
}
