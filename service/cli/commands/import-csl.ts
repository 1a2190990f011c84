// `casebook import-csl`: CSL-JSON items (a Zotero export, or `casebook export --format csl-json`)
// into a case as link clips, through the push path like the API and the web form.
import { readFile, stat } from 'node:fs/promises';
import { cslItemsOf, importCsl } from '../../export/citations.ts';
import { getLibrary, findUserByEmail, membershipRole } from '../../repos/accounts.ts';
import { loadLive } from '../../repos/objects.ts';
import { uuid } from '../../../shared/model.ts';
import { CliError, parseCommandArgs, requireOption, type Command } from '../cli-kit.ts';
import { DB_OPTION, DB_USAGE, withStore } from '../store-option.ts';

/** The same bound as an API body: a CSL-JSON file is references, not content. */
const MAX_FILE_BYTES = 1024 * 1024;

export const command: Command = {
  summary: 'import CSL-JSON references (e.g. from Zotero) into a case as link clips',
  usage: `usage: casebook import-csl --library ID --case ID --as EMAIL --in FILE [--db FILE]

Reads a CSL-JSON file (a list of items, at most 1000 and 1 MiB) into the case as link clips
written by the member EMAIL: title, authors (as the byline), issued (published), accessed
(captured), URL (or https://doi.org/ for a DOI), container-title (site), note, abstract
(excerpt), keyword (tags). Each item is checked as a push is; a bad item is reported with its
reason and the rest are imported. The same item (same DOI or URL) imported again changes
nothing, or only adds this case to it. Prints one line per item that was not imported and a
summary; the exit code is 1 when any item was rejected.
${DB_USAGE}`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTION, library: { type: 'string' }, case: { type: 'string' }, as: { type: 'string' }, in: { type: 'string' } });
    const libraryId = requireOption(values.library, 'library');
    const caseId = requireOption(values.case, 'case');
    const email = requireOption(values.as, 'as');
    const file = requireOption(values.in, 'in');
    if (!uuid.safeParse(caseId).success) throw new CliError('--case must be a case id');
    let body: unknown;
    try {
      if ((await stat(file)).size > MAX_FILE_BYTES) throw new CliError(`${file} is larger than ${MAX_FILE_BYTES} bytes; split it`);
      body = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`cannot read ${file} as JSON: ${(error as Error).message.split('\n')[0]}`);
    }
    const read = cslItemsOf(body);
    if ('error' in read) throw new CliError(read.error);
    const report = await withStore(values.db, async (store) => {
      const { db } = store;
      if (!(await getLibrary(db, libraryId))) throw new CliError(`no library ${libraryId} (see casebook library list)`);
      const user = await findUserByEmail(db, email);
      const role = user ? await membershipRole(db, libraryId, user.id) : undefined;
      if (!user || !role) throw new CliError(`${email} is not a member of library ${libraryId}`);
      if (role === 'reader') throw new CliError(`${email} is a reader of library ${libraryId} and cannot add clips`);
      if (!(await loadLive(db, libraryId, 'case', caseId))) throw new CliError(`no case ${caseId} in library ${libraryId}`);
      return importCsl(store, { libraryId, userId: user.id, caseId, items: read.items });
    });
    for (const result of report.results) {
      if (result.status === 'rejected' || result.status === 'duplicate') io.stderr(`item ${result.index}${result.itemId !== undefined ? ` (${result.itemId})` : ''}: ${result.error}\n`);
    }
    io.stdout(`${report.created} created, ${report.added} added to the case, ${report.unchanged} unchanged, ${report.rejected} not imported\n`);
    return report.rejected > 0 ? 1 : 0;
  },
};
