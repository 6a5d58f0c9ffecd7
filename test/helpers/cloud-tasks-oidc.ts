import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export const AUDIENCE = "https://worker.example.run.app";
export const SERVICE_ACCOUNT = "tasks@demo-project.iam.gserviceaccount.com";

/** The claims of an OIDC token as Cloud Tasks has Google make them for a service account. */
export interface OidcClaims {
  readonly iss: string;
  readonly aud: string;
  readonly azp: string;
  readonly sub: string;
  readonly email: string;
  readonly email_verified: boolean;
  readonly iat: number;
  readonly exp: number;
}

/** An RS256 key pair that signs test tokens; `keys` is what the handler's `certificates` take. */
export interface TokenSigner {
  readonly kid: string;
  readonly keys: Readonly<Record<string, string>>;
  /** A token with Cloud Tasks' claims for {@link AUDIENCE} and {@link SERVICE_ACCOUNT}, changed. */
  token(claims?: Partial<OidcClaims>): string;
}

export function tokenSigner(kid = "test-key-1"): TokenSigner {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    kid,
    keys: { [kid]: pem },
    token: (claims = {}) => signJwt(privateKey, kid, { ...cloudTasksClaims(), ...claims }),
  };
}

function cloudTasksClaims(): OidcClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: "https://accounts.google.com",
    aud: AUDIENCE,
    azp: "107405313373418950421",
    sub: "107405313373418950421",
    email: SERVICE_ACCOUNT,
    email_verified: true,
    iat: now,
    exp: now + 3600,
  };
}

/** A compact JWS, RS256, as Google signs ID tokens. */
function signJwt(key: KeyObject, kid: string, claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signed = `${part({ alg: "RS256", kid, typ: "JWT" })}.${part(claims)}`;
  return `${signed}.${sign("RSA-SHA256", Buffer.from(signed), key).toString("base64url")}`;
}
