/**
 * The embedded queue's options, and the context object that holds each of them resolved to its
 * default once, at open time.
 */
import { randomBytes } from "node:crypto";

import { SILENT_LOGGER, type Logger } from "../logger.js";
import { DEFAULT_RETRY_BACKOFF, type RetryBackoff } from "./retry-backoff.js";

/**
 * How hard a commit tries to reach the disk. `"normal"` (SQLite's `synchronous=NORMAL` in WAL
 * mode) writes each commit to the WAL before `enqueue` resolves but leaves the fsync to
 * checkpoints: the task survives its process being killed (the data is in the OS page cache), and
 * the database is never corrupted, but the last commits can be lost when the machine itself loses
 * power. `"full"` fsyncs the WAL on every commit, surviving power loss too, at a cost that
 * `bench/queue.ts` measures.
 */
export type Synchronous = "normal" | "full";

export interface QueueLimit {
  /** Deliveries of this queue that run at once in this process. */
  readonly concurrency: number;
}

/** Options of {@link openEmbeddedQueue}. Only `path` is required. */
export interface EmbeddedQueueOptions {
  /** The SQLite file, created when missing; `":memory:"` keeps the queue in memory, for tests. */
  readonly path: string;
  /** Deliveries that run at once in this process, across all queues. Default 10. */
  readonly concurrency?: number;
  /** Lower limits for single queues, by queue name, within `concurrency`. */
  readonly queues?: Readonly<Record<string, QueueLimit>>;
  /**
   * How long a claimed task belongs to its worker without word from it. The worker renews the
   * lease every third of this while the task runs; when the worker dies (or is blocked for a
   * whole lease), the task is delivered again once the lease runs out, and that counts as a
   * failed attempt. Default 60 s.
   */
  readonly leaseMs?: number;
  /** Retries after the first delivery, for tasks that do not set `maxRetries`. Default 10. */
  readonly maxRetries?: number;
  readonly backoff?: Partial<RetryBackoff>;
  /** How long the name of a finished task stays taken, refusing new tasks of that name. 1 h. */
  readonly dedupWindowMs?: number;
  /** How often to look for tasks that other processes enqueued or that became due. 100 ms. */
  readonly pollMs?: number;
  /** Most tasks claimed in one transaction. Default 50. */
  readonly claimBatch?: number;
  /** Default `"normal"`; see {@link Synchronous}. */
  readonly synchronous?: Synchronous;
  /** How long to wait for another process's write lock before failing. Default 5 s. */
  readonly busyTimeoutMs?: number;
  readonly logger?: Logger;
  /** The clock, in milliseconds since the epoch; tests pass a fake one. Default `Date.now`. */
  readonly now?: () => number;
  /** Numbers in [0, 1) for jitter; tests pass a fixed one. Default `Math.random`. */
  readonly random?: () => number;
}

/** Every option resolved, built once and passed first. */
export interface EmbeddedQueueContext {
  readonly path: string;
  readonly concurrency: number;
  readonly queueLimits: ReadonlyMap<string, number>;
  readonly leaseMs: number;
  readonly maxRetries: number;
  readonly backoff: RetryBackoff;
  readonly dedupWindowMs: number;
  readonly pollMs: number;
  readonly claimBatch: number;
  readonly synchronous: Synchronous;
  readonly busyTimeoutMs: number;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
  /** Tells this instance's leases from another's, so a late outcome never settles a re-claim. */
  readonly instanceId: string;
}

export function resolveOptions(options: EmbeddedQueueOptions): EmbeddedQueueContext {
  const queueLimits = new Map<string, number>();
  for (const [queue, limit] of Object.entries(options.queues ?? {})) {
    queueLimits.set(queue, positiveInteger(`queues["${queue}"].concurrency`, limit.concurrency));
  }

  return {
    path: options.path,
    concurrency: positiveInteger("concurrency", options.concurrency ?? 10),
    queueLimits,
    leaseMs: positiveInteger("leaseMs", options.leaseMs ?? 60_000),
    maxRetries: wholeNumber("maxRetries", options.maxRetries ?? 10),
    backoff: resolveBackoff(options.backoff ?? {}),
    dedupWindowMs: wholeNumber("dedupWindowMs", options.dedupWindowMs ?? 60 * 60 * 1000),
    pollMs: positiveInteger("pollMs", options.pollMs ?? 100),
    claimBatch: positiveInteger("claimBatch", options.claimBatch ?? 50),
    synchronous: resolveSynchronous(options.synchronous ?? "normal"),
    busyTimeoutMs: wholeNumber("busyTimeoutMs", options.busyTimeoutMs ?? 5000),
    logger: options.logger ?? SILENT_LOGGER,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    instanceId: randomBytes(6).toString("base64url"),
  };
}

function resolveBackoff(backoff: Partial<RetryBackoff>): RetryBackoff {
  const resolved = { ...DEFAULT_RETRY_BACKOFF, ...backoff };

  wholeNumber("backoff.baseMs", resolved.baseMs);
  wholeNumber("backoff.maxMs", resolved.maxMs);
  if (!(resolved.factor >= 1)) {
    throw new RangeError(`backoff.factor must be 1 or more, but got ${resolved.factor}`);
  }
  if (!(resolved.jitter >= 0 && resolved.jitter <= 1)) {
    throw new RangeError(`backoff.jitter must be between 0 and 1, but got ${resolved.jitter}`);
  }
  return resolved;
}

function resolveSynchronous(value: string): Synchronous {
  if (value === "normal" || value === "full") return value;
  throw new RangeError(`synchronous must be "normal" or "full", but got "${value}"`);
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${option} must be a whole number of 1 or more, but got ${value}`);
  }
  return value;
}

function wholeNumber(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${option} must be a whole number of 0 or more, but got ${value}`);
  }
  return value;
}
