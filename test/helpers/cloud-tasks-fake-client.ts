import type {
  CloudTasksClientLike,
  CreateCloudTaskRequest,
} from "../../runtime/cloud-tasks/index.js";

/**
 * A Cloud Tasks client for tests: it keeps the tasks it is asked to create, refuses a name it
 * has seen with gRPC's ALREADY_EXISTS (code 6), as Cloud Tasks does, and can be made to fail.
 */
export class FakeCloudTasksClient implements CloudTasksClientLike {
  readonly requests: CreateCloudTaskRequest[] = [];
  readonly #names = new Set<string>();
  /** Thrown by the next `createTask` calls while set. */
  failWith: unknown;
  closed = 0;

  async createTask(request: CreateCloudTaskRequest) {
    if (this.failWith !== undefined) throw this.failWith;
    const name = request.task.name;
    if (name !== undefined) {
      if (this.#names.has(name)) throw grpcError(6, "ALREADY_EXISTS: Requested entity exists");
      this.#names.add(name);
    }
    this.requests.push(request);
    return [{ name: name ?? `${request.parent}/tasks/${this.requests.length}` }] as const;
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

/** An error as the client library throws it: a message and a numeric gRPC status code. */
export function grpcError(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(`${code} ${message}`), { code });
}

/** One attempt of a simulated Cloud Tasks delivery. */
export interface SimulatedAttempt {
  readonly request: CreateCloudTaskRequest;
  readonly retryCount: number;
  readonly status: number;
}

/**
 * Delivers the tasks `client` was asked to create (and those created meanwhile) to `web`, as
 * Cloud Tasks does: a POST with the task's headers and the ones Cloud Tasks adds (App Engine's
 * for App Engine targets, `X-CloudTasks-*` and an OIDC token from `token` for HTTP targets),
 * again after every answer outside 2xx, up to the queue's `maxAttempts`.
 */
export async function deliverCloudTasks(
  client: FakeCloudTasksClient,
  web: (request: Request) => Promise<Response>,
  options: { readonly maxAttempts: number; readonly token?: () => string },
): Promise<SimulatedAttempt[]> {
  const attempts: SimulatedAttempt[] = [];
  for (let next = 0; next < client.requests.length; next++) {
    const request = client.requests[next]!;
    const queue = request.parent.split("/").at(-1)!;
    const taskId = request.task.name?.split("/").at(-1) ?? String(next + 1);

    for (let retryCount = 0; retryCount < options.maxAttempts; retryCount++) {
      const response = await web(simulatedRequest(request, queue, taskId, retryCount, options));
      attempts.push({ request, retryCount, status: response.status });
      if (response.status >= 200 && response.status < 300) break;
    }
  }
  return attempts;
}

function simulatedRequest(
  { task }: CreateCloudTaskRequest,
  queue: string,
  taskId: string,
  retryCount: number,
  options: { readonly token?: () => string },
): Request {
  if (task.appEngineHttpRequest) {
    const { relativeUri, headers, body } = task.appEngineHttpRequest;
    return new Request(`http://app.example${relativeUri}`, {
      method: "POST",
      body,
      headers: {
        ...headers,
        "X-AppEngine-QueueName": queue,
        "X-AppEngine-TaskName": taskId,
        "X-AppEngine-TaskRetryCount": String(retryCount),
        "X-AppEngine-User-IP": "0.1.0.2",
      },
    });
  }
  const { url, headers, body } = task.httpRequest!;
  return new Request(url, {
    method: "POST",
    body,
    headers: {
      ...headers,
      ...(options.token && { Authorization: `Bearer ${options.token()}` }),
      "X-CloudTasks-QueueName": queue,
      "X-CloudTasks-TaskName": taskId,
      "X-CloudTasks-TaskRetryCount": String(retryCount),
    },
  });
}
