/**
 * The Cloud Tasks v2 messages as the emulator reads and writes them: the plain objects
 * `@grpc/proto-loader` produces with `keepCase: false, longs: Number, enums: String, oneofs: true`
 * (camelCase fields, int64 as numbers, enums by name, absent fields undefined). Only the fields
 * the emulator uses are typed.
 *
 * Terms: a **queue name** and a **task name** are full resource names
 * (`projects/P/locations/L/queues/Q[/tasks/T]`); a **queue id** and a **task id** are their last
 * segment, which is what the `X-CloudTasks-*` and `X-AppEngine-*` headers carry.
 */

export interface Timestamp {
  readonly seconds?: number;
  readonly nanos?: number;
}

export type Duration = Timestamp;

export type HttpMethod = "POST" | "GET" | "HEAD" | "PUT" | "DELETE" | "PATCH" | "OPTIONS";

export type TaskView = "VIEW_UNSPECIFIED" | "BASIC" | "FULL";

export type QueueState = "STATE_UNSPECIFIED" | "RUNNING" | "PAUSED" | "DISABLED";

export interface AppEngineRouting {
  readonly service?: string;
  readonly version?: string;
  readonly instance?: string;
  readonly host?: string;
}

export interface AppEngineHttpRequest {
  readonly httpMethod?: HttpMethod | "HTTP_METHOD_UNSPECIFIED";
  readonly appEngineRouting?: AppEngineRouting;
  readonly relativeUri?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

export interface HttpRequest {
  readonly url?: string;
  readonly httpMethod?: HttpMethod | "HTTP_METHOD_UNSPECIFIED";
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly oauthToken?: { readonly serviceAccountEmail?: string; readonly scope?: string };
  readonly oidcToken?: { readonly serviceAccountEmail?: string; readonly audience?: string };
}

export interface Attempt {
  readonly scheduleTime?: Timestamp;
  readonly dispatchTime?: Timestamp;
  readonly responseTime?: Timestamp;
  readonly responseStatus?: { readonly code: number; readonly message: string };
}

export interface TaskMessage {
  readonly name?: string;
  readonly appEngineHttpRequest?: AppEngineHttpRequest;
  readonly httpRequest?: HttpRequest;
  readonly scheduleTime?: Timestamp;
  readonly createTime?: Timestamp;
  readonly dispatchDeadline?: Duration;
  readonly dispatchCount?: number;
  readonly responseCount?: number;
  readonly firstAttempt?: Attempt;
  readonly lastAttempt?: Attempt;
  readonly view?: TaskView;
}

export interface RetryConfig {
  readonly maxAttempts?: number;
  readonly maxRetryDuration?: Duration;
  readonly minBackoff?: Duration;
  readonly maxBackoff?: Duration;
  readonly maxDoublings?: number;
}

export interface RateLimits {
  readonly maxDispatchesPerSecond?: number;
  readonly maxBurstSize?: number;
  readonly maxConcurrentDispatches?: number;
}

export interface QueueMessage {
  readonly name?: string;
  readonly appEngineRoutingOverride?: AppEngineRouting;
  readonly rateLimits?: RateLimits;
  readonly retryConfig?: RetryConfig;
  readonly state?: QueueState;
  readonly purgeTime?: Timestamp;
  readonly stackdriverLoggingConfig?: { readonly samplingRatio?: number };
}

/** Milliseconds since the epoch of a Timestamp; undefined when it is unset. */
export function timestampMs(value: Timestamp | undefined | null): number | undefined {
  if (!value) return undefined;
  return Number(value.seconds ?? 0) * 1000 + Math.floor((value.nanos ?? 0) / 1e6);
}

/** The length of a Duration in milliseconds; undefined when it is unset. */
export const durationMs: (value: Duration | undefined | null) => number | undefined = timestampMs;

/** A Timestamp (or Duration) of `ms` milliseconds. */
export function toTimestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);

  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export const toDuration: (ms: number) => Duration = toTimestamp;
