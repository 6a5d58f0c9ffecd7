/**
 * The BullMQ transport: tasks wait in Redis as BullMQ jobs, and any number of processes on any
 * number of machines work them. Each taskgen queue is a BullMQ queue of the same name.
 */
import { isRedisInstance, Queue, RedisConnection, type RedisClient } from "bullmq";

import type {
  DeliveryHandler,
  EnqueueResult,
  QueuedTask,
  TaskRoute,
  Transport,
  TransportHooks,
} from "../transport.js";

import {
  checkQueueName,
  DEFAULT_QUEUE,
  resolveOptions,
  type BullmqTransportContext,
  type BullmqTransportOptions,
} from "./bullmq-transport-options.js";
import { CronSchedulers } from "./cron-schedulers.js";
import { NameWindow } from "./name-window.js";
import { QueueRegistry } from "./queue-registry.js";
import { describeError } from "../describe-error.js";
import { QueueWorkers } from "./queue-workers.js";
import { jobDataOf, jobOptionsOf, type TaskJobData } from "./task-job.js";

const ROUTES: readonly TaskRoute[] = ["deferred", "queryIter"];

/** Used when `stop()` is called without `graceMs`. */
const DEFAULT_GRACE_MS = 10_000;

/** Tasks of one queue by state, as BullMQ counts them. */
export interface BullmqTaskCounts {
  /** Due, or waiting for a free worker. */
  readonly waiting: number;
  readonly active: number;
  /** Held back by a delay, an eta or a retry's backoff. */
  readonly delayed: number;
  /** Permanently failed tasks still kept; see `keepFailed`. */
  readonly failed: number;
}

/**
 * Opens the BullMQ transport on the Redis at `options.connection`. Tasks can be enqueued at
 * once; this process works them after {@link BullmqTransport.start}, with one BullMQ `Worker`
 * (and its two Redis connections) per queue it works.
 *
 * Semantics, against the transport contract:
 * - **Delay**: a task's `notBefore` becomes the job's `delay`.
 * - **Dedup**: a named task is refused (`{ queued: false, reason: "duplicate" }`) while a task of
 *   the same name in the same queue is waiting, delayed (also between retries) or running, and
 *   for `dedupWindowMs` (1 hour) after it finished. Names are BullMQ deduplication ids, so they
 *   are unique per queue, as in Cloud Tasks; the job id is the transport's own.
 * - **Retries**: `maxRetries` (or the option) + 1 attempts, with the exponential `backoff` of
 *   the working process between them.
 * - **Cron**: see {@link CronSchedulers}: each group is a job scheduler; its first tick comes at
 *   once when the scheduler is created, later ones every period.
 *
 * @example
 * const transport = openBullmqTransport({ connection: { host: "redis", port: 6379 } });
 * const runtime = createRuntime({
 *   table: dispatchTable,
 *   instances,
 *   transport,
 *   state: new RedisStateStore({ connection: { host: "redis", port: 6379 } }),
 *   secret: process.env.TASKGEN_SECRET!,
 * });
 * await runtime.start();
 * process.on("SIGTERM", () => void runtime.stop({ graceMs: 10_000 }));
 */
export function openBullmqTransport(options: BullmqTransportOptions): BullmqTransport {
  return new BullmqTransport(resolveOptions(options));
}

/** The BullMQ transport; see {@link openBullmqTransport}. */
export class BullmqTransport implements Transport {
  readonly #ctx: BullmqTransportContext;
  /** One connection for every queue's producer side, and the registry. */
  readonly #connection: RedisConnection;
  /** The connection's client once ready, and the queue registry on it. */
  readonly #shared: Promise<{ readonly client: RedisClient; readonly registry: QueueRegistry }>;
  readonly #producers = new Map<string, Queue<TaskJobData, unknown, TaskRoute>>();
  #workers: QueueWorkers | undefined;
  #cron: CronSchedulers | undefined;
  #discovery: NodeJS.Timeout | undefined;
  #jobCount = 0;
  #started = false;
  #stopped = false;

  /** @internal Use {@link openBullmqTransport}. */
  constructor(ctx: BullmqTransportContext) {
    this.#ctx = ctx;
    this.#connection = new RedisConnection(ctx.connection, {
      shared: isRedisInstance(ctx.connection),
      blocking: false,
    });
    this.#shared = this.#connection.client.then((client) => ({
      client,
      registry: new QueueRegistry(client, ctx.prefix),
    }));
    // Failures surface where the client is awaited; this keeps an early one from going unhandled.
    this.#shared.catch(() => {});
    this.#connection.on("error", (error: unknown) => {
      ctx.logger.error(`Redis connection: ${describeError(error)}`);
    });
  }

  /**
   * Adds a task as a job. The promise resolves once Redis holds it (Redis's own persistence
   * settings decide whether it survives a Redis crash). While Redis cannot be reached, it waits
   * for the connection to come back, as BullMQ's `Queue.add` does.
   */
  async enqueue(task: QueuedTask): Promise<EnqueueResult> {
    if (this.#stopped) throw new Error("The BullMQ transport is stopped");
    checkTask(task, this.#ctx.cronQueue);

    const { client, registry } = await this.#shared;
    await registry.record(task.queue);
    if (this.#ctx.queues === undefined) this.#workers?.work(task.queue);

    const jobId = task.name === undefined ? undefined : this.#nextJobId();
    const options = jobOptionsOf(this.#ctx, task, jobId, Date.now());
    const job = await this.#producer(client, task.queue).add(task.route, jobDataOf(task), options);

    if (jobId !== undefined && job.id !== jobId) return { queued: false, reason: "duplicate" };
    return { queued: true, id: job.id as string };
  }

  /**
   * Starts working this process's queues (see `queues`), delivering each job to `handler`;
   * with `hooks`, and unless `cron` is off, also synchronises the cron groups' schedulers and
   * runs their ticks. Resolves once every worker is connected.
   */
  async start(handler: DeliveryHandler, hooks?: TransportHooks): Promise<void> {
    if (this.#stopped) throw new Error("The BullMQ transport is stopped");
    if (this.#started) throw new Error("The BullMQ transport is started already");

    this.#started = true;
    const { client } = await this.#shared;
    const names = new NameWindow(client, this.#ctx.prefix, this.#ctx.dedupWindowMs);
    const workers = new QueueWorkers(this.#ctx, handler, names);
    this.#workers = workers;
    for (const queue of this.#ctx.queues ?? (await this.#knownQueues())) workers.work(queue);
    if (this.#ctx.queues === undefined) {
      this.#discovery = setInterval(() => void this.#discover(), this.#ctx.queueDiscoveryMs);
      // The workers keep the process alive; the discovery alone must not.
      this.#discovery.unref();
    }
    try {
      if (hooks !== undefined && this.#ctx.cron) {
        this.#cron = await CronSchedulers.start(this.#ctx, client, hooks);
      }
      await workers.ready();
    } catch (error) {
      await this.stop({ graceMs: 0 });
      throw error;
    }
  }

  /**
   * Stops taking jobs, waits up to `graceMs` (default 10 s) for running deliveries, puts the
   * jobs of those still running back to waiting so that another worker runs them soon, and
   * closes the connections. Calling it again does nothing.
   */
  async stop(options: { readonly graceMs?: number } = {}): Promise<void> {
    if (this.#stopped) return;

    this.#stopped = true;
    clearInterval(this.#discovery);
    const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    try {
      await Promise.all([this.#workers?.stop(graceMs), this.#cron?.stop(graceMs)]);
      await Promise.all([...this.#producers.values()].map((queue) => queue.close()));
    } finally {
      await this.#connection.close();
    }
  }

  /** The queues this process works now. */
  get workedQueues(): readonly string[] {
    return this.#workers?.queues ?? [];
  }

  /** The tasks of `queue` by state, for tests, health checks and tools. */
  async counts(queue: string = DEFAULT_QUEUE): Promise<BullmqTaskCounts> {
    const { client } = await this.#shared;
    const counts = await this.#producer(client, checkQueueName(queue, undefined)).getJobCounts(
      "waiting",
      "prioritized",
      "active",
      "delayed",
      "failed",
    );

    return {
      waiting: (counts["waiting"] ?? 0) + (counts["prioritized"] ?? 0),
      active: counts["active"] ?? 0,
      delayed: counts["delayed"] ?? 0,
      failed: counts["failed"] ?? 0,
    };
  }

  #producer(client: RedisClient, queue: string): Queue<TaskJobData, unknown, TaskRoute> {
    let producer = this.#producers.get(queue);
    if (producer === undefined) {
      producer = new Queue<TaskJobData, unknown, TaskRoute>(queue, {
        connection: client,
        prefix: this.#ctx.prefix,
      });
      // The shared connection's errors are logged once, by its own listener; without one
      // here BullMQ would print each again to the console.
      producer.on("error", (error) => {
        this.#ctx.logger.debug(`[queue ${queue}] ${describeError(error)}`);
      });
      this.#producers.set(queue, producer);
    }
    return producer;
  }

  /** `"default"` and every queue recorded on this prefix. */
  async #knownQueues(): Promise<string[]> {
    const recorded = await (await this.#shared).registry.list();
    return [...new Set([DEFAULT_QUEUE, ...recorded])];
  }

  async #discover(): Promise<void> {
    try {
      for (const queue of await this.#knownQueues()) this.#workers?.work(queue);
    } catch (error) {
      this.#ctx.logger.warn(`Looking for new queues failed: ${describeError(error)}`);
    }
  }

  #nextJobId(): string {
    // Never an integer and never with a colon: BullMQ refuses both as custom ids.
    return `${this.#ctx.instanceId}.${(++this.#jobCount).toString(36)}`;
  }
}

function checkTask(task: QueuedTask, cronQueue: string): void {
  if (!ROUTES.includes(task.route)) {
    throw new TypeError(`Unknown task route "${String(task.route)}"; expected one of ${ROUTES}`);
  }
  checkQueueName(task.queue, cronQueue);
  if (task.notBefore !== undefined && !Number.isFinite(task.notBefore)) {
    throw new RangeError(`notBefore must be a time in milliseconds, but got ${task.notBefore}`);
  }
  if (
    task.maxRetries !== undefined &&
    (!Number.isSafeInteger(task.maxRetries) || task.maxRetries < 0)
  ) {
    throw new RangeError(
      `maxRetries must be a whole number, 0 or more, but got ${task.maxRetries}`,
    );
  }
}
