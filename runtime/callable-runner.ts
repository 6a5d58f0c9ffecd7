import type { CallableTaskBase } from "./callable-task-base.js";
import { entryModule } from "./dispatch-table.js";
import { describeError } from "./describe-error.js";
import { scopedLogger } from "./logger.js";
import type { RuntimeContext } from "./runtime-options.js";
import type { TaskUser } from "./task-user.js";

/** A callable task as a permitted user sees it in the list. */
export interface CallableTaskInfo {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
}

export type CallableOutcome =
  | { readonly status: "done" }
  | { readonly status: "not-found" }
  | { readonly status: "forbidden" }
  | { readonly status: "invalid"; readonly message: string }
  | { readonly status: "failed"; readonly message: string };

/** The callable tasks `user` may start. Nobody may when `user` is undefined. */
export async function listCallable<Instances>(
  ctx: RuntimeContext<Instances>,
  user: TaskUser | undefined,
): Promise<CallableTaskInfo[]> {
  if (!user) return [];
  const list: CallableTaskInfo[] = [];
  for (const [id, entry] of Object.entries(ctx.table).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (entry.kind !== "callable") continue;
    const task = entry.create((await entryModule(entry)) as never) as CallableTaskBase<unknown>;
    if (!(await task.canCall(user))) continue;
    const info = { id, name: task.name ?? id };
    list.push(task.description ? { ...info, description: task.description } : info);
  }
  return list;
}

/**
 * Runs a callable task now, for `user`, with `input` checked against the task's input type.
 * Unknown ids are `not-found`; users the task's `canCall` refuses, and anonymous requests, are
 * `forbidden`.
 */
export async function executeCallable<Instances>(
  ctx: RuntimeContext<Instances>,
  id: string,
  input: unknown,
  user: TaskUser | undefined,
): Promise<CallableOutcome> {
  const entry = Object.hasOwn(ctx.table, id) ? ctx.table[id] : undefined;
  if (!entry || entry.kind !== "callable") return { status: "not-found" };
  if (!user) return { status: "forbidden" };

  const task = entry.create((await entryModule(entry)) as never) as CallableTaskBase<unknown>;
  if (!(await task.canCall(user))) return { status: "forbidden" };
  const problem = entry.validate(input);
  if (problem !== undefined) return { status: "invalid", message: problem };

  const log = scopedLogger(ctx.logger, `callable ${id}`);
  try {
    await task.execute(input);
    log.info(`run by user ${user.id}`);
    return { status: "done" };
  } catch (error) {
    const message = describeError(error);
    log.error(`failed for user ${user.id}: ${message}`);
    return { status: "failed", message };
  }
}
