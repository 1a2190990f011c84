// How concurrent writes merge (DESIGN.md "Conflicts"), free of any validation library so the
// extension applies the same rules to its offline copy as the service does to the library.
import { SET_FIELDS, type ObjectType } from './vocabulary.ts';

export { LONG_TEXT_FIELDS, SET_FIELDS } from './vocabulary.ts';

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
