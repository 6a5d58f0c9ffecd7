/**
 * The taskgen runtime: what application code imports to declare tasks, and the values tasks
 * carry. taskgen's build step finds the declarations by these names and generates the dispatch
 * table, stubs, validators, manifest and `cron.yaml` from them.
 *
 * @packageDocumentation
 */

export { callDeferred, defineDeferred } from "./call-deferred.js";
export { CallableTask } from "./callable-task.js";
export { CodecError } from "./codec/codec-error.js";
export { sign as signTaskBody, verify as verifyTaskBody } from "./codec/signature.js";
export { createRuntime, Runtime } from "./create-runtime.js";
export { cronSchedules, startCronTicker } from "./cron-ticker.js";
export { cronRequestHeaders } from "./handler/cron-signature.js";
export { handleTaskRequest } from "./handler/handle-task-request.js";
export { InlineTransport } from "./inline-transport.js";
export { createNodeHandler } from "./handler/node-handler.js";
export { createWebHandler } from "./handler/web-handler.js";
export { MemoryStateStore } from "./state/memory-state-store.js";
export { CallableTaskBase } from "./callable-task-base.js";
export { declaredTaskOptions } from "./declared-task-options.js";
export { callDirect, runNow, withCallOptions } from "./deferred-call.js";
export { InvalidKeyError } from "./invalid-key-error.js";
export { Key } from "./key.js";
export { PeriodicTask, definePeriodic } from "./periodic-task.js";
export { PermanentTaskFailure } from "./permanent-task-failure.js";
export { QueryIter } from "./query-iter.js";
export { memoryQuerySource } from "./query/memory-source.js";
export { postgresQuerySource } from "./query/postgres-source.js";
export { sqliteQuerySource } from "./query/sqlite-source.js";
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
export type { CallableOutcome, CallableTaskInfo } from "./callable-runner.js";
export type { Envelope, TaskEnvironment } from "./codec/envelope.js";
export type { DispatchEntry, DispatchTable, EntryOptions } from "./dispatch-table.js";
export type { HandlerOptions } from "./handler/handle-task-request.js";
export type { TaskRequest, TaskResponse } from "./handler/task-request.js";
export type { InlineFailure, InlineTransportOptions } from "./inline-transport.js";
export type { Logger } from "./logger.js";
export type { CronReport } from "./periodic-runner.js";
export type { CronTicker } from "./cron-ticker.js";
export type { EnvironmentHooks, EnvironmentPart } from "./environment.js";
export type { RequestInfo, RuntimeOptions } from "./runtime-options.js";
export type { StateStore } from "./state/state-store.js";
export type {
  ComparisonOperator,
  Cursor,
  Filter,
  FilterValue,
  IterQuery,
  Order,
} from "./query/iter-query.js";
export type { IterProgress } from "./query/iter-run.js";
export type { PostgresQueryable } from "./query/postgres-source.js";
export type { QuerySource } from "./query/query-source.js";
export type { SqliteDatabaseLike } from "./query/sqlite-source.js";
export type { TaskTransaction, TransactionMarkers } from "./transaction.js";
export type {
  Delivery,
  DeliveryHandler,
  DeliveryOutcome,
  EnqueueResult,
  QueuedTask,
  CronSchedule,
  TaskRoute,
  Transport,
  TransportHooks,
} from "./transport.js";
