/**
 * The workers of the embedded queue: a pool of at most `concurrency` deliveries in this process.
 * One loop claims tasks and writes outcomes; it runs whenever something may have changed (an
 * enqueue here, a delivery finishing) and otherwise every `pollMs`, for tasks that other
 * processes enqueued or that became due. While deliveries run, their leases are renewed, so a
 * task that takes longer than `leaseMs` is not delivered a second time while it still runs.
 */
import { describeError } from "../describe-error.js";
import { renewalIntervalMs } from "../lease-renewal.js";
import type { Delivery, DeliveryHandler, DeliveryOutcome } from "../transport.js";

import type { EmbeddedQueueContext } from "./embedded-queue-options.js";
import type { ClaimedTask, Settlement, TaskStore } from "./task-store.js";

const OUTCOME_STATUSES = new Set<unknown>(["done", "dropped", "failed", "retry"]);

/** How often idle workers drop the tombstones of expired dedup windows. */
const PURGE_INTERVAL_MS = 60_000;

export class WorkerPool {
  readonly #context: EmbeddedQueueContext;
  readonly #store: TaskStore;
  readonly #handler: DeliveryHandler;

  /** Deliveries running now, by lease; the value settles when the handler does. */
  readonly #running = new Map<ClaimedTask, Promise<void>>();
  readonly #runningByQueue = new Map<string, number>();
  #settlements: Settlement[] = [];
  /** Running deliveries whose lease another worker took over; they are not renewed again. */
  readonly #lost = new WeakSet<ClaimedTask>();
  readonly #renewTimer: NodeJS.Timeout;

  #wakePending = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Set once the outcomes were written at stop; later ones have nowhere to go. */
  #released = false;
  #lastPurge = 0;

  constructor(context: EmbeddedQueueContext, store: TaskStore, handler: DeliveryHandler) {
    this.#context = context;
    this.#store = store;
    this.#handler = handler;
    this.#renewTimer = setInterval(() => this.#renewLeases(), renewalIntervalMs(context.leaseMs));
    // The poll timer keeps a started queue's process alive; this one need not.
    this.#renewTimer.unref();
  }

  /** Runs the loop soon. Calls in the same tick share one run. */
  wake(): void {
    if (this.#stopped || this.#wakePending) return;

    this.#wakePending = true;
    setImmediate(() => this.#cycle());
  }

  /**
   * Stops claiming, waits up to `graceMs` for running deliveries, writes the outcomes that
   * arrived and releases the leases of the rest so that they run again soon after a restart.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#pollTimer);

    await settledWithin([...this.#running.values()], graceMs);
    clearInterval(this.#renewTimer);

    const unfinished = [...this.#running.keys()];
    this.#released = true;
    this.#store.settleAndRelease(this.#takeSettlements(), unfinished);
    if (unfinished.length > 0) {
      this.#context.logger.warn(
        `Released ${unfinished.length} unfinished deliveries after the ${graceMs} ms grace period`,
      );
    }
  }

  #cycle(): void {
    this.#wakePending = false;
    clearTimeout(this.#pollTimer);
    if (this.#stopped) return;

    const wanted = Math.min(
      this.#context.concurrency - this.#running.size,
      this.#context.claimBatch,
    );
    if (wanted === 0 && this.#settlements.length === 0) return;

    const settlements = this.#takeSettlements();
    let claimed: ClaimedTask[];

    try {
      claimed = this.#store.settleAndClaim(settlements, this.#claimRequest(wanted));
    } catch (error) {
      // Most likely another process held the write lock past busy_timeout: keep the outcomes
      // and try again at the next poll instead of losing them or crashing the application.
      this.#settlements.unshift(...settlements);
      this.#context.logger.error(`Claiming tasks failed: ${describeError(error)}`);
      this.#schedulePoll();
      return;
    }

    for (const task of claimed) this.#start(task);

    // Fewer due than free workers: sleep until the next poll. Otherwise only the batch size
    // stopped the claim, so claim again at once; a full pool is woken by finishing deliveries.
    if (claimed.length < wanted) this.#idle();
    else if (this.#running.size < this.#context.concurrency) this.wake();
  }

  #renewLeases(): void {
    const held = [...this.#running.keys()].filter((task) => !this.#lost.has(task));
    if (held.length === 0) return;

    let lost: ClaimedTask[];
    try {
      lost = this.#store.renewLeases(held);
    } catch (error) {
      // The lease still has two renewals' time left: try again at the next one.
      this.#context.logger.warn(`Renewing leases failed: ${describeError(error)}`);
      return;
    }
    for (const task of lost) {
      this.#lost.add(task);
      this.#context.logger.warn(
        `[task ${task.id}] Its lease ran out while it was running and another worker took it ` +
          `over; this delivery's outcome will not be recorded`,
      );
    }
  }

  #idle(): void {
    const now = this.#context.now();

    if (now - this.#lastPurge >= PURGE_INTERVAL_MS) {
      this.#lastPurge = now;
      this.#purgeTombstones();
    }
    this.#schedulePoll();
  }

  #schedulePoll(): void {
    // Not unref'd: like a BullMQ worker, a started queue keeps its process alive until stop().
    this.#pollTimer = setTimeout(() => this.wake(), this.#context.pollMs);
  }

  #claimRequest(count: number) {
    const limits = this.#context.queueLimits;
    const pending = new Map<string, number>();
    const skipQueues = [...limits].filter(([queue, limit]) => this.#runningIn(queue) >= limit);

    const admit = (queue: string): boolean => {
      const limit = limits.get(queue);
      if (limit === undefined) return true;

      const claimed = pending.get(queue) ?? 0;
      if (this.#runningIn(queue) + claimed >= limit) return false;
      pending.set(queue, claimed + 1);
      return true;
    };

    return { count, skipQueues: skipQueues.map(([queue]) => queue), admit };
  }

  #start(task: ClaimedTask): void {
    this.#runningByQueue.set(task.queue, this.#runningIn(task.queue) + 1);
    this.#running.set(task, this.#deliver(task));
  }

  async #deliver(task: ClaimedTask): Promise<void> {
    const outcome = await this.#runHandler(task);

    this.#running.delete(task);
    this.#runningByQueue.set(task.queue, this.#runningIn(task.queue) - 1);
    if (this.#released) {
      // The lease was given back at stop and the task will run again: drop this outcome.
      this.#context.logger.debug(`[task ${task.id}] Finished after stop; it will run again`);
      return;
    }

    this.#settlements.push({ task, outcome });
    this.wake();
  }

  async #runHandler(task: ClaimedTask): Promise<DeliveryOutcome> {
    try {
      const outcome = await this.#handler(toDelivery(task));
      if (OUTCOME_STATUSES.has(outcome?.status)) return outcome;

      // Without this the task would sit leased until the lease ran out.
      return { status: "retry", reason: `The handler returned no outcome: ${String(outcome)}` };
    } catch (error) {
      // A handler that throws did not decide: treat it as a failure worth retrying.
      const reason = describeError(error);
      this.#context.logger.warn(`[task ${task.id}] Delivery threw, will retry: ${reason}`);
      return { status: "retry", reason };
    }
  }

  #takeSettlements(): Settlement[] {
    const settlements = this.#settlements;

    this.#settlements = [];
    return settlements;
  }

  #runningIn(queue: string): number {
    return this.#runningByQueue.get(queue) ?? 0;
  }

  #purgeTombstones(): void {
    try {
      const purged = this.#store.purgeTombstones();
      if (purged > 0) this.#context.logger.debug(`Dropped ${purged} expired task names`);
    } catch (error) {
      this.#context.logger.warn(`Dropping expired task names failed: ${describeError(error)}`);
    }
  }
}

function toDelivery(task: ClaimedTask): Delivery {
  return {
    id: String(task.id),
    route: task.route,
    body: task.body,
    signature: task.signature,
    queue: task.queue,
    ...(task.name === null ? {} : { name: task.name }),
    attempt: task.attempt,
  };
}

/** Waits for every promise to settle, or for `ms` to pass, whichever comes first. */
async function settledWithin(promises: readonly Promise<void>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });

  await Promise.race([Promise.allSettled(promises), timeout]);
  clearTimeout(timer);
}
