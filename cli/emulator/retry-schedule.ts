import type { RetryPolicy } from "./emulated-queue.js";

/**
 * The wait before retry number `retry` (1 before the second attempt), as Cloud Tasks' RetryConfig
 * describes it: `minBackoff`, doubled `maxDoublings` times, then growing by the last doubled step
 * each retry, never more than `maxBackoff`. With 10 s, 300 s and 3 doublings: 10, 20, 40, 80,
 * 160, 240, 300, 300 ... seconds.
 */
export function retryBackoffMs(policy: RetryPolicy, retry: number): number {
  const step = Math.max(0, retry - 1);
  const doublings = Math.min(step, policy.maxDoublings, 64);
  const doubled = policy.minBackoffMs * 2 ** doublings;
  const linear = (step - doublings) * policy.minBackoffMs * 2 ** Math.min(policy.maxDoublings, 64);

  return Math.min(policy.maxBackoffMs, doubled + linear);
}

/**
 * Whether a task that failed its `attempts`-th attempt, first dispatched at `firstDispatchMs`,
 * may run again. With both limits set, Cloud Tasks stops only once both are reached (as
 * queue.yaml's `task_retry_limit` and `task_age_limit` do); with one set, at that one; with
 * neither (`maxAttempts` -1, no duration), never.
 */
export function mayRetry(
  policy: RetryPolicy,
  attempts: number,
  firstDispatchMs: number,
  now: number,
): boolean {
  const countLimited = policy.maxAttempts !== -1;
  const ageLimited = policy.maxRetryDurationMs > 0;
  const countReached = countLimited && attempts >= policy.maxAttempts;
  const ageReached = ageLimited && now - firstDispatchMs >= policy.maxRetryDurationMs;

  if (countLimited && ageLimited) return !(countReached && ageReached);
  if (countLimited) return !countReached;
  if (ageLimited) return !ageReached;
  return true;
}
