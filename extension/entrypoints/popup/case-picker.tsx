// The cases a clip goes into: recent first, a search box that also names a new case, and the
// button that saves into that new case (also offline: the case is made locally first).
import type { PopupDraft } from './use-popup-draft.ts';

export function CasePicker({ cases, onSaveIntoNew }: { cases: PopupDraft['cases']; onSaveIntoNew: () => void }) {
  return (
    <>
      <label class="field" for="case-search">Cases</label>
      <input id="case-search" type="search" placeholder="Search or name a new case" value={cases.query}
        onInput={(e) => cases.setQuery((e.target as HTMLInputElement).value)} />
      <div class="case-list" data-testid="case-list">
        {cases.visible.map((c) => (
          <label class="case-item" key={c.id}>
            <input type="checkbox" checked={cases.selected.includes(c.id)} onChange={() => cases.toggle(c.id)} />
            <span class="grow ellipsis">{c.title}</span>
            {c.local && <span class="pill warn">new</span>}
            {c.status === 'closed' && <span class="pill">closed</span>}
          </label>
        ))}
        {cases.newCaseTitle && (
          <button class="case-item btn" style={{ width: '100%', border: 0 }} onClick={onSaveIntoNew} data-testid="create-case">
            + Save into new case “{cases.newCaseTitle}”
          </button>
        )}
        {!cases.visible.length && !cases.newCaseTitle && <div class="case-item muted">No cases yet: type a name to create one.</div>}
      </div>
    </>
  );
}
