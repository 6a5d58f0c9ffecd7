import { Buffer } from "node:buffer";

/**
 * The tag names of the wire format (see `envelope.ts`). Every tag starts with `$`, the one
 * character that marks a member name as not being user data.
 */
export const TAG = {
  undefined: "$u",
  number: "$n",
  bigint: "$i",
  date: "$d",
  bytes: "$b",
  key: "$k",
  object: "$o",
} as const;

/** The character code of `$`, the tag prefix. */
export const TAG_PREFIX_CODE = 36;

/** The tags, as listed in error messages. */
export const TAG_LIST = Object.values(TAG).join(", ");

/** The numbers JSON cannot write, by the names `{"$n": …}` carries. */
export const SPECIAL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["-0", -0],
]);

const DECIMAL = /^-?(?:0|[1-9]\d*)$/;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The name `{"$n": …}` gives a number JSON cannot write; `undefined` for the others. */
export function specialNumberName(value: number): string | undefined {
  if (Number.isFinite(value)) {
    return Object.is(value, -0) ? "-0" : undefined;
  }

  return String(value);
}

/** Reads a `$i` string; `undefined` when it is not a canonical decimal integer. */
export function parseBigint(text: string): bigint | undefined {
  return DECIMAL.test(text) ? BigInt(text) : undefined;
}

/** Standard base64 with padding (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * Reads standard base64; `undefined` when `text` is not. Returns a plain `Uint8Array` of its own,
 * never a `Buffer` (whose small instances share one pool).
 */
export function parseBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    return undefined;
  }

  return new Uint8Array(Buffer.from(text, "base64"));
}
