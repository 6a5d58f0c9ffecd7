import type { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";

import type { CallOptions } from "./task-options.js";

/**
 * What the code running now knows about taskgen: the task it runs in, if any, and whether the
 * next deferred call should run directly instead of being queued.
 */
export interface TaskContext {
  /** The id of the task being run, when the code runs inside one. */
  readonly taskId?: string;
  /** Earlier failed deliveries of that task. */
  readonly attempt?: number;
  /**
   * Set when the next deferred call runs directly: the runtime running a deferred task (its
   * target is that call), or `runNow`. The first deferred call consumes it; later ones queue.
   */
  direct: boolean;
  /** Options for the deferred calls made inside `withCallOptions`. */
  readonly callOptions?: CallOptions;
}

// One storage per process, shared by every copy of this module (see deferred-call.ts). It is
// made, and async_hooks loaded, only when `runNow` or `withCallOptions` is first used: until
// then no code runs in a task context, and promises pay nothing for context tracking.
const STORAGE = Symbol.for("taskgen.taskContext");
const shared = globalThis as { [STORAGE]?: AsyncLocalStorage<TaskContext> };

export function currentTaskContext(): TaskContext | undefined {
  return shared[STORAGE]?.getStore();
}

export function runInTaskContext<T>(context: TaskContext, fn: () => T): T {
  const hooks: typeof import("node:async_hooks") = createRequire(import.meta.url)(
    "node:async_hooks",
  );
  const storage = (shared[STORAGE] ??= new hooks.AsyncLocalStorage<TaskContext>());
  return storage.run(context, fn);
}
