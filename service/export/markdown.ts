// The Markdown export: one file per clip with YAML front matter and the files the clip keeps (its
// PDF, its images) in a folder of the same name beside it, an index page per case that links its
// clips, a page per company with its scan, and a library index. Opens in a wiki or Obsidian.
//
// Everything in it came from members or web pages, and Markdown viewers render raw HTML and
// follow any link: plain-text fields are escaped, Markdown fields keep their Markdown but not
// raw HTML (its `<` is escaped outside code), links keep http(s) and mailto targets only, and
// front matter values are double-quoted with every character a YAML parser refuses escaped.
import MarkdownIt from 'markdown-it';
import type { Db } from '../db/schema.ts';
import { getLibrary, membersOf } from '../repos/accounts.ts';
import { attachmentLinksOf, readAttachment, type AttachmentLink } from '../repos/attachments.ts';
import type { StoredObject } from '../repos/objects.ts';
import { answerText, sectionsFor } from '../web/scan-sections.ts';
import { countObjects, exportObjects, type ExportProgress, type ExportScope } from './collect.ts';

export interface ExportFile {
  path: string;
  /** A text file's content ('' for a kept file, whose bytes are in `bytes`). */
  content: string;
  /** A clip's kept file (PDF, image): written as these bytes. */
  bytes?: Uint8Array;
}

/** A file-name part: lower-case ASCII words joined by hyphens (safe on every file system). */
export function slug(text: string, fallback = 'untitled'): string {
  const clean = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return clean || fallback;
}

/**
 * A YAML double-quoted scalar. JSON escapes quotes, backslashes, C0 controls and lone
 * surrogates with escapes YAML shares; YAML parsers also refuse DEL, the C1 controls, the
 * BOM and U+FFFE/U+FFFF raw (js-yaml and PyYAML stop on them), and some read U+2028/U+2029
 * as line breaks: those are written as \\u escapes too.
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** YAML front matter: every string double-quoted (yamlString), numbers and booleans plain. */
export function frontMatter(values: Record<string, unknown>): string {
  const lines = ['---'];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      lines.push(`${key}:`);
      for (const item of value) lines.push(`  - ${yamlString(String(item))}`);
    } else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') lines.push(`${key}: ${value}`);
    else lines.push(`${key}: ${yamlString(String(value))}`);
  }
  lines.push('---', '');
  return lines.join('\n');
}

/**
 * Plain text put into a line of Markdown (headings, link labels, list items): line breaks
 * joined, and the characters that would make a link, an escape or raw HTML escaped.
 */
export const inline = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/([[\]\\<>])/g, '\\$1').trim();
/** A link to another file of the export. */
const link = (label: string, target: string) => `[${inline(label)}](${encodeURI(target)})`;

/** An http(s) or mailto URL, normalised (percent-encoded, no spaces or angle brackets), or null. */
export function safeUrl(url: string): string | null {
  const trimmed = url.trim();
  if (!URL.canParse(trimmed)) return null;
  const parsed = new URL(trimmed);
  return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
}
const REMOVED = '(link not exported: not an http(s) address)';
/** A link to a web page, or a note that it was left out. */
const webLink = (label: string, url: string) => {
  const safe = safeUrl(url);
  return safe ? `[${inline(label)}](<${safe}>)` : REMOVED;
};
/** A web address shown as itself (an autolink), or a note that it was left out. */
const autolink = (url: string) => {
  const safe = safeUrl(url);
  return safe ? `<${safe}>` : REMOVED;
};

// Only markdown-it's block parser is used: it says which lines are code, where nothing renders.
const blocks = new MarkdownIt('default', { html: true });
// A scheme is letters, digits, + - . before a colon; control characters and spaces do not count.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const SAFE_SCHEME = /^(https?|mailto):/i;
const unsafeTarget = (target: string) => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these in a scheme
  const bare = blocks.utils.unescapeAll(target).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return HAS_SCHEME.test(bare) && !SAFE_SCHEME.test(bare);
};

/**
 * Escapes each `<` that could open a tag, comment or autolink with a backslash. An even
 * number of backslashes before it escapes only themselves, so one is added; an odd number
 * escapes it already. (A loop: the pattern /(\\*)</ backtracks on a long run of backslashes.)
 */
function escapeTags(text: string): string {
  const parts: string[] = [];
  let last = 0;
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
    if (!/[A-Za-z/!?]/.test(text.charAt(at + 1))) continue;
    let slashes = 0;
    while (at - slashes - 1 >= 0 && text.charCodeAt(at - slashes - 1) === 92) slashes++;
    if (slashes % 2 === 1) continue;
    parts.push(text.slice(last, at), '\\');
    last = at;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/**
 * A member's or a page's Markdown, kept as Markdown but inert: outside code blocks, a `<`
 * that could open a tag, comment or autolink is escaped (`\\<`, shown as `<`), and link and
 * reference targets with a scheme other than http(s) or mailto become `#`.
 */
export function safeMarkdown(markdown: string): string {
  // Line ends and NUL as markdown-it reads them, so its line numbers are ours.
  const text = markdown.replace(/\r\n?/g, '\n').replace(/\u0000/g, '\ufffd');
  const tokens: ReturnType<typeof blocks.parse> = [];
  blocks.block.parse(text, blocks, {}, tokens);
  const lines = text.split('\n');
  const code = new Uint8Array(lines.length);
  for (const token of tokens) {
    if ((token.type === 'fence' || token.type === 'code_block') && token.map) code.fill(1, token.map[0], token.map[1]);
  }
  const out: string[] = [];
  let prose: string[] = [];
  const flush = () => {
    if (!prose.length) return;
    // [label](target and [label]: target (the target may start on the next line, in <>,
    // and hold balanced parentheses).
    const linked = prose
      .join('\n')
      .replace(/(\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:\s*<?)([^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)/gm, (match, head: string, target: string) =>
        unsafeTarget(target) ? `${head}#` : match,
      );
    out.push(escapeTags(linked));
    prose = [];
  };
  lines.forEach((line, index) => {
    if (code[index]) {
      flush();
      out.push(line);
    } else prose.push(line);
  });
  flush();
  return out.join('\n');
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

interface ClipEntry {
  file: string;
  title: string;
  site: string;
  date: string;
  caseIds: string[];
}

/** What every page of the export refers to: the library, its members, cases and companies with their file names. */
interface ExportContext {
  library: { id: string; name: string };
  members: Map<string, { name: string; organisation?: string | null }>;
  memberName: (id: string) => string;
  cases: StoredObject[];
  companies: StoredObject[];
  caseFile: Map<string, string>;
  companyFile: Map<string, string>;
  caseTitle: (id: string) => string;
}

type Tick = () => void;

/** Reads the library, its members, cases and companies (small: kept in memory) and names their files. */
async function loadContext(db: Db, scope: ExportScope, tick: Tick): Promise<ExportContext> {
  const library = await getLibrary(db, scope.libraryId);
  if (!library) throw new Error(`no library ${scope.libraryId}`);
  const members = new Map((await membersOf(db, scope.libraryId)).map((member) => [member.id, member]));
  const cases: StoredObject[] = [];
  const companies: StoredObject[] = [];
  for await (const object of exportObjects(db, scope, ['case', 'company'])) {
    if (!object.deleted) (object.type === 'case' ? cases : companies).push(object);
    tick();
  }
  const used = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  };
  const caseFile = new Map<string, string>();
  for (const item of cases) caseFile.set(item.id, `cases/${unique(`cases/${slug(str(item.fields.title), 'case')}`).slice(6)}.md`);
  const companyFile = new Map<string, string>();
  for (const item of companies) companyFile.set(item.id, `companies/${unique(`companies/${slug(str(item.fields.name), 'company')}`).slice(10)}.md`);
  return {
    library,
    members,
    memberName: (id) => members.get(id)?.name ?? id,
    cases,
    companies,
    caseFile,
    companyFile,
    caseTitle: (id) => str(cases.find((item) => item.id === id)?.fields.title),
  };
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/avif': 'avif',
};

/** A kept file as it goes into the export: its name, and where under clips/ its bytes are. */
interface KeptFile extends AttachmentLink {
  name: string;
  /** `<clip folder>/<name>`: this clip's folder, or that of the first clip that kept the same bytes. */
  at: string;
  /** Whether this clip's folder holds the bytes (false: the export has them once, elsewhere). */
  own: boolean;
}

/**
 * Names a clip's kept files inside its folder: the PDF by the clip's title, images numbered in the
 * order they were kept with a piece of their hash (names come from us, never from the source).
 * `placed` holds where the export put each file already (by its hash).
 */
function nameKeptFiles(title: string, links: AttachmentLink[], folder: string, placed: Map<string, string>): KeptFile[] {
  let images = 0;
  const used = new Set<string>();
  return links.map((link) => {
    const extension = EXTENSIONS[link.contentType] ?? 'bin';
    let name = link.role === 'pdf' ? `${slug(title, 'document')}.${extension}` : `image-${++images}-${link.sha256.slice(0, 8)}.${extension}`;
    if (used.has(name)) name = `${link.role}-${link.sha256.slice(0, 16)}.${extension}`;
    used.add(name);
    // The same bytes kept by several clips go into the export once: later clips link the first copy.
    const earlier = placed.get(link.sha256);
    if (earlier) return { ...link, name: earlier.split('/').pop()!, at: earlier, own: false };
    placed.set(link.sha256, `${folder}/${name}`);
    return { ...link, name, at: `${folder}/${name}`, own: true };
  });
}

const megabytes = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/**
 * A clip's page: front matter, the source, the quote, the content with each kept image shown from
 * the clip's folder instead of its source, the kept files, the note and the cases.
 */
/** A clip's file name without `.md` (also its folder's name), and its date. */
function clipBase(clip: StoredObject): { base: string; date: string } {
  const f = clip.fields;
  // Part of a file name: only a plain date (anything else could climb out of the directory).
  const date = /^\d{4}-\d{2}-\d{2}$/.test(str(f.capturedAt).slice(0, 10)) ? str(f.capturedAt).slice(0, 10) : '';
  return { base: `${date ? `${date}-` : ''}${slug(str(f.title) || str(f.url), 'clip')}-${clip.id.slice(0, 8)}`, date };
}

function clipPage(ctx: ExportContext, clip: StoredObject, kept: KeptFile[]): { file: ExportFile; entry: ClipEntry } {
  const f = clip.fields;
  const { base, date } = clipBase(clip);
  const file = `clips/${base}.md`;
  const local = (item: KeptFile) => encodeURI(item.at);
  const caseIds = list(f.caseIds).filter((id) => ctx.caseFile.has(id));
  const selection = f.selection as { text?: string; quoteUrl?: string } | null;
  const body: string[] = [`# ${inline(str(f.title) || str(f.url))}`, ''];
  body.push(`Source: ${autolink(str(f.url))}`, '');
  if (selection?.text) {
    body.push(...String(selection.text).split('\n').map((line) => `> ${inline(line)}`));
    if (selection.quoteUrl) body.push('>', `> ${webLink('Open the passage', String(selection.quoteUrl))}`);
    body.push('');
  }
  const content = str(f.markdown) || str(f.text) || str(f.excerpt);
  if (content) {
    let markdown = safeMarkdown(content.trim());
    // A kept image shows from the export, so it still shows when its source is gone.
    for (const item of kept) {
      const source = item.source ? safeUrl(item.source) : null;
      if (!source) continue;
      for (const written of new Set([item.source!, source])) {
        // The whole address only (a longer one that starts the same is another image).
        const escaped = written.replace(/[.*+?^$()|[\]{}\\]/g, '\\$&');
        const target = new RegExp(`\\]\\((<?)${escaped}(?=[)>\\s])`, 'g');
        markdown = markdown.replace(target, (_match, angle: string) => `](${angle}${local(item)}`);
      }
    }
    body.push(markdown, '');
  }
  if (kept.length) {
    body.push('## Files', '');
    for (const item of kept) {
      if (item.role === 'pdf') body.push(`- [${inline(item.name)}](${local(item)}) (PDF, ${megabytes(item.bytes)})`);
      else body.push(`- ![${inline(item.name)}](${local(item)})${item.source ? ` kept from ${autolink(item.source)}` : ''} (${megabytes(item.bytes)})`);
    }
    body.push('');
  }
  if (str(f.note)) body.push('## Note', '', safeMarkdown(str(f.note).trim()), '');
  if (caseIds.length) body.push('## Cases', '', ...caseIds.map((id) => `- ${link(ctx.caseTitle(id), `../${ctx.caseFile.get(id)!}`)}`), '');
  const company = typeof f.companyId === 'string' ? ctx.companies.find((item) => item.id === f.companyId) : undefined;
  const pages = f.pages as { count?: unknown } | undefined;
  const text =
    frontMatter({
      id: clip.id,
      title: str(f.title),
      url: str(f.url),
      canonical_url: str(f.canonicalUrl) !== str(f.url) ? str(f.canonicalUrl) : '',
      kind: str(f.kind),
      site: str(f.siteName),
      author: str(f.byline),
      published: str(f.publishedAt),
      captured: str(f.capturedAt),
      captured_by: ctx.memberName(str(f.capturedBy)),
      language: str(f.lang),
      pages: typeof pages?.count === 'number' ? pages.count : undefined,
      tags: list(f.tags),
      cases: caseIds.map(ctx.caseTitle),
      company: company ? str(company.fields.name) : '',
      files: kept.map((item) => item.at),
      version: clip.version,
    }) + body.join('\n');
  return { file: { path: file, content: text }, entry: { file, title: str(f.title) || str(f.url), site: str(f.siteName), date, caseIds } };
}

/** The files a clip's folder holds, one at a time (memory holds one file, at most a PDF's bound). */
async function* keptFiles(db: Db, libraryId: string, kept: KeptFile[]): AsyncGenerator<ExportFile> {
  for (const item of kept) {
    if (!item.own) continue;
    const stored = await readAttachment(db, libraryId, item.sha256);
    if (stored) yield { path: `clips/${item.at}`, content: '', bytes: stored.data };
  }
}

interface Discussion {
  scans: StoredObject[];
  answers: StoredObject[];
  questions: StoredObject[];
  replyCount: Map<string, number>;
}

/** Scans with their answers, and the case questions with their reply counts; comments and common issues only count toward the progress (they are in the JSON export). */
async function loadDiscussion(db: Db, scope: ExportScope, tick: Tick): Promise<Discussion> {
  const scans: StoredObject[] = [];
  const answers: StoredObject[] = [];
  for await (const object of exportObjects(db, scope, ['scan', 'answer'])) {
    tick();
    if (!object.deleted) (object.type === 'scan' ? scans : answers).push(object);
  }
  const questions: StoredObject[] = [];
  const replyCount = new Map<string, number>();
  for await (const object of exportObjects(db, scope, ['question', 'reply', 'comment', 'commonIssue'])) {
    tick();
    if (object.deleted) continue;
    if (object.type === 'question') questions.push(object);
    else if (object.type === 'reply') replyCount.set(str(object.fields.questionId), (replyCount.get(str(object.fields.questionId)) ?? 0) + 1);
  }
  return { scans, answers, questions, replyCount };
}

/** A case's page: its subgroup, lessons, clips, questions and company scans. */
function casePage(ctx: ExportContext, item: StoredObject, clips: ClipEntry[], discussion: Discussion): ExportFile {
  const f = item.fields;
  const own = clips.filter((clip) => clip.caseIds.includes(item.id));
  const caseScans = discussion.scans.filter((scan) => scan.fields.caseId === item.id);
  const lines = [`# ${inline(str(f.title))}`, ''];
  if (str(f.description)) lines.push(safeMarkdown(str(f.description).trim()), '');
  lines.push('## Subgroup', '', ...(list(f.members).length ? list(f.members).map((id) => `- ${inline(ctx.memberName(id))}${ctx.members.get(id)?.organisation ? ` (${inline(ctx.members.get(id)!.organisation!)})` : ''}`) : ['- nobody yet']), '');
  if (str(f.lessons)) lines.push('## Lessons and common issues', '', safeMarkdown(str(f.lessons).trim()), '');
  lines.push(`## Clips (${own.length})`, '');
  for (const clip of own) lines.push(`- ${link(clip.title, `../${clip.file}`)}${clip.site ? ` · ${inline(clip.site)}` : ''}${clip.date ? ` · ${clip.date}` : ''}`);
  const caseQuestions = discussion.questions.filter((question) => question.fields.caseId === item.id);
  if (caseQuestions.length) {
    lines.push('', '## Questions', '');
    for (const question of caseQuestions) lines.push(`- ${inline(str(question.fields.title))} (${inline(str(question.fields.status))}; ${discussion.replyCount.get(question.id) ?? 0} answers)`);
  }
  if (caseScans.length) {
    lines.push('', '## Company scans', '');
    for (const scan of caseScans) {
      const target = ctx.companyFile.get(str(scan.fields.companyId));
      const name = str(ctx.companies.find((company) => company.id === scan.fields.companyId)?.fields.name) || 'company';
      lines.push(`- ${target ? link(name, `../${target}`) : inline(name)} (${inline(str(scan.fields.status))})`);
    }
  }
  return {
    path: ctx.caseFile.get(item.id)!,
    content: frontMatter({ id: item.id, title: str(f.title), status: str(f.status), members: list(f.members).map(ctx.memberName), updated: item.updatedAt, version: item.version }) + lines.join('\n') + '\n',
  };
}

/** A company's page: each scan, section by section, with answers and their evidence. */
function companyPage(ctx: ExportContext, company: StoredObject, discussion: Discussion): ExportFile {
  const f = company.fields;
  const lines = [`# ${inline(str(f.name))}`, ''];
  if (str(f.legalName)) lines.push(`Legal name: ${inline(str(f.legalName))}`, '');
  for (const scan of discussion.scans.filter((item) => item.fields.companyId === company.id)) {
    const own = discussion.answers.filter((answer) => answer.fields.scanId === scan.id);
    const byField = new Map(own.map((answer) => [str(answer.fields.field), answer]));
    const caseId = str(scan.fields.caseId);
    lines.push(`## Scan (${inline(str(scan.fields.status))})${ctx.caseFile.has(caseId) ? ` for ${link(ctx.caseTitle(caseId), `../${ctx.caseFile.get(caseId)!}`)}` : ''}`, '');
    for (const section of sectionsFor(str(scan.fields.templateId))) {
      lines.push(`### ${section.title}`, '');
      for (const question of section.questions) {
        const answer = byField.get(question.key);
        const value = answer ? answerText(answer.fields.value) : '';
        lines.push(`- **${question.label}**: ${value ? inline(value) : '_not answered_'}${answer ? ` (${inline(ctx.memberName(answer.updatedBy))})` : ''}`);
        for (const evidence of (answer?.fields.evidence as Array<{ url: string; snippet: string }> | undefined) ?? []) {
          lines.push(`  - evidence: ${autolink(str(evidence.url))}${str(evidence.snippet) ? ` “${inline(str(evidence.snippet))}”` : ''}`);
        }
      }
      lines.push('');
    }
  }
  return {
    path: ctx.companyFile.get(company.id)!,
    content: frontMatter({ id: company.id, name: str(f.name), legal_name: str(f.legalName), domains: list(f.domains), version: company.version }) + lines.join('\n') + '\n',
  };
}

/** The library's index: cases, companies, and the clips in no case. */
function libraryIndex(ctx: ExportContext, clips: ClipEntry[]): ExportFile {
  const index = [`# ${inline(ctx.library.name)}`, '', `Exported ${new Date().toISOString().slice(0, 10)} from Casebook.`, '', '## Cases', ''];
  for (const item of ctx.cases) index.push(`- ${link(str(item.fields.title), ctx.caseFile.get(item.id)!)} (${inline(str(item.fields.status))}, ${clips.filter((clip) => clip.caseIds.includes(item.id)).length} clips)`);
  if (ctx.companies.length) {
    index.push('', '## Companies', '');
    for (const company of ctx.companies) index.push(`- ${link(str(company.fields.name), ctx.companyFile.get(company.id)!)}`);
  }
  const loose = clips.filter((clip) => clip.caseIds.length === 0);
  if (loose.length) {
    index.push('', '## Clips in no case', '');
    for (const clip of loose) index.push(`- ${link(clip.title, clip.file)}`);
  }
  return { path: 'index.md', content: frontMatter({ library: ctx.library.name, library_id: ctx.library.id, exported: new Date().toISOString() }) + index.join('\n') + '\n' };
}

/**
 * The whole export as files, in order: each clip's page followed by its kept files (streamed: one
 * file's bytes in memory at a time), then case pages, company pages and the index.
 */
export async function* markdownExport(db: Db, scope: ExportScope, onProgress?: ExportProgress): AsyncGenerator<ExportFile> {
  const total = await countObjects(db, scope);
  let done = 0;
  const tick = () => {
    done += 1;
    if (onProgress && (done % 200 === 0 || done === total)) onProgress(done, total);
  };
  const ctx = await loadContext(db, scope, tick);
  const links = await attachmentLinksOf(db, scope.libraryId);
  const placed = new Map<string, string>();
  const clips: ClipEntry[] = [];
  for await (const clip of exportObjects(db, scope, ['clip'])) {
    tick();
    if (clip.deleted) continue;
    const kept = nameKeptFiles(str(clip.fields.title) || str(clip.fields.url), links.get(clip.id) ?? [], clipBase(clip).base, placed);
    const page = clipPage(ctx, clip, kept);
    yield page.file;
    yield* keptFiles(db, scope.libraryId, kept);
    clips.push(page.entry);
  }
  const discussion = await loadDiscussion(db, scope, tick);
  for (const item of ctx.cases) yield casePage(ctx, item, clips, discussion);
  for (const company of ctx.companies) yield companyPage(ctx, company, discussion);
  yield libraryIndex(ctx, clips);
}
