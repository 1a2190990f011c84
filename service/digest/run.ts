// The digest run: for every member who asked for a digest and whose period has not had one,
// decide and record it in one write transaction (digest_sends' primary key makes a second
// process's decision for the same member and period a no-op), then send it. A failed send
// removes its record, so the next run tries again; a crash between sending and recording
// "sent" leaves the period decided (at most one mail, never two).
import { hashSecret, newSecret } from '../auth/secrets.ts';
import type { Db } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import type { AppConfig } from '../http/env.ts';
import { mailConfigured, sendMail } from '../mail/send.ts';
import { getLibrary, getUser, membershipRole } from '../repos/accounts.ts';
import { claimDigest, digestDecided, digestSubscribers, lastDigestVersion, markDigestSent, releaseDigest, stopDigestByHash } from '../repos/digest.ts';
import { buildDigest, isEmpty, renderDigest, type RenderedDigest } from './build.ts';
import { periodKey } from './period.ts';

export interface DigestRunOptions {
  store: Store;
  config: Pick<AppConfig, 'smtpUrl' | 'mailFrom' | 'publicUrl'>;
  now?: Date;
  /** Build and report, record and send nothing. */
  dryRun?: boolean;
}

export interface DigestOutcome {
  libraryId: string;
  userId: string;
  to: string;
  period: string;
  status: 'sent' | 'would send' | 'nothing new' | 'already sent' | 'failed';
  items: number;
  mail?: RenderedDigest;
  error?: string;
}

/** The secret prefix `cbu_` keeps unsubscribe links out of request logs (app.ts redactSecrets). */
const UNSUBSCRIBE_PREFIX = 'cbu';

const baseOf = (config: DigestRunOptions['config']) => (config.publicUrl ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');

export async function runDigests(options: DigestRunOptions): Promise<DigestOutcome[]> {
  const { store, config } = options;
  const { db } = store;
  const now = options.now ?? new Date();
  // Without SMTP nothing is decided or queued (the web says so where the digest is chosen).
  if (!options.dryRun && !mailConfigured(config)) return [];
  const subscribers = await digestSubscribers(db);
  const outcomes: DigestOutcome[] = [];
  for (const settings of subscribers) {
    const frequency = settings.digest as 'daily' | 'weekly';
    const { library_id: libraryId, user_id: userId } = settings;
    // A removed member gets nothing: membership and role are read now, not when they opted in.
    const role = await membershipRole(db, libraryId, userId);
    const user = await getUser(db, userId);
    const library = await getLibrary(db, libraryId);
    if (!role || !user || !library) continue;
    const period = periodKey(frequency, now);
    const base = { libraryId, userId, to: user.email, period };
    const key = { libraryId, userId, period };
    if (await digestDecided(db, key)) {
      outcomes.push({ ...base, status: 'already sent', items: 0 });
      continue;
    }
    const from = Math.max(Number(settings.digest_since), await lastDigestVersion(db, libraryId, userId));
    const to = Number(library.version);
    const digest = await buildDigest(db, { libraryId, libraryName: library.name, userId, role, from, to });
    // Nothing new: no mail, and the period stays open for what comes later in it.
    if (isEmpty(digest)) {
      outcomes.push({ ...base, status: 'nothing new', items: 0 });
      continue;
    }
    const items = digest.forMe.length + digest.total;
    const secret = newSecret(UNSUBSCRIBE_PREFIX);
    const links = { base: baseOf(config), unsubscribe: `${baseOf(config)}/digest/unsubscribe/${secret}`, settings: `${baseOf(config)}/l/${libraryId}/inbox/settings` };
    const mail = renderDigest(digest, links, frequency);
    if (options.dryRun) {
      outcomes.push({ ...base, status: 'would send', items, mail });
      continue;
    }
    const decided = await store.writeTransaction(({ db: trx }) => claimDigest(trx, key, { from, to, items, unsubscribeHash: hashSecret(secret), decidedAt: now.toISOString() }));
    if (!decided) {
      outcomes.push({ ...base, status: 'already sent', items: 0 });
      continue;
    }
    try {
      await sendMail(config, {
        to: user.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the link.
        headers: { 'List-Unsubscribe': `<${links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
    } catch (error) {
      await releaseDigest(db, key);
      outcomes.push({ ...base, status: 'failed', items, error: (error as Error).message });
      continue;
    }
    await markDigestSent(db, key);
    outcomes.push({ ...base, status: 'sent', items, mail });
  }
  return outcomes;
}

/** Turns off the digest a mail's unsubscribe link belongs to; false for an unknown link. */
export async function unsubscribeBySecret(db: Db, secret: string): Promise<{ libraryId: string; userId: string } | undefined> {
  if (typeof secret !== 'string' || !secret.startsWith(`${UNSUBSCRIBE_PREFIX}_`) || secret.length > 200) return undefined;
  return stopDigestByHash(db, hashSecret(secret));
}

const timers = new Map<Db, NodeJS.Timeout>();
export const DIGEST_EVERY_MS = 5 * 60_000;

/**
 * The service's digest timer: runs while SMTP is configured, every `everyMs` (0 turns it off).
 * Runs never overlap within a process; several processes are kept apart by the store.
 */
export function startDigestTimer(options: Omit<DigestRunOptions, 'now' | 'dryRun'>, everyMs = DIGEST_EVERY_MS): void {
  if (everyMs <= 0 || timers.has(options.store.db) || !mailConfigured(options.config)) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const outcome of await runDigests(options)) {
        if (outcome.status === 'failed') console.error(`digest to ${outcome.to} failed: ${outcome.error ?? ''}`);
      }
    } catch (error) {
      console.error(`digest run failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  timers.set(options.store.db, timer);
}

export function stopDigestTimer(db: Db): void {
  const timer = timers.get(db);
  if (timer) clearInterval(timer);
  timers.delete(db);
}
