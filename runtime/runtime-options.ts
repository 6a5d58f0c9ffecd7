import type { TaskEnvironment } from "./codec/envelope.js";
import type { DispatchTable } from "./dispatch-table.js";
import { SILENT_LOGGER, type Logger } from "./logger.js";
import { MemoryStateStore } from "./state/memory-state-store.js";
import type { StateStore } from "./state/state-store.js";
import type { TaskUser } from "./task-user.js";
import type { Transport } from "./transport.js";

/**
 * Captures the environment a deferred call is made in (the acting user, the language, and the
 * app's own data), and restores it around the task when it runs.
 */
export interface EnvironmentHooks {
  /** Called when a task is queued; what it returns travels with the task. */
  capture(): TaskEnvironment | undefined;
  /** Runs `run` with `env` restored: the user re-loaded by id, the language set, and so on. */
  restore<T>(env: TaskEnvironment, run: () => Promise<T>): Promise<T>;
}

/** What the handler knows about an incoming request, for the authentication hook. */
export interface RequestInfo {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface RuntimeOptions<Instances> {
  /** The generated `dispatchTable`. */
  readonly table: DispatchTable<Instances>;
  /** The app's instances for tasks on instance methods: the generated `TaskInstances`. */
  readonly instances: NoInfer<Instances>;
  readonly transport: Transport;
  /** The key that signs queued tasks; every process sharing the queue needs the same one. */
  readonly secret: string | Uint8Array;
  /** Injected logger; the runtime is silent without one. */
  readonly logger?: Logger;
  /** Where periodic runs and iterator progress are kept; memory (one process) by default. */
  readonly state?: StateStore;
  /**
   * Who makes a request to list or start callable tasks. With no hook, nobody may: callable
   * tasks are never listed or run for anonymous requests by default.
   */
  readonly authenticate?: (request: RequestInfo) => Promise<TaskUser | undefined>;
  readonly environment?: EnvironmentHooks;
  /** The queue of deferred calls that name none; `"default"` when absent. */
  readonly defaultQueue?: string;
  /** The clock, in milliseconds since the epoch; replaceable in tests. */
  readonly now?: () => number;
}

/** The options with their defaults, resolved once. */
export interface RuntimeContext<Instances> {
  readonly table: DispatchTable<Instances>;
  readonly instances: Instances;
  readonly transport: Transport;
  readonly secret: string | Uint8Array;
  readonly logger: Logger;
  readonly state: StateStore;
  readonly authenticate: ((request: RequestInfo) => Promise<TaskUser | undefined>) | undefined;
  readonly environment: EnvironmentHooks | undefined;
  readonly defaultQueue: string;
  readonly now: () => number;
}

export function resolveRuntimeOptions<Instances>(
  options: RuntimeOptions<Instances>,
): RuntimeContext<Instances> {
  const secret = options.secret;
  if (secret.length < 16) {
    throw new TypeError("The runtime's secret must be at least 16 characters or bytes long");
  }
  return {
    table: options.table,
    instances: options.instances,
    transport: options.transport,
    secret,
    logger: options.logger ?? SILENT_LOGGER,
    state: options.state ?? new MemoryStateStore(),
    authenticate: options.authenticate,
    environment: options.environment,
    defaultQueue: options.defaultQueue ?? "default",
    now: options.now ?? Date.now,
  };
}
