import { assertFunction, methodApplication, optionsArgument } from "./decorator-application.js";
import { recordTaskOptions } from "./declared-task-options.js";
import type { NoArgumentTaskMethodDecorator } from "./task-decorator.js";
import type { PeriodicOptions } from "./task-options.js";

/**
 * Declares a method as a periodic task: it runs during the ticks of its cron group, at most once
 * per `interval`. taskgen writes one `cron.yaml` entry per cron group. The method takes no
 * arguments and is left unchanged.
 *
 * @example
 * class Carts { @PeriodicTask({ interval: "1h", cronName: "hourly" }) async expire() {} }
 */
export function PeriodicTask(options: PeriodicOptions): NoArgumentTaskMethodDecorator;
export function PeriodicTask(...args: unknown[]): NoArgumentTaskMethodDecorator {
  if (methodApplication("PeriodicTask", args) !== undefined) {
    throw new TypeError('@PeriodicTask needs options: write @PeriodicTask({ interval: "1h" })');
  }

  const declared = periodicOptions("@PeriodicTask(options)", args[0]);

  return function periodicDecorator(...args: unknown[]): unknown {
    const application = methodApplication("PeriodicTask", args);

    if (application === undefined) {
      throw new TypeError("@PeriodicTask(options) returns a decorator; apply it to a method");
    }

    recordTaskOptions(application.method, declared);
    return application.unchanged;
  } as NoArgumentTaskMethodDecorator;
}

/**
 * The function form of `@PeriodicTask`, for top-level functions. Export the result under the name
 * taskgen should use; it is `fn` itself.
 *
 * @example
 * export const purgeSessions = definePeriodic({ interval: "4h" }, async () => {});
 */
export function definePeriodic<Return>(options: PeriodicOptions, fn: () => Return): () => Return {
  const declared = periodicOptions("definePeriodic(options, fn)", options);

  assertFunction("definePeriodic(options, fn)", fn);
  recordTaskOptions(fn, declared);

  return fn;
}

function periodicOptions(call: string, options: unknown): object {
  const declared = optionsArgument(call, options);

  if (declared === undefined || !("interval" in declared)) {
    throw new TypeError(`${call} needs an interval, such as { interval: "1h" }`);
  }

  return declared;
}
