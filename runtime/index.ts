/**
 * The taskgen runtime: what application code imports to declare tasks, and the values tasks
 * carry. taskgen's build step finds the declarations by these names and generates the dispatch
 * table, stubs, validators, manifest and `cron.yaml` from them.
 *
 * @packageDocumentation
 */

export { callDeferred, defineDeferred } from "./call-deferred.js";
export { CallableTask } from "./callable-task.js";
export { CallableTaskBase } from "./callable-task-base.js";
export { declaredTaskOptions } from "./declared-task-options.js";
export { runNow, withCallOptions } from "./deferred-call.js";
export { InvalidKeyError } from "./invalid-key-error.js";
export { Key } from "./key.js";
export { PeriodicTask, definePeriodic } from "./periodic-task.js";
export { PermanentTaskFailure } from "./permanent-task-failure.js";
export { QueryIter } from "./query-iter.js";
export { noRetry, retry } from "./retry.js";
export { StartupTask, defineStartup } from "./startup-task.js";

export type {
  DatastoreIntLike,
  DatastoreKeyLike,
  DatastoreKeyShape,
  DatastorePathItem,
} from "./datastore-key.js";
export type { KeyOptions } from "./key.js";
export type { KeyPathElement, KeyPathPart } from "./key-path.js";
export type {
  CallableTaskClass,
  NoArgumentTaskMethodDecorator,
  TaskClassDecorator,
  TaskMethodDecorator,
} from "./task-decorator.js";
export type {
  CallableOptions,
  CallOptions,
  DeferredOptions,
  Duration,
  PeriodicOptions,
  StartupOptions,
} from "./task-options.js";
export type { TaskUser } from "./task-user.js";
