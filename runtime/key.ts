import { decodeBase64url, encodeBase64url } from "./base64url.js";
import {
  datastorePath,
  elementsFromDatastoreKey,
  type DatastoreKeyLike,
  type DatastoreKeyShape,
} from "./datastore-key.js";
import { describeError } from "./describe-error.js";
import { InvalidKeyError } from "./invalid-key-error.js";
import {
  checkPath,
  elementsFromParts,
  show,
  type KeyPathElement,
  type KeyPathPart,
} from "./key-path.js";
import {
  decodeLegacyReference,
  encodeLegacyReference,
  type RawElement,
} from "./legacy-reference.js";

/** Where a key lives besides its path. Empty strings mean the same as absent values. */
export interface KeyOptions {
  /** The namespace: up to 100 of `0-9 A-Z a-z . _ -`; absent for the default namespace. */
  readonly namespace?: string;
  /** The project (App Engine app) id, without a location prefix such as `s~`. */
  readonly project?: string;
}

const NAMESPACE_PATTERN = /^[0-9A-Za-z._-]{0,100}$/;

/**
 * A datastore key as Cloud Datastore defines it: a path of (kind, id or name) elements, parents
 * first, in an optional namespace of an optional project. Keys are immutable and compare with
 * {@link Key.equals}.
 *
 * A key converts to and from the legacy URL-safe string of App Engine and ViUR
 * (`toLegacyUrlsafe`) and `@google-cloud/datastore`'s keys (`toDatastoreKey`), so a task can carry
 * keys from either world. Unlike ViUR, a name made of digits stays a name.
 *
 * @example
 * const line = Key.from(["Order", 12n, "Line", "gift-wrap"], { project: "my-project" });
 * line.parent?.id; // 12n
 * Key.fromLegacyUrlsafe(line.toLegacyUrlsafe()).equals(line); // true
 */
export class Key {
  /** The path, parents first; frozen. */
  readonly path: readonly KeyPathElement[];

  /** The namespace; `undefined` for the default namespace. */
  readonly namespace: string | undefined;

  /** The project id; `undefined` when the key was made without one. */
  readonly project: string | undefined;

  /** Makes a key from checked path elements; see {@link Key.from} for the flat form. */
  constructor(path: readonly KeyPathElement[], options: KeyOptions = {}) {
    this.path = checkPath(path);
    this.namespace = checkNamespace(options.namespace);
    this.project = checkProject(options.project);
  }

  /**
   * Makes a key from a flat path, kinds and identifiers alternating: strings after a kind are
   * names, numbers and bigints ids. An odd length makes an incomplete key.
   *
   * @example
   * Key.from(["Order", 12n]);
   * Key.from(["User", "jane"], { namespace: "tenant-7" });
   */
  static from(path: readonly KeyPathPart[], options: KeyOptions = {}): Key {
    return new Key(elementsFromParts(path), options);
  }

  /**
   * Reads a legacy URL-safe key string, as ViUR's `str(key)` and App Engine's
   * `to_legacy_urlsafe()` and `ndb.Key.urlsafe()` write it. A location prefix (`s~`) on the
   * project id is dropped.
   *
   * @throws InvalidKeyError when `urlsafe` is not such a string.
   */
  static fromLegacyUrlsafe(urlsafe: string): Key {
    if (typeof urlsafe !== "string") {
      throw new InvalidKeyError(`A legacy key string is a string, not ${show(urlsafe)}`);
    }

    if (urlsafe === "") {
      throw new InvalidKeyError("A legacy key string cannot be empty");
    }

    try {
      const reference = decodeLegacyReference(decodeBase64url(urlsafe));

      if (reference.databaseId !== "") {
        throw new Error(`it names the database ${show(reference.databaseId)}, not the default one`);
      }

      return new Key(reference.path.map(legacyElement), {
        namespace: reference.nameSpace,
        project: reference.app.slice(reference.app.indexOf("~") + 1),
      });
    } catch (error) {
      const reason = describeError(error);
      const clause = reason.charAt(0).toLowerCase() + reason.slice(1);

      throw new InvalidKeyError(`Invalid legacy key string ${show(urlsafe)}: ${clause}`, {
        cause: error,
      });
    }
  }

  /**
   * Makes a key from a `@google-cloud/datastore` key: its `Key` object, `key.serialized`, or the
   * `{ namespace, path }` options `datastore.key()` takes. Those carry no project; give it here
   * if the key is to become a legacy string.
   */
  static fromDatastoreKey(key: DatastoreKeyLike, options: Pick<KeyOptions, "project"> = {}): Key {
    return new Key(elementsFromDatastoreKey(key), { ...options, ...namespaceOf(key) });
  }

  /** The kind of the entity, the last element's. */
  get kind(): string {
    return this.last.kind;
  }

  /** The entity's numeric id, if it has one. */
  get id(): bigint | undefined {
    return this.last.id;
  }

  /** The entity's string name, if it has one. */
  get name(): string | undefined {
    return this.last.name;
  }

  /** Whether the last element has an id or name; an incomplete key's id is yet to be allocated. */
  get isComplete(): boolean {
    return this.id !== undefined || this.name !== undefined;
  }

  /** The key of the parent entity, in the same namespace and project; `undefined` at the root. */
  get parent(): Key | undefined {
    if (this.path.length === 1) {
      return undefined;
    }

    return new Key(this.path.slice(0, -1), this.options());
  }

  /** Whether `other` is a key with the same project, namespace and path. */
  equals(other: Key): boolean {
    return (
      other instanceof Key &&
      other.project === this.project &&
      other.namespace === this.namespace &&
      other.path.length === this.path.length &&
      other.path.every(
        (item, index) =>
          item.kind === this.path[index]?.kind &&
          item.id === this.path[index]?.id &&
          item.name === this.path[index]?.name,
      )
    );
  }

  /**
   * The legacy URL-safe string of this key, byte for byte as the Python client's
   * `to_legacy_urlsafe()` writes it.
   *
   * @throws InvalidKeyError when the key has no project, which the string must name.
   */
  toLegacyUrlsafe(): string {
    if (this.project === undefined) {
      throw new InvalidKeyError(
        `The key ${this} has no project, which a legacy key string needs; ` +
          "create it with { project } to convert it",
      );
    }

    return encodeBase64url(encodeLegacyReference(this.project, this.path, this.namespace));
  }

  /**
   * This key as the options `datastore.key()` of `@google-cloud/datastore` takes. Ids become
   * numbers; an id beyond 2^53 - 1 throws unless `int` (such as `(v) => datastore.int(v)`) wraps
   * the ids' decimal digits instead.
   *
   * @example
   * const dsKey = datastore.key(key.toDatastoreKey());
   * const bigIdKey = datastore.key(key.toDatastoreKey((v) => datastore.int(v)));
   */
  toDatastoreKey<Int = never>(int?: (value: string) => Int): DatastoreKeyShape<Int> {
    const path = datastorePath(this.path, int);

    return this.namespace === undefined ? { path } : { namespace: this.namespace, path };
  }

  /**
   * The key in the style of a GQL key literal, for logs and messages: names quoted, ids bare.
   *
   * @example
   * Key.from(["Order", 12n, "Line", "a"], { namespace: "shop" }).toString();
   * // "Key(NAMESPACE('shop'), Order, 12, Line, 'a')"
   */
  toString(): string {
    const partition = [
      ...(this.project === undefined ? [] : [`PROJECT(${quoteString(this.project)})`]),
      ...(this.namespace === undefined ? [] : [`NAMESPACE(${quoteString(this.namespace)})`]),
    ];
    const path = this.path.flatMap((item) => [
      quoteKind(item.kind),
      ...(item.id !== undefined ? [String(item.id)] : []),
      ...(item.name !== undefined ? [quoteString(item.name)] : []),
    ]);

    return `Key(${[...partition, ...path].join(", ")})`;
  }

  private get last(): KeyPathElement {
    return this.path[this.path.length - 1] as KeyPathElement;
  }

  private options(): KeyOptions {
    return {
      ...(this.namespace === undefined ? {} : { namespace: this.namespace }),
      ...(this.project === undefined ? {} : { project: this.project }),
    };
  }
}

/** A legacy path element as a key path element: a zero id and an empty name mean unset. */
function legacyElement({ type, id, name }: RawElement): KeyPathElement {
  if (id >= 2n ** 63n) {
    throw new Error(`the id of ${show(type)} is negative`);
  }

  if (id !== 0n) {
    return name === "" ? { kind: type, id } : { kind: type, id, name };
  }

  return name === "" ? { kind: type } : { kind: type, name };
}

function namespaceOf(key: DatastoreKeyLike): Pick<KeyOptions, "namespace"> {
  return typeof key.namespace === "string" ? { namespace: key.namespace } : {};
}

function checkNamespace(namespace: string | undefined): string | undefined {
  if (namespace === undefined || namespace === "") {
    return undefined;
  }

  if (typeof namespace !== "string" || !NAMESPACE_PATTERN.test(namespace)) {
    throw new InvalidKeyError(
      `Invalid namespace ${show(namespace)}: ` +
        'a namespace has up to 100 of 0-9, A-Z, a-z, ".", "_" and "-"',
    );
  }

  return namespace;
}

function checkProject(project: string | undefined): string | undefined {
  if (project === undefined || project === "") {
    return undefined;
  }

  if (typeof project !== "string") {
    throw new InvalidKeyError(`Invalid project ${show(project)}: a project id is a string`);
  }

  return project;
}

function quoteString(value: string): string {
  return `'${value.replace(/[\\']/g, "\\$&")}'`;
}

function quoteKind(kind: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(kind) ? kind : `\`${kind.replace(/`/g, "``")}\``;
}
