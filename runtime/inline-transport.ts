import { describeError } from "./describe-error.js";
import type {
  Delivery,
  DeliveryHandler,
  DeliveryOutcome,
  EnqueueResult,
  QueuedTask,
  Transport,
} from "./transport.js";

export interface InlineTransportOptions {
  /** Retries after the first delivery, for tasks that do not set `maxRetries`. Default 3. */
  readonly maxRetries?: number;
  /**
   * Whether a started transport runs tasks by itself, right after the code that queued them,
   * as a development server would. Off, only `drain()` runs them, as unit tests want. Default on.
   */
  readonly autoRun?: boolean;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** A task that failed for good, for tests to look at. */
export interface InlineFailure {
  readonly task: QueuedTask;
  readonly attempts: number;
  readonly reason: string;
}

interface Pending {
  readonly id: string;
  readonly task: QueuedTask;
  attempt: number;
}

/**
 * A transport in this process's memory, with nothing durable: for unit tests and development.
 * Tasks still go through the whole path (encoded, signed, decoded, validated, run), one at a
 * time in the order they were queued, so code behaves as it will on a real queue; names are
 * de-duplicated while a task of that name waits or runs. A failed task is queued again at the
 * end, at once, until its retries are used up.
 *
 * @example
 * const transport = new InlineTransport({ autoRun: false });
 * const runtime = createRuntime({ table: dispatchTable, instances, transport, secret });
 * await runtime.start();
 * await orders.sendConfirmation(order);
 * await transport.drain(); // runs it, and whatever it queued
 */
export class InlineTransport implements Transport {
  /** Tasks that failed for good, oldest first. */
  readonly failed: InlineFailure[] = [];
  readonly #maxRetries: number;
  readonly #autoRun: boolean;
  readonly #now: () => number;
  #pending: Pending[] = [];
  readonly #names = new Set<string>();
  #handler: DeliveryHandler | undefined;
  #draining: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #nextId = 0;

  constructor(options: InlineTransportOptions = {}) {
    this.#maxRetries = options.maxRetries ?? 3;
    this.#autoRun = options.autoRun ?? true;
    this.#now = options.now ?? Date.now;
  }

  async enqueue(task: QueuedTask): Promise<EnqueueResult> {
    if (task.name !== undefined) {
      if (this.#names.has(task.name)) return { queued: false, reason: "duplicate" };
      this.#names.add(task.name);
    }
    const id = String(++this.#nextId);
    this.#pending.push({ id, task, attempt: 0 });
    this.#schedule();
    return { queued: true, id };
  }

  async start(handler: DeliveryHandler): Promise<void> {
    this.#handler = handler;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#handler = undefined;
    clearTimeout(this.#timer);
    await this.#draining;
  }

  /** Tasks waiting, due or not. */
  get size(): number {
    return this.#pending.length;
  }

  /**
   * Runs every due task, and those they queue, until none is due. With `{ all: true }` tasks
   * that are not due yet run too, as if their time had come.
   */
  async drain(options: { readonly all?: boolean } = {}): Promise<void> {
    // One drain at a time: tasks run one after another, as a single worker would run them.
    while (this.#draining) await this.#draining;
    this.#draining = this.#run(options.all ?? false);
    try {
      await this.#draining;
    } finally {
      this.#draining = undefined;
    }
  }

  async #run(all: boolean): Promise<void> {
    const handler = this.#handler;
    if (!handler)
      throw new Error("The inline transport has not been started: call runtime.start()");
    for (;;) {
      const now = this.#now();
      const index = this.#pending.findIndex((p) => all || (p.task.notBefore ?? 0) <= now);
      if (index === -1) return;
      const [pending] = this.#pending.splice(index, 1) as [Pending];
      const outcome = await deliver(handler, pending);
      this.#settle(pending, outcome);
    }
  }

  #settle(pending: Pending, outcome: DeliveryOutcome): void {
    const { task } = pending;
    if (outcome.status === "retry" && pending.attempt < (task.maxRetries ?? this.#maxRetries)) {
      pending.attempt++;
      this.#pending.push(pending);
      return;
    }
    if (task.name !== undefined) this.#names.delete(task.name);
    if (outcome.status === "retry" || outcome.status === "failed") {
      this.failed.push({ task, attempts: pending.attempt + 1, reason: outcome.reason });
    }
  }

  /** With auto-run, runs what is due after the current turn, and wakes for what is delayed. */
  #schedule(): void {
    if (!this.#autoRun || !this.#handler) return;
    clearTimeout(this.#timer);
    const due = Math.min(...this.#pending.map((p) => p.task.notBefore ?? 0));
    if (!Number.isFinite(due)) return;
    const wait = Math.max(0, due - this.#now());
    this.#timer = setTimeout(() => {
      this.drain().then(
        () => this.#schedule(),
        () => undefined,
      );
    }, wait);
    // Waiting for a delayed task alone must not keep the process running.
    if (wait > 0) this.#timer.unref();
  }
}

async function deliver(handler: DeliveryHandler, pending: Pending): Promise<DeliveryOutcome> {
  const { task } = pending;
  const delivery: Delivery = {
    id: pending.id,
    route: task.route,
    body: task.body,
    signature: task.signature,
    queue: task.queue,
    attempt: pending.attempt,
    ...(task.name !== undefined && { name: task.name }),
  };
  try {
    return await handler(delivery);
  } catch (error) {
    return { status: "retry", reason: describeError(error) };
  }
}
