import type {
  Delivery,
  DeliveryHandler,
  DeliveryOutcome,
  EnqueueResult,
  QueuedTask,
  Transport,
} from "../../runtime/transport.js";

/**
 * A transport for runtime unit tests: it keeps queued tasks in a list and delivers them only
 * when the test says so, in order, retrying as the task's `maxRetries` allows. Time and
 * durability are the embedded queue's tests' concern, not these.
 */
export class CaptureTransport implements Transport {
  readonly queued: QueuedTask[] = [];
  readonly outcomes: { task: QueuedTask; attempt: number; outcome: DeliveryOutcome }[] = [];
  #handler: DeliveryHandler | undefined;
  #next = 0;

  async enqueue(task: QueuedTask): Promise<EnqueueResult> {
    if (task.name !== undefined && this.queued.some((t) => t.name === task.name)) {
      return { queued: false, reason: "duplicate" };
    }
    this.queued.push(task);
    return { queued: true, id: String(this.queued.length) };
  }

  async start(handler: DeliveryHandler): Promise<void> {
    this.#handler = handler;
  }

  async stop(): Promise<void> {
    this.#handler = undefined;
  }

  /**
   * Delivers every task queued so far or while delivering, retrying failures at once, to the
   * handler the runtime started the transport with, or to `runtime` when it was not started.
   */
  async deliverAll(runtime?: { deliver: DeliveryHandler }): Promise<void> {
    const handler = this.#handler ?? runtime?.deliver.bind(runtime);
    if (!handler) throw new Error("The runtime has not started the transport");
    while (this.#next < this.queued.length) {
      const task = this.queued[this.#next++]!;
      for (let attempt = 0; ; attempt++) {
        const outcome = await handler(this.#delivery(task, attempt));
        this.outcomes.push({ task, attempt, outcome });
        if (outcome.status !== "retry" || attempt >= (task.maxRetries ?? 3)) break;
      }
    }
  }

  #delivery(task: QueuedTask, attempt: number): Delivery {
    const delivery = {
      id: `${this.queued.indexOf(task) + 1}`,
      route: task.route,
      body: task.body,
      signature: task.signature,
      queue: task.queue,
      attempt,
    };
    return task.name !== undefined ? { ...delivery, name: task.name } : delivery;
  }
}
