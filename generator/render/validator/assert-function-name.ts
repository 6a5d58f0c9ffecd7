/** A plain JavaScript identifier, as a function name or an unquoted property name must be. */
export const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Names taken by the prelude or by the locals of check functions (`o1`, `ks2`, ...). */
const RESERVED_NAME = /^(?:got|hasOwn|joinPath|keySegment|v|_v|[a-z]{1,2}\d+)$/;

/**
 * Refuses a check function name that is not an identifier, or that a check function would
 * shadow or be shadowed by. `what` names the function in the error, e.g. `check function`.
 */
export function assertFunctionName(name: string, what: string): void {
  if (!IDENTIFIER.test(name) || RESERVED_NAME.test(name)) {
    throw new Error(`The ${what} cannot be named "${name}": use another identifier`);
  }
}
