import { CodecError } from "./codec-error.js";
import { quoteWire } from "./quote-wire.js";
import { decodeValue } from "./decode-value.js";
import {
  ENVELOPE_VERSION,
  exceedsBytes,
  resolveCodecOptions,
  type CodecOptions,
  type Envelope,
  type TaskEnvironment,
} from "./envelope.js";

type JsonObject = Record<string, unknown>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ENVELOPE_MEMBERS = new Set(["v", "task", "payload", "env", "meta"]);

const ENVIRONMENT_MEMBERS = new Set(["user", "lang", "custom"]);

/**
 * Reads an envelope from the JSON text a transport delivered (format in `envelope.ts`). Safe on
 * hostile text: it throws nothing but `CodecError`, returns all or nothing, never touches
 * `Object.prototype` (`__proto__` stays an ordinary member), and keeps to `options.maxBytes` and
 * `options.maxDepth`.
 *
 * @throws CodecError naming the path of the first malformed part.
 *
 * @example
 * const { task, payload } = decodeEnvelope(delivery.body);
 */
export function decodeEnvelope(text: string, options?: CodecOptions): Envelope {
  const limits = resolveCodecOptions(options);

  if (typeof text !== "string") {
    throw new CodecError(`Malformed envelope: it should be a string, not ${typeof text}`, "");
  }

  if (exceedsBytes(text, limits.maxBytes)) {
    throw new CodecError(
      `Malformed envelope: it takes more than the limit of ${limits.maxBytes} bytes`,
      "",
    );
  }

  try {
    // Without a `$` anywhere the text holds no tag, so the parsed values are the decoded ones
    // and only their nesting is left to check.
    return readEnvelope(parseJson(text), limits.maxDepth, text.indexOf("$") === -1);
  } catch (error) {
    if (error instanceof CodecError) {
      throw error;
    }

    // A stack overflow from a raised maxDepth, or a bug: still a bad payload, not a crash.
    throw new CodecError(`Malformed envelope: ${String(error)}`, "", { cause: error });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CodecError(`Malformed envelope: it is not JSON (${(error as Error).message})`, "", {
      cause: error,
    });
  }
}

function readEnvelope(wire: unknown, maxDepth: number, plain: boolean): Envelope {
  const envelope = checkObject(wire, "", "the envelope");

  // The version first: a later version may well have members this reader does not know.
  if (envelope["v"] !== ENVELOPE_VERSION) {
    throw new CodecError(
      `Unsupported envelope version ${quoteWire(envelope["v"])}; this runtime reads version ` +
        `${ENVELOPE_VERSION}`,
      "v",
    );
  }

  checkMembers(envelope, "", "the envelope", ENVELOPE_MEMBERS);

  if (typeof envelope["task"] !== "string" || envelope["task"] === "") {
    throw new CodecError(
      "Malformed envelope at task: a task id is a non-empty string, " +
        `not ${quoteWire(envelope["task"])}`,
      "task",
    );
  }

  if (!Object.hasOwn(envelope, "payload")) {
    throw new CodecError("Malformed envelope: it has no payload", "payload");
  }

  // Built member by member: optional members are absent, not undefined, and spreading
  // conditional objects costs a tenth of the whole decoding.
  const decoded: Mutable<Envelope> = {
    v: ENVELOPE_VERSION,
    task: envelope["task"],
    payload: plain
      ? checkDepth(envelope["payload"], "payload", maxDepth)
      : decodeValue(envelope["payload"], "payload", maxDepth),
  };

  if (envelope["env"] !== undefined) {
    decoded.env = readEnvironment(envelope["env"], maxDepth, plain);
  }

  if (envelope["meta"] !== undefined) {
    decoded.meta = readMeta(envelope["meta"]);
  }

  return decoded;
}

function readEnvironment(wire: unknown, maxDepth: number, plain: boolean): TaskEnvironment {
  const env = checkObject(wire, "env", "env");

  checkMembers(env, "env", "env", ENVIRONMENT_MEMBERS);

  const decoded: Mutable<TaskEnvironment> = {};

  if (env["user"] !== undefined) {
    decoded.user = readString(env["user"], "env.user");
  }

  if (env["lang"] !== undefined) {
    decoded.lang = readString(env["lang"], "env.lang");
  }

  if (env["custom"] !== undefined) {
    const custom = env["custom"];
    decoded.custom = plain
      ? checkDepth(custom, "env.custom", maxDepth)
      : decodeValue(custom, "env.custom", maxDepth);
  }

  return decoded;
}

function readString(wire: unknown, path: string): string {
  if (typeof wire !== "string") {
    throw new CodecError(
      `Malformed envelope at ${path}: it should be a string, not ${quoteWire(wire)}`,
      path,
    );
  }

  return wire;
}

function readMeta(wire: unknown): Record<string, string | number> {
  const meta = checkObject(wire, "meta", "meta");

  for (const name of Object.keys(meta)) {
    const value = meta[name];

    if (typeof value !== "string" && typeof value !== "number") {
      const path = `meta[${JSON.stringify(name)}]`;

      throw new CodecError(
        `Malformed envelope at ${path}: meta values are strings or numbers, ` +
          `not ${quoteWire(value)}`,
        path,
      );
    }
  }

  return meta as Record<string, string | number>;
}

function checkObject(wire: unknown, path: string, what: string): JsonObject {
  if (typeof wire !== "object" || wire === null || Array.isArray(wire)) {
    throw new CodecError(
      `${malformedAt(path)}: ${what} should be an object, not ${quoteWire(wire)}`,
      path,
    );
  }

  return wire as JsonObject;
}

function checkMembers(
  wire: JsonObject,
  path: string,
  what: string,
  members: ReadonlySet<string>,
): void {
  const unknown = unknownMember(wire, members);

  if (unknown !== undefined) {
    throw new CodecError(
      `${malformedAt(path)}: ${what} has the unknown member ${JSON.stringify(unknown)}; ` +
        `its members are ${[...members].join(", ")}`,
      path,
    );
  }
}

function malformedAt(path: string): string {
  return path === "" ? "Malformed envelope" : `Malformed envelope at ${path}`;
}

function unknownMember(wire: object, members: ReadonlySet<string>): string | undefined {
  for (const name of Object.keys(wire)) {
    if (!members.has(name)) {
      return name;
    }
  }

  return undefined;
}

/** Returns `value` when its arrays and objects nest at most `maxDepth` deep, else throws. */
function checkDepth(value: unknown, path: string, maxDepth: number): unknown {
  if (nestsDeeper(value, maxDepth)) {
    throw new CodecError(
      `Malformed envelope at ${path}: it nests deeper than ${maxDepth} levels`,
      path,
    );
  }

  return value;
}

// Recursion is safe here: it stops at `levels`, which is the configured depth limit.
function nestsDeeper(value: unknown, levels: number): boolean {
  if (typeof value !== "object" || value === null) {
    return false;
  }

  if (levels === 0) {
    return true;
  }

  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (nestsDeeper(item, levels - 1)) return true;
    }
    return false;
  }

  const object = value as JsonObject;
  for (const key in object) {
    if (Object.hasOwn(object, key) && nestsDeeper(object[key], levels - 1)) return true;
  }
  return false;
}
