import type { TaskEnvironment } from "./codec/envelope.js";

/**
 * One part of the environment a deferred call is made in: captured when the call is queued,
 * restored around the task when it runs.
 */
export interface EnvironmentPart<Value> {
  /** Called when a task is queued; undefined leaves this part out of the task. */
  capture(): Value | undefined;
  /** Runs `run` with `value` restored: the user re-loaded by id, the language set, and so on. */
  restore<T>(value: Value, run: () => Promise<T>): Promise<T>;
}

/**
 * What travels with a deferred call from where it was made to where it runs. Each part is
 * optional; they are restored in the original system's order: user, then language, then the
 * app's own part, so a language hook may read the user and a custom hook both.
 *
 * @example
 * const environment: EnvironmentHooks = {
 *   user: {
 *     capture: () => session.getStore()?.userId,
 *     restore: async (id, run) => session.run({ userId: id, user: await users.load(id) }, run),
 *   },
 * };
 */
export interface EnvironmentHooks {
  /** The acting user's id; only the id travels, and `restore` loads the user afresh. */
  readonly user?: EnvironmentPart<string>;
  readonly language?: EnvironmentPart<string>;
  /** The app's own data; it must be a value the envelope carries (see `Envelope`). */
  readonly custom?: EnvironmentPart<unknown>;
}

/** The environment of a call being queued, or undefined when no part captured anything. */
export function captureEnvironment(
  hooks: EnvironmentHooks | undefined,
): TaskEnvironment | undefined {
  if (!hooks) return undefined;
  const user = hooks.user?.capture();
  const lang = hooks.language?.capture();
  const custom = hooks.custom?.capture();
  if (user === undefined && lang === undefined && custom === undefined) return undefined;
  return {
    ...(user !== undefined && { user }),
    ...(lang !== undefined && { lang }),
    ...(custom !== undefined && { custom }),
  };
}

/**
 * Runs `run` inside the restored environment. A part the task carries but this process has no
 * hook for is an error: running the task without its user would run it as nobody.
 */
export function restoreEnvironment<T>(
  hooks: EnvironmentHooks | undefined,
  env: TaskEnvironment,
  run: () => Promise<T>,
): Promise<T> {
  const withCustom =
    env.custom === undefined ? run : () => part(hooks?.custom, "custom").restore(env.custom, run);
  const withLanguage =
    env.lang === undefined
      ? withCustom
      : () => part(hooks?.language, "language").restore(env.lang as string, withCustom);
  return env.user === undefined
    ? withLanguage()
    : part(hooks?.user, "user").restore(env.user, withLanguage);
}

function part<Value>(hook: EnvironmentPart<Value> | undefined, name: string) {
  if (!hook) {
    throw new MissingEnvironmentHook(
      `the task carries a ${name} environment, but this runtime has no environment.${name} ` +
        "hook to restore it",
    );
  }
  return hook;
}

/** A task's environment cannot be restored here: a configuration error, not worth retrying. */
export class MissingEnvironmentHook extends Error {
  override readonly name = "MissingEnvironmentHook";
}
