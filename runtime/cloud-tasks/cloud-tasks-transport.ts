import { describeError } from "../describe-error.js";
import type { EnqueueResult, QueuedTask, Transport } from "../transport.js";
import { buildCloudTask } from "./build-cloud-task.js";
import { createCloudTasksClient, type CloudTasksClientLike } from "./cloud-tasks-client.js";
import { ALREADY_EXISTS, CloudTasksError, grpcCode } from "./cloud-tasks-errors.js";
import {
  resolveCloudTasksOptions,
  type CloudTasksContext,
  type CloudTasksTransportOptions,
} from "./cloud-tasks-options.js";

/**
 * Queues tasks in Google Cloud Tasks (API v2). Cloud Tasks delivers each task over HTTP to the
 * task handler, which checks its signature (and, as configured, its OIDC token or App Engine's
 * headers) and runs it; create one with {@link cloudTasksTransport}.
 *
 * - **Targets**: an App Engine service (`{ kind: "appEngine", service?, version? }`; a task's
 *   `targetVersion` wins over `version`), or a URL (`{ kind: "http", url,
 *   serviceAccountEmail, audience? }`) with an OIDC token.
 * - **Queues**: each task goes to its own queue (`task.queue`, through `queueNames`). The
 *   queues must exist: this transport does not create them.
 * - **Names**: a dedup name becomes the task id {@link cloudTaskId}; Cloud Tasks refuses a second
 *   task of that id in the same queue while the first is known and for about an hour after it
 *   finished (nine days for queues made from `queue.yaml`), which `enqueue` answers
 *   `{ queued: false, reason: "duplicate" }`.
 * - **Retries** are a queue setting in Cloud Tasks (`maxAttempts`, backoff); a task's own limit
 *   (`@retry(n)`, `@noRetry`, `maxRetries`) cannot be set per task. The handler enforces it:
 *   it reads the retry count Cloud Tasks sends (`X-CloudTasks-TaskRetryCount`,
 *   `X-AppEngine-TaskRetryCount`), and a failure on the task's last allowed attempt is answered
 *   200 as a permanent failure, so Cloud Tasks stops. A queue allowing fewer attempts than a
 *   task wants stops it earlier. Query iterator steps and tasks without a limit retry as the
 *   queue says.
 * - **Schedule**: `notBefore` becomes the task's `scheduleTime`; Cloud Tasks refuses one more
 *   than 30 days ahead, which `enqueue` throws as a `CloudTasksError`.
 * - **Deliveries**: `start()` only checks the configuration; Cloud Tasks calls the handler.
 */
export class CloudTasksTransport implements Transport {
  readonly #options: CloudTasksTransportOptions;
  #ctx: CloudTasksContext | undefined;
  /** The client this transport created, if it did; it closes that one in `stop()`. */
  #ownClient: Promise<CloudTasksClientLike> | undefined;

  constructor(options: CloudTasksTransportOptions) {
    this.#options = options;
  }

  async enqueue(task: QueuedTask): Promise<EnqueueResult> {
    const ctx = this.#context();
    const request = buildCloudTask(ctx, task);
    const client = await this.#client();

    try {
      const [created] = await client.createTask(request);
      const id = created.name ?? request.task.name ?? request.parent;
      ctx.logger.debug(`Created the Cloud Task ${id}`);
      return { queued: true, id };
    } catch (error) {
      if (task.name !== undefined && grpcCode(error) === ALREADY_EXISTS) {
        return { queued: false, reason: "duplicate" };
      }
      const why = describeError(error);
      throw new CloudTasksError(
        `Cloud Tasks did not create a task in ${request.parent}: ${why}`,
        error,
      );
    }
  }

  /** Checks the configuration; delivers nothing itself, since Cloud Tasks calls the handler. */
  async start(): Promise<void> {
    this.#context();
  }

  /** Closes the client the transport created; an injected client is left to its owner. */
  async stop(): Promise<void> {
    const pending = this.#ownClient;
    this.#ownClient = undefined;
    const client = await pending?.catch(() => undefined);
    await client?.close?.();
  }

  /** The resolved configuration; throws a `CloudTasksConfigError` naming what is missing. */
  #context(): CloudTasksContext {
    this.#ctx ??= resolveCloudTasksOptions(this.#options);
    return this.#ctx;
  }

  #client(): Promise<CloudTasksClientLike> {
    if (this.#options.client) return Promise.resolve(this.#options.client);
    if (!this.#ownClient) {
      const created = createCloudTasksClient(this.#options.clientOptions ?? {});
      // A failed load is not kept: the next enqueue tries again and reports it again.
      created.catch(() => {
        if (this.#ownClient === created) this.#ownClient = undefined;
      });
      this.#ownClient = created;
    }
    return this.#ownClient;
  }
}

/**
 * A transport that queues tasks in Google Cloud Tasks. Nothing is loaded or resolved until it is
 * started or first queues a task: the project comes from `project`, `GOOGLE_CLOUD_PROJECT` or
 * `GCLOUD_PROJECT`, the location from `location` or `CLOUD_TASKS_LOCATION`, and
 * `@google-cloud/tasks` is imported on the first task (unless a `client` is given).
 *
 * @example
 * // App Engine: tasks go to /_tasks/... of the default service, in the version that queued them
 * const transport = cloudTasksTransport({
 *   target: { kind: "appEngine", version: process.env.GAE_VERSION },
 *   location: "europe-west1",
 * });
 *
 * // Cloud Run: an HTTP target with an OIDC token; mount the handler with the matching `oidc`
 * const transport = cloudTasksTransport({
 *   target: {
 *     kind: "http",
 *     url: "https://worker-abc-ew.a.run.app",
 *     serviceAccountEmail: "tasks@my-project.iam.gserviceaccount.com",
 *   },
 *   queueNames: { default: "orders", mail: "orders-mail" },
 * });
 */
export function cloudTasksTransport(options: CloudTasksTransportOptions): CloudTasksTransport {
  return new CloudTasksTransport(options);
}
