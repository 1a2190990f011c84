// `casebook export`: writes a library (or one case) as Markdown files, JSON or CSV, with progress on stderr.
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { uuid } from '../../../shared/model.ts';
import { CITATION_FORMATS, citationExport, parseClipSelection, type CitationFormat } from '../../export/citations.ts';
import type { ExportProgress } from '../../export/collect.ts';
import { scansCsv } from '../../export/csv.ts';
import { jsonExport } from '../../export/json.ts';
import { markdownExport } from '../../export/markdown.ts';
import { getLibrary } from '../../repos/accounts.ts';
import { loadLive } from '../../repos/objects.ts';
import { CliError, parseCommandArgs, requireOption, type CliIo, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';

function progress(io: CliIo): ExportProgress {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    // A line a quarter second at most: progress must not slow the export it reports.
    if (done !== total && now - last < 250) return;
    last = now;
    io.stderr(`\rexported ${done} of ${total} objects${done === total ? '\n' : ''}`);
  };
}

async function writeStream(path: string, chunks: AsyncIterable<string>): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  const out = createWriteStream(path);
  try {
    for await (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
  } finally {
    out.end();
    await once(out, 'close');
  }
}

export const command: Command = {
  summary: 'export a library or a case as Markdown, JSON, CSV, or citations (CSL-JSON, RIS, BibTeX)',
  usage: `usage: casebook export --library ID --format markdown|json|csv|csl-json|ris|bibtex --out PATH [--case ID | --clips ID,ID] [--db FILE]

  markdown  PATH is a directory (created; must be empty): index.md, cases/*.md (one index
            page per case), clips/*.md (one file per clip with YAML front matter),
            companies/*.md (scans). Opens in a wiki or as an Obsidian vault.
  json      PATH is a file: everything with ids and versions; \`casebook import\` reads it
            back into an empty library.
  csv       PATH is a file: one row per company-scan question with answer and evidence.
  csl-json, ris, bibtex
            PATH is a file: the clips as references for Zotero and other reference
            managers (title, authors from the byline, published and accessed dates, URL,
            site, note, tags; a quote as the abstract with its link in the note).
            \`casebook import-csl\` reads CSL-JSON back into a case.
  --case ID only that case, its clips, its scans and their companies.
  --clips ID,ID  only these clips (citation formats, at most 500).
Progress goes to stderr.
${DB_USAGE}`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTION, library: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, case: { type: 'string' }, clips: { type: 'string' } });
    const libraryId = requireOption(values.library, 'library');
    const format = requireOption(values.format, 'format');
    const out = requireOption(values.out, 'out');
    const citation = (CITATION_FORMATS as readonly string[]).includes(format);
    if (!['markdown', 'json', 'csv'].includes(format) && !citation) throw new CliError(`--format must be markdown, json, csv, csl-json, ris or bibtex, not '${format}'`);
    if (values.case && !uuid.safeParse(values.case).success) throw new CliError('--case must be a case id');
    const selection = parseClipSelection(values.clips);
    if ('error' in selection) throw new CliError(`--${selection.error}`);
    if (selection.clipIds && !citation) throw new CliError('--clips goes with --format csl-json, ris or bibtex');
    if (selection.clipIds && values.case) throw new CliError('give --case or --clips, not both');
    await withStore(values.db, async ({ db }) => {
      if (!(await getLibrary(db, libraryId))) throw new CliError(`no library ${libraryId} (see casebook library list)`);
      if (values.case && !(await loadLive(db, libraryId, 'case', values.case))) throw new CliError(`no case ${values.case} in library ${libraryId}`);
      const scope = { libraryId, ...(values.case ? { caseId: values.case } : {}) };
      const onProgress = progress(io);
      if (citation) {
        for (const id of selection.clipIds ?? []) if (!(await loadLive(db, libraryId, 'clip', id))) throw new CliError(`no clip ${id} in library ${libraryId}`);
        await writeStream(out, citationExport(db, { ...scope, ...(selection.clipIds ? { clipIds: selection.clipIds } : {}) }, format as CitationFormat));
      } else if (format === 'json') await writeStream(out, jsonExport(db, scope, onProgress));
      else if (format === 'csv') await writeStream(out, scansCsv(db, scope, onProgress));
      else {
        await mkdir(out, { recursive: true });
        if ((await readdir(out)).length > 0) throw new CliError(`${out} is not empty; give a new or empty directory`);
        let files = 0;
        for await (const file of markdownExport(db, scope, onProgress)) {
          const target = join(out, file.path);
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, file.bytes ?? file.content);
          files += 1;
        }
        io.stderr(`wrote ${files} files\n`);
      }
    });
    io.stdout(`${resolve(out)}\n`);
    return 0;
  },
};
