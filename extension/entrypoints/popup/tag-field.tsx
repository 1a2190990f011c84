// Tags: typed (Enter or a comma adds one), completed from the library's tags, removable chips.
import type { PopupDraft } from './use-popup-draft.ts';

export function TagField({ tags }: { tags: PopupDraft['tags'] }) {
  return (
    <>
      <label class="field" for="tag-input">Tags</label>
      <input id="tag-input" type="text" placeholder="Add a tag, Enter" value={tags.input}
        onInput={(e) => { const v = (e.target as HTMLInputElement).value; if (v.endsWith(',')) tags.add(v); else tags.setInput(v); }} />
      {tags.suggestions.length > 0 && (
        <div class="chips">{tags.suggestions.map((t) => <button class="btn small" key={t} onClick={() => tags.add(t)}>{t}</button>)}</div>
      )}
      {tags.chosen.length > 0 && (
        <div class="chips">{tags.chosen.map((t) => <span class="chip" key={t}>{t}<button aria-label={`Remove ${t}`} onClick={() => tags.remove(t)}>×</button></span>)}</div>
      )}
    </>
  );
}
