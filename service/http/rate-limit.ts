// The service's limits on sign-in guesses, one-time links and recovery mails, kept per service
// in memory (rate-limiter.ts), counted per client address and per account.
import type { Context } from 'hono';
import { clientAddress } from './client.ts';
import type { Services } from './env.ts';
import { RateLimiter } from './rate-limiter.ts';

export { RateLimiter } from './rate-limiter.ts';

/**
 * Above the per-address limit, how many guesses at one account a minute are allowed from all
 * addresses together: a stranger at one address can never lock an account (or anyone else) out;
 * it takes this many addresses guessing at once.
 */
export const ACCOUNT_FACTOR = 10;

/**
 * Addresses an account signed in from lately (a week or two), in two generations like the
 * limiter: guesses from there never count against the account as a whole, so strangers
 * guessing from many addresses cannot lock the owner out where the owner usually works.
 */
class RecentSignins {
  private current = new Set<string>();
  private previous = new Set<string>();
  private rotatedAt = Date.now();
  constructor(
    private readonly generationMs = 7 * 86_400_000,
    private readonly maxKeys = 100_000,
  ) {}
  add(key: string, now = Date.now()): void {
    if (now - this.rotatedAt >= this.generationMs || this.current.size >= this.maxKeys) {
      this.previous = this.current;
      this.current = new Set();
      this.rotatedAt = now;
    }
    this.current.add(key);
  }
  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }
}

const recent = new WeakMap<object, RecentSignins>();
function recentOf(services: Services): RecentSignins {
  let known = recent.get(services);
  if (!known) {
    known = new RecentSignins();
    recent.set(services, known);
  }
  return known;
}

const accountKey = (email: string) => email.trim().toLowerCase();

/**
 * One password guess (sign-in on the web or the API, a current password on the account page):
 * counted per client address (the socket's, or the right-most untrusted hop of a trusted proxy)
 * and per account, except from an address the account signed in from lately. Web and API
 * share the counters.
 */
export function limitPasswordGuess(c: Context, email: string): void {
  const services = c.get('services') as Services;
  const { signin } = services.limits;
  const address = clientAddress(c);
  signin.hit(`addr:${address}`);
  if (recentOf(services).has(`${accountKey(email)}|${address}`)) return;
  signin.hit(`account:${accountKey(email)}`, Date.now(), services.config.signinPerMinute * ACCOUNT_FACTOR);
}

/** Remembers a successful sign-in's address for the account (see limitPasswordGuess). */
export function rememberSignin(c: Context, email: string): void {
  recentOf(c.get('services') as Services).add(`${accountKey(email)}|${clientAddress(c)}`);
}

/** Other anonymous attempts (one-time links, invitations, recovery mails): per client address. */
export function limitAttempt(c: Context, kind: string): void {
  (c.get('services') as Services).limits.signin.hit(`${kind}:${clientAddress(c)}`);
}

/** Recovery mails to one address: a few an hour, whoever asks (nobody can flood a mailbox). */
export const MAILS_PER_HOUR = 3;
const mailLimiters = new WeakMap<object, RateLimiter>();

export function limitMailTo(c: Context, email: string): void {
  const services = c.get('services') as Services;
  let limiter = mailLimiters.get(services);
  if (!limiter) {
    limiter = new RateLimiter(MAILS_PER_HOUR, 3_600_000);
    mailLimiters.set(services, limiter);
  }
  limiter.hit(email.trim().toLowerCase());
}
