/** @jsxImportSource hono/jsx */
// The export page and its downloads: Markdown (a .zip for a wiki or Obsidian), JSON (for
// `casebook import`), CSV of the scans, and references for Zotero (CSL-JSON, RIS, BibTeX), for
// the whole library or one case; and a CSL-JSON upload that imports references into a case.
import { Hono, type Context } from 'hono';
import { uuid } from '../../../shared/model.ts';
import { cslItemsOf, importCsl, MAX_IMPORT_ITEMS, parseClipSelection, type ImportReport } from '../../export/citations.ts';
import { exportResponse } from '../../export/http.ts';
import { assertCanWrite } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { listCases } from '../../repos/library-read.ts';
import { loadLive } from '../../repos/objects.ts';
import { CSRF_FIELD, verifySessionCsrf } from '../csrf.ts';
import type { WebEnv } from '../env.ts';
import { chromeOf, CsrfField, libUrl, sendPage } from '../layout.tsx';

/** A CSL-JSON upload is references, not content: the API body bound applies to it. */
const MAX_UPLOAD_BYTES = 1024 * 1024;

const STATUS_TEXT: Record<string, string> = { duplicate: 'skipped', rejected: 'not imported' };

interface ImportOutcome {
  report: ImportReport;
  caseId: string;
  caseTitle: string;
}

function ImportResults({ outcome, libraryId }: { outcome: ImportOutcome; libraryId: string }) {
  const { report } = outcome;
  const problems = report.results.filter((result) => result.status === 'rejected' || result.status === 'duplicate');
  return (
    <section class="card" aria-labelledby="import-result-h" role="status">
      <h2 id="import-result-h">
        Imported into <a href={libUrl(libraryId, `cases/${outcome.caseId}`)}>{outcome.caseTitle}</a>
      </h2>
      <p>
        {report.created} new, {report.added} added to the case, {report.unchanged} already in it, {report.rejected} not imported.
      </p>
      {problems.length > 0 && (
        <ul>
          {problems.slice(0, 200).map((result) => (
            <li>
              Reference {result.index + 1}
              {result.itemId !== undefined ? ` (${String(result.itemId)})` : ''}, {STATUS_TEXT[result.status]}: {result.error}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

async function exportPage(c: Context<WebEnv>, outcome?: ImportOutcome) {
  const libraryId = c.get('libraryId');
  const cases = await listCases(c.get('services').db, libraryId);
  const url = (format: string) => libUrl(libraryId, `export/download?format=${format}`);
  const chrome = chromeOf(c, 'export');
  const caseOptions = () => cases.map((item) => <option value={item.id}>{String((item as { title?: unknown }).title)}</option>);
  return sendPage(
    c,
    chrome,
    'Export',
    <>
      <h1>Export</h1>
      {outcome && <ImportResults outcome={outcome} libraryId={libraryId} />}
      <div class="grid">
        <section class="card" aria-labelledby="md-h">
          <h2 id="md-h">Markdown</h2>
          <p>One file per clip with its metadata as front matter, an index page per case linking its clips, a page per company scan. Unzip it into a wiki or open it as an Obsidian vault.</p>
          <p>
            <a class="button" href={url('markdown')}>
              Download .zip
            </a>
          </p>
        </section>
        <section class="card" aria-labelledby="json-h">
          <h2 id="json-h">JSON</h2>
          <p>
            Everything, with ids and versions: a backup, or a move to another server with <code>casebook import --library ID --in FILE</code>.
          </p>
          <p>
            <a class="button" href={url('json')}>
              Download .json
            </a>
          </p>
        </section>
        <section class="card" aria-labelledby="csv-h">
          <h2 id="csv-h">Company scans (CSV)</h2>
          <p>One row per scan question with answer, evidence and who answered, for a spreadsheet.</p>
          <p>
            <a class="button" href={url('csv')}>
              Download .csv
            </a>
          </p>
        </section>
        <section class="card" aria-labelledby="cite-h">
          <h2 id="cite-h">References for Zotero</h2>
          <p>Every clip as a reference: title, authors, published and accessed dates, link, site, note and tags; a quote keeps its words and its link. In Zotero: File → Import.</p>
          <p>
            <a class="button" href={url('csl-json')}>
              CSL-JSON
            </a>{' '}
            <a class="button" href={url('ris')}>
              RIS
            </a>{' '}
            <a class="button" href={url('bibtex')}>
              BibTeX
            </a>
          </p>
        </section>
      </div>
      <h2>One case</h2>
      <form method="get" action={libUrl(libraryId, 'export/download')} class="stack">
        <div>
          <label for="ex-case">Case</label>
          <select id="ex-case" name="case" required>
            {caseOptions()}
          </select>
        </div>
        <div>
          <label for="ex-format">Format</label>
          <select id="ex-format" name="format">
            <option value="markdown">Markdown (.zip)</option>
            <option value="json">JSON</option>
            <option value="csv">Scans (CSV)</option>
            <option value="csl-json">References: CSL-JSON</option>
            <option value="ris">References: RIS</option>
            <option value="bibtex">References: BibTeX</option>
          </select>
        </div>
        <div>
          <button type="submit">Download</button>
        </div>
      </form>
      {c.get('role') !== 'reader' && cases.length > 0 && (
        <>
          <h2 id="import-h">Import references into a case</h2>
          <form method="post" action={libUrl(libraryId, 'export/import-csl')} enctype="multipart/form-data" class="stack" aria-labelledby="import-h">
            <CsrfField token={chrome.csrf} />
            <p>
              A CSL-JSON file (Zotero: File → Export Library or right-click a collection → Export, format “CSL JSON”; at most {MAX_IMPORT_ITEMS} references and 1 MB). Each
              reference becomes a link clip in the case; one imported before is not duplicated.
            </p>
            <div>
              <label for="im-case">Case</label>
              <select id="im-case" name="case" required>
                {caseOptions()}
              </select>
            </div>
            <div>
              <label for="im-file">CSL-JSON file</label>
              <input id="im-file" type="file" name="file" accept=".json,application/json,application/vnd.citationstyles.csl+json" required />
            </div>
            <div>
              <button type="submit">Import</button>
            </div>
          </form>
        </>
      )}
      <p class="meta">Large libraries download as a stream: the file grows while the browser saves it. The command line does the same: <code>casebook export</code>, and <code>casebook import-csl</code> imports references.</p>
    </>,
  );
}

export const exportPages = new Hono<WebEnv>()
  .get('/l/:lib/export', async (c) => exportPage(c))
  .post('/l/:lib/export/import-csl', async (c) => {
    // The app's form limit has bounded the body already; the file has a tighter bound of its own.
    const body = await c.req.parseBody();
    verifySessionCsrf(c, c.get('session').csrf, body[CSRF_FIELD]);
    assertCanWrite(c.get('role'));
    const libraryId = c.get('libraryId');
    const { db, store } = c.get('services');
    const caseId = typeof body.case === 'string' ? body.case : '';
    const found = uuid.safeParse(caseId).success ? await loadLive(db, libraryId, 'case', caseId) : undefined;
    if (!found) throw new ApiError(404, 'not_found', 'That case is not in this library.');
    const file = body.file;
    if (typeof file === 'string' || !file || file.size === 0) throw new ApiError(400, 'invalid', 'Choose a CSL-JSON file to import.');
    if (file.size > MAX_UPLOAD_BYTES) throw new ApiError(413, 'too_large', `The file is larger than ${MAX_UPLOAD_BYTES} bytes; export fewer references at a time.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      throw new ApiError(400, 'invalid', 'That file is not JSON. In Zotero, export as “CSL JSON”.');
    }
    const read = cslItemsOf(parsed);
    if ('error' in read) throw new ApiError(400, 'invalid', `That file is not CSL-JSON: ${read.error}.`);
    const report = await importCsl(store, { libraryId, userId: c.get('session').userId, caseId, items: read.items });
    return exportPage(c, { report, caseId, caseTitle: String(found.fields.title) });
  })
  .get('/l/:lib/export/download', async (c) => {
    const caseId = c.req.query('case') || undefined;
    if (caseId && !uuid.safeParse(caseId).success) throw new ApiError(400, 'invalid', 'That is not a case of this library.');
    // `clips=ID,ID` (a selection, e.g. from search results) with a reference format.
    const selection = parseClipSelection(c.req.query('clips'));
    if ('error' in selection) throw new ApiError(400, 'invalid', `That is not a selection of clips: ${selection.error}.`);
    return exportResponse(c, c.get('services').db, c.get('libraryId'), c.req.query('format'), caseId, selection.clipIds);
  });
