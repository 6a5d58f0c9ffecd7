import { classApplication, optionsArgument } from "./decorator-application.js";
import { recordTaskOptions } from "./declared-task-options.js";
import type { CallableTaskClass, TaskClassDecorator } from "./task-decorator.js";
import type { CallableOptions } from "./task-options.js";

/**
 * Declares a subclass of {@link CallableTaskBase} as a callable task: users whose `canCall`
 * allows it can list it and start it with an input of the class's `Input` type. Use it bare or
 * with {@link CallableOptions}, in both TypeScript decorator flavours. The class is left
 * unchanged.
 *
 * @example
 * \@CallableTask({ id: "rebuild-index" })
 * class RebuildIndex extends CallableTaskBase<{ full: boolean }> {
 *   async execute(input: { full: boolean }) {}
 * }
 */
export function CallableTask<Class extends CallableTaskClass>(
  value: Class,
  context: ClassDecoratorContext<Class>,
): Class;
export function CallableTask<Class extends CallableTaskClass>(target: Class): Class;
export function CallableTask(options: CallableOptions): TaskClassDecorator;
export function CallableTask(...args: unknown[]): unknown {
  const application = classApplication("CallableTask", args);

  if (application !== undefined) {
    recordTaskOptions(application.target);
    return application.target;
  }

  const options = optionsArgument("@CallableTask(...)", args[0]);

  return function callableDecorator(...decoratorArgs: unknown[]): unknown {
    const decorated = classApplication("CallableTask", decoratorArgs);

    if (decorated === undefined) {
      throw new TypeError("@CallableTask(...) returns a decorator; apply it to a class");
    }

    recordTaskOptions(decorated.target, options);
    return decorated.target;
  };
}
