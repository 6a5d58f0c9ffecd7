/**
 * Transports: where tasks wait until they run. The runtime encodes and signs each task; a
 * transport stores the bytes, delivers them when due, and applies the retry policy to the
 * outcome. Terms: a **delivery** is one attempt to run a queued task; `attempt` counts earlier
 * failed deliveries (0 on the first), as Cloud Tasks' retry count does.
 */

/** The endpoint a task is delivered to, as in the `/_tasks/<route>` paths. */
export type TaskRoute = "deferred" | "queryIter";

/** A task handed to a transport. */
export interface QueuedTask {
  readonly route: TaskRoute;
  /** The encoded envelope. Opaque to the transport. */
  readonly body: string;
  /** HMAC of the body, delivered with it and checked before the task runs. */
  readonly signature: string;
  readonly queue: string;
  /** A dedup name: while a task of this name is known to the transport, another is refused. */
  readonly name?: string;
  /** Not delivered before this time, in milliseconds since the epoch. */
  readonly notBefore?: number;
  /** Retries after the first delivery; undefined means the transport's default. */
  readonly maxRetries?: number;
  /** The app version to deliver to, for transports that route by version (Cloud Tasks). */
  readonly targetVersion?: string;
}

export type EnqueueResult =
  | { readonly queued: true; readonly id: string }
  | { readonly queued: false; readonly reason: "duplicate" };

/** One delivery of a queued task. */
export interface Delivery {
  readonly id: string;
  readonly route: TaskRoute;
  readonly body: string;
  readonly signature: string;
  readonly queue: string;
  readonly name?: string;
  /** Earlier failed deliveries of this task: 0 on the first. */
  readonly attempt: number;
}

/**
 * What became of a delivery. `done`: ran, or was deliberately dropped, or failed permanently;
 * the transport forgets it (keeping permanent failures for inspection where it can). `retry`:
 * deliver again later, within the retry policy.
 */
export type DeliveryOutcome =
  | { readonly status: "done" }
  /** Deliberately not run (a transactional call whose transaction was rolled back): not retried. */
  | { readonly status: "dropped"; readonly reason: string }
  | { readonly status: "failed"; readonly reason: string }
  | { readonly status: "retry"; readonly reason: string };

export type DeliveryHandler = (delivery: Delivery) => Promise<DeliveryOutcome>;

/** A cron group and how often it ticks, as `cron.yaml` gives it. */
export interface CronSchedule {
  readonly group: string;
  readonly everyMs: number;
}

/** What a transport that schedules cron ticks itself (BullMQ's job schedulers) needs. */
export interface TransportHooks {
  readonly cronSchedules: readonly CronSchedule[];
  /** Runs the due periodic tasks of a group, as a cron request does. */
  runCron(group: string): Promise<unknown>;
}

export interface Transport {
  enqueue(task: QueuedTask): Promise<EnqueueResult>;
  /**
   * Starts delivering due tasks to `handler`. `hooks` are for transports that drive cron
   * groups themselves; the others ignore them.
   */
  start(handler: DeliveryHandler, hooks?: TransportHooks): Promise<void>;
  /** Stops taking new deliveries and waits for running ones, at most `graceMs`. */
  stop(options?: { readonly graceMs?: number }): Promise<void>;
}
