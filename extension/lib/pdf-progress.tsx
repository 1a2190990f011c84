// What the popup shows while a PDF is read (issue 16): how far the download and the reading are,
// and a Cancel button. Renders nothing until the reader says it is at work on a PDF.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PdfJobMessage, PdfProgressNotice } from './pdf-read.ts';

export function PdfProgress() {
  const [progress, setProgress] = useState<PdfProgressNotice | null>(null);
  const [cancelled, setCancelled] = useState(false);
  useEffect(() => {
    const listener = (message: unknown) => {
      const notice = message as PdfProgressNotice;
      if (notice?.notice === 'pdf-progress') setProgress(notice);
      return undefined;
    };
    browser.runtime.onMessage.addListener(listener);
    return () => browser.runtime.onMessage.removeListener(listener);
  }, []);
  if (!progress) return null;
  const cancel = () => {
    setCancelled(true);
    void browser.runtime.sendMessage({ target: 'casebook-offscreen', type: 'pdf.cancel', jobId: progress.jobId } satisfies PdfJobMessage).catch(() => undefined);
  };
  const label =
    progress.phase === 'download'
      ? `Downloading the PDF: ${(progress.done / 1_048_576).toFixed(1)}${progress.total ? ` of ${(progress.total / 1_048_576).toFixed(1)}` : ''} MB`
      : `Reading the PDF: page ${progress.done} of ${progress.total}`;
  return (
    <div class="row small" data-testid="pdf-progress" role="status">
      <progress max={progress.total || undefined} value={progress.done} aria-label={label} style={{ flex: 1 }} />
      <span class="grow">{cancelled ? 'Cancelling…' : label}</span>
      <button class="btn" onClick={cancel} disabled={cancelled} data-testid="pdf-cancel">Cancel</button>
    </div>
  );
}
