/**
 * The part of `@google-cloud/tasks`' `CloudTasksClient` (API v2) the transport uses, declared
 * here so that neither this package's types nor a test's fake client need the library.
 */
import { CloudTasksConfigError } from "./cloud-tasks-errors.js";

/** A protobuf `Timestamp`. */
export interface CloudTaskTimestamp {
  readonly seconds: number;
  readonly nanos: number;
}

/** The request Cloud Tasks sends to an App Engine service (`AppEngineHttpRequest`). */
export interface CloudTaskAppEngineRequest {
  readonly httpMethod: "POST";
  readonly relativeUri: string;
  readonly appEngineRouting?: { readonly service?: string; readonly version?: string };
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** The request Cloud Tasks sends to a URL (`HttpRequest`), with an OIDC token. */
export interface CloudTaskHttpRequest {
  readonly httpMethod: "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly oidcToken: { readonly serviceAccountEmail: string; readonly audience: string };
}

/** A task to create (`Task`): one of the two requests, an optional name and schedule time. */
export interface CloudTask {
  /** `projects/P/locations/L/queues/Q/tasks/<id>`: Cloud Tasks refuses a second of this name. */
  readonly name?: string;
  readonly appEngineHttpRequest?: CloudTaskAppEngineRequest;
  readonly httpRequest?: CloudTaskHttpRequest;
  readonly scheduleTime?: CloudTaskTimestamp;
}

/** `CreateTaskRequest`. */
export interface CreateCloudTaskRequest {
  /** The queue: `projects/P/locations/L/queues/Q`. */
  readonly parent: string;
  readonly task: CloudTask;
}

/**
 * What the transport calls on a client. A `CloudTasksClient` from `@google-cloud/tasks` is one;
 * tests and emulators may pass any object that answers alike, and an error with `code: 6`
 * (gRPC's ALREADY_EXISTS) for a name that is taken.
 */
export interface CloudTasksClientLike {
  createTask(
    request: CreateCloudTaskRequest,
  ): Promise<readonly [{ readonly name?: string | null | undefined }, ...unknown[]]>;
  close?(): Promise<void>;
}

/** Kept out of the bundler's sight, so the library stays a package the app installs. */
const TASKS_LIBRARY = "@google-cloud/tasks";

/**
 * Loads `@google-cloud/tasks` and creates a client with `options` (its `ClientOptions`:
 * `credentials`, `apiEndpoint`, `servicePath`, `port`, `sslCreds`, `fallback`, ...). Creating one
 * reaches no network; the first call does.
 */
export async function createCloudTasksClient(
  options: Readonly<Record<string, unknown>>,
): Promise<CloudTasksClientLike> {
  let library: typeof import("@google-cloud/tasks");
  try {
    library = (await import(TASKS_LIBRARY)) as typeof import("@google-cloud/tasks");
  } catch (error) {
    throw new CloudTasksConfigError(
      ["@google-cloud/tasks cannot be loaded; install it with `npm install @google-cloud/tasks`"],
      { cause: error },
    );
  }
  type ClientOptions = ConstructorParameters<typeof library.CloudTasksClient>[0];
  return new library.CloudTasksClient({ ...options } as ClientOptions);
}
