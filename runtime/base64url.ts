/**
 * URL-safe base64 (RFC 4648 §5) without padding, as App Engine writes legacy key strings. Written
 * out here so the runtime needs neither Node's `Buffer` nor `atob`.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const VALUES = new Map([...ALPHABET].map((character, index) => [character, index]));

/** Encodes `bytes` without `=` padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  let text = "";

  for (let index = 0; index < bytes.length; index += 3) {
    const chunk = bytes.subarray(index, index + 3);
    const bits = ((chunk[0] ?? 0) << 16) | ((chunk[1] ?? 0) << 8) | (chunk[2] ?? 0);

    for (let sextet = 0; sextet <= chunk.length; sextet++) {
      text += ALPHABET[(bits >> (18 - 6 * sextet)) & 63];
    }
  }

  return text;
}

/**
 * Decodes URL-safe base64; trailing `=` padding is allowed. Throws an `Error` with a lower-case
 * message when `text` is not URL-safe base64.
 */
export function decodeBase64url(text: string): Uint8Array {
  const unpadded = text.replace(/={1,2}$/, "");

  if (unpadded.length % 4 === 1) {
    throw new Error(`its length (${unpadded.length}) is not a possible length of base64 data`);
  }

  const bytes = new Uint8Array(Math.floor((unpadded.length * 3) / 4));
  let bits = 0;
  let bitCount = 0;
  let length = 0;

  for (const character of unpadded) {
    const value = VALUES.get(character);

    if (value === undefined) {
      throw new Error(
        `it holds ${JSON.stringify(character)}, but only A-Z, a-z, 0-9, "-" and "_" may appear`,
      );
    }

    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;

    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[length++] = (bits >> bitCount) & 0xff;
    }
  }

  return bytes;
}
