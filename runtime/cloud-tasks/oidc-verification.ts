/**
 * Checks the OIDC token Cloud Tasks attaches to the requests of HTTP targets. The task handler
 * uses it when its `oidc` option is set; `google-auth-library` is loaded on the first check, so
 * a handler without the option never loads it.
 */
import type { LoginTicket, OAuth2Client } from "google-auth-library";

import { describeError } from "../describe-error.js";

/** The handler's `oidc` option: what a Cloud Tasks token must say to be accepted. */
export interface OidcVerification {
  /**
   * The audience tokens are made for: the transport's `audience`, by default the origin of its
   * `url`, such as `https://worker-abc-ew.a.run.app`.
   */
  readonly audience: string | readonly string[];
  /** The service account the tokens are made for: the transport's `serviceAccountEmail`. */
  readonly serviceAccountEmail: string | readonly string[];
  /**
   * Public keys to check signatures with, by key id (`kid`), each a PEM public key or X.509
   * certificate, instead of Google's (fetched from Google and cached as long as Google says);
   * or a function that gives them, called for every request, for keys that change. For tests,
   * and for an emulator that signs its own tokens.
   */
  readonly certificates?: KeysByKid | (() => Promise<KeysByKid>);
  /** The accepted issuers; `accounts.google.com` and `https://accounts.google.com` by default. */
  readonly issuers?: readonly string[];
}

/** PEM public keys or X.509 certificates by key id. */
export type KeysByKid = Readonly<Record<string, string>>;

/** The outcome of a check: accepted, refused, or not decidable now (Google's keys unreachable). */
export type OidcVerdict =
  | { readonly status: "accepted"; readonly email: string }
  | { readonly status: "refused" | "unavailable"; readonly reason: string };

const GOOGLE_ISSUERS = ["accounts.google.com", "https://accounts.google.com"];
/** Kept out of the bundler's sight, so the main entry never includes the library. */
const AUTH_LIBRARY = "google-auth-library";

type Certificates = Parameters<OAuth2Client["verifySignedJwtWithCertsAsync"]>[1];

/** One client per option object: it caches Google's keys between requests. */
const clients = new WeakMap<OidcVerification, Promise<OAuth2Client>>();

/**
 * Checks `Authorization: Bearer <token>` against `options`: the signature (Google's keys or
 * `certificates`), the expiry and issue time (five minutes of clock skew allowed), the issuer,
 * the audience, and the `email` claim with `email_verified: true`. The signature and time checks
 * are `OAuth2Client.verifySignedJwtWithCertsAsync`'s, the same that `verifyIdToken` makes.
 */
export async function verifyOidcToken(
  options: OidcVerification,
  authorization: string | undefined,
): Promise<OidcVerdict> {
  const audience = list(options.audience);
  const emails = list(options.serviceAccountEmail);
  if (audience.length === 0 || emails.length === 0) {
    throw new TypeError("The handler's oidc option needs an audience and a serviceAccountEmail");
  }
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!token) return refused("there is no bearer token");

  const client = await oauthClient(options);
  let certificates: Certificates;
  try {
    const source = options.certificates;
    const keys = typeof source === "function" ? await source() : source;
    certificates = { ...(keys ?? (await client.getFederatedSignonCertsAsync()).certs) };
  } catch (error) {
    return {
      status: "unavailable",
      reason: `the token keys cannot be fetched: ${describeError(error)}`,
    };
  }

  let ticket: LoginTicket;
  try {
    const issuers = [...(options.issuers ?? GOOGLE_ISSUERS)];
    ticket = await client.verifySignedJwtWithCertsAsync(token, certificates, audience, issuers);
  } catch (error) {
    // The library's messages go on to quote the token; keep only what precedes that.
    return refused(`the OIDC token is not valid: ${describeError(error).split(": ")[0]}`);
  }

  const payload = ticket.getPayload();
  const email = payload?.email;
  if (email === undefined || !emails.includes(email)) {
    return refused(`the OIDC token is for ${JSON.stringify(email)}, not the expected account`);
  }
  if (payload?.email_verified !== true) return refused(`the email ${email} is not verified`);
  return { status: "accepted", email };
}

function oauthClient(options: OidcVerification): Promise<OAuth2Client> {
  let client = clients.get(options);
  if (!client) {
    client = loadAuthLibrary().then((library) => new library.OAuth2Client());
    clients.set(options, client);
    client.catch(() => clients.delete(options));
  }
  return client;
}

async function loadAuthLibrary(): Promise<typeof import("google-auth-library")> {
  try {
    const library = (await import(AUTH_LIBRARY)) as typeof import("google-auth-library") & {
      readonly default?: typeof import("google-auth-library");
    };
    return library.OAuth2Client ? library : library.default!;
  } catch (error) {
    throw new Error(
      "The handler's oidc option needs google-auth-library: `npm install google-auth-library`",
      { cause: error },
    );
  }
}

function list(value: string | readonly string[]): string[] {
  return (typeof value === "string" ? [value] : [...value]).filter((item) => item !== "");
}

function refused(reason: string): OidcVerdict {
  return { status: "refused", reason };
}
