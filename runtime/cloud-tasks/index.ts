/**
 * The Google Cloud Tasks transport (`taskgen/cloud-tasks`): a separate entry point, which loads
 * `@google-cloud/tasks` only when it first queues a task. The handler's `oidc` and
 * `trustAppEngineTasks` options, which check the requests Cloud Tasks sends, are in the main
 * entry's `HandlerOptions`; their types are exported here too.
 *
 * @packageDocumentation
 */

export { cloudTaskId } from "./cloud-task-id.js";
export { CloudTasksConfigError, CloudTasksError } from "./cloud-tasks-errors.js";
export { LOCATION_VARIABLE, PROJECT_VARIABLES } from "./cloud-tasks-options.js";
export { cloudTasksTransport, CloudTasksTransport } from "./cloud-tasks-transport.js";

export type { AppEngineTaskTrust } from "./app-engine-task-trust.js";
export type {
  CloudTask,
  CloudTaskAppEngineRequest,
  CloudTaskHttpRequest,
  CloudTasksClientLike,
  CloudTaskTimestamp,
  CreateCloudTaskRequest,
} from "./cloud-tasks-client.js";
export type {
  AppEngineTarget,
  CloudTasksTarget,
  CloudTasksTransportOptions,
  HttpTarget,
} from "./cloud-tasks-options.js";
export type { KeysByKid, OidcVerification } from "./oidc-verification.js";
