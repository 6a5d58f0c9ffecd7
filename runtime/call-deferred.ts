import {
  assertFunction,
  methodApplication,
  optionsArgument,
  type MethodApplication,
} from "./decorator-application.js";
import { declaredTaskOptions, recordTaskOptions } from "./declared-task-options.js";
import { deferredWrapper } from "./deferred-call.js";
import type { TaskMethodDecorator } from "./task-decorator.js";
import type { DeferredOptions } from "./task-options.js";

/**
 * Declares a method as a deferred task: taskgen generates a typed stub that queues a call to it,
 * and the dispatch table that runs the queued call later with the same arguments. Use it bare or
 * with {@link DeferredOptions}; it works on static and instance methods, in both TypeScript
 * decorator flavours. Calling the method then queues the call (a runtime must be running), and
 * the queued task runs the original method.
 *
 * @example
 * class Orders { @callDeferred({ queue: "mail" }) async sendConfirmation(orderId: string) {} }
 */
export function callDeferred<This, Value extends (this: This, ...args: any) => unknown>(
  value: Value,
  context: ClassMethodDecoratorContext<This, Value>,
): Value;
export function callDeferred<Value extends (...args: never) => unknown>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<Value>,
): TypedPropertyDescriptor<Value>;
export function callDeferred(options: DeferredOptions): TaskMethodDecorator;
export function callDeferred(...args: unknown[]): unknown {
  const application = methodApplication("callDeferred", args);

  if (application !== undefined) return wrapMethod(application, {});

  const options = optionsArgument("@callDeferred(...)", args[0]);

  return function deferredDecorator(...decoratorArgs: unknown[]): unknown {
    const decorated = methodApplication("callDeferred", decoratorArgs);

    if (decorated === undefined) {
      throw new TypeError("@callDeferred(...) returns a decorator; apply it to a method");
    }

    return wrapMethod(decorated, options ?? {});
  };
}

/**
 * Replaces the method by a wrapper that queues calls, keeping the options recorded on it so
 * far (by `@noRetry` below it, say). Standard decorators return the new method; experimental
 * ones return the descriptor holding it.
 */
function wrapMethod(application: MethodApplication, options: object): unknown {
  const wrapper = deferredWrapper(application.method);
  recordTaskOptions(wrapper, { ...(declaredTaskOptions(application.method) ?? {}), ...options });

  if (application.unchanged === application.method) return wrapper;
  return { ...(application.unchanged as PropertyDescriptor), value: wrapper };
}

/**
 * The function form of `@callDeferred`, for top-level functions (TypeScript has no decorators on
 * functions). Export the result under the name taskgen should use: calling it queues the call,
 * and the queued task runs `fn`.
 *
 * @example
 * export const sendMail = defineDeferred(async (to: string) => {}, { queue: "mail" });
 */
export function defineDeferred<F extends (...args: never) => unknown>(
  fn: F,
  options?: DeferredOptions,
): F {
  assertFunction("defineDeferred", fn);
  const wrapper = deferredWrapper(fn);
  recordTaskOptions(wrapper, optionsArgument("defineDeferred(fn, options)", options));

  return wrapper;
}
