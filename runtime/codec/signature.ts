import { Buffer } from "node:buffer";
import { createRequire } from "node:module";

// Loaded on the first signature: a handler process that starts and serves no task yet should
// not pay for initialising the crypto module.
let crypto: typeof import("node:crypto") | undefined;
const loadCrypto = () => (crypto ??= createRequire(import.meta.url)("node:crypto"));

/** A base64url HMAC-SHA256: 32 bytes, 43 characters without padding. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Signs a task body with HMAC-SHA256 under `secret`, for transports that cannot prove by
 * themselves where a request came from. The secret should be 32 random bytes or more, shared
 * by everything that queues or runs the app's tasks.
 *
 * @returns the signature in base64url without padding (43 characters).
 * @throws TypeError when `secret` is empty: a signature anyone can make proves nothing.
 *
 * @example
 * const signature = sign(body, process.env.TASK_SECRET!);
 */
export function sign(body: string, secret: Uint8Array | string): string {
  return hmac(body, secret).toString("base64url");
}

/**
 * Whether `signature` is {@link sign}'s signature of `body` under `secret`. Compares in constant
 * time, and answers `false`, never throwing, for a signature or body of any other shape.
 *
 * @throws TypeError when `secret` is empty, a configuration mistake rather than bad input.
 */
export function verify(body: string, signature: string, secret: Uint8Array | string): boolean {
  const expected = hmac(typeof body === "string" ? body : "", secret);

  if (typeof body !== "string" || typeof signature !== "string" || !SIGNATURE.test(signature)) {
    return false;
  }

  // Comparing the text, not decoded bytes: base64 decoders ignore stray bits in the last
  // character, and a signature should have one spelling only.
  return loadCrypto().timingSafeEqual(
    Buffer.from(expected.toString("base64url")),
    Buffer.from(signature),
  );
}

/**
 * Whether `signature` is {@link sign}'s signature of `body` under one of `secrets`, for a key
 * being rotated out; see {@link verify}.
 */
export function verifyAny(
  body: string,
  signature: string,
  secrets: readonly (Uint8Array | string)[],
): boolean {
  return secrets.some((secret) => verify(body, signature, secret));
}

function hmac(body: string, secret: Uint8Array | string): Buffer {
  if (!(typeof secret === "string" || secret instanceof Uint8Array) || secret.length === 0) {
    throw new TypeError("A task signing secret is a non-empty string or Uint8Array");
  }

  return loadCrypto().createHmac("sha256", secret).update(body, "utf8").digest();
}
