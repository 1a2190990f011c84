// JSON errors of the API: `{ error: { code, message } }` with the right status (DESIGN.md "Errors").
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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

/** Hono's onError: known errors keep their status; anything else is a 500 without internals. */
export function handleError(error: Error, c: Context) {
  if (error instanceof ApiError) return errorResponse(c, error.status, error.code, error.message, error.headers);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'too_large' : status === 401 ? 'unauthorized' : 'http_error';
    return errorResponse(c, status, code, error.message || (status === 413 ? 'request body is too large' : 'request failed'));
  }
  console.error(`casebook: internal error on ${c.req.method} ${c.req.path}:`, error);
  return errorResponse(c, 500, 'internal', 'internal error; the request changed nothing');
}

/** Reads a JSON body; malformed JSON is a 400, not a crash. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('request body is not valid JSON');
  }
}
