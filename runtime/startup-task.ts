import { assertFunction, methodApplication, optionsArgument } from "./decorator-application.js";
import { recordTaskOptions } from "./declared-task-options.js";
import type { NoArgumentTaskMethodDecorator } from "./task-decorator.js";
import type { StartupOptions } from "./task-options.js";

/**
 * Declares a method as a startup task: it runs once per instance start, in a task rather than in
 * the starting request. Use it bare or with {@link StartupOptions}. The method takes no arguments
 * and is left unchanged.
 *
 * @example
 * class Search { @StartupTask async warmCache() {} }
 */
export function StartupTask<This, Value extends (this: This) => unknown>(
  value: Value,
  context: ClassMethodDecoratorContext<This, Value>,
): Value;
export function StartupTask<Value extends () => unknown>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<Value>,
): TypedPropertyDescriptor<Value>;
export function StartupTask(options: StartupOptions): NoArgumentTaskMethodDecorator;
export function StartupTask(...args: unknown[]): unknown {
  const application = methodApplication("StartupTask", args);

  if (application !== undefined) {
    recordTaskOptions(application.method);
    return application.unchanged;
  }

  const options = optionsArgument("@StartupTask(...)", args[0]);

  return function startupDecorator(...decoratorArgs: unknown[]): unknown {
    const decorated = methodApplication("StartupTask", decoratorArgs);

    if (decorated === undefined) {
      throw new TypeError("@StartupTask(...) returns a decorator; apply it to a method");
    }

    recordTaskOptions(decorated.method, options);
    return decorated.unchanged;
  };
}

/**
 * The function form of `@StartupTask`, for top-level functions. Export the result under the name
 * taskgen should use; it is `fn` itself.
 *
 * @example
 * export const migrate = defineStartup(async () => {}, { id: "migrate-v2" });
 */
export function defineStartup<Return>(fn: () => Return, options?: StartupOptions): () => Return {
  assertFunction("defineStartup", fn);
  recordTaskOptions(fn, optionsArgument("defineStartup(fn, options)", options));

  return fn;
}
