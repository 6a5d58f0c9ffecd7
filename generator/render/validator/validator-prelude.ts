/**
 * Helpers shared by every check, placed once near the top of `validators.ts`, after the imports.
 * They are exported so that a project compiled with `noUnusedLocals` accepts the file even when
 * no check needs one of them; the check functions must not use these names.
 */
export const VALIDATOR_PRELUDE = String.raw`/** Describes a received value, e.g. "number 3". */
export function got(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") {
    if (value.length <= 40) return "string " + JSON.stringify(value);
    return "string " + JSON.stringify(value.slice(0, 40)) + "... (" + value.length + " chars)";
  }
  if (typeof value === "number" || typeof value === "boolean") {
    return typeof value + " " + String(value);
  }
  if (typeof value === "bigint") return "bigint " + String(value) + "n";
  if (typeof value !== "object") return typeof value;
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "invalid Date" : "Date";
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return "object";
  const ctor: unknown = (proto as { readonly constructor?: unknown }).constructor;
  return typeof ctor === "function" && ctor.name !== "" ? ctor.name : "object";
}

/** Own-property test: never consults the prototype chain, whatever it holds. */
export const hasOwn = Object.prototype.hasOwnProperty;

/** Prefixes the message of a nested check with the path to the value it checked. */
export function joinPath(path: string, message: string): string {
  return message.startsWith("expected") ? path + ": " + message : path + message;
}

/** The path segment of a property found at run time: ".name" or '["odd-name"]'. */
export function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? "." + key : "[" + JSON.stringify(key) + "]";
}
`;
