import type { TaskUser } from "./task-user.js";

/**
 * The base of a callable task: a job that permitted users can list and start by hand, such as a
 * maintenance job in an admin UI. Decorate the subclass with `@CallableTask`; `Input` is what a
 * user supplies when starting it, and taskgen validates it from the type.
 *
 * Nobody may call a task unless its `canCall` says so.
 *
 * @example
 * \@CallableTask
 * class RebuildIndex extends CallableTaskBase<{ full: boolean }> {
 *   readonly name = "Rebuild the search index";
 *   canCall(user: TaskUser | undefined) { return user?.["role"] === "admin"; }
 *   async execute(input: { full: boolean }) {}
 * }
 */
export abstract class CallableTaskBase<Input> {
  /** A human label for lists; the task id stands in when absent. */
  declare readonly name?: string;

  /** A human description of what the task does. */
  declare readonly description?: string;

  /**
   * Whether `user` (`undefined` when nobody is signed in) may list and start this task. Denies
   * everyone unless overridden.
   */
  canCall(user: TaskUser | undefined): boolean | Promise<boolean> {
    void user;
    return false;
  }

  /** Does the task's work with the input the user gave. */
  abstract execute(input: Input): Promise<void> | void;
}
