// Each member's choices per library: which inbox kinds they want, the e-mail digest (off,
// daily, weekly) and the inbox read marker (a library version: everything at or below is read).
import { z } from 'zod';
import type { Db } from '../db/schema.ts';
import { activitySettingsRow, currentVersion, upsertActivitySettings } from '../repos/activity.ts';

export const INBOX_KINDS = ['mention', 'reply', 'comment', 'subgroup', 'addressed'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

export const INBOX_KIND_LABELS: Record<InboxKind, string> = {
  mention: 'Someone mentions me in a comment',
  reply: 'Someone replies to my question',
  comment: 'Someone comments on my clip',
  subgroup: 'New clips in the cases of my subgroups',
  addressed: 'Someone addresses a question to me',
};

export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export interface MemberSettings {
  inboxKinds: InboxKind[];
  digest: DigestFrequency;
  digestSince: number;
  readVersion: number;
}

/** One validation for the API and the web form alike. */
export const settingsInput = z
  .object({
    inboxKinds: z.array(z.enum(INBOX_KINDS)).max(INBOX_KINDS.length).optional(),
    digest: z.enum(DIGEST_FREQUENCIES).optional(),
  })
  .strict();

export const DEFAULT_SETTINGS: MemberSettings = { inboxKinds: [...INBOX_KINDS], digest: 'off', digestSince: 0, readVersion: 0 };

function parseKinds(json: string): InboxKind[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? INBOX_KINDS.filter((kind) => parsed.includes(kind)) : [...INBOX_KINDS];
  } catch {
    return [...INBOX_KINDS];
  }
}

export async function settingsOf(db: Db, libraryId: string, userId: string): Promise<MemberSettings> {
  const row = await activitySettingsRow(db, libraryId, userId);
  if (!row) return { ...DEFAULT_SETTINGS, inboxKinds: [...INBOX_KINDS] };
  return { inboxKinds: parseKinds(row.inbox_kinds), digest: row.digest, digestSince: Number(row.digest_since), readVersion: Number(row.read_version) };
}

async function upsert(db: Db, libraryId: string, userId: string, values: Partial<{ inbox_kinds: string; digest: DigestFrequency; digest_since: number; read_version: number }>): Promise<void> {
  const now = new Date().toISOString();
  const current = await settingsOf(db, libraryId, userId);
  const row = { inbox_kinds: JSON.stringify(current.inboxKinds), digest: current.digest, digest_since: current.digestSince, read_version: current.readVersion, updated_at: now };
  await upsertActivitySettings(db, libraryId, userId, { ...row, ...values }, { ...values, updated_at: now });
}

/** Saves a member's choices; turning the digest on starts it from the library's current version. */
export async function saveSettings(db: Db, libraryId: string, userId: string, input: z.infer<typeof settingsInput>): Promise<MemberSettings> {
  const current = await settingsOf(db, libraryId, userId);
  const values: Parameters<typeof upsert>[3] = {};
  if (input.inboxKinds) values.inbox_kinds = JSON.stringify(INBOX_KINDS.filter((kind) => input.inboxKinds!.includes(kind)));
  if (input.digest && input.digest !== current.digest) {
    values.digest = input.digest;
    if (current.digest === 'off') values.digest_since = await currentVersion(db, libraryId);
  }
  await upsert(db, libraryId, userId, values);
  return settingsOf(db, libraryId, userId);
}

/** Marks the inbox read up to a version (never backwards: a stale tab cannot unread newer items). */
export async function markRead(db: Db, libraryId: string, userId: string, upTo: number): Promise<number> {
  const current = await settingsOf(db, libraryId, userId);
  const version = Math.min(Math.max(current.readVersion, Math.floor(upTo)), await currentVersion(db, libraryId));
  if (version !== current.readVersion) await upsert(db, libraryId, userId, { read_version: version });
  return version;
}

/** Turns a member's digest off (the one-click unsubscribe). */
export async function stopDigest(db: Db, libraryId: string, userId: string): Promise<void> {
  await upsert(db, libraryId, userId, { digest: 'off' });
}
