import type { CallableTaskBase } from "./callable-task-base.js";

// `any` in the method shapes below is what lib.decorators' `ClassMethodDecoratorContext` demands of
// its method type; every other position stays precise.

/**
 * A method decorator that works with both TypeScript decorator flavours: standard decorators
 * (TS 5+) and `experimentalDecorators`. It returns the method unchanged.
 */
export interface TaskMethodDecorator {
  <This, Value extends (this: This, ...args: any) => unknown>(
    value: Value,
    context: ClassMethodDecoratorContext<This, Value>,
  ): Value;
  <Value extends (...args: never) => unknown>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<Value>,
  ): TypedPropertyDescriptor<Value>;
}

/**
 * A {@link TaskMethodDecorator} for methods the runtime calls without arguments (periodic and
 * startup tasks): a method with a required parameter is a compile error.
 */
export interface NoArgumentTaskMethodDecorator {
  <This, Value extends (this: This) => unknown>(
    value: Value,
    context: ClassMethodDecoratorContext<This, Value>,
  ): Value;
  <Value extends () => unknown>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<Value>,
  ): TypedPropertyDescriptor<Value>;
}

/** A concrete subclass of `CallableTaskBase`, whatever its input. */
export type CallableTaskClass = new (...args: never) => CallableTaskBase<never>;

/**
 * A class decorator for callable tasks that works with both TypeScript decorator flavours. It
 * returns the class unchanged.
 */
export interface TaskClassDecorator {
  <Class extends CallableTaskClass>(value: Class, context: ClassDecoratorContext<Class>): Class;
  <Class extends CallableTaskClass>(target: Class): Class;
}
