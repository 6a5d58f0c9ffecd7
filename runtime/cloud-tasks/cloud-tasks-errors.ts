/**
 * The Cloud Tasks transport is missing configuration or has a bad value: the project, the
 * location, the target, or a queue id. Thrown by `start()` and by `enqueue()`, so a task is never
 * dropped for want of configuration. The message lists every problem found at once.
 */
export class CloudTasksConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { readonly cause?: unknown }) {
    super(`The Cloud Tasks transport cannot queue tasks: ${problems.join("; ")}`, options);
    this.name = "CloudTasksConfigError";
    this.problems = problems;
  }
}

/** Cloud Tasks refused to create a task; `cause` is the client library's error. */
export class CloudTasksError extends Error {
  /** The gRPC status code of the refusal, when the client library gave one. */
  readonly code: number | undefined;

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "CloudTasksError";
    this.code = grpcCode(cause);
  }
}

/** gRPC's code for a task name that is taken, or was used within the last hour or so. */
export const ALREADY_EXISTS = 6;

export function grpcCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "number" ? error.code : undefined;
}
