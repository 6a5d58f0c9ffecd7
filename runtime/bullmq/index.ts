/**
 * The BullMQ transport and the Redis state store (`taskgen/bullmq`): a separate entry point, so
 * only applications that use it load BullMQ and its Redis client.
 *
 * @packageDocumentation
 */

export { BullmqTransport, openBullmqTransport } from "./bullmq-transport.js";
export { RedisStateStore } from "./redis-state-store.js";

export type { BullmqTaskCounts } from "./bullmq-transport.js";
export type { BullmqTransportOptions } from "./bullmq-transport-options.js";
export type { RedisStateStoreOptions } from "./redis-state-store.js";
export type { RetryBackoff } from "../embedded/retry-backoff.js";
