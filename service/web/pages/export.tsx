/** @jsxImportSource hono/jsx */
// The export page and its downloads: Markdown (a .zip for a wiki or Obsidian), JSON (for
// `casebook import`) and CSV of the scans, for the whole library or one case.
import { Hono } from 'hono';
import { uuid } from '../../../shared/model.ts';
import { exportResponse } from '../../export/http.ts';
import { ApiError } from '../../http/errors.ts';
import { listCases } from '../../repos/library-read.ts';
import type { WebEnv } from '../env.ts';
import { chromeOf, libUrl, sendPage } from '../layout.tsx';

export const exportPages = new Hono<WebEnv>()
  .get('/l/:lib/export', async (c) => {
    const libraryId = c.get('libraryId');
    const cases = await listCases(c.get('services').db, libraryId);
    const url = (format: string) => libUrl(libraryId, `export/download?format=${format}`);
    return sendPage(
      c,
      chromeOf(c, 'export'),
      'Export',
      <>
        <h1>Export</h1>
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
        </div>
        <h2>One case</h2>
        <form method="get" action={libUrl(libraryId, 'export/download')} class="stack">
          <div>
            <label for="ex-case">Case</label>
            <select id="ex-case" name="case" required>
              {cases.map((item) => (
                <option value={item.id}>{String((item as { title?: unknown }).title)}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="ex-format">Format</label>
            <select id="ex-format" name="format">
              <option value="markdown">Markdown (.zip)</option>
              <option value="json">JSON</option>
              <option value="csv">Scans (CSV)</option>
            </select>
          </div>
          <div>
            <button type="submit">Download</button>
          </div>
        </form>
        <p class="meta">Large libraries download as a stream: the file grows while the browser saves it. The command line does the same: <code>casebook export</code>.</p>
      </>,
    );
  })
  .get('/l/:lib/export/download', async (c) => {
    const caseId = c.req.query('case') || undefined;
    if (caseId && !uuid.safeParse(caseId).success) throw new ApiError(400, 'invalid', 'That is not a case of this library.');
    return exportResponse(c, c.get('services').db, c.get('libraryId'), c.req.query('format'), caseId);
  });
