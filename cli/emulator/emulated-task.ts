import {
  durationMs,
  timestampMs,
  toDuration,
  toTimestamp,
  type AppEngineRouting,
  type Attempt,
  type HttpMethod,
  type HttpRequest,
  type TaskMessage,
  type TaskView,
} from "./cloud-tasks-messages.js";
import type { TaskName } from "./resource-names.js";
import { invalidArgument } from "./rpc-error.js";

/** How far ahead a task may be scheduled, and its largest size (body, URL and headers). */
const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3600_000;
const MAX_TASK_BYTES = 1024 * 1024;
/** The dispatch deadlines Cloud Tasks accepts, per target; 0 or unset means the default. */
const DEADLINE_RANGE = {
  http: { min: 15_000, max: 30 * 60_000, default: 10 * 60_000 },
  appEngine: { min: 15_000, max: 24 * 3600_000 + 15_000, default: 10 * 60_000 },
} as const;
const BODY_METHODS = {
  http: ["POST", "PUT", "PATCH"],
  appEngine: ["POST", "PUT"],
} as const;

/** Where and how a task is sent. */
export type TaskTarget =
  | {
      readonly kind: "appEngine";
      readonly method: HttpMethod;
      readonly relativeUri: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: Buffer;
      readonly routing: AppEngineRouting | undefined;
    }
  | {
      readonly kind: "http";
      readonly method: HttpMethod;
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: Buffer;
      readonly oauthToken: HttpRequest["oauthToken"];
      readonly oidcToken: HttpRequest["oidcToken"];
    };

/** One attempt, times in milliseconds since the epoch. */
export interface AttemptRecord {
  readonly scheduleMs: number;
  readonly dispatchMs: number;
  responseMs?: number;
  responseStatus?: { readonly code: number; readonly message: string };
}

/** A task held by the emulator. */
export interface EmulatedTask {
  readonly name: string;
  readonly id: string;
  readonly queue: string;
  readonly target: TaskTarget;
  readonly createMs: number;
  readonly deadlineMs: number;
  scheduleMs: number;
  dispatchCount: number;
  responseCount: number;
  /**
   * Responses that count as executions for the `TaskExecutionCount` headers: all but 5xx for
   * HTTP targets, all but 503 for App Engine targets, as Cloud Tasks documents them.
   */
  executionCount: number;
  /** The status code of the last response, for the `TaskPreviousResponse` headers. */
  previousResponse: number | undefined;
  firstAttempt: AttemptRecord | undefined;
  lastAttempt: AttemptRecord | undefined;
  /** A dispatch is under way: the task is not dispatched again until it ends. */
  inFlight: boolean;
}

/** Checks a CreateTask's task as Cloud Tasks does and makes it a new task. */
export function newTask(name: TaskName, message: TaskMessage, now: number): EmulatedTask {
  const target = taskTarget(message);
  const requested = timestampMs(message.scheduleTime);
  if (requested !== undefined && requested > now + MAX_SCHEDULE_AHEAD_MS) {
    throw invalidArgument(
      `task.schedule_time ${new Date(requested).toISOString()} is more than 30 days ahead`,
    );
  }

  return {
    name: name.name,
    id: name.id,
    queue: name.queue,
    target,
    createMs: Math.floor(now / 1000) * 1000,
    deadlineMs: dispatchDeadline(target.kind, durationMs(message.dispatchDeadline)),
    scheduleMs: requested !== undefined && requested > now ? requested : now,
    dispatchCount: 0,
    responseCount: 0,
    executionCount: 0,
    previousResponse: undefined,
    firstAttempt: undefined,
    lastAttempt: undefined,
    inFlight: false,
  };
}

/** The task as a Task message; the BASIC view leaves the body out. */
export function taskMessage(task: EmulatedTask, view: TaskView | undefined): TaskMessage {
  const full = view === "FULL";
  const { target } = task;
  const body = full ? { body: target.body } : {};
  const request =
    target.kind === "appEngine"
      ? {
          appEngineHttpRequest: {
            httpMethod: target.method,
            relativeUri: target.relativeUri,
            headers: target.headers,
            ...(target.routing ? { appEngineRouting: target.routing } : {}),
            ...body,
          },
        }
      : {
          httpRequest: {
            url: target.url,
            httpMethod: target.method,
            headers: target.headers,
            ...(target.oidcToken ? { oidcToken: target.oidcToken } : {}),
            ...(target.oauthToken ? { oauthToken: target.oauthToken } : {}),
            ...body,
          },
        };

  return {
    name: task.name,
    ...request,
    scheduleTime: toTimestamp(task.scheduleMs),
    createTime: toTimestamp(task.createMs),
    dispatchDeadline: toDuration(task.deadlineMs),
    dispatchCount: task.dispatchCount,
    responseCount: task.responseCount,
    ...(task.firstAttempt
      ? { firstAttempt: { dispatchTime: toTimestamp(task.firstAttempt.dispatchMs) } }
      : {}),
    ...(task.lastAttempt ? { lastAttempt: attemptMessage(task.lastAttempt) } : {}),
    view: full ? "FULL" : "BASIC",
  };
}

function attemptMessage(attempt: AttemptRecord): Attempt {
  return {
    scheduleTime: toTimestamp(attempt.scheduleMs),
    dispatchTime: toTimestamp(attempt.dispatchMs),
    ...(attempt.responseMs === undefined ? {} : { responseTime: toTimestamp(attempt.responseMs) }),
    ...(attempt.responseStatus ? { responseStatus: attempt.responseStatus } : {}),
  };
}

function taskTarget(message: TaskMessage): TaskTarget {
  const appEngine = message.appEngineHttpRequest;
  const http = message.httpRequest;
  let target: TaskTarget;
  if (appEngine) {
    const relativeUri = appEngine.relativeUri || "/";
    if (!relativeUri.startsWith("/") || /\s/.test(relativeUri) || relativeUri.length > 2083) {
      throw invalidArgument(
        `app_engine_http_request.relative_uri ${JSON.stringify(relativeUri)} must start with ` +
          `"/", hold no spaces and be at most 2083 characters`,
      );
    }
    target = {
      kind: "appEngine",
      method: httpMethod(appEngine.httpMethod),
      relativeUri,
      headers: { ...appEngine.headers },
      body: appEngine.body ?? Buffer.alloc(0),
      routing: appEngine.appEngineRouting,
    };
  } else if (http) {
    const token = http.oidcToken ?? http.oauthToken;
    if (token && !token.serviceAccountEmail) {
      throw invalidArgument("http_request's oidc_token or oauth_token needs service_account_email");
    }
    target = {
      kind: "http",
      method: httpMethod(http.httpMethod),
      url: httpUrl(http.url),
      headers: { ...http.headers },
      body: http.body ?? Buffer.alloc(0),
      oauthToken: http.oauthToken,
      oidcToken: http.oidcToken,
    };
  } else {
    throw invalidArgument("The task has no target: set app_engine_http_request or http_request");
  }

  checkBody(target);
  return target;
}

function checkBody(target: TaskTarget): void {
  const allowed: readonly string[] = BODY_METHODS[target.kind];
  if (target.body.length > 0 && !allowed.includes(target.method)) {
    throw invalidArgument(
      `A task sent with ${target.method} cannot have a body; only ${allowed.join(", ")} can`,
    );
  }

  const headerBytes = Object.entries(target.headers).reduce(
    (sum, [key, value]) => sum + key.length + value.length,
    0,
  );
  const where = target.kind === "http" ? target.url : target.relativeUri;
  const size = target.body.length + headerBytes + where.length;
  if (size > MAX_TASK_BYTES) {
    throw invalidArgument(`The task is ${size} bytes; the largest allowed is ${MAX_TASK_BYTES}`);
  }
}

function httpMethod(method: string | undefined): HttpMethod {
  if (!method || method === "HTTP_METHOD_UNSPECIFIED") return "POST";
  return method as HttpMethod;
}

function httpUrl(url: string | undefined): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url ?? "");
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw invalidArgument(
      `http_request.url ${JSON.stringify(url ?? "")} must be an http:// or https:// URL`,
    );
  }
  return url ?? "";
}

function dispatchDeadline(kind: TaskTarget["kind"], requested: number | undefined): number {
  const range = DEADLINE_RANGE[kind];
  if (!requested) return range.default;
  if (requested < range.min || requested > range.max) {
    throw invalidArgument(
      `task.dispatch_deadline of ${requested / 1000} s is outside ` +
        `${range.min / 1000} s to ${range.max / 1000} s`,
    );
  }
  return requested;
}
