// What will be saved, as the background read it: the title, site, length and an excerpt, or why
// the page could not be read. While a PDF is read, its progress.
import { PdfAccess, PdfProgress } from '../../lib/pdf-progress.tsx';
import type { CapturePreview } from '../../lib/types.ts';
import type { Load } from './use-popup-draft.ts';

export function PreviewCard({ preview }: { preview: Load<CapturePreview> }) {
  if (preview.state === 'loading') {
    return (
      <>
        <div class="row muted"><div class="spinner" /> Reading the page…</div>
        <PdfProgress />
      </>
    );
  }
  if (preview.state === 'error' && preview.code === 'no-access' && /PDF/.test(preview.message)) return <PdfAccess message={preview.message} />;
  if (preview.state === 'error') return <div class="banner bad" data-testid="preview-error">{preview.message}</div>;
  const { title, siteName, wordCount, excerpt } = preview.value;
  return (
    <div class="card" data-testid="preview">
      <div class="preview-title clamp3">{title}</div>
      <div class="small muted ellipsis">{siteName} · {wordCount.toLocaleString()} words</div>
      {excerpt && <div class="small clamp3" style={{ marginTop: '4px' }}>{excerpt}</div>}
    </div>
  );
}

/** Article, selection or link; Selection only when the page has text selected. */
export function KindPicker({ kind, hasSelection, onChange }: { kind: string; hasSelection: boolean; onChange: (kind: 'article' | 'selection' | 'link') => void }) {
  return (
    <>
      <label class="field">Save as</label>
      <div class="segmented" role="group">
        {(['article', 'selection', 'link'] as const).map((k) => (
          <button key={k} aria-pressed={kind === k} onClick={() => onChange(k)} data-testid={`kind-${k}`} disabled={k === 'selection' && !hasSelection}>
            {k === 'article' ? 'Article' : k === 'selection' ? 'Selection' : 'Link'}
          </button>
        ))}
      </div>
    </>
  );
}
