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
  constructor(message = "The task failed permanently", options?: ErrorOptions) {
    super(message, options);
    this.name = "PermanentTaskFailure";
  }
}
