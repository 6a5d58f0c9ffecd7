/**
 * How long a task waits before its next delivery after a failed one: exponential backoff with
 * jitter, as Cloud Tasks' retry config describes it (`minBackoff`, `maxBackoff`, doublings).
 */
export interface RetryBackoff {
  /** The wait after the first failed delivery. Default 1 s. */
  readonly baseMs: number;
  /** Each further failure multiplies the wait by this. Default 2. */
  readonly factor: number;
  /** The wait never exceeds this. Default 1 hour. */
  readonly maxMs: number;
  /**
   * The share of the wait drawn at random, 0 to 1: with 0.5 a 4 s wait becomes 2 to 4 s. It keeps
   * tasks that failed together (a database outage) from all coming back in the same instant.
   * Default 0.5.
   */
  readonly jitter: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoff = {
  baseMs: 1000,
  factor: 2,
  maxMs: 60 * 60 * 1000,
  jitter: 0.5,
};

/**
 * The wait before the next delivery of a task whose delivery number `attempt` (0 on the first)
 * failed. `random` returns a number in [0, 1), as `Math.random` does.
 */
export function retryDelayMs(backoff: RetryBackoff, attempt: number, random: () => number): number {
  // Capping the exponent first keeps factor ** attempt finite for tasks retried thousands of times.
  const doublings = Math.min(attempt, 64);
  const full = Math.min(backoff.maxMs, backoff.baseMs * backoff.factor ** doublings);

  return Math.round(full * (1 - backoff.jitter * random()));
}
