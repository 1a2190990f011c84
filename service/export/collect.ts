// The objects an export holds (repos/export.ts reads them a page at a time), as the export's
// viewer may see them: a hidden comment's text goes only to admins and its author, as in a pull.
import type { ObjectType } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import { readObjects, type ExportScope } from '../repos/export.ts';
import type { StoredObject } from '../repos/objects.ts';
import { redactHidden } from '../sync/discussion.ts';

export { countObjects, scopeIds, type ExportProgress, type ExportScope } from '../repos/export.ts';

/**
 * Every object of the scope, in an order an import can replay: companies and cases before the
 * clips and scans that point at them, answers last; clips oldest first so search keeps its order.
 */
export async function* exportObjects(db: Db, scope: ExportScope, types?: readonly ObjectType[]): AsyncGenerator<StoredObject> {
  for await (const object of readObjects(db, scope, types)) yield scope.viewer ? redactHidden([object], scope.viewer.role, scope.viewer.userId)[0]! : object;
}
