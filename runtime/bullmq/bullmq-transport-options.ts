/**
 * The BullMQ transport's options, and the context object that holds each of them resolved to
 * its default once, at open time.
 */
import { randomBytes } from "node:crypto";

import type { ConnectionOptions } from "bullmq";

import { DEFAULT_RETRY_BACKOFF, type RetryBackoff } from "../embedded/retry-backoff.js";
import { SILENT_LOGGER, type Logger } from "../logger.js";

/** Options of {@link openBullmqTransport}. Only `connection` is required. */
export interface BullmqTransportOptions {
  /**
   * Where Redis is: BullMQ's connection options (ioredis options such as `{ host, port }`), or
   * an ioredis instance the caller owns and closes. Workers share an instance for commands and
   * duplicate it for their blocking reads, so, as BullMQ requires of workers, it must be made
   * with `maxRetriesPerRequest: null`.
   */
  readonly connection: ConnectionOptions;
  /**
   * The start of every Redis key this transport writes, BullMQ's `prefix`. Processes that share
   * tasks share it; apps that share a Redis keep apart by it. Default `"taskgen"`.
   */
  readonly prefix?: string;
  /**
   * The taskgen queues this process works, each a BullMQ queue of the same name. Omitted, the
   * process works `"default"` and every queue that any process on this prefix has queued a task
   * to: queue names are recorded in Redis on their first enqueue, and looked for again every
   * `queueDiscoveryMs`, so a task on a new queue is never left without a worker. Give a list
   * to keep some queues to some machines; a queue that no process lists is then not worked.
   */
  readonly queues?: readonly string[];
  /** How often to look for queues other processes started using. Default 5 s. */
  readonly queueDiscoveryMs?: number;
  /** Deliveries of one queue that run at once in this process. Default 10. */
  readonly concurrency?: number;
  /** Other limits for single queues, by queue name, in place of `concurrency`. */
  readonly queueConcurrency?: Readonly<Record<string, number>>;
  /** Retries after the first delivery, for tasks that do not set `maxRetries`. Default 10. */
  readonly maxRetries?: number;
  /** The wait before each retry, as for the embedded queue; the working process's applies. */
  readonly backoff?: Partial<RetryBackoff>;
  /**
   * How long a task's name stays taken after the task finished (ran, was dropped or failed
   * for good), refusing new tasks of that name in its queue, as the embedded queue does and
   * Cloud Tasks does for about an hour. While the task waits, is delayed or runs, its name is
   * always taken. 0 frees the name as the task finishes. Default 1 hour.
   */
  readonly dedupWindowMs?: number;
  /** Permanently failed tasks each queue keeps for inspection, newest first. Default 1,000. */
  readonly keepFailed?: number;
  /**
   * Whether this process keeps the cron groups' job schedulers in step with its dispatch table
   * at start, and runs the cron ticks they produce. Default true.
   */
  readonly cron?: boolean;
  /** The BullMQ queue of the cron ticks; no task may be queued to it. Default `"taskgen-cron"`. */
  readonly cronQueue?: string;
  readonly logger?: Logger;
}

/** Every option resolved, built once and passed first. */
export interface BullmqTransportContext {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  /** Undefined: discover the queues. */
  readonly queues: readonly string[] | undefined;
  readonly queueDiscoveryMs: number;
  readonly concurrency: number;
  readonly queueConcurrency: ReadonlyMap<string, number>;
  readonly maxRetries: number;
  readonly backoff: RetryBackoff;
  readonly dedupWindowMs: number;
  readonly keepFailed: number;
  readonly cron: boolean;
  readonly cronQueue: string;
  readonly logger: Logger;
  /** Makes this instance's job ids unique among all processes'. */
  readonly instanceId: string;
}

export const DEFAULT_QUEUE = "default";

export function resolveOptions(options: BullmqTransportOptions): BullmqTransportContext {
  const queueConcurrency = new Map<string, number>();
  for (const [queue, limit] of Object.entries(options.queueConcurrency ?? {})) {
    queueConcurrency.set(queue, positiveInteger(`queueConcurrency["${queue}"]`, limit));
  }
  const cronQueue = options.cronQueue ?? "taskgen-cron";
  const queues = options.queues?.map((queue) => checkQueueName(queue, cronQueue));

  return {
    connection: options.connection,
    prefix: options.prefix ?? "taskgen",
    queues: queues && [...new Set(queues)],
    queueDiscoveryMs: positiveInteger("queueDiscoveryMs", options.queueDiscoveryMs ?? 5000),
    concurrency: positiveInteger("concurrency", options.concurrency ?? 10),
    queueConcurrency,
    maxRetries: wholeNumber("maxRetries", options.maxRetries ?? 10),
    backoff: resolveBackoff(options.backoff ?? {}),
    dedupWindowMs: wholeNumber("dedupWindowMs", options.dedupWindowMs ?? 60 * 60 * 1000),
    keepFailed: wholeNumber("keepFailed", options.keepFailed ?? 1000),
    cron: options.cron ?? true,
    cronQueue: checkQueueName(cronQueue, undefined),
    logger: options.logger ?? SILENT_LOGGER,
    instanceId: randomBytes(6).toString("base64url"),
  };
}

/** A taskgen queue name BullMQ accepts as a queue name, or a TypeError that says why not. */
export function checkQueueName(queue: string, cronQueue: string | undefined): string {
  if (typeof queue !== "string" || queue === "") throw new TypeError("A task needs a queue name");
  if (queue.includes(":")) {
    throw new TypeError(`The queue name "${queue}" contains ":", which BullMQ does not allow`);
  }
  if (queue === cronQueue) {
    throw new TypeError(`"${queue}" is the queue of the cron ticks; tasks need another one`);
  }
  return queue;
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
