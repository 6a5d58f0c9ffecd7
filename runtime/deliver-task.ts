import { CodecError } from "./codec/codec-error.js";
import { decodeEnvelope } from "./codec/decode-envelope.js";
import type { Envelope } from "./codec/envelope.js";
import { entryModule } from "./dispatch-table.js";
import { MissingEnvironmentHook, restoreEnvironment } from "./environment.js";
import { verifyAny } from "./codec/signature.js";
import { describeError } from "./describe-error.js";
import { scopedLogger, type Logger } from "./logger.js";
import { PermanentTaskFailure } from "./permanent-task-failure.js";
import { runIterStep, type QueueStep } from "./query/iter-runner.js";
import type { RuntimeContext } from "./runtime-options.js";
import { MARKER_META, QUEUED_AT_META, readMarker } from "./transaction.js";
import type { Delivery, DeliveryOutcome } from "./transport.js";

const DONE: DeliveryOutcome = Object.freeze({ status: "done" });

/** The retry at which a warning is logged, once per task, as the original system mails one. */
export const RETRY_WARNING_THRESHOLD = 25;

/**
 * Runs one delivery of a queued task: checks its signature, decodes and validates the payload,
 * and runs the task with its environment restored. Bad input is a logged permanent failure and
 * never runs the task; a failing task is retried, unless it throws `PermanentTaskFailure`.
 */
export async function deliverTask<Instances>(
  ctx: RuntimeContext<Instances>,
  delivery: Delivery,
  queueStep?: QueueStep,
): Promise<DeliveryOutcome> {
  if (!verifyAny(delivery.body, delivery.signature, ctx.acceptedSecrets)) {
    return refuse(ctx, delivery, "its signature does not match: it was not queued by this app");
  }
  return dispatchTask(ctx, delivery, queueStep);
}

/**
 * The part of a delivery after its signature was checked: decode, validate, run. The dispatch
 * benchmark measures this against a bare `JSON.parse`, look-up and call.
 */
export async function dispatchTask<Instances>(
  ctx: RuntimeContext<Instances>,
  delivery: Delivery,
  queueStep?: QueueStep,
): Promise<DeliveryOutcome> {
  let envelope: Envelope;
  try {
    envelope = decodeEnvelope(delivery.body);
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    return refuse(ctx, delivery, `its payload cannot be decoded: ${error.message}`);
  }

  const { task, payload, env, meta } = envelope;
  const entry = Object.hasOwn(ctx.table, task) ? ctx.table[task] : undefined;
  if (entry?.kind === "queryIter" && queueStep) {
    return runIterStep(ctx, queueStep, task, payload, env);
  }
  if (!entry || (entry.kind !== "deferred" && entry.kind !== "startup")) {
    return refuse(ctx, delivery, `it names ${JSON.stringify(task)}, which is not a deferred task`);
  }
  let problem: string | undefined;
  try {
    problem = entry.validate(payload);
  } catch (error) {
    // A payload too deep for a recursive type's check overflows the stack: still bad input.
    problem = `it cannot be checked: ${describeError(error)}`;
  }
  if (problem !== undefined) {
    return refuse(ctx, delivery, `its arguments do not match ${task}: ${problem}`);
  }
  if (delivery.attempt === RETRY_WARNING_THRESHOLD) {
    log(ctx, delivery).warn(`${task} is being retried for the ${RETRY_WARNING_THRESHOLD}th time`);
  }

  const marker = meta?.[MARKER_META];
  if (marker !== undefined) {
    const verdict = await checkMarker(ctx, delivery, task, String(marker), meta?.[QUEUED_AT_META]);
    if (verdict !== undefined) return verdict;
  }

  // The hot path: once the task's module is loaded, one call and one await, as a plain call.
  try {
    const args = payload as readonly unknown[];
    let module = entryModule(entry);
    if (module instanceof Promise) module = await module;
    if (env) {
      await restoreEnvironment(ctx.environment, env, async () =>
        entry.run(args, ctx.instances, module as never),
      );
    } else {
      await entry.run(args, ctx.instances, module as never);
    }
    if (marker !== undefined) await ctx.transactionMarkers?.remove(String(marker));
    return DONE;
  } catch (error) {
    const reason = describeError(error);
    if (error instanceof PermanentTaskFailure || error instanceof MissingEnvironmentHook) {
      log(ctx, delivery).error(`${task} failed permanently: ${reason}`);
      if (marker !== undefined) await ctx.transactionMarkers?.remove(String(marker));
      return { status: "failed", reason };
    }
    // The task's own limit, enforced here too: a queue whose retry policy is per queue
    // (Cloud Tasks) would otherwise retry a @noRetry task.
    const retries = entry.options.retries;
    if (retries !== undefined && delivery.attempt >= retries) {
      const why = `${task} failed on attempt ${delivery.attempt + 1}, its last: ${reason}`;
      log(ctx, delivery).error(why);
      if (marker !== undefined) await ctx.transactionMarkers?.remove(String(marker));
      return { status: "failed", reason: why };
    }
    log(ctx, delivery).warn(`${task} failed on attempt ${delivery.attempt + 1}: ${reason}`);
    return { status: "retry", reason };
  }
}

/**
 * For a call made in a transaction: undefined when the transaction committed and the task may
 * run, else the outcome of this delivery.
 */
async function checkMarker<Instances>(
  ctx: RuntimeContext<Instances>,
  delivery: Delivery,
  task: string,
  marker: string,
  queuedAt: string | number | undefined,
): Promise<DeliveryOutcome | undefined> {
  if (!ctx.transactionMarkers) {
    // Not a drop: the transaction may well have committed, and another process may know.
    const reason =
      `${task} was queued in a transaction, ` + "but this runtime has no transactionMarkers";
    log(ctx, delivery).error(reason);
    return { status: "retry", reason };
  }
  const verdict = await readMarker(
    ctx.transactionMarkers,
    marker,
    typeof queuedAt === "number" ? queuedAt : 0,
    ctx.now(),
    ctx.transactionGraceMs,
  );
  if (verdict === "run") return undefined;
  if (verdict === "wait") {
    return { status: "retry", reason: `the transaction of ${task} has not committed yet` };
  }
  const reason = `${task} was dropped: the transaction it was queued in did not commit`;
  log(ctx, delivery).info(reason);
  return { status: "dropped", reason };
}

function log<Instances>(ctx: RuntimeContext<Instances>, delivery: Delivery): Logger {
  return scopedLogger(ctx.logger, `task ${delivery.id}`);
}

function refuse<Instances>(
  ctx: RuntimeContext<Instances>,
  delivery: Delivery,
  why: string,
): DeliveryOutcome {
  const reason = `Refused a queued task: ${why}`;
  log(ctx, delivery).error(reason);
  return { status: "failed", reason };
}
