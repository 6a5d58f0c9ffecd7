import { InvalidKeyError } from "./invalid-key-error.js";

/**
 * One step of a key's path: a kind and the id or name of one entity of that kind. Only the last
 * element of a path may have neither (an incomplete key, whose id the datastore allocates).
 */
export interface KeyPathElement {
  readonly kind: string;
  /** A numeric id, from 1 to 2^63 - 1. */
  readonly id?: bigint;
  /** A string name; never empty. */
  readonly name?: string;
}

/**
 * A path written flat, kinds and identifiers alternating, parents first: strings after a kind are
 * names, numbers and bigints are ids. An odd length leaves the last element incomplete.
 *
 * @example
 * const orderLine: KeyPathPart[] = ["Order", 12n, "Line", "gift-wrap"];
 */
export type KeyPathPart = string | number | bigint;

/** The largest id the datastore allows (ids are positive int64 values). */
export const MAX_KEY_ID = 2n ** 63n - 1n;

/** Turns a flat path into path elements, checking it. */
export function elementsFromParts(parts: readonly KeyPathPart[]): readonly KeyPathElement[] {
  if (!Array.isArray(parts)) {
    throw new InvalidKeyError(
      `A key path is an array, such as ["Order", 12n], not ${typeOf(parts)}`,
    );
  }

  const elements: KeyPathElement[] = [];

  for (let index = 0; index < parts.length; index += 2) {
    const kind = parts[index];
    const identifier = parts[index + 1];

    if (typeof kind !== "string") {
      throw new InvalidKeyError(
        `Invalid key path: item ${index} should be a kind (a string), but is ${show(kind)}`,
      );
    }

    elements.push(index + 1 < parts.length ? element(kind, identifier) : { kind });
  }

  return checkPath(elements);
}

/**
 * Checks path elements and returns frozen copies of them. Throws `InvalidKeyError` naming the
 * first problem.
 */
export function checkPath(path: readonly KeyPathElement[]): readonly KeyPathElement[] {
  if (!Array.isArray(path) || path.length === 0) {
    throw new InvalidKeyError("A key path needs at least one element, such as the kind and id");
  }

  return Object.freeze(
    path.map((element, index) => checkElement(element, index === path.length - 1)),
  );
}

/** Reads the identifier after a kind: a name (string) or an id (number, bigint). */
export function element(kind: string, identifier: unknown): KeyPathElement {
  if (typeof identifier === "string") {
    return { kind, name: identifier };
  }

  if (typeof identifier === "bigint") {
    return { kind, id: identifier };
  }

  if (typeof identifier === "number" && Number.isSafeInteger(identifier)) {
    return { kind, id: BigInt(identifier) };
  }

  const hint =
    typeof identifier === "number" && Number.isInteger(identifier)
      ? "; ids beyond 2^53 - 1 lose precision as numbers, so give them as bigint"
      : "";

  throw new InvalidKeyError(
    `Invalid key path: the id or name of ${show(kind)} should be a string, a whole number ` +
      `or a bigint, but is ${show(identifier)}${hint}`,
  );
}

/** A value as an error message quotes it. */
export function show(value: unknown): string {
  if (typeof value === "bigint") {
    return `${value}n`;
  }

  return typeof value === "string" ? JSON.stringify(value) : typeOf(value);
}

function checkElement(element: KeyPathElement, isLast: boolean): KeyPathElement {
  const { kind, id, name } = element;

  if (typeof kind !== "string" || kind === "") {
    throw new InvalidKeyError(
      `Invalid key path: a kind must be a non-empty string, not ${show(kind)}`,
    );
  }

  if (id !== undefined && (typeof id !== "bigint" || id < 1n || id > MAX_KEY_ID)) {
    throw new InvalidKeyError(
      `Invalid key path: the id of ${show(kind)} must run from 1 to 2^63 - 1, but is ${String(id)}`,
    );
  }

  if (name !== undefined && (typeof name !== "string" || name === "")) {
    throw new InvalidKeyError(
      `Invalid key path: the name of ${show(kind)} must be a non-empty string, not ${show(name)}`,
    );
  }

  if (id !== undefined && name !== undefined) {
    throw new InvalidKeyError(
      `Invalid key path: ${show(kind)} has both an id (${id}) and a name (${show(name)})`,
    );
  }

  if (id === undefined && name === undefined && !isLast) {
    throw new InvalidKeyError(
      `Invalid key path: the parent ${show(kind)} has no id or name; ` +
        "only the last element may lack one",
    );
  }

  if (id !== undefined) {
    return Object.freeze({ kind, id });
  }

  return Object.freeze(name === undefined ? { kind } : { kind, name });
}

function typeOf(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return typeof value === "function" || typeof value === "symbol"
      ? `a ${typeof value}`
      : String(value);
  }

  return Array.isArray(value) ? "an array" : "an object";
}
