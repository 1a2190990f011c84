// How concurrent writes merge (DESIGN.md "Conflicts"), free of any validation library so the
// extension applies the same rules to its offline copy as the service does to the library.
import type { ObjectType } from './model.ts';

/** Fields whose value is a set: merged as sets, never overwritten. */
export const SET_FIELDS: Record<ObjectType, readonly string[]> = {
  case: ['members'],
  clip: ['tags', 'caseIds'],
  company: ['domains'],
  scan: [],
  // Two colleagues attaching evidence to one answer must both keep theirs.
  answer: ['evidence'],
  question: ['addressedTo'],
  reply: ['citations'],
  comment: ['mentions'],
  // Each member adds or removes only themself (service/sync/discussion.ts checks who).
  commonIssue: ['caseIds', 'clipIds', 'supporters'],
};

/** Long texts: carry baseVersion; a stale edit comes back as a conflict with the current copy. */
export const LONG_TEXT_FIELDS: Record<ObjectType, readonly string[]> = {
  case: ['description', 'lessons'],
  clip: ['note'],
  company: [],
  scan: [],
  answer: [],
  question: ['body'],
  reply: ['body'],
  comment: ['body'],
  commonIssue: ['body'],
};

/** A set edit: a plain list adds its items; `{ add, remove }` edits both ways. */
export type SetEdit<T = string> = T[] | { add?: T[]; remove?: T[] };

/** Identity of a set item: strings as they are, objects by their sorted keys and values. */
function itemKey(item: unknown): string {
  if (item === null || typeof item !== 'object') return JSON.stringify(item);
  const entries = Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

export function applySetEdit<T>(before: unknown, edit: SetEdit<T>): T[] {
  const items = new Map<string, T>();
  for (const item of Array.isArray(before) ? (before as T[]) : []) items.set(itemKey(item), item);
  if (Array.isArray(edit)) for (const item of edit) items.set(itemKey(item), item);
  else {
    for (const item of edit.add ?? []) items.set(itemKey(item), item);
    for (const item of edit.remove ?? []) items.delete(itemKey(item));
  }
  return [...items.values()];
}

export function isSetField(type: ObjectType, field: string): boolean {
  return SET_FIELDS[type].includes(field);
}
