import type { TaskTransaction } from "./transaction.js";

/**
 * Options a declaration gives to its task. taskgen reads them at build time from the source, so
 * they must be literal values there; the run-time side only records them (see
 * `declaredTaskOptions`).
 */

/**
 * A length of time. A number counts seconds; a string names its unit: `s` seconds, `m` minutes,
 * `h` hours, `d` days.
 *
 * @example
 * const everyFiveMinutes: Duration = "5m"; // the same as 300
 */
export type Duration = number | `${number}s` | `${number}m` | `${number}h` | `${number}d`;

/** Options of `@callDeferred({...})` and `defineDeferred(fn, {...})`. */
export interface DeferredOptions {
  /** The task id queued payloads name; taskgen derives one from the declaration when absent. */
  readonly id?: string;
  /** The queue deferred calls go to unless a call names another; absent means the default queue. */
  readonly queue?: string;
  /** Retries after the first attempt; absent leaves it to the transport's policy. */
  readonly retries?: number;
  /** The App Engine version calls are routed to unless a call names another. */
  readonly targetVersion?: string;
  /** Permits `any` and `unknown` parameters, which payload validation checks only loosely. */
  readonly allowUnknown?: boolean;
}

/** Options of `@PeriodicTask({...})` and `definePeriodic({...}, fn)`. */
export interface PeriodicOptions {
  /** The least time between two runs; `0` runs the task on every tick of its cron group. */
  readonly interval: Duration;
  /** The cron group whose `cron.yaml` entry ticks the task; absent means `"default"`. */
  readonly cronName?: string;
  /** The task id; taskgen derives one from the declaration when absent. */
  readonly id?: string;
}

/** Options of `@StartupTask({...})` and `defineStartup(fn, {...})`. */
export interface StartupOptions {
  /** The task id; taskgen derives one from the declaration when absent. */
  readonly id?: string;
}

/** Options of `@CallableTask({...})`. */
export interface CallableOptions {
  /** The task id users start the task by; taskgen derives one from the class when absent. */
  readonly id?: string;
}

/**
 * Options of one deferred call, given to a generated stub. `delaySeconds` and `eta` exclude each
 * other.
 */
export interface CallOptions {
  /** Seconds to wait before the task runs. */
  readonly delaySeconds?: number;
  /** The earliest time the task runs. */
  readonly eta?: Date;
  /** A task name for de-duplication: the transport refuses a second task of the same name. */
  readonly name?: string;
  /** The queue for this call, instead of the task's own. */
  readonly queue?: string;
  /** The App Engine version the task is routed to, where the transport supports it. */
  readonly targetVersion?: string;
  /**
   * The app's database transaction the call belongs to: the task runs only if it commits.
   * Needs the runtime's `transactionMarkers`.
   */
  readonly transaction?: TaskTransaction;
}
