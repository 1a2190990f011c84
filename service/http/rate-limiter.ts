// A fixed-window rate limiter kept in memory (one service process); it answers 429 + Retry-After.
// Windows live in two generations of maps: every window length the older generation is dropped
// whole and a fresh one started, so expired windows go without any scan or per-key delete (O(1)
// a hit at any number of keys; issue 9, finding 5). A window still running when its generation
// ages is carried into the new one on its next hit.
import { ApiError } from './errors.ts';

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  private current = new Map<string, Window>();
  private previous = new Map<string, Window>();
  private rotatedAt = -Infinity;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** Keys in the current generation at most: above it the generations turn early (memory stays bounded). */
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one attempt for `key` (allowed `limit` a window); throws a 429 ApiError when it is full. */
  hit(key: string, now = Date.now(), limit = this.limit): void {
    if (now - this.rotatedAt >= this.windowMs || this.current.size >= this.maxKeys) this.rotate(now);
    let window = this.current.get(key);
    if (!window) {
      const carried = this.previous.get(key);
      window = carried && now - carried.start < this.windowMs ? carried : { start: now, count: 0 };
      this.current.set(key, window);
    } else if (now - window.start >= this.windowMs) {
      window.start = now;
      window.count = 0;
    }
    window.count += 1;
    if (window.count > limit) {
      const retryAfter = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
      throw new ApiError(429, 'rate_limited', `too many attempts; try again in ${retryAfter} s`, { 'Retry-After': String(retryAfter) });
    }
  }

  /** Keys currently held (for tests and monitoring). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private rotate(now: number): void {
    this.previous = this.current;
    this.current = new Map();
    this.rotatedAt = now;
  }
}
