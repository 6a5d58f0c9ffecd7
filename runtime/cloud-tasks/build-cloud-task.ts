import type { QueuedTask } from "../transport.js";
import type {
  CloudTask,
  CloudTaskTimestamp,
  CreateCloudTaskRequest,
} from "./cloud-tasks-client.js";
import { queueIdOf, type CloudTasksContext } from "./cloud-tasks-options.js";
import { cloudTaskId } from "./cloud-task-id.js";

/**
 * The `CreateTaskRequest` for a queued task: a POST of its body to `<basePath>/<route>` with its
 * signature in `X-Taskgen-Signature`, in its queue (mapped to a queue id), under its dedup name,
 * not before `notBefore`. `maxRetries` has no place here: Cloud Tasks sets retries per queue,
 * and the handler enforces a task's own limit (see the transport's documentation).
 */
export function buildCloudTask(ctx: CloudTasksContext, task: QueuedTask): CreateCloudTaskRequest {
  const parent = queuePath(ctx, queueIdOf(ctx, task.queue));
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "X-Taskgen-Signature": task.signature,
  };
  // A string body would be read as base64 by the client library: pass the bytes.
  const body = Buffer.from(task.body, "utf8");
  const path = `${ctx.basePath}/${task.route}`;

  const message: CloudTask =
    ctx.target.kind === "appEngine"
      ? {
          appEngineHttpRequest: {
            httpMethod: "POST",
            relativeUri: path,
            ...appEngineRouting(ctx.target.service, task.targetVersion ?? ctx.target.version),
            headers,
            body,
          },
        }
      : {
          httpRequest: {
            httpMethod: "POST",
            url: ctx.target.url + path,
            headers,
            body,
            oidcToken: {
              serviceAccountEmail: ctx.target.serviceAccountEmail,
              audience: ctx.target.audience,
            },
          },
        };

  return {
    parent,
    task: {
      ...(task.name !== undefined && { name: `${parent}/tasks/${cloudTaskId(task.name)}` }),
      ...message,
      ...(task.notBefore !== undefined && { scheduleTime: timestamp(task.notBefore) }),
    },
  };
}

/** `projects/P/locations/L/queues/Q`, as the client's `queuePath` makes it. */
export function queuePath(ctx: CloudTasksContext, queueId: string): string {
  return `projects/${ctx.project}/locations/${ctx.location}/queues/${queueId}`;
}

function appEngineRouting(service: string | undefined, version: string | undefined) {
  if (!service && !version) return {};
  return {
    appEngineRouting: { ...(service && { service }), ...(version && { version }) },
  };
}

/** Milliseconds since the epoch as a protobuf `Timestamp`, to the microsecond Cloud Tasks keeps. */
export function timestamp(ms: number): CloudTaskTimestamp {
  const micros = Math.round(ms * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  return { seconds, nanos: (micros - seconds * 1_000_000) * 1000 };
}
