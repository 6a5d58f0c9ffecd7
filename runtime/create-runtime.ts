import { executeCallable, listCallable, type CallableOutcome } from "./callable-runner.js";
import { encodeEnvelope } from "./codec/encode-envelope.js";
import type { TaskEnvironment } from "./codec/envelope.js";
import { sign } from "./codec/signature.js";
import { setDeferredCallSink, type DeferredCallSink } from "./deferred-call.js";
import { deliverTask } from "./deliver-task.js";
import { entryModule, type DispatchEntry } from "./dispatch-table.js";
import { cronSchedules } from "./cron-ticker.js";
import { captureEnvironment } from "./environment.js";
import type { IterQuery } from "./query/iter-query.js";
import type { IterProgress, IterRun } from "./query/iter-run.js";
import { stepName } from "./query/iter-run.js";
import { iterProgress, resumeIter, startIter } from "./query/iter-runner.js";
import { runCronGroup, type CronReport } from "./periodic-runner.js";
import {
  resolveRuntimeOptions,
  type RuntimeContext,
  type RuntimeOptions,
} from "./runtime-options.js";
import type { CallOptions } from "./task-options.js";
import type { TaskUser } from "./task-user.js";
import { MARKER_META, QUEUED_AT_META } from "./transaction.js";
import type { Delivery, DeliveryOutcome, QueuedTask, TaskRoute } from "./transport.js";

/**
 * The runtime of an app's tasks: it queues deferred calls through its transport, runs what the
 * transport delivers through the generated dispatch table, ticks cron groups, and lists and
 * runs callable tasks. Create one with {@link createRuntime}.
 */
export class Runtime<Instances> implements DeferredCallSink {
  readonly #ctx: RuntimeContext<Instances>;
  /** Maps deferred functions and iterator classes to their task ids, built on first use. */
  #targets: Promise<Map<unknown, string>> | undefined;
  /** One id per process start, so startup tasks are queued once per start. */
  readonly #startId = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  #markerCount = 0;

  constructor(options: RuntimeOptions<Instances>) {
    this.#ctx = resolveRuntimeOptions(options);
  }

  /** The resolved options, for the handler. */
  get context(): RuntimeContext<Instances> {
    return this.#ctx;
  }

  /**
   * Queues a deferred task by id with its arguments, as the generated stubs do. Arguments that
   * do not match the task's types are refused here, before anything is queued.
   */
  async enqueue(id: string, args: readonly unknown[], options?: CallOptions): Promise<void> {
    const entry = this.#checkedEntry(id, args);
    await this.#queue("deferred", id, args, entry, options, this.#writeMarker(options));
  }

  /** Queues a call of a deferred method or function: the decorators' path into the queue. */
  async enqueueCall(
    target: Function,
    args: readonly unknown[],
    options: CallOptions | undefined,
  ): Promise<void> {
    // Before the first await: the caller's transaction may be a synchronous one.
    const marker = this.#writeMarker(options);
    const id = (await this.#targetIds()).get(target);
    if (id === undefined) {
      throw new TypeError(
        `${target.name || "This function"} is a deferred task the dispatch table does not know: ` +
          "run `taskgen generate` again",
      );
    }
    await this.#queue("deferred", id, args, this.#checkedEntry(id, args), options, marker);
  }

  /** Runs one delivery from the transport. */
  deliver(delivery: Delivery): Promise<DeliveryOutcome> {
    return deliverTask(this.#ctx, delivery, this.#queueStep);
  }

  /**
   * Starts a run of the query iterator `id` over `query` and returns its run id once the first
   * step is queued; `Iterator.startIterOnQuery(query, customData)` does the same. A query that
   * cannot be walked by cursor is refused here, with the reason.
   */
  startIter(id: string, query: IterQuery, customData?: unknown): Promise<string> {
    return startIter(this.#ctx, this.#queueStep, id, query, customData);
  }

  /** The progress of a query iterator's run, or undefined for an unknown run. */
  iterProgress(run: string): Promise<IterProgress | undefined> {
    return iterProgress(this.#ctx, run);
  }

  /**
   * Goes on with a run that `handleError` stopped, at the entry it stopped at, or with one whose
   * step ran out of retries.
   */
  resumeIter(run: string): Promise<boolean> {
    return resumeIter(this.#ctx, this.#queueStep, run);
  }

  /** `startIterOnQuery`'s path in: the iterator class to its task id. */
  async startIterOf(target: Function, query: IterQuery, customData: unknown): Promise<string> {
    const id = (await this.#targetIds()).get(target);
    if (id === undefined) {
      throw new TypeError(
        `${target.name || "This class"} is a query iterator the dispatch table does not know: ` +
          "run `taskgen generate` again",
      );
    }
    return this.startIter(id, query, customData);
  }

  /** Runs the due periodic tasks of a cron group. */
  runCron(group: string): Promise<CronReport> {
    return runCronGroup(this.#ctx, group);
  }

  /**
   * Takes a periodic task out of its cron group in this process: later ticks no longer run it,
   * as with the original's `removePeriodicTask`. Returns whether it was a periodic task.
   */
  removePeriodicTask(id: string): boolean {
    if (this.#entry(id)?.kind !== "periodic") return false;
    this.#ctx.removedPeriodic.add(id);
    return true;
  }

  listCallable(user: TaskUser | undefined) {
    return listCallable(this.#ctx, user);
  }

  executeCallable(
    id: string,
    input: unknown,
    user: TaskUser | undefined,
  ): Promise<CallableOutcome> {
    return executeCallable(this.#ctx, id, input, user);
  }

  /**
   * Starts delivering queued tasks, and queues each startup task once for this start. A
   * failing startup task is retried on its own and never re-runs the others.
   */
  async start(): Promise<void> {
    await this.#ctx.transport.start((delivery) => this.deliver(delivery), {
      cronSchedules: cronSchedules(this.#ctx.table),
      runCron: (group) => this.runCron(group),
    });
    for (const [id, entry] of Object.entries(this.#ctx.table)) {
      if (entry.kind !== "startup") continue;
      await this.#queue("deferred", id, [], entry, { name: `startup-${id}-${this.#startId}` });
    }
  }

  /**
   * Stops taking deliveries, waiting for running tasks at most `graceMs`; deferred calls no
   * longer go to this runtime.
   */
  async stop(options?: { readonly graceMs?: number }): Promise<void> {
    const current = setDeferredCallSink(undefined);
    if (current !== this) setDeferredCallSink(current);
    await this.#ctx.transport.stop(options);
  }

  /** The deferred task `id`, when `args` match its types; throws otherwise. */
  #checkedEntry(id: string, args: readonly unknown[]): DispatchEntry<Instances> {
    const entry = this.#entry(id);
    if (!entry || entry.kind !== "deferred") {
      throw new TypeError(`${JSON.stringify(id)} is not a deferred task of this app`);
    }
    const problem = entry.validate(args);
    if (problem !== undefined) {
      throw new TypeError(`Cannot queue ${id}: the arguments do not match its types: ${problem}`);
    }
    return entry;
  }

  /** Writes the marker of a call made in a transaction, synchronously; see `transaction.ts`. */
  #writeMarker(options: CallOptions | undefined): Marker | undefined {
    if (options?.transaction === undefined) return undefined;
    if (!this.#ctx.transactionMarkers) {
      throw new TypeError(
        "A deferred call in a transaction needs the runtime's transactionMarkers option, " +
          "which tells later whether the transaction committed",
      );
    }
    const marker = `${this.#startId}-${++this.#markerCount}`;
    return { marker, written: options.transaction.writeMarker(marker) };
  }

  async #queue(
    route: TaskRoute,
    id: string,
    payload: unknown,
    entry: DispatchEntry<Instances>,
    options: CallOptions | undefined,
    marker?: Marker,
    env: TaskEnvironment | undefined = captureEnvironment(this.#ctx.environment),
  ): Promise<void> {
    const ctx = this.#ctx;
    if (marker) await marker.written;
    const meta = marker && { [MARKER_META]: marker.marker, [QUEUED_AT_META]: ctx.now() };
    const body = encodeEnvelope({
      v: 1,
      task: id,
      payload,
      ...(env && { env }),
      ...(meta && { meta }),
    });
    const notBefore = notBeforeOf(options, ctx.now());
    const targetVersion = options?.targetVersion ?? entry.options.targetVersion;
    const task: QueuedTask = {
      route,
      body,
      signature: sign(body, ctx.secret),
      queue: queueOf(ctx, id, entry, options),
      ...(options?.name !== undefined && { name: options.name }),
      ...(notBefore !== undefined && { notBefore }),
      ...(entry.options.retries !== undefined && { maxRetries: entry.options.retries }),
      ...(targetVersion !== undefined && { targetVersion }),
    };

    const result = await ctx.transport.enqueue(task);
    if (!result.queued) ctx.logger.debug(`${id}: a task named ${options?.name} is already queued`);
  }

  /** Queues a step; `env` is the run's environment, captured here when a step has none. */
  readonly #queueStep = async (run: IterRun, env?: TaskEnvironment): Promise<void> => {
    const entry = this.#entry(run.iterator);
    if (!entry) throw new TypeError(`${run.iterator} is not a task of this app`);
    const { claim: _claim, ...step } = run;
    const options = { name: stepName(run.run, run.step) };
    await this.#queue("queryIter", run.iterator, step, entry, options, undefined, env);
  };

  #entry(id: string): DispatchEntry<Instances> | undefined {
    return Object.hasOwn(this.#ctx.table, id) ? this.#ctx.table[id] : undefined;
  }

  #targetIds(): Promise<Map<unknown, string>> {
    this.#targets ??= (async () => {
      const targets = new Map<unknown, string>();
      for (const [id, entry] of Object.entries(this.#ctx.table)) {
        if (entry.kind !== "deferred" && entry.kind !== "queryIter") continue;
        targets.set(entry.target((await entryModule(entry)) as never), id);
      }
      return targets;
    })();
    return this.#targets;
  }
}

/** A transaction marker written for a deferred call, and the app's write of it. */
interface Marker {
  readonly marker: string;
  readonly written: void | Promise<void>;
}

/** The call's queue, else the deployment's for the task, else the declaration's, else the default. */
function queueOf<Instances>(
  ctx: RuntimeContext<Instances>,
  id: string,
  entry: DispatchEntry<Instances>,
  options: CallOptions | undefined,
): string {
  if (options?.queue !== undefined) return options.queue;
  if (Object.hasOwn(ctx.queues, id)) return ctx.queues[id]!;
  return entry.options.queue ?? ctx.defaultQueue;
}

/** When a deferred call may run: `delaySeconds` from now, or `eta`; never both. */
function notBeforeOf(options: CallOptions | undefined, now: number): number | undefined {
  if (!options) return undefined;
  if (options.delaySeconds !== undefined && options.eta !== undefined) {
    throw new TypeError("A deferred call takes delaySeconds or eta, not both");
  }
  if (options.delaySeconds !== undefined) {
    if (!Number.isFinite(options.delaySeconds) || options.delaySeconds < 0) {
      throw new RangeError(`delaySeconds must be 0 or more, not ${options.delaySeconds}`);
    }
    return now + options.delaySeconds * 1000;
  }
  if (options.eta !== undefined) {
    if (Number.isNaN(options.eta.getTime())) throw new RangeError("eta is an invalid Date");
    return options.eta.getTime();
  }
  return undefined;
}

/**
 * Creates the runtime of an app from its generated dispatch table and makes it the one that
 * deferred methods and functions queue through.
 *
 * @example
 * const runtime = createRuntime({
 *   table: dispatchTable,
 *   instances: { Orders: orders },
 *   transport: openEmbeddedQueue({ path: "tasks.sqlite" }),
 *   secret: process.env.TASKGEN_SECRET!,
 * });
 * await runtime.start();
 */
export function createRuntime<Instances>(options: RuntimeOptions<Instances>): Runtime<Instances> {
  const runtime = new Runtime(options);
  const previous = setDeferredCallSink(runtime);
  if (previous) runtime.context.logger.warn("A new runtime replaces the one deferred calls used");
  return runtime;
}
