const BRAND = Symbol.for("taskgen.PermanentTaskFailure");

/**
 * Thrown by a task to fail for good: the runtime records the failure and does not retry, however
 * many retries the task has left. Wrap the underlying error as `cause`.
 *
 * @example
 * if (!order) throw new PermanentTaskFailure(`Order "${orderId}" no longer exists`);
 * // or keep the original error:
 * throw new PermanentTaskFailure("The mail address was refused", { cause: error });
 */
export class PermanentTaskFailure extends Error {
  /** Marks instances, so `instanceof` holds across two loaded copies of this module. */
  readonly [BRAND] = true;

  constructor(message = "The task failed permanently", options?: ErrorOptions) {
    super(message, options);
    this.name = "PermanentTaskFailure";
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}
