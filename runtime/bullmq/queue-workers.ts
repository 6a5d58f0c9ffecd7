/**
 * This process's BullMQ workers, one per queue it works. Each calls the delivery handler
 * directly and turns its outcome into BullMQ's terms: `done` and `dropped` complete the job,
 * `retry` fails the attempt so BullMQ retries it within `attempts`, `failed` fails it for good
 * with an `UnrecoverableError`.
 */
import { UnrecoverableError, Worker } from "bullmq";

import { describeError } from "../describe-error.js";
import { retryDelayMs } from "../embedded/retry-backoff.js";
import type { DeliveryHandler, DeliveryOutcome } from "../transport.js";

import type { BullmqTransportContext } from "./bullmq-transport-options.js";
import type { NameWindow } from "./name-window.js";
import { deliveryOf, type TaskJob, type TaskJobData } from "./task-job.js";

const OUTCOME_STATUSES = new Set<unknown>(["done", "dropped", "failed", "retry"]);

/** A delivery running now, and how to let its job go when the grace period ends. */
interface Running {
  readonly job: TaskJob;
  readonly token: string | undefined;
  /** Settles the processor, once the job is waiting again. */
  readonly release: () => void;
  released: boolean;
}

export class QueueWorkers {
  readonly #ctx: BullmqTransportContext;
  readonly #handler: DeliveryHandler;
  readonly #names: NameWindow;
  readonly #workers = new Map<string, Worker<TaskJobData, unknown, string>>();
  readonly #running = new Set<Running>();
  #stopping = false;

  constructor(ctx: BullmqTransportContext, handler: DeliveryHandler, names: NameWindow) {
    this.#ctx = ctx;
    this.#handler = handler;
    this.#names = names;
  }

  /** Starts working `queue`, unless this process works it already or is stopping. */
  work(queue: string): void {
    if (this.#stopping || this.#workers.has(queue)) return;

    const worker = new Worker<TaskJobData, unknown, string>(
      queue,
      (job, token) => this.#process(job as TaskJob, token),
      {
        connection: this.#ctx.connection,
        prefix: this.#ctx.prefix,
        concurrency: this.#ctx.queueConcurrency.get(queue) ?? this.#ctx.concurrency,
        // Kept here rather than on each job: smaller jobs, less to store and read back.
        removeOnComplete: { count: 0 },
        removeOnFail: { count: this.#ctx.keepFailed },
        settings: {
          // BullMQ counts the failed attempt before asking: 1 after the first failure.
          backoffStrategy: (attemptsMade) =>
            retryDelayMs(this.#ctx.backoff, attemptsMade - 1, Math.random),
        },
      },
    );
    worker.on("error", (error) => this.#reportError(queue, error));
    this.#workers.set(queue, worker);
    this.#ctx.logger.debug(`Working the queue ${queue}`);
  }

  /** Resolves once every worker started so far is connected. */
  async ready(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((worker) => worker.waitUntilReady()));
  }

  /** The queues worked, in the order they were started. */
  get queues(): string[] {
    return [...this.#workers.keys()];
  }

  /**
   * Stops fetching jobs and waits up to `graceMs` for running deliveries. Jobs still running
   * then go back to waiting, without counting as an attempt, so another worker runs them soon
   * rather than when their lock runs out; the late outcome of this process is dropped.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    const closing = [...this.#workers.values()].map((worker) => worker.close());

    if (!(await settledWithin(closing, graceMs))) {
      const unfinished = [...this.#running];
      await Promise.all(unfinished.map((running) => this.#release(running)));
      this.#ctx.logger.warn(
        `Released ${unfinished.length} unfinished deliveries after the ${graceMs} ms grace period`,
      );
    }
    await Promise.allSettled(closing);
  }

  /**
   * The processor: settles when the delivery does, or at once when the job is released at
   * stop; the job is then waiting again, and belongs to whoever takes it next.
   */
  #process(job: TaskJob, token: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const running: Running = { job, token, release: resolve, released: false };

      this.#running.add(running);
      this.#deliver(job, running).then(resolve, reject);
    });
  }

  /** Runs the handler and answers BullMQ: a return completes the job, a throw fails it. */
  async #deliver(job: TaskJob, running: Running): Promise<void> {
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.#runHandler(job);
    } finally {
      this.#running.delete(running);
    }
    // Released at stop: the job and its name belong to the worker that takes it next.
    if (running.released) return;

    const name = job.data.name;
    if (name !== undefined && isLastDelivery(job, outcome)) await this.#holdName(job, name);

    switch (outcome.status) {
      case "done":
      case "dropped":
        return;
      case "failed":
        throw new UnrecoverableError(outcome.reason);
      case "retry":
        throw new Error(outcome.reason);
    }
  }

  async #runHandler(job: TaskJob): Promise<DeliveryOutcome> {
    try {
      const outcome = await this.#handler(deliveryOf(job));
      if (OUTCOME_STATUSES.has(outcome?.status)) return outcome;

      return { status: "retry", reason: `The handler returned no outcome: ${String(outcome)}` };
    } catch (error) {
      // A handler that throws did not decide: treat it as a failure worth retrying.
      const reason = describeError(error);
      this.#ctx.logger.warn(`[task ${job.id}] Delivery threw, will retry: ${reason}`);
      return { status: "retry", reason };
    }
  }

  async #holdName(job: TaskJob, name: string): Promise<void> {
    try {
      await this.#names.hold(job.queueName, name, job.id as string);
    } catch (error) {
      // The task still counts as done; only its name is free sooner than the window says.
      this.#ctx.logger.warn(`[task ${job.id}] Could not keep its name: ${describeError(error)}`);
    }
  }

  async #release(running: Running): Promise<void> {
    running.released = true;
    try {
      await running.job.moveToWait(running.token);
    } catch (error) {
      // It finished meanwhile, or its lock is gone and BullMQ's stalled-job check brings it back.
      this.#ctx.logger.warn(`[task ${running.job.id}] Could not release: ${describeError(error)}`);
    }
    running.release();
  }

  #reportError(queue: string, error: Error): void {
    // Released jobs fail to complete once their lock is gone: expected while stopping.
    const message = `[queue ${queue}] ${describeError(error)}`;
    if (this.#stopping) this.#ctx.logger.debug(message);
    else this.#ctx.logger.error(message);
  }
}

/** Whether the job ends with this outcome: it is not retried. */
function isLastDelivery(job: TaskJob, outcome: DeliveryOutcome): boolean {
  return outcome.status !== "retry" || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** Whether every promise settled within `ms`. */
async function settledWithin(promises: readonly Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = Promise.allSettled(promises).then(() => true);

  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
