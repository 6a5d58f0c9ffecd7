import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

/** How long a minted token is valid, as Google's ID tokens are. */
const TOKEN_LIFETIME_S = 3600;

/**
 * Signs the OIDC tokens Cloud Tasks would have Google make for an HTTP task's `oidcToken`: RS256
 * JWTs with Google's issuer, the task's audience (its URL when none is given) and the service
 * account as a verified email, but signed with a key pair the emulator makes at start. An app
 * accepts them by checking signatures against `keys` instead of Google's (the task handler's
 * `oidc.certificates`).
 */
export class OidcTokenMinter {
  readonly kid = `taskgen-emulator-${randomBytes(6).toString("hex")}`;
  #pair: { readonly privateKey: KeyObject; readonly keys: Record<string, string> } | undefined;

  constructor(private readonly now: () => number) {}

  /** The public key by key id, as PEM. The key pair is made on first use: it takes a while. */
  get keys(): Readonly<Record<string, string>> {
    return this.#keyPair().keys;
  }

  /** A fresh token for `serviceAccountEmail`, made for `audience`. */
  token(serviceAccountEmail: string, audience: string): string {
    const issuedAt = Math.floor(this.now() / 1000);
    // Google's tokens name the account by a numeric id; a hash of the email stands in for it.
    const subject = BigInt(`0x${sha256(serviceAccountEmail).slice(0, 16)}`).toString();
    const claims = {
      iss: "https://accounts.google.com",
      aud: audience,
      azp: subject,
      sub: subject,
      email: serviceAccountEmail,
      email_verified: true,
      iat: issuedAt,
      exp: issuedAt + TOKEN_LIFETIME_S,
    };

    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const signed = `${part({ alg: "RS256", kid: this.kid, typ: "JWT" })}.${part(claims)}`;
    const signature = sign("RSA-SHA256", Buffer.from(signed), this.#keyPair().privateKey);
    return `${signed}.${signature.toString("base64url")}`;
  }

  #keyPair() {
    if (!this.#pair) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
      this.#pair = { privateKey, keys: { [this.kid]: pem } };
    }
    return this.#pair;
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
