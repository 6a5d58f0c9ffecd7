import { Key } from "../key.js";
import { CodecError } from "./codec-error.js";
import { abbreviatePath, formatPath, type PathSegment } from "./codec-path.js";
import { encodeBase64, specialNumberName, TAG, TAG_PREFIX_CODE } from "./wire-tags.js";

/** Limits an encoder enforces, so that it never writes what a decoder would refuse. */
export interface EncodeLimits {
  readonly maxDepth: number;
  readonly maxBytes: number;
}

const MAX_SAFE_ID = BigInt(Number.MAX_SAFE_INTEGER);

const UNDEFINED_TAG = Object.freeze({ [TAG.undefined]: 0 });

const TRAVELLING = "JSON values, arrays, plain objects, Date, bigint, Uint8Array and Key";

/**
 * Turns a value into the JSON tree that stands for it on the wire (see `envelope.ts`), ready for
 * `JSON.stringify`. `root` names the value in error messages, such as `payload`.
 *
 * @throws CodecError naming the path of the first value that cannot travel.
 */
export function encodeValue(value: unknown, root: string, limits: EncodeLimits): unknown {
  return new ValueEncoder(root, limits).encode(value, 0);
}

class ValueEncoder {
  private readonly segments: PathSegment[] = [];

  // Only the objects on the way down: a value that appears twice, but not inside itself, is
  // fine and arrives as two copies.
  private readonly ancestors = new Set<object>();

  constructor(
    private readonly root: string,
    private readonly limits: EncodeLimits,
  ) {}

  encode(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number": {
        const name = specialNumberName(value);

        return name === undefined ? value : { [TAG.number]: name };
      }
      case "bigint":
        return { [TAG.bigint]: value.toString() };
      case "undefined":
        return UNDEFINED_TAG;
      case "object":
        return value === null ? null : this.encodeObject(value, depth);
      default:
        throw this.refuse(depth, `a ${typeof value}`);
    }
  }

  private encodeObject(value: object, depth: number): unknown {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) {
        throw this.refuse(depth, "an invalid Date", "only dates with a time can travel");
      }

      return { [TAG.date]: value.toISOString() };
    }

    if (value instanceof Uint8Array) {
      return { [TAG.bytes]: encodeBase64(value) };
    }

    if (value instanceof Key) {
      return { [TAG.key]: keyParts(value) };
    }

    return this.encodeContainer(value, depth);
  }

  private encodeContainer(value: object, depth: number): unknown {
    if (depth >= this.limits.maxDepth) {
      throw this.refuse(
        depth,
        "nested too deeply",
        `a task value may nest arrays and objects ${this.limits.maxDepth} levels deep`,
      );
    }

    if (this.ancestors.has(value)) {
      throw this.refuse(
        depth,
        "a reference to an enclosing value (a cycle)",
        "a task value is a tree; pass an id or key instead of the back reference",
      );
    }

    this.ancestors.add(value);

    const encoded = Array.isArray(value)
      ? this.encodeArray(value, depth)
      : this.encodePlainObject(value, depth);

    this.ancestors.delete(value);
    return encoded;
  }

  private encodeArray(value: readonly unknown[], depth: number): unknown[] {
    // Each item takes two bytes at least; this stops `new Array(1e9)` before the loop does.
    if (value.length * 2 > this.limits.maxBytes) {
      throw this.refuse(
        depth,
        `an array of ${value.length} items`,
        `an envelope holds ${this.limits.maxBytes} bytes at most`,
      );
    }

    const encoded: unknown[] = new Array(value.length);

    for (let index = 0; index < value.length; index++) {
      this.segments[depth] = index;
      encoded[index] = this.encode(value[index], depth + 1);
    }

    return encoded;
  }

  private encodePlainObject(value: object, depth: number): unknown {
    const prototype: unknown = Object.getPrototypeOf(value);

    if (prototype !== Object.prototype && prototype !== null) {
      throw this.refuse(depth, describeInstance(value), instanceHint(value));
    }

    const symbol = Object.getOwnPropertySymbols(value).find((item) =>
      Object.prototype.propertyIsEnumerable.call(value, item),
    );

    if (symbol !== undefined) {
      throw this.refuse(
        depth,
        `an object with the symbol key ${String(symbol)}`,
        "symbol keys cannot travel; use string keys",
      );
    }

    // A null prototype makes `__proto__` an ordinary member here, as it is in the source.
    const encoded: Record<string, unknown> = Object.create(null);
    let escaped = false;

    for (const key of Object.keys(value)) {
      escaped ||= key.charCodeAt(0) === TAG_PREFIX_CODE;
      this.segments[depth] = key;
      encoded[key] = this.encode((value as Record<string, unknown>)[key], depth + 1);
    }

    return escaped ? { [TAG.object]: encoded } : encoded;
  }

  private refuse(depth: number, what: string, hint?: string): CodecError {
    const path = formatPath(this.root, this.segments.slice(0, depth));
    const reason = hint ?? `only ${TRAVELLING} can travel`;

    return new CodecError(`Cannot encode ${abbreviatePath(path)}: it is ${what}; ${reason}`, path);
  }
}

/** A key as `$k` carries it: project, namespace, then the flat path. */
function keyParts(key: Key): unknown[] {
  const parts: unknown[] = [key.project ?? "", key.namespace ?? ""];

  for (const { kind, id, name } of key.path) {
    parts.push(kind);

    if (name !== undefined) {
      parts.push(name);
    } else if (id !== undefined) {
      parts.push(id <= MAX_SAFE_ID ? Number(id) : { [TAG.bigint]: `${id}` });
    }
  }

  return parts;
}

function describeInstance(value: object): string {
  const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;

  if (typeof name !== "string" || name === "") {
    return "an instance of a class";
  }

  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

function instanceHint(value: object): string {
  if (value instanceof Map) {
    return "pass Object.fromEntries(map) or [...map] instead";
  }

  if (value instanceof Set) {
    return "pass [...set] instead";
  }

  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer
    ? "of binary data only Uint8Array can travel"
    : `only ${TRAVELLING} can travel`;
}
