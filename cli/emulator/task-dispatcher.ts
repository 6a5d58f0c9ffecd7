import { status } from "@grpc/grpc-js";

import type { EmulatedQueue } from "./emulated-queue.js";
import type { AttemptRecord, EmulatedTask } from "./emulated-task.js";
import type { EmulatorContext } from "./emulator-options.js";
import type { EmulatorStore } from "./emulator-store.js";
import { taskHeaders } from "./dispatch-headers.js";
import type { HttpResult, HttpSender, OutgoingRequest } from "./http-sender.js";
import type { OidcTokenMinter } from "./oidc-token-minter.js";
import { shortId } from "./resource-names.js";
import { mayRetry, retryBackoffMs } from "./retry-schedule.js";

/** setTimeout's largest delay; a later wake-up is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Sends each due task of each running queue as an HTTP request, at most the queue's
 * `maxConcurrentDispatches` at once and `maxDispatchesPerSecond` apart. A 2xx response ends the
 * task; anything else, or no response by the dispatch deadline, schedules a retry by the queue's
 * retry config until it allows no more, and then the task is dropped.
 */
export class TaskDispatcher {
  #timer: NodeJS.Timeout | undefined;
  #wakePending = false;
  #closed = false;

  constructor(
    private readonly context: EmulatorContext,
    private readonly store: EmulatorStore,
    private readonly sender: HttpSender,
    private readonly minter: OidcTokenMinter,
  ) {}

  /** Looks for due tasks once the current call has finished changing the store. */
  wake(): void {
    if (this.#closed || this.#wakePending) return;
    this.#wakePending = true;
    queueMicrotask(() => {
      this.#wakePending = false;
      this.#pump();
    });
  }

  /** RunTask: dispatches the task now, even when its queue is paused or rate-limited. */
  runNow(task: EmulatedTask): void {
    const queue = this.store.findQueue(task.queue);
    if (!queue || task.inFlight) return;
    task.scheduleMs = Math.min(task.scheduleMs, this.context.now());
    void this.#dispatch(task, queue);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #pump(): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    const now = this.context.now();
    let nextWake = Infinity;

    const due: { task: EmulatedTask; queue: EmulatedQueue }[] = [];
    for (const task of this.store.allTasks()) {
      const queue = this.store.findQueue(task.queue);
      if (task.inFlight || !queue || queue.state !== "RUNNING") continue;
      if (task.scheduleMs > now) nextWake = Math.min(nextWake, task.scheduleMs);
      else due.push({ task, queue });
    }

    due.sort((a, b) => a.task.scheduleMs - b.task.scheduleMs);
    for (const { task, queue } of due) {
      // A full queue is woken again when one of its dispatches ends.
      if (queue.inFlight >= queue.maxConcurrentDispatches) continue;
      if (queue.nextDispatchMs > now) {
        nextWake = Math.min(nextWake, queue.nextDispatchMs);
        continue;
      }
      queue.nextDispatchMs = now + 1000 / queue.maxDispatchesPerSecond;
      void this.#dispatch(task, queue);
    }

    if (nextWake === Infinity) return;
    this.#timer = setTimeout(() => this.#pump(), Math.min(nextWake - now, MAX_TIMER_MS));
    this.#timer.unref();
  }

  async #dispatch(task: EmulatedTask, queue: EmulatedQueue): Promise<void> {
    task.inFlight = true;
    queue.inFlight++;
    task.dispatchCount++;
    const attempt: AttemptRecord = { scheduleMs: task.scheduleMs, dispatchMs: this.context.now() };
    task.firstAttempt ??= attempt;
    task.lastAttempt = attempt;

    const request = outgoingRequest(this.context, task, this.minter);
    const result = await this.sender.send(request);

    task.inFlight = false;
    queue.inFlight--;
    if (!this.#closed && this.store.holds(task))
      this.#settle(task, queue, attempt, request, result);
    this.wake();
  }

  #settle(
    task: EmulatedTask,
    queue: EmulatedQueue,
    attempt: AttemptRecord,
    request: OutgoingRequest,
    result: HttpResult,
  ): void {
    const now = this.context.now();
    const what = `Task ${shortId(task.queue)}/${task.id}: ${request.method} ${request.url}`;
    if ("status" in result) {
      attempt.responseMs = now;
      attempt.responseStatus = { code: rpcCode(result.status), message: `HTTP ${result.status}` };
      task.responseCount++;
      task.previousResponse = result.status;
      if (countsAsExecution(task, result.status)) task.executionCount++;
      if (result.status >= 200 && result.status < 300) {
        this.context.logger.info(`${what} answered ${result.status}; done`);
        this.store.finishTask(task);
        return;
      }
    } else {
      const code = result.timedOut ? status.DEADLINE_EXCEEDED : status.UNAVAILABLE;
      attempt.responseStatus = { code, message: result.error };
    }

    const outcome = "status" in result ? `answered ${result.status}` : `failed: ${result.error}`;
    const firstDispatch = task.firstAttempt?.dispatchMs ?? attempt.dispatchMs;
    if (!mayRetry(queue.retry, task.dispatchCount, firstDispatch, now)) {
      this.context.logger.warn(
        `${what} ${outcome}; dropped after ${task.dispatchCount} attempts, ` +
          `as the queue's retry config allows no more`,
      );
      this.store.finishTask(task);
      return;
    }

    const waitMs = retryBackoffMs(queue.retry, task.dispatchCount);
    task.scheduleMs = now + waitMs;
    this.context.logger.info(`${what} ${outcome}; retry ${task.dispatchCount} in ${waitMs} ms`);
  }
}

function outgoingRequest(
  context: EmulatorContext,
  task: EmulatedTask,
  minter: OidcTokenMinter,
): OutgoingRequest {
  const { target } = task;
  const url = target.kind === "http" ? target.url : context.target + target.relativeUri;

  return {
    url,
    method: target.method,
    headers: taskHeaders(task, minter),
    body: target.body,
    timeoutMs: task.deadlineMs,
  };
}

/**
 * Cloud Tasks leaves out of the execution count the failures that never reached the handler:
 * any 5xx for HTTP targets, 503 (no instance available) for App Engine targets.
 */
function countsAsExecution(task: EmulatedTask, httpStatus: number): boolean {
  return task.target.kind === "http" ? httpStatus < 500 : httpStatus !== 503;
}

/** The gRPC code of an HTTP status, as Google maps them, for Attempt.response_status. */
function rpcCode(httpStatus: number): number {
  if (httpStatus >= 200 && httpStatus < 300) return status.OK;
  const known: Record<number, status> = {
    400: status.INVALID_ARGUMENT,
    401: status.UNAUTHENTICATED,
    403: status.PERMISSION_DENIED,
    404: status.NOT_FOUND,
    409: status.ABORTED,
    429: status.RESOURCE_EXHAUSTED,
    499: status.CANCELLED,
    501: status.UNIMPLEMENTED,
    503: status.UNAVAILABLE,
    504: status.DEADLINE_EXCEEDED,
  };
  return known[httpStatus] ?? (httpStatus >= 500 ? status.INTERNAL : status.UNKNOWN);
}
