/**
 * Tells apart the ways a taskgen decorator is called at run time:
 * - a standard (TS 5+) decorator gets `(value, context)`, `context.kind` naming what it decorates;
 * - an `experimentalDecorators` method decorator gets `(prototype or class, key, descriptor)`;
 * - an `experimentalDecorators` class decorator gets `(class)`;
 * - a decorator factory, `@name({...})` or `@retry(3)`, gets its options instead.
 */

/** A decorator applied to a method, in either flavour. */
export interface MethodApplication {
  readonly method: Function;
  /** What the decorator returns: the method (standard) or its descriptor (experimental). */
  readonly unchanged: unknown;
}

/** A decorator applied to a class, in either flavour. */
export interface ClassApplication {
  readonly target: Function;
}

/**
 * The method a decorator was applied to, or `undefined` when `args` are not a decorator
 * application (so they are a factory's options). Throws when the decorator was applied to
 * something other than a method.
 */
export function methodApplication(
  decorator: string,
  args: readonly unknown[],
): MethodApplication | undefined {
  const [first, second, third] = args;

  // A standard decorator's value is the method, or `undefined` for a field.
  if (args.length === 2 && isDecoratorContext(second)) {
    if (second.kind !== "method" || typeof first !== "function") {
      throw notAMethod(decorator, `a ${second.kind}`, second.name);
    }

    return { method: first, unchanged: first };
  }

  if (args.length === 3 && isDecoratorTarget(first) && isPropertyKey(second)) {
    if (!isMethodDescriptor(third)) {
      throw notAMethod(decorator, "a property or accessor", second);
    }

    return { method: third.value, unchanged: third };
  }

  return undefined;
}

/**
 * The class a decorator was applied to, or `undefined` when `args` are not a decorator
 * application. Throws when the decorator was applied to something other than a class.
 */
export function classApplication(
  decorator: string,
  args: readonly unknown[],
): ClassApplication | undefined {
  const [first, second] = args;

  if (args.length === 2 && isDecoratorContext(second)) {
    if (second.kind !== "class" || typeof first !== "function") {
      throw new TypeError(
        `@${decorator} decorates classes, but was applied to a ${second.kind} ` +
          `${quote(second.name)}`,
      );
    }

    return { target: first };
  }

  if (args.length === 1 && typeof first === "function") {
    return { target: first };
  }

  if (args.length === 3 && isDecoratorTarget(first) && isPropertyKey(second)) {
    throw new TypeError(`@${decorator} decorates classes, but was applied to ${quote(second)}`);
  }

  return undefined;
}

/**
 * The options object a decorator factory or function form was given: `undefined` stands for no
 * options; anything but a plain object is refused.
 */
export function optionsArgument(call: string, value: unknown): object | undefined {
  if (value === undefined || isPlainObject(value)) {
    return value;
  }

  throw new TypeError(`${call} takes an options object, but got ${describe(value)}`);
}

/** Throws unless `fn` is a function; the function forms take the task's function. */
export function assertFunction(call: string, fn: unknown): asserts fn is Function {
  if (typeof fn !== "function") {
    throw new TypeError(`${call} takes the task's function, but got ${describe(fn)}`);
  }
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "function") {
    return `a function ${quote(value.name)}`;
  }

  if (typeof value === "string") {
    return JSON.stringify(value);
  }

  if (value === null || typeof value !== "object") {
    return String(value);
  }

  return Array.isArray(value) ? "an array" : `an instance of ${value.constructor?.name ?? "?"}`;
}

function isDecoratorContext(value: unknown): value is DecoratorContext {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === "string" &&
    "name" in value
  );
}

/** A prototype (instance member) or a class (static member), as experimental decorators get. */
function isDecoratorTarget(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function isPropertyKey(value: unknown): value is string | symbol {
  return typeof value === "string" || typeof value === "symbol";
}

function isMethodDescriptor(value: unknown): value is { readonly value: Function } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { value?: unknown }).value === "function"
  );
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== "object" || value === null) {
    return false;
  }

  const prototype: unknown = Object.getPrototypeOf(value);

  return prototype === Object.prototype || prototype === null;
}

function notAMethod(decorator: string, what: string, name: unknown): TypeError {
  return new TypeError(
    `@${decorator} decorates methods, but was applied to ${what} ${quote(name)}`,
  );
}

function quote(name: unknown): string {
  return typeof name === "symbol" ? name.toString() : JSON.stringify(String(name));
}
