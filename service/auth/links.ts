// One lifetime for every one-time link (sign-in, password reset, invitation), said one way
// everywhere: pages, the CLI, mails (issue 13, item 2).
export const LINK_HOURS = 72;

/** How the lifetime reads in a sentence: "valid for 3 days". */
export const LINK_LIFETIME = '3 days';

export function linkExpiry(from = Date.now()): string {
  return new Date(from + LINK_HOURS * 3_600_000).toISOString();
}
