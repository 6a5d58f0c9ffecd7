/**
 * The envelope: the versioned wire format of a queued task. This comment is the format's
 * specification; other implementations follow it.
 *
 * An envelope is UTF-8 JSON text of one object (members in any order, no others allowed):
 *
 *     {"v":1,"task":"orders:confirm","payload":["o-17",{"$d":"2026-08-15T06:50:22.123Z"}],
 *      "env":{"user":"u-5","lang":"de"},"meta":{"traceId":"a1b2"}}
 *
 * - `v`: the version, the number 1. Readers refuse other versions; a writer that needs a new
 *   member or tag writes a new version.
 * - `task`: the task id, a non-empty string, as in the dispatch table.
 * - `payload`: a value (below): the argument array of a deferred call, the input of a callable
 *   task, or a query iterator's custom data.
 * - `env` (optional): the environment the task runs in, an object with the optional members
 *   `user` (the acting user's id, a string), `lang` (a string) and `custom` (a value).
 * - `meta` (optional): an object of strings and finite numbers, for transports and tracing.
 *
 * A value is JSON: `null`, booleans, strings, finite numbers other than -0, arrays and objects
 * stand for themselves, except that an object with a member whose name starts with `$` is a
 * tag. A tag object has exactly one member; readers refuse unknown tags.
 *
 * - `{"$u":0}`: `undefined`, as an array item or hole, or as a member set to it.
 * - `{"$n":"NaN"}`: a number JSON lacks: `"NaN"`, `"Infinity"`, `"-Infinity"` or `"-0"`.
 * - `{"$i":"-42"}`: a bigint, as a decimal integer without leading zeros.
 * - `{"$d":"2026-08-15T06:50:22.123Z"}`: a `Date`, exactly as `toISOString` writes it (with
 *   `+YYYYYY` or `-YYYYYY` years outside 0 to 9999).
 * - `{"$b":"AQID"}`: a `Uint8Array`, in standard base64 with padding.
 * - `{"$k":["my-project","","Order",12,"Line","gift"]}`: a `Key` (below).
 * - `{"$o":{"$d":"not a date"}}`: a plain object that has a member starting with `$` (escape).
 *
 * `$o` holds a plain object whose member names are taken literally; only their values are
 * decoded. Writers escape every object with a member starting with `$`, so user data never reads
 * as a tag.
 *
 * `$k` holds an array: the project and the namespace (`""` when absent), then the path, parents
 * first, kinds and identifiers alternating. A name is a string, an id a number up to 2^53 - 1 or
 * a `$i` tag beyond. An odd number of path parts leaves the last element without id or name.
 *
 * Limits: by default an envelope has at most 1 MiB of UTF-8 and a value nests arrays and objects
 * at most 256 levels deep (tag objects not counted).
 */

import { Buffer } from "node:buffer";

/** The version of the envelope format this runtime writes and reads. */
export const ENVELOPE_VERSION = 1;

/**
 * A queued task as it travels: which task to run, with what, in which environment. Written with
 * {@link encodeEnvelope}, read with {@link decodeEnvelope}.
 *
 * The payload and `env.custom` are values that travel: JSON values, `undefined`, any number
 * (NaN, ±Infinity and -0 included), bigint, `Date`, `Uint8Array` (a `Buffer` arrives as a plain
 * `Uint8Array`), `Key`, arrays and plain objects of these. A member set to `undefined` arrives set
 * to `undefined`, unlike with `JSON.stringify`. Objects with a null prototype arrive with
 * `Object.prototype`, and an object referenced twice arrives as two copies. Like JSON, the codec
 * skips non-enumerable members.
 *
 * Everything else is refused when encoding, with a `CodecError` naming its path: functions,
 * symbols, enumerable symbol keys, class instances (`Map`, `Set`, `RegExp`, `Error`, other typed
 * arrays…), invalid dates and cycles. Nothing is dropped or converted silently.
 */
export interface Envelope {
  readonly v: typeof ENVELOPE_VERSION;
  /** The task id, as in the dispatch table. */
  readonly task: string;
  /** The arguments array of a deferred call; the input or custom data of other tasks. */
  readonly payload: unknown;
  readonly env?: TaskEnvironment;
  /** Data for transports and tracing, never for the task itself. */
  readonly meta?: Readonly<Record<string, string | number>>;
}

/** The environment a task runs in, captured where it was queued. */
export interface TaskEnvironment {
  /** The id of the user on whose behalf the task runs. */
  readonly user?: string;
  /** The language of the request that queued the task. */
  readonly lang?: string;
  /** What the app's environment hook captured; a value that travels. */
  readonly custom?: unknown;
}

/** Limits of the codec; both sides of a queue should use the same. */
export interface CodecOptions {
  /** The largest envelope in UTF-8 bytes; 1 MiB by default, as Cloud Tasks allows about 1 MB. */
  readonly maxBytes?: number;
  /** How deep arrays and objects may nest in a value; 256 by default. */
  readonly maxDepth?: number;
}

/** {@link CodecOptions} with every default filled in. */
export interface ResolvedCodecOptions {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;

export const DEFAULT_MAX_DEPTH = 256;

const DEFAULTS: ResolvedCodecOptions = {
  maxBytes: DEFAULT_MAX_BYTES,
  maxDepth: DEFAULT_MAX_DEPTH,
};

/** Fills in the defaults of `options`. */
export function resolveCodecOptions(options: CodecOptions | undefined): ResolvedCodecOptions {
  if (options === undefined) {
    return DEFAULTS;
  }

  return {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
  };
}

/**
 * Whether `text` takes more than `maxBytes` bytes of UTF-8, counting them only when its UTF-16
 * length leaves that in doubt.
 */
export function exceedsBytes(text: string, maxBytes: number): boolean {
  // A UTF-16 code unit takes one to three bytes of UTF-8 (a surrogate pair four for two).
  if (text.length > maxBytes) {
    return true;
  }

  return text.length * 3 > maxBytes && Buffer.byteLength(text, "utf8") > maxBytes;
}
