import {
  durationMs,
  toDuration,
  toTimestamp,
  type QueueMessage,
  type QueueState,
  type RateLimits,
  type RetryConfig,
} from "./cloud-tasks-messages.js";
import type { QueueName } from "./resource-names.js";
import { invalidArgument } from "./rpc-error.js";

/** What Cloud Tasks gives a queue created through the API, for every setting left unset. */
const DEFAULT_RETRY = {
  maxAttempts: 100,
  minBackoffMs: 100,
  maxBackoffMs: 3_600_000,
  maxDoublings: 16,
  maxRetryDurationMs: 0,
} as const;
const DEFAULT_RATE = { maxDispatchesPerSecond: 500, maxConcurrentDispatches: 1000 } as const;
/** Cloud Tasks reports the burst size it derives; the emulator does not throttle bursts. */
const BURST_SIZE = 100;
const MAX_RATE = 500;
const MAX_CONCURRENT = 5000;

/** The fields of a queue that CreateQueue and UpdateQueue may set; the rest is output only. */
const MUTABLE_FIELDS = [
  "appEngineRoutingOverride",
  "rateLimits",
  "retryConfig",
  "stackdriverLoggingConfig",
] as const;
const OUTPUT_ONLY_FIELDS = new Set(["name", "state", "purgeTime", "rateLimits.maxBurstSize"]);

/** A queue's retry settings in milliseconds; `maxAttempts` -1 means unlimited. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxDoublings: number;
  /** 0: no age limit. */
  readonly maxRetryDurationMs: number;
}

/** A queue held by the emulator. */
export interface EmulatedQueue {
  readonly name: string;
  readonly id: string;
  readonly location: string;
  state: QueueState;
  retry: RetryPolicy;
  maxDispatchesPerSecond: number;
  maxConcurrentDispatches: number;
  /** Kept and reported as given; the emulator sends every App Engine task to one target. */
  appEngineRoutingOverride: QueueMessage["appEngineRoutingOverride"];
  stackdriverLoggingConfig: QueueMessage["stackdriverLoggingConfig"];
  purgeTimeMs: number | undefined;
  /** Dispatches under way. */
  inFlight: number;
  /** The rate limit: no dispatch starts before this time. */
  nextDispatchMs: number;
}

/** A new, running queue with the given settings, Cloud Tasks' defaults for the rest. */
export function newQueue(name: QueueName, settings: QueueMessage = {}): EmulatedQueue {
  const queue: EmulatedQueue = {
    name: name.name,
    id: name.id,
    location: name.location,
    state: "RUNNING",
    retry: { ...DEFAULT_RETRY },
    ...DEFAULT_RATE,
    appEngineRoutingOverride: undefined,
    stackdriverLoggingConfig: undefined,
    purgeTimeMs: undefined,
    inFlight: 0,
    nextDispatchMs: 0,
  };
  updateQueue(queue, settings, undefined);
  return queue;
}

/**
 * Applies an UpdateQueue: the fields the mask names (snake_case or camelCase paths), or, with no
 * mask, every settable field the request carries. Output-only fields are ignored, as Cloud Tasks
 * ignores them; unknown paths and values out of range are refused and change nothing.
 */
export function updateQueue(
  queue: EmulatedQueue,
  settings: QueueMessage,
  maskPaths: readonly string[] | undefined,
): void {
  const current = settingsOf(queue);
  const paths = maskPaths?.length
    ? maskPaths.map(camelPath)
    : MUTABLE_FIELDS.filter((field) => settings[field] !== undefined);

  const next = structuredClone(current) as Record<string, unknown>;
  for (const path of paths) {
    if (OUTPUT_ONLY_FIELDS.has(path)) continue;
    copyPath(next, settings as Record<string, unknown>, path);
  }

  const checked = checkSettings(next as QueueMessage);
  Object.assign(queue, checked);
}

/** The queue as a Queue message. */
export function queueMessage(queue: EmulatedQueue): QueueMessage {
  return {
    ...settingsOf(queue),
    name: queue.name,
    state: queue.state,
    ...(queue.purgeTimeMs === undefined ? {} : { purgeTime: toTimestamp(queue.purgeTimeMs) }),
  };
}

function settingsOf(queue: EmulatedQueue): QueueMessage {
  const retryConfig: RetryConfig = {
    maxAttempts: queue.retry.maxAttempts,
    minBackoff: toDuration(queue.retry.minBackoffMs),
    maxBackoff: toDuration(queue.retry.maxBackoffMs),
    maxDoublings: queue.retry.maxDoublings,
    maxRetryDuration: toDuration(queue.retry.maxRetryDurationMs),
  };
  const rateLimits: RateLimits = {
    maxDispatchesPerSecond: queue.maxDispatchesPerSecond,
    maxBurstSize: BURST_SIZE,
    maxConcurrentDispatches: queue.maxConcurrentDispatches,
  };

  return {
    retryConfig,
    rateLimits,
    ...(queue.appEngineRoutingOverride
      ? { appEngineRoutingOverride: queue.appEngineRoutingOverride }
      : {}),
    ...(queue.stackdriverLoggingConfig
      ? { stackdriverLoggingConfig: queue.stackdriverLoggingConfig }
      : {}),
  };
}

/** Proto3 cannot tell 0 from unset: a 0 takes the default, as Cloud Tasks does on create. */
function checkSettings(settings: QueueMessage) {
  const retry = settings.retryConfig ?? {};
  const rate = settings.rateLimits ?? {};
  const policy: RetryPolicy = {
    maxAttempts: retry.maxAttempts || DEFAULT_RETRY.maxAttempts,
    minBackoffMs: durationMs(retry.minBackoff) || DEFAULT_RETRY.minBackoffMs,
    maxBackoffMs: durationMs(retry.maxBackoff) || DEFAULT_RETRY.maxBackoffMs,
    maxDoublings: retry.maxDoublings || DEFAULT_RETRY.maxDoublings,
    maxRetryDurationMs: durationMs(retry.maxRetryDuration) ?? 0,
  };
  const maxDispatchesPerSecond = rate.maxDispatchesPerSecond || DEFAULT_RATE.maxDispatchesPerSecond;
  const maxConcurrentDispatches =
    rate.maxConcurrentDispatches || DEFAULT_RATE.maxConcurrentDispatches;

  if (policy.maxAttempts < -1) {
    throw invalidArgument(
      `retry_config.max_attempts must be -1 or more, not ${policy.maxAttempts}`,
    );
  }
  if (policy.minBackoffMs < 0 || policy.maxBackoffMs < 0 || policy.maxRetryDurationMs < 0) {
    throw invalidArgument("retry_config durations must not be negative");
  }
  if (policy.minBackoffMs > policy.maxBackoffMs) {
    throw invalidArgument(
      `retry_config.min_backoff (${policy.minBackoffMs} ms) is longer than ` +
        `retry_config.max_backoff (${policy.maxBackoffMs} ms)`,
    );
  }
  if (policy.maxDoublings < 0) {
    throw invalidArgument(`retry_config.max_doublings must not be negative`);
  }
  if (!(maxDispatchesPerSecond > 0 && maxDispatchesPerSecond <= MAX_RATE)) {
    throw invalidArgument(
      `rate_limits.max_dispatches_per_second must be more than 0 and at most ${MAX_RATE}, ` +
        `not ${maxDispatchesPerSecond}`,
    );
  }
  if (!(maxConcurrentDispatches >= 1 && maxConcurrentDispatches <= MAX_CONCURRENT)) {
    throw invalidArgument(
      `rate_limits.max_concurrent_dispatches must be 1 to ${MAX_CONCURRENT}, ` +
        `not ${maxConcurrentDispatches}`,
    );
  }

  return {
    retry: policy,
    maxDispatchesPerSecond,
    maxConcurrentDispatches,
    appEngineRoutingOverride: settings.appEngineRoutingOverride,
    stackdriverLoggingConfig: settings.stackdriverLoggingConfig,
  };
}

/** `retry_config.max_attempts` → `retryConfig.maxAttempts`; refuses fields a queue lacks. */
function camelPath(path: string): string {
  const camel = path.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  const top = camel.split(".")[0] ?? "";
  const known: readonly string[] = MUTABLE_FIELDS;
  if (!known.includes(top) && !OUTPUT_ONLY_FIELDS.has(top)) {
    throw invalidArgument(
      `update_mask path ${JSON.stringify(path)} names no settable field of a queue; ` +
        `settable: app_engine_routing_override, rate_limits, retry_config, ` +
        `stackdriver_logging_config`,
    );
  }
  return camel;
}

/** Sets `target[path]` to `source[path]` (removing it when the source lacks it). */
function copyPath(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  path: string,
): void {
  const keys = path.split(".");
  const last = keys.pop() ?? "";
  let to = target;
  let from: Record<string, unknown> | undefined = source;
  for (const key of keys) {
    const child = to[key];
    to[key] = typeof child === "object" && child !== null ? child : {};
    to = to[key] as Record<string, unknown>;
    from = from?.[key] as Record<string, unknown> | undefined;
  }

  const value = from?.[last];
  if (value === undefined) delete to[last];
  else to[last] = structuredClone(value);
}
