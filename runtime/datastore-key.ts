/**
 * Keys as `@google-cloud/datastore` holds them, described structurally so the runtime does not
 * import that package. There, a path lists kinds and identifiers alternately; a string identifier
 * is a name, a number or an `Int` (`datastore.int("...")`) is an id. Its `Key` objects also carry
 * `kind`, `id` (a decimal string once read from the server), `name` and `parent`.
 */

import { InvalidKeyError } from "./invalid-key-error.js";
import { element, MAX_KEY_ID, show, type KeyPathElement } from "./key-path.js";

/** An integer wrapped as `@google-cloud/datastore` does (`Int`, or its JSON form). */
export interface DatastoreIntLike {
  readonly value: string;
}

/** One item of a `@google-cloud/datastore` key path. */
export type DatastorePathItem = string | number | bigint | DatastoreIntLike | undefined;

/**
 * A key from `@google-cloud/datastore`: its `Key` object, its `key.serialized` form, or the plain
 * `{ namespace, path }` options `datastore.key()` takes.
 */
export interface DatastoreKeyLike {
  /** The namespace; absent or empty for the default namespace. */
  readonly namespace?: string | undefined;
  /** Kinds and identifiers alternating, parents first; read only when `kind` is absent. */
  readonly path: readonly DatastorePathItem[];
  /** A `Key` object's kind; when present, `id`, `name` and `parent` describe the key. */
  readonly kind?: string;
  /** A `Key` object's id: a number, or a decimal string as read from the server. */
  readonly id?: string | number | undefined;
  /** A `Key` object's name. */
  readonly name?: string | undefined;
  /** A `Key` object's parent key. */
  readonly parent?: DatastoreKeyLike | undefined;
}

/**
 * The options `datastore.key()` takes. Ids are numbers, or whatever the `int` function given to
 * `toDatastoreKey` makes of their decimal digits.
 */
export interface DatastoreKeyShape<Int = never> {
  /** The namespace; absent for the default namespace. */
  namespace?: string;
  /** Kinds and identifiers alternating, parents first; names are strings, ids numbers or `Int`. */
  path: (string | number | Int)[];
}

/** The path elements of a `@google-cloud/datastore` key, unchecked. */
export function elementsFromDatastoreKey(key: DatastoreKeyLike): KeyPathElement[] {
  if (typeof key !== "object" || key === null) {
    throw new InvalidKeyError(`A datastore key is an object with a path, not ${show(key)}`);
  }

  // A Key object's own fields win: its `path` shows ids read from the server as strings.
  if (typeof key.kind === "string") {
    return elementsFromKeyObject(key);
  }

  if (!Array.isArray(key.path)) {
    throw new InvalidKeyError('A datastore key needs a path, such as { path: ["Order", 12] }');
  }

  const items = key.path.at(-1) === undefined ? key.path.slice(0, -1) : key.path;
  const elements: KeyPathElement[] = [];

  for (let index = 0; index < items.length; index += 2) {
    const kind = items[index];

    if (typeof kind !== "string") {
      throw new InvalidKeyError(
        `Invalid datastore key path: item ${index} should be a kind (a string), ` +
          `but is ${show(kind)}`,
      );
    }

    elements.push(index + 1 < items.length ? element(kind, idOf(items[index + 1])) : { kind });
  }

  return elements;
}

/** A key's path in `@google-cloud/datastore`'s flat form. */
export function datastorePath<Int>(
  path: readonly KeyPathElement[],
  int: ((value: string) => Int) | undefined,
): (string | number | Int)[] {
  return path.flatMap((item) => {
    if (item.id !== undefined) {
      return [item.kind, datastoreId(item.id, int)];
    }

    return item.name === undefined ? [item.kind] : [item.kind, item.name];
  });
}

function datastoreId<Int>(id: bigint, int: ((value: string) => Int) | undefined): number | Int {
  if (int !== undefined) {
    return int(id.toString());
  }

  if (id > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidKeyError(
      `The id ${id} is beyond 2^53 - 1 and would lose precision as a number; ` +
        "pass datastore.int to toDatastoreKey, as in key.toDatastoreKey((v) => datastore.int(v))",
    );
  }

  return Number(id);
}

function elementsFromKeyObject(key: DatastoreKeyLike): KeyPathElement[] {
  const elements: KeyPathElement[] = [];

  for (let step: DatastoreKeyLike | undefined = key; step !== undefined; step = step.parent) {
    const kind = step.kind ?? "";

    if (step.name !== undefined) {
      elements.unshift({ kind, name: step.name });
    } else if (step.id !== undefined) {
      elements.unshift(element(kind, typeof step.id === "string" ? decimalId(step.id) : step.id));
    } else {
      elements.unshift({ kind });
    }
  }

  return elements;
}

/** An identifier with ids given as decimal strings or `Int`s turned into bigints. */
function idOf(item: DatastorePathItem): unknown {
  if (typeof item === "object" && item !== null && typeof item.value === "string") {
    return decimalId(item.value);
  }

  return item;
}

function decimalId(digits: string): bigint {
  if (!/^[1-9][0-9]*$/.test(digits) || BigInt(digits) > MAX_KEY_ID) {
    throw new InvalidKeyError(
      `Invalid datastore key: the id ${show(digits)} is not a whole number from 1 to 2^63 - 1`,
    );
  }

  return BigInt(digits);
}
