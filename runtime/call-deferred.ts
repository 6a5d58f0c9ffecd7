import { assertFunction, methodApplication, optionsArgument } from "./decorator-application.js";
import { recordTaskOptions } from "./declared-task-options.js";
import type { TaskMethodDecorator } from "./task-decorator.js";
import type { DeferredOptions } from "./task-options.js";

/**
 * Declares a method as a deferred task: taskgen generates a typed stub that queues a call to it,
 * and the dispatch table that runs the queued call later with the same arguments. Use it bare or
 * with {@link DeferredOptions}; it works on static and instance methods, in both TypeScript
 * decorator flavours. The method itself is left unchanged.
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

  if (application !== undefined) {
    recordTaskOptions(application.method);
    return application.unchanged;
  }

  const options = optionsArgument("@callDeferred(...)", args[0]);

  return function deferredDecorator(...decoratorArgs: unknown[]): unknown {
    const decorated = methodApplication("callDeferred", decoratorArgs);

    if (decorated === undefined) {
      throw new TypeError("@callDeferred(...) returns a decorator; apply it to a method");
    }

    recordTaskOptions(decorated.method, options);
    return decorated.unchanged;
  };
}

/**
 * The function form of `@callDeferred`, for top-level functions (TypeScript has no decorators on
 * functions). Export the result under the name taskgen should use; it is `fn` itself.
 *
 * @example
 * export const sendMail = defineDeferred(async (to: string) => {}, { queue: "mail" });
 */
export function defineDeferred<F extends (...args: never) => unknown>(
  fn: F,
  options?: DeferredOptions,
): F {
  assertFunction("defineDeferred", fn);
  recordTaskOptions(fn, optionsArgument("defineDeferred(fn, options)", options));

  return fn;
}
