// The prompt on a site Casebook may not read yet (a new tab, a second site): one button that asks
// for that origin only; the panel reads the page by itself once allowed (issue 10).
import { hostOf } from '../../../shared/site.ts';
import type { ScanView } from '../../lib/types.ts';

export function AllowSite({ view, onAllow }: { view: ScanView; onAllow: (pattern: string) => void }) {
  if (!view.accessPattern) return view.captureError ? <div class="banner warn">{view.captureError}</div> : null;
  const pattern = view.accessPattern;
  // Port included: 127.0.0.1 and localhost on two ports are two sites, each asked for on its own.
  const host = hostOf(view.url, { port: true }) || view.url;
  return (
    <div class="banner warn" data-testid="access-needed">
      <div>Casebook may not read <strong>{host}</strong> yet, so it cannot propose answers from this page.</div>
      <button class="btn primary" style={{ marginTop: '6px' }} onClick={() => onAllow(pattern)} data-testid="allow-site">
        Allow Casebook to read {host}
      </button>
    </div>
  );
}
