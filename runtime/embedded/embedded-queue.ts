/**
 * The embedded transport: tasks wait in a SQLite file and run in a worker pool in this process.
 * It needs no server and keeps tasks across restarts and crashes; several processes may share
 * one file, and each task is then delivered to one of them at a time.
 */
import type {
  DeliveryHandler,
  EnqueueResult,
  QueuedTask,
  TaskRoute,
  Transport,
} from "../transport.js";

import {
  resolveOptions,
  type EmbeddedQueueContext,
  type EmbeddedQueueOptions,
} from "./embedded-queue-options.js";
import { openTaskDatabase, type TaskDatabase } from "./task-database.js";
import { TaskStore, type FailedTask, type TaskCounts } from "./task-store.js";
import { WorkerPool } from "./worker-pool.js";

const ROUTES: readonly TaskRoute[] = ["deferred", "queryIter"];

/** Used when `stop()` is called without `graceMs`. */
const DEFAULT_GRACE_MS = 10_000;

interface PendingEnqueue {
  readonly task: QueuedTask;
  readonly resolve: (result: EnqueueResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Opens (creating when missing) the queue in the SQLite file `options.path`. Tasks can be
 * enqueued at once; they run after {@link EmbeddedQueue.start}.
 *
 * `path: ":memory:"` runs the same code on an in-memory database, for unit tests: nothing is
 * kept, and only this instance sees the tasks.
 *
 * @example
 * const queue = openEmbeddedQueue({ path: "var/tasks.sqlite", concurrency: 20 });
 * await queue.start(handleDelivery);
 * process.on("SIGTERM", () => void queue.stop({ graceMs: 10_000 }));
 */
export function openEmbeddedQueue(options: EmbeddedQueueOptions): EmbeddedQueue {
  const context = resolveOptions(options);

  return new EmbeddedQueue(context, openTaskDatabase(context));
}

/** The embedded transport; see {@link openEmbeddedQueue}. */
export class EmbeddedQueue implements Transport {
  readonly #context: EmbeddedQueueContext;
  readonly #db: TaskDatabase;
  readonly #store: TaskStore;
  #pool: WorkerPool | undefined;
  #pending: PendingEnqueue[] = [];
  #closed = false;

  /** @internal Use {@link openEmbeddedQueue}. */
  constructor(context: EmbeddedQueueContext, db: TaskDatabase) {
    this.#context = context;
    this.#db = db;
    this.#store = new TaskStore(context, db);
  }

  /**
   * Stores a task. The promise resolves once the task is committed, so it survives this process
   * being killed right after (see `synchronous` for power loss). Enqueues made in the same tick
   * share one transaction.
   */
  enqueue(task: QueuedTask): Promise<EnqueueResult> {
    if (this.#closed) return Promise.reject(new Error("The embedded queue is stopped"));
    try {
      checkTask(task);
    } catch (error) {
      return Promise.reject(error);
    }

    return new Promise((resolve, reject) => {
      this.#pending.push({ task, resolve, reject });
      if (this.#pending.length === 1) queueMicrotask(() => this.#flushEnqueues());
    });
  }

  /** Starts delivering due tasks to `handler`, at most `concurrency` at once. */
  async start(handler: DeliveryHandler): Promise<void> {
    if (this.#closed) throw new Error("The embedded queue is stopped");
    if (this.#pool !== undefined) throw new Error("The embedded queue is started already");

    this.#pool = new WorkerPool(this.#context, this.#store, handler);
    this.#pool.wake();
  }

  /**
   * Stops claiming tasks, waits up to `graceMs` (default 10 s) for running deliveries, gives
   * back the leases of those still running, so they run again soon after a restart instead of
   * when the lease ends, and closes the database. Calling it again does nothing.
   */
  async stop(options: { readonly graceMs?: number } = {}): Promise<void> {
    if (this.#closed) return;

    this.#flushEnqueues();
    this.#closed = true;
    try {
      await this.#pool?.stop(options.graceMs ?? DEFAULT_GRACE_MS);
    } finally {
      this.#db.close();
    }
  }

  /** Tasks by state, for tests, health checks and the CLI. */
  counts(): TaskCounts {
    return this.#store.counts();
  }

  /** Permanently failed tasks with their last error, oldest first. */
  listFailed(options: { readonly limit?: number } = {}): FailedTask[] {
    return this.#store.listFailed(options.limit ?? 100);
  }

  /** Deletes the permanently failed tasks, freeing their names; returns how many. */
  purgeFailed(): number {
    return this.#store.purgeFailed();
  }

  #flushEnqueues(): void {
    const batch = this.#pending;
    if (batch.length === 0) return;

    this.#pending = [];
    try {
      const results = this.#store.insert(batch.map((pending) => pending.task));
      batch.forEach((pending, index) => pending.resolve(results[index] as EnqueueResult));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }

    // Work exists now: wake this process's workers instead of waiting for the next poll.
    this.#pool?.wake();
  }
}

function checkTask(task: QueuedTask): void {
  if (!ROUTES.includes(task.route)) {
    throw new TypeError(`Unknown task route "${String(task.route)}"; expected one of ${ROUTES}`);
  }
  if (typeof task.queue !== "string" || task.queue === "") {
    throw new TypeError("A task needs a queue name");
  }
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
