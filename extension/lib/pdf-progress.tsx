// What the popup shows while a PDF is read (issue 16): how far the download and the reading are,
// and a Cancel button. Renders nothing until the reader says it is at work on a PDF. And when the
// extension may not read the file's site (Firefox after a toolbar click), one button to allow it.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { pdfUrlOfTab } from '../../shared/capture/pdf.ts';
import type { PdfJobMessage, PdfProgressNotice } from './pdf-read.ts';
import { originPattern } from './settings.ts';

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

/** The tab the popup is about: `?tab=` (the popup opened in a tab), else the active tab. */
async function popupTabUrl(): Promise<string | undefined> {
  const param = Number(new URLSearchParams(location.search).get('tab'));
  const tab = Number.isInteger(param) && param > 0
    ? await browser.tabs.get(param).catch(() => undefined)
    : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  return tab?.url;
}

/**
 * The popup's answer to "may not read this PDF's site": the reason, and a button that asks for
 * that site only. The request is made inside the click (Firefox refuses it after an await), so
 * the site is looked up before; once allowed, the popup reads the PDF again.
 */
export function PdfAccess({ message }: { message: string }) {
  const [pattern, setPattern] = useState<string | null>(null);
  const [refused, setRefused] = useState('');
  useEffect(() => {
    void popupTabUrl().then((url) => {
      const pdf = pdfUrlOfTab(url);
      if (pdf && /^https?:/.test(pdf)) setPattern(originPattern(pdf));
    }).catch(() => undefined);
  }, []);
  const host = pattern ? pattern.replace(/^https?:\/\//, '').replace(/\/\*$/, '') : '';
  const allow = () => {
    if (!pattern) return;
    browser.permissions.request({ origins: [pattern] })
      .then((granted) => (granted ? location.reload() : setRefused('Not allowed: Casebook still cannot read this PDF.')))
      .catch((error: Error) => setRefused(error.message));
  };
  return (
    <div class="banner warn" data-testid="preview-error">
      <div>{message}</div>
      {pattern && (
        <button class="btn primary" style={{ marginTop: '6px' }} onClick={allow} data-testid="allow-pdf-site">
          Allow Casebook to read {host}
        </button>
      )}
      {refused && <div class="small">{refused}</div>}
    </div>
  );
}
