/** @jsxImportSource hono/jsx */
// What the case pages show, from what pages/cases.tsx loaded: the list of cases with the form that
// starts one, one case (its texts, questions, clips, subgroup, scans, export), and the edit form.
import type { PublicObject } from '../../shared/api.ts';
import type { StoredObject } from '../repos/objects.ts';
import type { ClipSearchResult } from '../search/clips.ts';
import { ClipList, ScanList, type Names } from './components.tsx';
import { CsrfField, FormTokenField, libUrl } from './layout.tsx';
import type { ScanProgress } from './queries.ts';
import { Badge, DateText, SanitizedHtml } from './ui.tsx';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

type Member = { id: string; name: string; organisation: string };

export function CaseList({ libraryId, cases, members }: { libraryId: string; cases: Array<PublicObject<'case'> & { clipCount: number }>; members: Map<string, Member> }) {
  if (cases.length === 0) return <p class="muted">No cases yet.</p>;
  return (
    <ul class="items card">
      {cases.map((row) => (
        <li>
          <a class="item-title" href={libUrl(libraryId, `cases/${row.id}`)}>
            {row.title}
          </a>{' '}
          <Badge value={row.status} />
          <div class="meta">
            {row.clipCount} clips · subgroup: {row.members.map((id) => members.get(id)?.name).filter(Boolean).join(', ') || 'nobody yet'} · updated{' '}
            <DateText iso={row.updatedAt} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export function NewCaseForm({ libraryId, csrf }: { libraryId: string; csrf: string | undefined }) {
  return (
    <section aria-labelledby="new-h">
      <h2 id="new-h">Start a case</h2>
      <form method="post" action={libUrl(libraryId, 'cases')} class="stack">
        <CsrfField token={csrf} />
        <FormTokenField />
        <div>
          <label for="new-title">Title</label>
          <input id="new-title" name="title" type="text" required maxlength={500} />
        </div>
        <div>
          <button type="submit">Create case</button>
        </div>
      </form>
    </section>
  );
}

export function CaseHeader({ libraryId, item, canWrite, saved }: { libraryId: string; item: StoredObject<'case'>; canWrite: boolean; saved: boolean }) {
  return (
    <>
      <p class="meta">
        <a href={libUrl(libraryId, 'cases')}>← Cases</a>
      </p>
      <div class="section-head">
        <h1>
          {text(item.fields.title)} <Badge value={text(item.fields.status)} />
        </h1>
        {canWrite && (
          <a class="button quiet" href={libUrl(libraryId, `cases/${item.id}/edit`)}>
            Edit case
          </a>
        )}
      </div>
      {saved && (
        <p class="notice" role="status">
          Saved.
        </p>
      )}
    </>
  );
}

/** The description and the lessons, as Markdown rendered and sanitized by the loader. */
export function CaseTexts({ description, lessons }: { description: string; lessons: string }) {
  return (
    <>
      <section aria-labelledby="desc-h">
        <h2 id="desc-h">Description</h2>
        {description ? (
          <div class="markdown">
            <SanitizedHtml html={description} />
          </div>
        ) : (
          <p class="muted">No description yet.</p>
        )}
      </section>
      <section aria-labelledby="lessons-h">
        <h2 id="lessons-h">Lessons and common issues</h2>
        {lessons ? (
          <div class="markdown">
            <SanitizedHtml html={lessons} />
          </div>
        ) : (
          <p class="muted">No lessons written down yet.</p>
        )}
      </section>
    </>
  );
}

/** The case's newest clips; past the first page a link to all of them in the search. */
export function CaseClips({ libraryId, caseId, clips, names }: { libraryId: string; caseId: string; clips: ClipSearchResult; names: Names }) {
  return (
    <section aria-labelledby="clips-h">
      <h2 id="clips-h">Clips ({clips.clips.length}{clips.nextCursor ? '+' : ''})</h2>
      <ClipList libraryId={libraryId} clips={clips.clips} names={names} empty="No clips in this case yet." />
      {clips.nextCursor && (
        <p>
          <a href={libUrl(libraryId, `search?case=${caseId}`)}>All clips of this case →</a>
        </p>
      )}
    </section>
  );
}

/** The side column: the subgroup, the case's company scans and its export links. */
export function CaseAside({ libraryId, item, members, scans, cases }: { libraryId: string; item: StoredObject<'case'>; members: Member[]; scans: ScanProgress[]; cases: Map<string, string> }) {
  return (
    <aside>
      <section class="card" aria-labelledby="group-h">
        <h2 id="group-h">Subgroup</h2>
        {members.length === 0 ? (
          <p class="muted">Nobody yet.</p>
        ) : (
          <ul class="items">
            {members.map((member) => (
              <li>
                {member.name}
                {member.organisation && <div class="meta">{member.organisation}</div>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="scans-h">
        <h2 id="scans-h">Company scans</h2>
        <ScanList libraryId={libraryId} scans={scans} cases={cases} />
      </section>
      <section class="card" aria-labelledby="export-h">
        <h2 id="export-h">Export this case</h2>
        <p>
          <a href={libUrl(libraryId, `export/download?format=markdown&case=${item.id}`)}>Markdown (.zip)</a> ·{' '}
          <a href={libUrl(libraryId, `export/download?format=json&case=${item.id}`)}>JSON</a> ·{' '}
          <a href={libUrl(libraryId, `export/download?format=csv&case=${item.id}`)}>scans (CSV)</a>
        </p>
        <p class="meta">
          Updated <DateText iso={item.updatedAt} />
        </p>
      </section>
    </aside>
  );
}

/** A case edit as the person typed it, shown again when it could not be saved. */
export interface CaseDraft {
  title: string;
  status: string;
  description: string;
  lessons: string;
  members: string[];
}

export interface CaseEditState {
  conflict?: { message: string; mine: { description: string; lessons: string } };
  error?: string;
  draft?: CaseDraft;
}

/**
 * The edit form: title, status, subgroup and the two long texts, with the version and subgroup it
 * showed. After a conflict the long texts show the colleague's version and the person's own below.
 */
export function CaseEditForm({ libraryId, item, members, csrf, state }: { libraryId: string; item: StoredObject<'case'>; members: Member[]; csrf: string | undefined; state: CaseEditState }) {
  const f = item.fields;
  const subgroup = list(f.members);
  const draft = state.draft;
  const title = text(f.title);
  return (
    <>
      <p class="meta">
        <a href={libUrl(libraryId, `cases/${item.id}`)}>← {title}</a>
      </p>
      <h1>Edit case</h1>
      {state.conflict && (
        <div class="warning" role="alert">
          <p>
            <strong>Someone else changed this case</strong> while you were editing. The fields show their version now; your
            texts are below. Merge them and save again.
          </p>
          <label for="mine-description">Your description (not saved)</label>
          <textarea id="mine-description" class="long" readonly>
            {state.conflict.mine.description}
          </textarea>
          <label for="mine-lessons">Your lessons (not saved)</label>
          <textarea id="mine-lessons" class="long" readonly>
            {state.conflict.mine.lessons}
          </textarea>
        </div>
      )}
      {state.error && (
        <p class="warning" role="alert">
          {state.error}
        </p>
      )}
      <form method="post" action={libUrl(libraryId, `cases/${item.id}/edit`)} class="stack wide">
        <CsrfField token={csrf} />
        <input type="hidden" name="baseVersion" value={String(item.version)} />
        {subgroup.map((id) => (
          <input type="hidden" name="membersShown" value={id} />
        ))}
        <div>
          <label for="title">Title</label>
          <input id="title" name="title" type="text" required value={draft?.title ?? title} />
        </div>
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            {['open', 'closed'].map((status) => (
              <option value={status} selected={(draft?.status ?? text(f.status)) === status}>
                {status}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="checks">
          <legend>Subgroup</legend>
          {members.map((member) => (
            <label>
              <input type="checkbox" name="members" value={member.id} checked={(draft?.members ?? subgroup).includes(member.id)} /> {member.name}
              {member.organisation && <span class="hint"> ({member.organisation})</span>}
            </label>
          ))}
        </fieldset>
        <div>
          <label for="description">
            Description <span class="hint">(Markdown: the company, the cooperation, the question the subgroup analyses)</span>
          </label>
          <textarea id="description" name="description" class="long">
            {state.conflict ? text(f.description) : draft?.description ?? text(f.description)}
          </textarea>
        </div>
        <div>
          <label for="lessons">
            Lessons and common issues <span class="hint">(Markdown; a “## Theme” heading groups lessons across cases)</span>
          </label>
          <textarea id="lessons" name="lessons" class="long">
            {state.conflict ? text(f.lessons) : draft?.lessons ?? text(f.lessons)}
          </textarea>
        </div>
        <div>
          <button type="submit">Save case</button> <a href={libUrl(libraryId, `cases/${item.id}`)}>Cancel</a>
        </div>
      </form>
    </>
  );
}
