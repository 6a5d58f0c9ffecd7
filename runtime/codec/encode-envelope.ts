import { Buffer } from "node:buffer";

import { CodecError } from "./codec-error.js";
import { encodeValue } from "./encode-value.js";
import {
  ENVELOPE_VERSION,
  exceedsBytes,
  resolveCodecOptions,
  type CodecOptions,
  type Envelope,
  type ResolvedCodecOptions,
} from "./envelope.js";

/**
 * Writes an envelope as the JSON text a transport queues (format in `envelope.ts`).
 *
 * @throws CodecError naming the path of a value that cannot travel (a function, a `Map`, a cycle,
 * an invalid `Date`…), or when the text would exceed `options.maxBytes`.
 *
 * @example
 * const body = encodeEnvelope({ v: 1, task: "orders:confirm", payload: [orderKey, new Date()] });
 */
export function encodeEnvelope(envelope: Envelope, options?: CodecOptions): string {
  const limits = resolveCodecOptions(options);

  checkHeader(envelope);

  const wire: Record<string, unknown> = {
    v: ENVELOPE_VERSION,
    task: envelope.task,
    payload: encodeValue(envelope.payload, "payload", limits),
  };

  if (envelope.env !== undefined) {
    wire["env"] = encodeEnvironment(envelope.env, limits);
  }

  if (envelope.meta !== undefined) {
    wire["meta"] = checkMeta(envelope.meta);
  }

  const text = JSON.stringify(wire);

  if (exceedsBytes(text, limits.maxBytes)) {
    throw new CodecError(
      `Cannot encode the task ${JSON.stringify(envelope.task)}: its envelope takes ` +
        `${Buffer.byteLength(text)} bytes, more than the limit of ${limits.maxBytes}`,
      "",
    );
  }

  return text;
}

// The type system says all this already; these checks are for callers without it.
function checkHeader(envelope: Envelope): void {
  if (typeof envelope !== "object" || envelope === null) {
    throw new CodecError(`Cannot encode ${String(envelope)}: an envelope is an object`, "");
  }

  if (envelope.v !== ENVELOPE_VERSION) {
    throw new CodecError(
      `Cannot encode envelope version ${JSON.stringify(envelope.v)}; ` +
        `this runtime writes version ${ENVELOPE_VERSION}`,
      "v",
    );
  }

  if (typeof envelope.task !== "string" || envelope.task === "") {
    throw new CodecError(
      `Cannot encode task id ${JSON.stringify(envelope.task)}: a task id is a non-empty string`,
      "task",
    );
  }
}

function encodeEnvironment(
  env: NonNullable<Envelope["env"]>,
  limits: ResolvedCodecOptions,
): Record<string, unknown> {
  if (typeof env !== "object" || env === null) {
    throw new CodecError(`Cannot encode env: it should be an object, not ${String(env)}`, "env");
  }

  const wire: Record<string, unknown> = {};

  for (const name of ["user", "lang"] as const) {
    const value = env[name];

    if (value !== undefined && typeof value !== "string") {
      throw new CodecError(
        `Cannot encode env.${name}: it should be a string, not ${typeof value}`,
        `env.${name}`,
      );
    }

    if (value !== undefined) {
      wire[name] = value;
    }
  }

  if (env.custom !== undefined) {
    wire["custom"] = encodeValue(env.custom, "env.custom", limits);
  }

  return wire;
}

function checkMeta(meta: NonNullable<Envelope["meta"]>): NonNullable<Envelope["meta"]> {
  if (!isPlainObject(meta)) {
    throw new CodecError("Cannot encode meta: it is a plain object of strings and numbers", "meta");
  }

  for (const [name, value] of Object.entries(meta)) {
    if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) {
      const path = `meta[${JSON.stringify(name)}]`;

      throw new CodecError(
        `Cannot encode ${path}: meta values are strings and finite numbers, not ${String(value)}`,
        path,
      );
    }
  }

  return meta;
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== "object" || value === null) {
    return false;
  }

  const prototype: unknown = Object.getPrototypeOf(value);

  return prototype === Object.prototype || prototype === null;
}
