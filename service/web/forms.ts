// Reading posted forms: plain strings and lists, whatever the browser sent (files are ignored).
import type { Context } from 'hono';
import { ApiError, tooLarge } from '../http/errors.ts';

export interface FormData {
  get(name: string): string;
  all(name: string): string[];
  has(name: string): boolean;
}

/**
 * The bound of a web form's body. A browser percent-encodes each UTF-8 byte of a non-ASCII
 * character (9 bytes for one CJK character), so the largest form we take (a case with a
 * 200,000-character description and lessons in Chinese) is about 3.6 MB.
 */
export const MAX_FORM_BYTES = 4 * 1024 * 1024;

/**
 * The app's body limit (app.ts) has already bounded and buffered the body, chunked or not, so
 * parsing cannot take more memory than that bound; an oversized form is a 413, never a form
 * read as empty.
 */
export async function readForm(c: Context): Promise<FormData> {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_FORM_BYTES) throw tooLarge(MAX_FORM_BYTES);
  const body = await c.req.parseBody({ all: true });
  const values = (name: string): string[] => {
    const value = body[name];
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return list.filter((item): item is string => typeof item === 'string');
  };
  return {
    get: (name) => values(name)[0] ?? '',
    all: values,
    has: (name) => name in body,
  };
}

/** Splits "a, b; c" typed in a tags field into clean, distinct tags. */
export function splitTags(text: string): string[] {
  const tags = text
    .split(/[,;\n]/)
    .map((tag) => tag.trim().replace(/\s+/g, ' '))
    .filter((tag) => tag.length > 0 && tag.length <= 100);
  return [...new Set(tags)];
}

/** A posted edit of a title and a body (a question, a common issue), read against what is stored. */
export interface TitleBodyEdit {
  mine: { title: string; body: string };
  /** The fields to push: the body always, the title only when it changed. */
  fields: Record<string, unknown>;
  /** The version the form was shown at, when it says one. */
  baseVersion?: number;
  /**
   * The title changed elsewhere since the form was shown, to something else than this edit: a
   * conflict to show. The sync merge lets the last writer win on short text, so the form's shown
   * title is what tells it; the body conflicts in the push itself (baseVersion).
   */
  titleConflict: boolean;
}

export function readTitleBodyEdit(form: FormData, stored: { version: number; title: string }, emptyTitle: string): TitleBodyEdit {
  const mine = { title: form.get('title').trim(), body: form.get('body').replace(/\r\n/g, '\n') };
  if (!mine.title) throw new ApiError(400, 'invalid', emptyTitle);
  const baseVersion = Number(form.get('baseVersion'));
  const based = Number.isSafeInteger(baseVersion) && baseVersion >= 0;
  const titleConflict = based && stored.version > baseVersion && stored.title !== form.get('titleShown') && stored.title !== mine.title;
  const fields: Record<string, unknown> = { body: mine.body };
  if (mine.title !== stored.title) fields.title = mine.title;
  return { mine, fields, titleConflict, ...(based ? { baseVersion } : {}) };
}
