import {
  appEngineTaskProblem,
  type AppEngineTaskTrust,
} from "../cloud-tasks/app-engine-task-trust.js";
import { verifyOidcToken, type OidcVerification } from "../cloud-tasks/oidc-verification.js";
import { verifyAny } from "../codec/signature.js";
import type { Runtime } from "../create-runtime.js";
import { scopedLogger } from "../logger.js";
import type { TaskUser } from "../task-user.js";
import { BodyTooLarge, type TaskRequest, type TaskResponse } from "./task-request.js";

export interface HandlerOptions {
  /** Where the endpoints live; `/_tasks` by default, as in the original system. */
  readonly basePath?: string;
  /**
   * Accept cron requests that carry App Engine's `X-Appengine-Cron` header. Only safe when the
   * app runs on App Engine, whose front end removes that header from outside requests.
   */
  readonly trustAppEngineCron?: boolean;
  /** The largest request body, in bytes; 1 MiB by default. */
  readonly maxBodyBytes?: number;
  /**
   * Accept task deliveries (`deferred`, `queryIter`) only with a valid OIDC token from Cloud
   * Tasks, as the Cloud Tasks transport's HTTP targets send: `Authorization: Bearer <token>`,
   * signed by Google (or by `certificates`), unexpired, from Google's issuer, for `audience`,
   * naming `serviceAccountEmail` as a verified email. Loads `google-auth-library` on the first
   * delivery. Anything else is refused with 403, before the body is read; a delivery is answered
   * 500 (retried) while Google's keys cannot be fetched.
   *
   * The token is checked in addition to the task's signature, not instead of it. The signature
   * proves what runs (the task id, its arguments, the user it runs as) was queued by this app;
   * the token proves who delivers it, and expires within the hour, so a captured request can
   * no longer be replayed by anyone once the token is stale. Trusting the token alone would let
   * every principal allowed to act as the service account (or to create tasks in any queue that
   * uses it) run any task with any arguments as any user.
   */
  readonly oidc?: OidcVerification;
  /**
   * Accept task deliveries only with App Engine's `X-AppEngine-QueueName` header, as Cloud
   * Tasks' App Engine targets send; with `{ sourceAddresses }`, also only from one of those
   * addresses as App Engine reports them in `X-AppEngine-User-IP` (Cloud Tasks' is `0.1.0.2`).
   * Off, those headers are not believed: not required, and not read for the queue and task names.
   *
   * Only safe on App Engine, whose front end replaces `X-AppEngine-*` headers of outside
   * requests (except those of the app's signed-in administrators, which it lets through for
   * testing); anywhere else they are text any client can send. Like `oidc`, this is in addition
   * to the task's signature, which App Engine's headers say nothing about. With both `oidc` and
   * this option, a delivery needs one of the two proofs.
   */
  readonly trustAppEngineTasks?: boolean | AppEngineTaskTrust;
}

/** How old a signed cron request may be: a captured one cannot be replayed later than this. */
const CRON_SIGNATURE_WINDOW_MS = 5 * 60_000;
const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * Asks the queue to deliver a task again. Not 503: Cloud Tasks reads a 503 from an App Engine
 * target as "no instance free" and slows the whole queue; any other 5xx is a plain retry.
 */
const RETRY_STATUS = 500;

/**
 * Answers a request to the task endpoints. Status contract: 2xx when a task is done, dropped
 * on purpose or failed permanently; 500 when it should be retried; 403 for a request not
 * proven to come from the queue or from a permitted user; 404 for unknown endpoints and
 * callable tasks. Nothing a request carries can crash it: bad input is answered and logged.
 */
export async function handleTaskRequest<Instances>(
  runtime: Runtime<Instances>,
  request: TaskRequest,
  options: HandlerOptions = {},
): Promise<TaskResponse> {
  const base = (options.basePath ?? "/_tasks").replace(/\/+$/, "");
  if (!request.path.startsWith(base + "/")) return notFound();
  const route = request.path
    .slice(base.length + 1)
    .split("/")
    .map(decodeSegment);

  try {
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    if (route.length === 1 && (route[0] === "deferred" || route[0] === "queryIter")) {
      return await deliver(runtime, request, route[0], limit, options);
    }
    if (route.length === 2 && route[0] === "cron") {
      return await cron(runtime, request, route[1] ?? "", options);
    }
    if (route.length === 1 && route[0] === "list") return await list(runtime, request);
    if (route.length === 2 && route[0] === "execute") {
      return await execute(runtime, request, route[1] ?? "", limit);
    }
    return notFound();
  } catch (error) {
    if (error instanceof BodyTooLarge) return { status: 413, body: { error: error.message } };
    throw error;
  }
}

async function deliver<Instances>(
  runtime: Runtime<Instances>,
  request: TaskRequest,
  route: "deferred" | "queryIter",
  limit: number,
  options: HandlerOptions,
): Promise<TaskResponse> {
  if (request.method !== "POST") return { status: 405, body: { error: "Use POST" } };
  const refusal = await checkQueueOrigin(runtime, request, options);
  if (refusal) return refusal;

  const body = await request.body(limit);
  const signature = request.headers["x-taskgen-signature"] ?? "";
  if (!verifyAny(body, signature, runtime.context.acceptedSecrets)) {
    return forbidden(runtime, request, "the task's signature is missing or wrong");
  }

  const headers = request.headers;
  const trustAppEngine = Boolean(options.trustAppEngineTasks);
  const id =
    headers["x-cloudtasks-taskname"] ??
    (trustAppEngine ? headers["x-appengine-taskname"] : undefined) ??
    headers["x-taskgen-task"];
  const queue =
    headers["x-cloudtasks-queuename"] ??
    (trustAppEngine ? headers["x-appengine-queuename"] : undefined);
  const outcome = await runtime.deliver({
    id: id ?? "http",
    route,
    body,
    signature,
    queue: queue ?? "http",
    attempt: retryCount(headers),
  });
  if (outcome.status === "retry") return { status: RETRY_STATUS, body: outcome };
  return { status: 200, body: outcome };
}

/**
 * Undefined when a delivery is proven to come from the queue as the options ask (App Engine's
 * headers or an OIDC token; nothing asked, nothing to prove), else the answer to send.
 */
async function checkQueueOrigin<Instances>(
  runtime: Runtime<Instances>,
  request: TaskRequest,
  options: HandlerOptions,
): Promise<TaskResponse | undefined> {
  const { oidc, trustAppEngineTasks } = options;
  if (!oidc && !trustAppEngineTasks) return undefined;
  const problems: string[] = [];

  if (trustAppEngineTasks) {
    const problem = appEngineTaskProblem(request.headers, trustAppEngineTasks);
    if (problem === undefined) return undefined;
    problems.push(problem);
  }
  if (oidc) {
    const verdict = await verifyOidcToken(oidc, request.headers["authorization"]);
    if (verdict.status === "accepted") return undefined;
    if (verdict.status === "unavailable") {
      scopedLogger(runtime.context.logger, "handler").error(verdict.reason);
      return { status: RETRY_STATUS, body: { error: "The request cannot be verified now" } };
    }
    problems.push(verdict.reason);
  }
  return forbidden(runtime, request, problems.join("; "));
}

async function cron<Instances>(
  runtime: Runtime<Instances>,
  request: TaskRequest,
  group: string,
  options: HandlerOptions,
): Promise<TaskResponse> {
  if (!provenCron(runtime, request, group, options)) {
    return forbidden(runtime, request, "the cron request is not signed, or the signature is stale");
  }
  const report = await runtime.runCron(group);
  // An unknown group is logged and answered 200: App Engine must not retry it forever.
  return { status: 200, body: report };
}

async function list<Instances>(runtime: Runtime<Instances>, request: TaskRequest) {
  const user = await authenticate(runtime, request);
  if (user === "no-hook") return forbidden(runtime, request, "no authentication is configured");
  if (!user) return { status: 401, body: { error: "Sign in to list tasks" } };
  return { status: 200, body: await runtime.listCallable(user) };
}

async function execute<Instances>(
  runtime: Runtime<Instances>,
  request: TaskRequest,
  id: string,
  limit: number,
): Promise<TaskResponse> {
  if (request.method !== "POST") return { status: 405, body: { error: "Use POST" } };
  const user = await authenticate(runtime, request);
  if (user === "no-hook") return forbidden(runtime, request, "no authentication is configured");
  if (!user) return { status: 401, body: { error: "Sign in to run tasks" } };

  const text = await request.body(limit);
  let input: unknown;
  try {
    input = text === "" ? undefined : JSON.parse(text);
  } catch {
    return { status: 400, body: { error: "The input is not JSON" } };
  }

  const outcome = await runtime.executeCallable(id, input, user);
  switch (outcome.status) {
    case "done":
      return { status: 200, body: outcome };
    case "not-found":
      return { status: 404, body: { error: `No callable task ${JSON.stringify(id)}` } };
    case "forbidden":
      return forbidden(runtime, request, `user ${user.id} may not run ${id}`);
    case "invalid":
      return { status: 400, body: { error: outcome.message } };
    case "failed":
      return { status: 500, body: { error: outcome.message } };
  }
}

async function authenticate<Instances>(
  runtime: Runtime<Instances>,
  request: TaskRequest,
): Promise<TaskUser | undefined | "no-hook"> {
  const hook = runtime.context.authenticate;
  if (!hook) return "no-hook";
  return hook({ method: request.method, path: request.path, headers: request.headers });
}

/**
 * A cron request is proven by a fresh signature of `cron:<group>:<timestamp>` (schedulers of
 * the app's own, with `cronRequestHeaders`), or, when configured, by App Engine's cron header.
 */
function provenCron<Instances>(
  runtime: Runtime<Instances>,
  request: TaskRequest,
  group: string,
  options: HandlerOptions,
): boolean {
  if (options.trustAppEngineCron && request.headers["x-appengine-cron"] === "true") return true;

  const timestamp = Number(request.headers["x-taskgen-timestamp"]);
  const signature = request.headers["x-taskgen-signature"] ?? "";
  if (!Number.isFinite(timestamp)) return false;
  if (Math.abs(runtime.context.now() - timestamp) > CRON_SIGNATURE_WINDOW_MS) return false;
  return verifyAny(`cron:${group}:${timestamp}`, signature, runtime.context.acceptedSecrets);
}

/** The retry count the queue reports: Cloud Tasks', App Engine's or taskgen's own header. */
function retryCount(headers: TaskRequest["headers"]): number {
  const raw =
    headers["x-cloudtasks-taskretrycount"] ??
    headers["x-appengine-taskretrycount"] ??
    headers["x-taskgen-attempt"];
  const count = Number(raw);
  return Number.isInteger(count) && count >= 0 ? count : 0;
}

function forbidden<Instances>(
  runtime: Runtime<Instances>,
  request: TaskRequest,
  why: string,
): TaskResponse {
  scopedLogger(runtime.context.logger, "handler").warn(
    `Refused ${request.method} ${request.path}: ${why}`,
  );
  return { status: 403, body: { error: "Forbidden" } };
}

function notFound(): TaskResponse {
  return { status: 404, body: { error: "Not found" } };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
