// JSON errors of the API: `{ error: { code, message } }` with the right status (DESIGN.md "Errors").
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BUSY_RETRY_AFTER_S, FULL_RETRY_AFTER_S, storeTrouble } from '../db/transaction.ts';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, 'invalid', message);
export const notFound = (what = 'not found') => new ApiError(404, 'not_found', what);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const unauthorized = (message = 'sign in: send Authorization: Bearer <token>') => new ApiError(401, 'unauthorized', message);

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json({ error: { code, message } }, status);
}

/**
 * A store that cannot take a write now is the server's state, not a bug: 503 with Retry-After
 * (the extension honours it), and the transaction left nothing behind.
 */
export function storeError(error: unknown): ApiError | undefined {
  switch (storeTrouble(error)) {
    case 'busy':
      return new ApiError(
        503,
        'busy',
        `The library is busy with another write (an import or a migration); nothing was saved. Try again in ${BUSY_RETRY_AFTER_S} s.`,
        { 'Retry-After': String(BUSY_RETRY_AFTER_S) },
      );
    case 'full':
      return new ApiError(503, 'store_full', "The server's disk is full; nothing was saved. Ask the administrator to free space, then try again.", {
        'Retry-After': String(FULL_RETRY_AFTER_S),
      });
    default:
      return undefined;
  }
}

/** The error an error handler should show: an ApiError as it is, a store's state as a 503. */
export function knownError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  const store = storeError(error);
  // A full disk needs a person: say so in the log once per failed request.
  if (store?.code === 'store_full') console.error(`casebook: the store is full: ${(error as Error).message}`);
  return store;
}

/** Hono's onError: known errors keep their status; anything else is a 500 without internals. */
export function handleError(error: Error, c: Context) {
  const known = knownError(error);
  if (known) return errorResponse(c, known.status, known.code, known.message, known.headers);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'too_large' : status === 401 ? 'unauthorized' : 'http_error';
    return errorResponse(c, status, code, error.message || (status === 413 ? 'request body is too large' : 'request failed'));
  }
  console.error(`casebook: internal error on ${c.req.method} ${c.req.path}:`, error);
  return errorResponse(c, 500, 'internal', 'internal error; the request changed nothing');
}

/** Every request body is read only through the app's body limit (app.ts), so this is bounded. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The rest of an oversized body is never read into memory: once the 413 is sent, the server
 * discards what still arrives for a moment (so the client reads the answer instead of a reset)
 * and then closes the connection (@hono/node-server's incoming cleanup: at most 64 MiB or 0.5 s).
 */
export const tooLarge = (maxBytes = MAX_BODY_BYTES) => new ApiError(413, 'too_large', `The request body is too large: at most ${maxBytes} bytes.`);

/** Reads a JSON body; malformed JSON is a 400, not a crash. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('request body is not valid JSON');
  }
}
