import type { EmulatedTask } from "./emulated-task.js";
import type { OidcTokenMinter } from "./oidc-token-minter.js";
import { shortId } from "./resource-names.js";

const APP_ENGINE_AGENT = "AppEngine-Google; (+http://code.google.com/appengine)";
const HTTP_TARGET_AGENT = "Google-Cloud-Tasks";
/** The source address App Engine reports for Cloud Tasks' and cron's requests. */
const APP_ENGINE_SOURCE = "0.1.0.2";

/** Headers a task may not set: the queue computes them, or they are Google's own. */
const RESERVED = {
  appEngine: /^(?:host|content-length|x-google-.*|x-appengine-.*)$/i,
  http: /^(?:host|content-length|user-agent|x-google-.*|x-appengine-.*|x-cloudtasks-.*)$/i,
} as const;

/**
 * The headers of one attempt of `task`, as Cloud Tasks sends them: the task's own headers
 * without the reserved ones, and the queue's. App Engine targets get the `X-AppEngine-*` set
 * that Cloud Tasks documents for App Engine handlers, with the source address App Engine reports;
 * HTTP targets get the `X-CloudTasks-*` set, and for an `oidcToken` an `Authorization` header
 * with a token from `minter`. An `oauthToken` gets no header: the emulator cannot mint one.
 */
export function taskHeaders(task: EmulatedTask, minter: OidcTokenMinter): Record<string, string> {
  const { target } = task;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(target.headers)) {
    if (RESERVED[target.kind].test(key)) continue;
    // Cloud Tasks replaces the Authorization header of a task that asks for a token.
    const tokenAsked = target.kind === "http" && (target.oidcToken || target.oauthToken);
    if (tokenAsked && key.toLowerCase() === "authorization") continue;
    headers[key] = value;
  }

  const prefix = target.kind === "appEngine" ? "X-AppEngine-" : "X-CloudTasks-";
  const queue = {
    [`${prefix}QueueName`]: shortId(task.queue),
    [`${prefix}TaskName`]: task.id,
    // The count of earlier attempts: the current one is already counted in dispatchCount.
    [`${prefix}TaskRetryCount`]: String(task.dispatchCount - 1),
    [`${prefix}TaskExecutionCount`]: String(task.executionCount),
    [`${prefix}TaskETA`]: (task.scheduleMs / 1000).toFixed(6),
    ...(task.previousResponse === undefined
      ? {}
      : { [`${prefix}TaskPreviousResponse`]: String(task.previousResponse) }),
  };

  if (target.kind === "appEngine") {
    const agent = Object.entries(headers).find(([key]) => key.toLowerCase() === "user-agent");
    if (agent) delete headers[agent[0]];
    headers["User-Agent"] = agent ? `${agent[1]} ${APP_ENGINE_AGENT}` : APP_ENGINE_AGENT;
    if (target.body.length > 0 && !hasHeader(headers, "content-type")) {
      headers["Content-Type"] = "application/octet-stream";
    }
    headers["X-AppEngine-User-IP"] = APP_ENGINE_SOURCE;
  } else {
    headers["User-Agent"] = HTTP_TARGET_AGENT;
    const oidc = target.oidcToken;
    if (oidc?.serviceAccountEmail) {
      const token = minter.token(oidc.serviceAccountEmail, oidc.audience || target.url);
      headers["Authorization"] = `Bearer ${token}`;
    }
  }

  return { ...headers, ...queue };
}

/** The headers of a request App Engine cron sends: a GET with `X-Appengine-Cron: true`. */
export function cronHeaders(): Record<string, string> {
  return {
    "User-Agent": APP_ENGINE_AGENT,
    "X-Appengine-Cron": "true",
    "X-AppEngine-User-IP": APP_ENGINE_SOURCE,
  };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
