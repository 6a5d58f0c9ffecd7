/** What taskgen's decorators and function forms recorded, by the method, class or function. */
const DECLARED = new WeakMap<Function, Readonly<Record<string, unknown>>>();

/**
 * The options taskgen's decorators or function forms declared on a method, class or function,
 * merged when several are stacked (`@noRetry` adds `retries: 0`); `undefined` when none did. A
 * bare decorator records an empty object.
 *
 * The generated dispatch table, not this record, decides how tasks run; it exists to check that a
 * declaration arrived as written.
 *
 * @example
 * class Orders { @callDeferred({ queue: "mail" }) async sendConfirmation(orderId: string) {} }
 * declaredTaskOptions(Orders.prototype.sendConfirmation); // { queue: "mail" }
 */
export function declaredTaskOptions(
  target: Function,
): Readonly<Record<string, unknown>> | undefined {
  return DECLARED.get(target);
}

/** Merges `options` into what is recorded for `target`; a later record wins on a shared key. */
export function recordTaskOptions(target: Function, options: object = {}): void {
  const merged = { ...DECLARED.get(target), ...options };

  DECLARED.set(target, Object.freeze(merged));
}
