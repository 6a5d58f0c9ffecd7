import { InvalidKeyError } from "../invalid-key-error.js";
import { Key } from "../key.js";
import type { KeyPathPart } from "../key-path.js";
import { CodecError } from "./codec-error.js";
import { abbreviatePath, formatPath, type PathSegment } from "./codec-path.js";
import { parseIsoDate } from "./parse-iso-date.js";
import { quoteWire } from "./quote-wire.js";
import {
  parseBase64,
  parseBigint,
  SPECIAL_NUMBERS,
  TAG,
  TAG_LIST,
  TAG_PREFIX_CODE,
} from "./wire-tags.js";

type JsonObject = Record<string, unknown>;

/**
 * Turns the output of `JSON.parse` for one value into the value it stands for, in place: tags
 * become their values, everything else stays the object `JSON.parse` made. The caller must not
 * use `value` after an error, as parts of it may be decoded.
 *
 * @throws CodecError naming the path of the first malformed part.
 */
export function decodeValue(value: unknown, root: string, maxDepth: number): unknown {
  // Plain JSON scalars are the common case and need no walker at all.
  if (typeof value !== "object" || value === null) {
    return value;
  }

  return new ValueDecoder(root, maxDepth).decode(value, 0);
}

class ValueDecoder {
  private readonly segments: PathSegment[] = [];

  // `for…in` walks `JSON.parse` output twice as fast as `Object.keys`, but also visits enumerable
  // members someone added to `Object.prototype`; only then is each key checked to be own.
  private readonly prototypeIsDirty = hasEnumerableMembers(Object.prototype);

  constructor(
    private readonly root: string,
    private readonly maxDepth: number,
  ) {}

  decode(value: object, depth: number): unknown {
    if (Array.isArray(value)) {
      this.checkDepth(depth);
      this.decodeItems(value, depth);
      return value;
    }

    const object = value as JsonObject;
    let tag: string | undefined;
    let count = 0;

    for (const key in object) {
      if (this.prototypeIsDirty && !Object.hasOwn(object, key)) {
        continue;
      }

      count++;

      if (key.charCodeAt(0) === TAG_PREFIX_CODE) {
        tag ??= key;
      } else {
        // Checked before going down, as tag objects, which do not count as levels, look like
        // plain objects until their member is seen.
        this.checkDepth(depth);
        this.decodeMember(object, key, depth);
      }
    }

    if (tag === undefined) {
      this.checkDepth(depth);
      return object;
    }

    if (count !== 1) {
      throw this.malformed(
        depth,
        `the tag ${JSON.stringify(tag)} shares its object with other members`,
      );
    }

    return this.decodeTag(tag, object[tag], depth);
  }

  private checkDepth(depth: number): void {
    if (depth >= this.maxDepth) {
      throw this.malformed(depth, `it nests deeper than ${this.maxDepth} levels`);
    }
  }

  private decodeItems(items: unknown[], depth: number): void {
    for (let index = 0; index < items.length; index++) {
      const item = items[index];

      if (typeof item === "object" && item !== null) {
        this.segments[depth] = index;
        items[index] = this.decode(item, depth + 1);
      }
    }
  }

  private decodeMember(object: JsonObject, key: string, depth: number): void {
    const member = object[key];

    if (typeof member !== "object" || member === null) {
      return;
    }

    this.segments[depth] = key;

    const decoded = this.decode(member, depth + 1);

    if (decoded !== member) {
      // Defining, not assigning, so that a member named `__proto__` stays a member.
      Object.defineProperty(object, key, {
        value: decoded,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }

  private decodeTag(tag: string, content: unknown, depth: number): unknown {
    switch (tag) {
      case TAG.undefined:
        return content === 0 ? undefined : this.badTag(depth, tag, content, "0");
      case TAG.number:
        return this.decodeSpecialNumber(content, depth);
      case TAG.bigint:
        return this.decodeBigint(content, depth);
      case TAG.date:
        return (
          (typeof content === "string" ? parseIsoDate(content) : undefined) ??
          this.badTag(depth, tag, content, "a date as toISOString writes it")
        );
      case TAG.bytes:
        return (
          (typeof content === "string" ? parseBase64(content) : undefined) ??
          this.badTag(depth, tag, content, "standard base64 with padding")
        );
      case TAG.key:
        return this.decodeKey(content, depth);
      case TAG.object:
        return this.decodeEscapedObject(content, depth);
      default:
        throw this.malformed(
          depth,
          `it has the unknown tag ${JSON.stringify(tag)}; the tags are ${TAG_LIST}`,
        );
    }
  }

  private decodeSpecialNumber(content: unknown, depth: number): number {
    const number = typeof content === "string" ? SPECIAL_NUMBERS.get(content) : undefined;

    return (
      number ?? this.badTag(depth, TAG.number, content, '"NaN", "Infinity", "-Infinity" or "-0"')
    );
  }

  private decodeBigint(content: unknown, depth: number): bigint {
    const bigint = typeof content === "string" ? parseBigint(content) : undefined;

    return bigint ?? this.badTag(depth, TAG.bigint, content, "a decimal integer in a string");
  }

  private decodeEscapedObject(content: unknown, depth: number): JsonObject {
    if (typeof content !== "object" || content === null || Array.isArray(content)) {
      return this.badTag(depth, TAG.object, content, "an object");
    }

    this.checkDepth(depth);

    // The members of an escaped object are user data whatever their names; only their values
    // are decoded.
    for (const key of Object.keys(content)) {
      this.decodeMember(content as JsonObject, key, depth);
    }

    return content as JsonObject;
  }

  private decodeKey(content: unknown, depth: number): Key {
    const expected = "[project, namespace, kind, id or name, …]";

    if (!Array.isArray(content) || content.length < 3) {
      return this.badTag(depth, TAG.key, content, expected);
    }

    const [project, namespace, ...rest] = content as unknown[];

    if (typeof project !== "string" || typeof namespace !== "string") {
      return this.badTag(depth, TAG.key, content, expected);
    }

    const path = rest.map((part) => this.keyPart(part, depth));

    try {
      return Key.from(path, { project, namespace });
    } catch (error) {
      if (error instanceof InvalidKeyError) {
        throw this.malformed(depth, `it is an invalid key: ${error.message}`, error);
      }

      throw error;
    }
  }

  /** A path part of `$k`: strings and numbers as they are, ids beyond 2^53 - 1 as `$i` tags. */
  private keyPart(part: unknown, depth: number): KeyPathPart {
    if (typeof part === "string" || typeof part === "number") {
      return part;
    }

    if (typeof part === "object" && part !== null && !Array.isArray(part)) {
      const keys = Object.keys(part);

      if (keys.length === 1 && keys[0] === TAG.bigint) {
        return this.decodeBigint((part as JsonObject)[TAG.bigint], depth);
      }
    }

    return this.badTag(depth, TAG.key, part, 'a kind, a name, an id or {"$i": id} in its path');
  }

  private badTag(depth: number, tag: string, content: unknown, expected: string): never {
    throw this.malformed(
      depth,
      `the tag ${JSON.stringify(tag)} should hold ${expected}, but holds ${quoteWire(content)}`,
    );
  }

  private malformed(depth: number, reason: string, cause?: unknown): CodecError {
    const path = formatPath(this.root, this.segments.slice(0, depth));

    return new CodecError(
      `Malformed envelope at ${abbreviatePath(path)}: ${reason}`,
      path,
      cause === undefined ? undefined : { cause },
    );
  }
}

function hasEnumerableMembers(object: object): boolean {
  for (const _ in object) {
    return true;
  }

  return false;
}
