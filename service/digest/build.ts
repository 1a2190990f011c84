// What one member's digest says: what concerns them (their inbox since the last digest) and
// what the library gained, counted by kind with the newest lines, in plain text and HTML. Built
// at send time with the member's current role, so nothing they may no longer see is told.
import type { Role } from '../../shared/model.ts';
import type { Db } from '../db/schema.ts';
import { inboxItems, type InboxItem } from '../activity/inbox.ts';
import { activityPage, type ActivityEvent } from '../activity/stream.ts';
import { TOLD_TYPES } from '../activity/tell.ts';
import { countChanged } from '../repos/digest.ts';

const LINES = 20;

export interface Digest {
  libraryId: string;
  libraryName: string;
  from: number;
  to: number;
  forMe: InboxItem[];
  activity: ActivityEvent[];
  /** How many objects of each type changed in the period (the lines show the newest only). */
  counts: Array<{ type: string; count: number }>;
  total: number;
}

const TYPE_WORDS: Record<string, [string, string]> = {
  clip: ['clip', 'clips'],
  case: ['case', 'cases'],
  scan: ['company scan', 'company scans'],
  answer: ['scan answer', 'scan answers'],
  question: ['question', 'questions'],
  reply: ['reply', 'replies'],
  comment: ['comment', 'comments'],
  commonIssue: ['common issue', 'common issues'],
};

export async function buildDigest(db: Db, input: { libraryId: string; libraryName: string; userId: string; role: Role; from: number; to: number }): Promise<Digest> {
  const { libraryId, userId, role, from, to } = input;
  const forMe = await inboxItems(db, libraryId, userId, role, { after: from, before: to + 1, limit: LINES });
  const page = await activityPage(db, { libraryId, role, since: from, before: to + 1, limit: LINES });
  const counts: Digest['counts'] = [];
  for (const type of TOLD_TYPES) {
    const count = await countChanged(db, type, libraryId, from, to);
    if (count) counts.push({ type, count });
  }
  return { ...input, forMe, activity: page.events, counts, total: counts.reduce((sum, item) => sum + item.count, 0) };
}

export function isEmpty(digest: Digest): boolean {
  return digest.forMe.length === 0 && digest.activity.length === 0;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function countLine(digest: Digest): string {
  return digest.counts.map(({ type, count }) => `${count} ${TYPE_WORDS[type]?.[count === 1 ? 0 : 1] ?? type}`).join(', ');
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

/** Plain text and HTML of the same content; links are absolute (base = the web library). */
export function renderDigest(digest: Digest, links: { base: string; unsubscribe: string; settings: string }, frequency: 'daily' | 'weekly'): RenderedDigest {
  const url = (event: ActivityEvent) => `${links.base}/l/${digest.libraryId}/${event.path}`;
  const line = (event: ActivityEvent) => `${event.who.name} ${event.verb}: ${event.title}`;
  const subject = `${digest.libraryName}: ${frequency === 'daily' ? 'today' : 'this week'} in Casebook${digest.forMe.length ? ` (${digest.forMe.length} for you)` : ''}`;
  const text: string[] = [`${digest.libraryName}: ${countLine(digest) || 'nothing new in the library'}.`, ''];
  const html: string[] = [`<p><strong>${escapeHtml(digest.libraryName)}</strong>: ${escapeHtml(countLine(digest) || 'nothing new in the library')}.</p>`];
  if (digest.forMe.length) {
    text.push('For you', '-------');
    html.push('<h2>For you</h2><ul>');
    for (const item of digest.forMe) {
      text.push(`* ${line(item)}`, `  ${url(item)}`);
      html.push(`<li><a href="${escapeHtml(url(item))}">${escapeHtml(line(item))}</a></li>`);
    }
    text.push('');
    html.push('</ul>');
  }
  if (digest.activity.length) {
    text.push('In the library', '--------------');
    html.push('<h2>In the library</h2><ul>');
    for (const event of digest.activity) {
      text.push(`* ${line(event)}`, `  ${url(event)}`);
      html.push(`<li><a href="${escapeHtml(url(event))}">${escapeHtml(line(event))}</a></li>`);
    }
    const more = digest.total - digest.activity.length;
    if (more > 0) {
      text.push(`… and ${more} more: ${links.base}/l/${digest.libraryId}/activity`);
      html.push(`<li><a href="${escapeHtml(`${links.base}/l/${digest.libraryId}/activity`)}">… and ${more} more</a></li>`);
    }
    text.push('');
    html.push('</ul>');
  }
  text.push('--', `You receive this ${frequency} digest because you asked for it. Settings: ${links.settings}`, `Unsubscribe with one click: ${links.unsubscribe}`);
  html.push(
    `<hr><p style="color:#666;font-size:0.9em">You receive this ${frequency} digest because you asked for it. <a href="${escapeHtml(links.settings)}">Settings</a> · <a href="${escapeHtml(links.unsubscribe)}">Unsubscribe</a></p>`,
  );
  return { subject, text: text.join('\n') + '\n', html: `<!doctype html><html><body>${html.join('\n')}</body></html>` };
}
