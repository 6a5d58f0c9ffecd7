import { currentTaskContext, runInTaskContext } from "./task-context.js";
import type { IterQuery } from "./query/iter-query.js";
import type { CallOptions } from "./task-options.js";

/** What queues a deferred call; the runtime registers itself here when it starts. */
export interface DeferredCallSink {
  enqueueCall(
    target: Function,
    args: readonly unknown[],
    options: CallOptions | undefined,
  ): Promise<void>;
  /** Starts a run of the query iterator class `target`; resolves to its run id. */
  startIterOf(target: Function, query: IterQuery, customData: unknown): Promise<string>;
}

/**
 * The sink lives on `globalThis` under a registered symbol, so an app that loads this module
 * twice (once as CommonJS and once as an ES module, say) still has one runtime for both.
 */
const SINK = Symbol.for("taskgen.deferredCallSink");
const shared = globalThis as { [SINK]?: DeferredCallSink };

/** Makes `next` the runtime that deferred calls go to; returns the previous one. */
export function setDeferredCallSink(
  next: DeferredCallSink | undefined,
): DeferredCallSink | undefined {
  const previous = shared[SINK];
  if (next) shared[SINK] = next;
  else delete shared[SINK];
  return previous;
}

/** The runtime deferred calls and iterator starts go to; throws when none is running. */
export function runningSink(what: string): DeferredCallSink {
  const sink = shared[SINK];
  if (!sink) {
    throw new Error(
      `${what}, but no taskgen runtime is running: create one with createRuntime() first`,
    );
  }
  return sink;
}

/**
 * Wraps a deferred method or function: calling the wrapper queues the call, except for the one
 * call a task run (or `runNow`) lets through, which runs the original directly.
 */
export function deferredWrapper<F extends Function>(original: F): F {
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const context = currentTaskContext();
    if (context?.direct) {
      context.direct = false;
      return original.apply(this, args);
    }
    return runningSink("A deferred task was called").enqueueCall(
      wrapper,
      args,
      context?.callOptions,
    );
  };
  Object.defineProperty(wrapper, "name", { value: original.name });
  Object.defineProperty(wrapper, ORIGINAL, { value: original });
  return wrapper as unknown as F;
}

const ORIGINAL = Symbol.for("taskgen.original");

/**
 * Calls a deferred method or function itself, not its queueing wrapper: how the generated
 * dispatch table runs a queued call. Deferred calls the task makes are queued as usual.
 */
export function callDirect<Args extends readonly unknown[], Result>(
  receiver: unknown,
  fn: (...args: Args) => Result,
  args: Args,
): Result {
  const original = (fn as unknown as { [ORIGINAL]?: (...args: Args) => Result })[ORIGINAL] ?? fn;
  return Reflect.apply(original, receiver, args) as Result;
}

/**
 * Runs the first deferred call made by `fn` at once, in this process, instead of queueing it;
 * returns what `fn` returns.
 *
 * @example
 * await runNow(() => orders.sendConfirmation(order));
 */
export function runNow<T>(fn: () => T): T {
  const context = currentTaskContext();
  return runInTaskContext({ ...context, direct: true }, fn);
}

/**
 * Queues the deferred calls made by `fn` with these options (delay, eta, name, queue).
 *
 * @example
 * await withCallOptions({ delaySeconds: 60 }, () => orders.sendConfirmation(order));
 */
export function withCallOptions<T>(options: CallOptions, fn: () => T): T {
  const context = currentTaskContext();
  return runInTaskContext({ ...context, direct: false, callOptions: options }, fn);
}
