// How a saved clip is described to the person (popup confirmation, notification): a module of
// its own so that the popup does not bundle the outbox and database code of clips.ts.
import type { ClipSaveResult } from './types.ts';

/** One line that says where a clip went: "Cocoa Trading partnership · tags: cocoa, living income". */
export function describeSaved(result: Pick<ClipSaveResult, 'caseTitles' | 'tags'>): string {
  const cases = result.caseTitles.length ? result.caseTitles.map((t) => `“${t}”`).join(', ') : 'no case (the library only)';
  return `${cases}${result.tags.length ? ` · tags: ${result.tags.join(', ')}` : ''}`;
}
