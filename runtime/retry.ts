import { describe, methodApplication } from "./decorator-application.js";
import { recordTaskOptions } from "./declared-task-options.js";
import type { TaskMethodDecorator } from "./task-decorator.js";

/**
 * Stops retries of a deferred method: the first failure is final. The same as `@retry(0)`; stack
 * it with `@callDeferred`.
 *
 * @example
 * class Reports { @callDeferred @noRetry async render(reportId: string) {} }
 */
export function noRetry<This, Value extends (this: This, ...args: any) => unknown>(
  value: Value,
  context: ClassMethodDecoratorContext<This, Value>,
): Value;
export function noRetry<Value extends (...args: never) => unknown>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<Value>,
): TypedPropertyDescriptor<Value>;
export function noRetry(...args: unknown[]): unknown {
  const application = methodApplication("noRetry", args);

  if (application === undefined) {
    throw new TypeError("@noRetry takes no arguments: write @noRetry, not @noRetry(...)");
  }

  recordTaskOptions(application.method, { retries: 0 });
  return application.unchanged;
}

/**
 * Limits the retries of a deferred method to `retries` after the first attempt, so it runs at
 * most `retries + 1` times; after the last failure the task fails permanently. Stack it with
 * `@callDeferred`.
 *
 * @example
 * class Index { @callDeferred @retry(20) async rebuild(lang: string) {} }
 */
export function retry(retries: number): TaskMethodDecorator;
export function retry(...args: unknown[]): TaskMethodDecorator {
  const retries = args[0];

  if (methodApplication("retry", args) !== undefined) {
    throw new TypeError("@retry needs the number of retries: write @retry(3)");
  }

  if (typeof retries !== "number" || !Number.isSafeInteger(retries) || retries < 0) {
    throw new RangeError(
      `@retry(retries) takes a whole number of retries, 0 or more, but got ${describe(retries)}`,
    );
  }

  return function retryDecorator(...args: unknown[]): unknown {
    const application = methodApplication("retry", args);

    if (application === undefined) {
      throw new TypeError("@retry(n) returns a decorator; apply it to a method");
    }

    recordTaskOptions(application.method, { retries });
    return application.unchanged;
  } as TaskMethodDecorator;
}
