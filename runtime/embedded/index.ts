/**
 * The embedded transport and its SQLite state store (`taskgen/embedded`): a separate entry
 * point, so only applications that use it load better-sqlite3.
 *
 * @packageDocumentation
 */

export { EmbeddedQueue, openEmbeddedQueue } from "./embedded-queue.js";
export { DEFAULT_RETRY_BACKOFF, retryDelayMs } from "./retry-backoff.js";
export { SqliteStateStore } from "./sqlite-state-store.js";
export { SqliteTransactionMarkers } from "./sqlite-transaction-markers.js";

export type { EmbeddedQueueOptions, QueueLimit, Synchronous } from "./embedded-queue-options.js";
export type { RetryBackoff } from "./retry-backoff.js";
export type { FailedTask, TaskCounts } from "./task-store.js";
