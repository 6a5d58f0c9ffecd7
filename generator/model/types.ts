/**
 * The task model: plain, readonly data produced by the scanner and consumed by the renderer.
 *
 * Terms used throughout taskgen:
 * - **task**: a unit of work the runtime can run outside a request; every task has a kind.
 * - **task id**: the stable name a queued payload uses to name its task. Chosen at build time,
 *   `Class.method`, `Class` or `functionName` unless the declaration sets `id`.
 * - **deferred call**: calling a `@callDeferred` method or a `defineDeferred` function, which
 *   queues the call; the queued task later runs the target with the same arguments.
 * - **periodic task**: runs during a cron tick of its cron group, at most once per interval.
 * - **cron group**: a set of periodic tasks ticked by one `cron.yaml` entry.
 * - **callable task**: a `@CallableTask` class that permitted users can list and start.
 * - **startup task**: runs once per instance start.
 * - **query iterator**: a non-abstract subclass of `QueryIter` walking a query in steps.
 * - **dispatch table**: the generated map from task id to loader and caller.
 * - **stub**: a generated, typed function that queues a deferred call.
 * - **manifest**: the generated JSON description of every task.
 */

/** The kinds of task, as the manifest and `taskgen list` name them. */
export type TaskKind = "deferred" | "periodic" | "callable" | "startup" | "queryIter";

export const TASK_KINDS: readonly TaskKind[] = [
  "callable",
  "deferred",
  "periodic",
  "queryIter",
  "startup",
];

/**
 * A serialisable description of a type that can travel in a payload. Validators are generated
 * from it, and the manifest carries it for tools.
 */
export type TypeDesc =
  | { readonly kind: "string" }
  | { readonly kind: "number" }
  | { readonly kind: "boolean" }
  | { readonly kind: "bigint" }
  | { readonly kind: "null" }
  | { readonly kind: "undefined" }
  | { readonly kind: "date" }
  | { readonly kind: "bytes" }
  | { readonly kind: "key" }
  /** `any` or `unknown`, allowed by the `allowUnknown` option: any value the codec carries. */
  | { readonly kind: "unknown" }
  | { readonly kind: "literal"; readonly value: string | number | boolean }
  | { readonly kind: "array"; readonly element: TypeDesc }
  | {
      readonly kind: "tuple";
      readonly elements: readonly TupleElementDesc[];
      readonly rest?: TypeDesc;
    }
  | {
      readonly kind: "object";
      readonly properties: readonly PropertyDesc[];
      /** The value type of a string index signature or `Record<string, T>`. */
      readonly index?: TypeDesc;
    }
  | { readonly kind: "union"; readonly members: readonly TypeDesc[] }
  /** A named type (interface, alias or enum) kept in the model's definitions, so it may recurse. */
  | { readonly kind: "ref"; readonly name: string };

export interface PropertyDesc {
  readonly name: string;
  readonly type: TypeDesc;
  readonly optional: boolean;
}

export interface TupleElementDesc {
  /** The parameter or element name, for messages; empty when the tuple is unnamed. */
  readonly name: string;
  readonly type: TypeDesc;
  readonly optional: boolean;
}

/** Where a declaration stands in the project. `file` is POSIX and relative to the project. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** How the generated code reaches the task's target in its module. */
export interface TaskTarget {
  /** The export that holds the target: a class or a function; `default` for a default export. */
  readonly exportName: string;
  /** The method, for method tasks; absent for class and function tasks. */
  readonly member?: string;
  /** True for static methods; instance methods need an instance from the app. */
  readonly isStatic: boolean;
  /** Project-relative POSIX path of the module, with its TypeScript extension. */
  readonly file: string;
}

export interface TaskOptions {
  /** Queue name for deferred calls; absent means the runtime's default. */
  readonly queue?: string;
  /** Retries after the first attempt; `@noRetry` is 0; absent means the transport's policy. */
  readonly retries?: number;
  /** Deferred tasks: the App Engine version their calls are routed to. */
  readonly targetVersion?: string;
  /** Permits `any` and `unknown` parameters, checked only as codec values. */
  readonly allowUnknown?: boolean;
  /** Periodic tasks: minimum seconds between two runs; 0 runs on every tick. */
  readonly intervalSeconds?: number;
  /** Periodic tasks: the cron group. */
  readonly cronName?: string;
  /** Query iterators: entries per step. */
  readonly chunkSize?: number;
}

export interface TaskModel {
  readonly id: string;
  readonly kind: TaskKind;
  /** `Class.method`, or the class or function name. */
  readonly symbol: string;
  readonly location: SourceLocation;
  readonly target: TaskTarget;
  /**
   * What travels in the task's payload: the argument tuple of a deferred task, the input of a
   * callable task, the custom data of a query iterator; absent when nothing travels.
   */
  readonly payload?: TypeDesc;
  readonly options: TaskOptions;
}

export interface CronGroupModel {
  readonly name: string;
  /** The smallest interval of the group's tasks, at least 60 s (App Engine's finest tick). */
  readonly scheduleSeconds: number;
  /** Ids of the group's periodic tasks, sorted. */
  readonly taskIds: readonly string[];
}

export interface ProjectModel {
  /** Sorted by id. */
  readonly tasks: readonly TaskModel[];
  /** Named types referenced by `ref` descriptions, sorted by name. */
  readonly definitions: ReadonlyMap<string, TypeDesc>;
  /** Sorted by name. */
  readonly cronGroups: readonly CronGroupModel[];
}
