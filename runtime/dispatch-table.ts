import type { CallableTaskBase } from "./callable-task-base.js";
import type { QueryIter } from "./query-iter.js";

/**
 * The shape of the dispatch table taskgen generates (`dispatch.ts`): every task by id, with its
 * kind, options, payload check and the functions the runtime calls. `Instances` is the app's
 * `TaskInstances` type from the same file.
 */
export type DispatchTable<Instances> = Readonly<Record<string, DispatchEntry<Instances>>>;

export type DispatchEntry<Instances> =
  | (RunEntry<"deferred", Instances> & { target(): Promise<unknown> })
  | RunEntry<"periodic" | "startup", Instances>
  | CreateEntry<"callable", CallableTaskBase<never>>
  | CreateEntry<"queryIter", QueryIter<never, never>>;

/** Options as the generator writes them; each kind uses its own. */
export interface EntryOptions {
  readonly queue?: string;
  readonly retries?: number;
  readonly allowUnknown?: boolean;
  readonly intervalSeconds?: number;
  readonly cronName?: string;
  readonly chunkSize?: number;
}

interface EntryBase<Kind extends string> {
  readonly kind: Kind;
  readonly options: EntryOptions;
  /** Undefined when the payload matches the task's types, else what is wrong with it. */
  validate(payload: unknown): string | undefined;
}

interface RunEntry<Kind extends string, Instances> extends EntryBase<Kind> {
  run(args: readonly unknown[], instances: Instances): Promise<unknown>;
}

interface CreateEntry<Kind extends string, Instance> extends EntryBase<Kind> {
  create(): Promise<Instance>;
}
