import type { DispatchTable } from "./dispatch-table.js";
import type { EnvironmentHooks } from "./environment.js";
import { SILENT_LOGGER, type Logger } from "./logger.js";
import type { QuerySource } from "./query/query-source.js";
import { MemoryStateStore } from "./state/memory-state-store.js";
import type { StateStore } from "./state/state-store.js";
import type { TaskUser } from "./task-user.js";
import { DEFAULT_TRANSACTION_GRACE_SECONDS, type TransactionMarkers } from "./transaction.js";
import type { Transport } from "./transport.js";

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
  /**
   * Keys that signed tasks before `secret` replaced them: tasks and cron requests signed with
   * one are still accepted, and nothing new is signed with them. Keep an old key here until
   * every task queued under it has run, then remove it.
   */
  readonly previousSecrets?: readonly (string | Uint8Array)[];
  /** Injected logger; the runtime is silent without one. */
  readonly logger?: Logger;
  /** Where periodic runs and iterator progress are kept; memory (one process) by default. */
  readonly state?: StateStore;
  /**
   * Who makes a request to list or start callable tasks. With no hook, nobody may: callable
   * tasks are never listed or run for anonymous requests by default.
   */
  readonly authenticate?: (request: RequestInfo) => Promise<TaskUser | undefined>;
  /** The acting user, language and app data that travel with deferred calls. */
  readonly environment?: EnvironmentHooks;
  /**
   * The queue per deferred task id, for this deployment: it wins over the declaration's queue,
   * and a call's own `queue` option wins over it.
   */
  readonly queues?: Readonly<Record<string, string>>;
  /** The queue of deferred calls that name none; `"default"` when absent. */
  readonly defaultQueue?: string;
  /** The databases query iterators walk, by the name a query gives as its `source`. */
  readonly querySources?: Readonly<Record<string, QuerySource>>;
  /**
   * How long a query iterator step's claim lasts without word from its worker, in seconds; the
   * worker renews it every third of this while the step runs, so another worker takes the step
   * over only when the first died or stalled. 60 by default.
   */
  readonly iteratorStepLeaseSeconds?: number;
  /** Where transactional calls' markers are read; needed to queue a call in a transaction. */
  readonly transactionMarkers?: TransactionMarkers;
  /**
   * How long after a transactional call its missing marker may mean an open transaction, in
   * seconds; after it the task is dropped. 60 by default.
   */
  readonly transactionGraceSeconds?: number;
  /** The clock, in milliseconds since the epoch; replaceable in tests. */
  readonly now?: () => number;
}

/** The options with their defaults, resolved once. */
export interface RuntimeContext<Instances> {
  readonly table: DispatchTable<Instances>;
  readonly instances: Instances;
  readonly transport: Transport;
  /** Signs what this process queues. */
  readonly secret: string | Uint8Array;
  /** Accepted on what arrives: `secret` first, then the previous ones. */
  readonly acceptedSecrets: readonly (string | Uint8Array)[];
  readonly logger: Logger;
  readonly state: StateStore;
  readonly authenticate: ((request: RequestInfo) => Promise<TaskUser | undefined>) | undefined;
  readonly environment: EnvironmentHooks | undefined;
  readonly queues: Readonly<Record<string, string>>;
  readonly defaultQueue: string;
  readonly now: () => number;
  readonly transactionMarkers: TransactionMarkers | undefined;
  readonly querySources: Readonly<Record<string, QuerySource>>;
  readonly iterStepLeaseMs: number;
  readonly transactionGraceMs: number;
  /** Periodic tasks taken out of their cron group in this process. */
  readonly removedPeriodic: Set<string>;
}

export function resolveRuntimeOptions<Instances>(
  options: RuntimeOptions<Instances>,
): RuntimeContext<Instances> {
  const secret = checkedSecret(options.secret, "secret");
  const previousSecrets = options.previousSecrets ?? [];
  if (!Array.isArray(previousSecrets)) {
    throw new TypeError("The runtime's previousSecrets must be an array of secrets");
  }
  const previous = previousSecrets.map((key, index) =>
    checkedSecret(key, `previousSecrets[${index}]`),
  );
  return {
    table: options.table,
    instances: options.instances,
    transport: options.transport,
    secret,
    acceptedSecrets: [secret, ...previous],
    logger: options.logger ?? SILENT_LOGGER,
    state: options.state ?? new MemoryStateStore(),
    authenticate: options.authenticate,
    environment: options.environment,
    queues: options.queues ?? {},
    defaultQueue: options.defaultQueue ?? "default",
    now: options.now ?? Date.now,
    removedPeriodic: new Set(),
    transactionMarkers: options.transactionMarkers,
    querySources: options.querySources ?? {},
    iterStepLeaseMs: (options.iteratorStepLeaseSeconds ?? 60) * 1000,
    transactionGraceMs:
      (options.transactionGraceSeconds ?? DEFAULT_TRANSACTION_GRACE_SECONDS) * 1000,
  };
}

/** The secret as given, once it is a string or bytes of a length worth signing with. */
function checkedSecret(value: unknown, name: string): string | Uint8Array {
  if (typeof value !== "string" && !(value instanceof Uint8Array)) {
    const given = value === undefined ? "undefined: is its variable set?" : typeof value;
    throw new TypeError(
      `The runtime's ${name} signs tasks: it must be a string or Uint8Array of at least 16 ` +
        `characters or bytes, not ${given}`,
    );
  }
  if (value.length < 16) {
    throw new TypeError(`The runtime's ${name} must be at least 16 characters or bytes long`);
  }
  return value;
}
