import type { CallableTaskBase } from "./callable-task-base.js";
import type { QueryIter } from "./query-iter.js";

/**
 * The shape of the dispatch table taskgen generates (`dispatch.ts`): every task by id, with its
 * kind, options, payload check and the functions the runtime calls. `Instances` is the app's
 * `TaskInstances` type from the same file.
 */
export type DispatchTable<Instances> = Readonly<Record<string, DispatchEntry<Instances>>>;

export type DispatchEntry<Instances> =
  | (RunEntry<"deferred", Instances> & { target(module: never): unknown })
  | RunEntry<"periodic" | "startup", Instances>
  | CreateEntry<"callable", CallableTaskBase<never>>
  | (CreateEntry<"queryIter", QueryIter<never, never>> & { target(module: never): unknown });

/** Options as the generator writes them; each kind uses its own. */
export interface EntryOptions {
  readonly queue?: string;
  readonly retries?: number;
  readonly targetVersion?: string;
  readonly allowUnknown?: boolean;
  readonly intervalSeconds?: number;
  readonly cronName?: string;
  readonly chunkSize?: number;
}

/** Imports a task's module once; `value` holds it after the first import. */
export interface ModuleLoader {
  (): Promise<unknown>;
  readonly value: unknown;
}

interface EntryBase<Kind extends string> {
  readonly kind: Kind;
  readonly options: EntryOptions;
  /** The task's module, which `run`, `create` and `target` take as their last argument. */
  readonly load?: ModuleLoader;
  /** Undefined when the payload matches the task's types, else what is wrong with it. */
  validate(payload: unknown): string | undefined;
}

// Method syntax on purpose: each generated function takes its own module's type as `module`.
interface RunEntry<Kind extends string, Instances> extends EntryBase<Kind> {
  run(args: readonly unknown[], instances: Instances, module: never): unknown;
}

interface CreateEntry<Kind extends string, Instance> extends EntryBase<Kind> {
  create(module: never): Instance;
}

/**
 * The module an entry's functions take: the loaded module itself once imported, a promise of
 * it on first use, undefined when the entry needs none.
 */
export function entryModule(entry: { readonly load?: ModuleLoader }): unknown {
  const load = entry.load;
  if (load === undefined) return undefined;
  return load.value !== undefined ? load.value : load();
}
