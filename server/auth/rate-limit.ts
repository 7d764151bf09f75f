/**
 * A sliding-window counter: at most `max` events per key in the window (ID-check rate limits).
 * Sign-in uses SignInThrottle (backoff, device cookies) instead. In memory, per process.
 */
export interface LimitState {
  blocked: boolean;
  /** Milliseconds until the oldest counted failure leaves the window. */
  retryAfterMs: number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly max = 5,
    readonly windowMs = 5 * 60_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Blocked once `max` failures (default: the limiter's) fall inside the window. */
  check(key: string, now = Date.now(), max = this.max): LimitState {
    const list = this.recent(key, now);
    if (list.length < max) return { blocked: false, retryAfterMs: 0 };
    return { blocked: true, retryAfterMs: list[list.length - max] + this.windowMs - now };
  }

  fail(key: string, now = Date.now()): void {
    const list = this.recent(key, now);
    list.push(now);
    this.failures.set(key, list);
    if (this.failures.size > 10_000) this.sweep(now);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
  }
}
