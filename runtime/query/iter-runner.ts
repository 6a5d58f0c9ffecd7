import type { TaskEnvironment } from "../codec/envelope.js";
import { describeError } from "../describe-error.js";
import { entryModule, type DispatchEntry } from "../dispatch-table.js";
import { restoreEnvironment } from "../environment.js";
import { scopedLogger, SILENT_LOGGER, type Logger } from "../logger.js";
import type { QueryIter } from "../query-iter.js";
import type { RuntimeContext } from "../runtime-options.js";
import type { DeliveryOutcome } from "../transport.js";
import { queryShapeProblem, type IterQuery } from "./iter-query.js";
import {
  decodeRun,
  encodeRun,
  progressOf,
  runKey,
  runShapeProblem,
  type IterProgress,
  type IterRun,
} from "./iter-run.js";
import { ClaimKeeper } from "./claim-keeper.js";
import { cursorOf, type QuerySource } from "./query-source.js";

/**
 * Queues the step `run.step` of a run, under its dedup name, with the run's environment
 * (captured from the caller when undefined).
 */
export type QueueStep = (run: IterRun, env?: TaskEnvironment) => Promise<void>;

type Iterator = QueryIter<unknown, unknown>;

const DONE: DeliveryOutcome = Object.freeze({ status: "done" });

/** Entries per step when the iterator sets no `chunkSize`, as in the original system. */
export const DEFAULT_CHUNK_SIZE = 5;

/**
 * Starts a run of the iterator `id` over `query`: checks that the query can be walked by
 * cursor, records the run and queues its first step. Returns the run id.
 *
 * @throws TypeError when the query or the custom data are refused; nothing is queued then.
 */
export async function startIter<Instances>(
  ctx: RuntimeContext<Instances>,
  queueStep: QueueStep,
  id: string,
  query: IterQuery,
  customData: unknown,
): Promise<string> {
  const entry = iteratorEntry(ctx, id);
  if (!entry) throw new TypeError(`${JSON.stringify(id)} is not a query iterator of this app`);
  const reason = queryShapeProblem(query) ?? (await sourceOf(ctx, query).check(query));
  if (reason !== undefined) {
    throw new TypeError(`${id} cannot walk this query by cursor: ${reason}`);
  }
  const dataProblem = entry.validate(customData);
  if (dataProblem !== undefined) {
    throw new TypeError(`${id}: the custom data do not match its type: ${dataProblem}`);
  }

  const now = ctx.now();
  const run: IterRun = {
    run: `${now.toString(36)}-${Math.random().toString(36).slice(2, 12)}`,
    iterator: id,
    query,
    phase: "running",
    step: 0,
    cursor: null,
    customData,
    totalCount: 0,
    errors: 0,
    startedAt: now,
    updatedAt: now,
  };
  // Queued first: a step finds its run in its own payload when the store has no record yet, so
  // a crash between the two leaves a run that goes on, never a record with nothing queued.
  await queueStep(run);
  await ctx.state.compareAndSet(runKey(run.run), undefined, encodeRun(run));
  scopedLogger(ctx.logger, `iter ${id} ${run.run}`).info(`started on ${query.table}`);
  return run.run;
}

export async function iterProgress<Instances>(
  ctx: RuntimeContext<Instances>,
  run: string,
): Promise<IterProgress | undefined> {
  const text = await ctx.state.get(runKey(run));
  return text === undefined ? undefined : progressOf(decodeRun(text));
}

/**
 * Goes on with a run from where it stands, as a new step: a run `handleError` stopped, from the
 * entry it stopped at, or a run whose step the transport gave up on after its retries. Returns
 * false when the run is unknown, finished, or has a step running now.
 */
export async function resumeIter<Instances>(
  ctx: RuntimeContext<Instances>,
  queueStep: QueueStep,
  runId: string,
): Promise<boolean> {
  const key = runKey(runId);
  const text = await ctx.state.get(key);
  if (text === undefined) return false;
  const run = decodeRun(text);
  if (run.phase === "finished" || (run.claim && run.claim.until > ctx.now())) return false;

  // A new step number, hence a new step name: the given-up step's name may still be taken.
  const { stopReason: _reason, claim: _claim, ...rest } = run;
  const phase = run.phase === "stopped" ? "running" : run.phase;
  const resumed: IterRun = { ...rest, phase, step: run.step + 1, updatedAt: ctx.now() };
  if (!(await ctx.state.compareAndSet(key, text, encodeRun(resumed)))) return false;
  await queueStep(resumed);
  scopedLogger(ctx.logger, `iter ${run.iterator} ${runId}`).info(`resumed at step ${resumed.step}`);
  return true;
}

/**
 * Runs one delivered step. The state store decides what the step does: a step that already
 * ran (a duplicate delivery, or a retry after its successor was queued) queues the successor
 * again, which its dedup name makes harmless; a step another worker is running is retried
 * later; otherwise this worker claims the step, handles its chunk, and advances the record
 * with a compare-and-set, so two workers can never both advance one step.
 */
export async function runIterStep<Instances>(
  ctx: RuntimeContext<Instances>,
  queueStep: QueueStep,
  id: string,
  payload: unknown,
  env: TaskEnvironment | undefined,
): Promise<DeliveryOutcome> {
  const entry = iteratorEntry(ctx, id);
  const problem = entry ? stepProblem(entry, id, payload) : `${id} is not a query iterator`;
  if (problem !== undefined || !entry) {
    const reason = `Refused a query iterator step: ${problem}`;
    scopedLogger(ctx.logger, `iter ${id}`).error(reason);
    return { status: "failed", reason };
  }

  const delivered = payload as IterRun;
  const key = runKey(delivered.run);
  const log = scopedLogger(ctx.logger, `iter ${id} ${delivered.run}`);

  let text = await ctx.state.get(key);
  if (text === undefined) {
    // A store that forgot the run (memory, after a restart): the payload's copy takes over.
    const { claim: _claim, ...adopted } = delivered;
    await ctx.state.compareAndSet(key, undefined, encodeRun(adopted));
    text = await ctx.state.get(key);
    if (text === undefined) return { status: "retry", reason: "the run could not be recorded" };
  }
  const run = decodeRun(text);
  if (run.iterator !== id) {
    log.error(`Refused a step of run ${run.run}, which belongs to ${run.iterator}`);
    return { status: "failed", reason: `the run belongs to ${run.iterator}` };
  }
  if (run.phase === "finished" || run.phase === "stopped") return DONE;
  if (run.step > delivered.step) {
    await queueStep(run, env);
    return DONE;
  }
  if (run.step < delivered.step) {
    log.warn(`step ${delivered.step} arrived while the run is at step ${run.step}; dropped`);
    return DONE;
  }

  const now = ctx.now();
  if (run.claim && run.claim.until > now) {
    return { status: "retry", reason: `step ${run.step} is being run by another worker` };
  }
  const token = `${process.pid}-${now.toString(36)}-${Math.random().toString(36).slice(2)}`;
  const claimedRun: IterRun = { ...run, claim: { token, until: now + ctx.iterStepLeaseMs } };
  const claimed = encodeRun(claimedRun);
  if (!(await ctx.state.compareAndSet(key, text, claimed))) {
    return { status: "retry", reason: `step ${run.step} was claimed by another worker` };
  }

  const keeper = new ClaimKeeper(ctx, key, run, token, claimed, log);
  try {
    const iterator = entry.create((await entryModule(entry)) as never) as Iterator;
    const work = () => advance(ctx, entry, iterator, run, log);
    const next = env ? await restoreEnvironment(ctx.environment, env, work) : await work();
    if (!(await ctx.state.compareAndSet(key, await keeper.stop(), encodeRun(next)))) {
      // The claim ran out unrenewed (the event loop or the store stalled) and another worker
      // took the step over: its outcome stands.
      log.warn(`step ${run.step} lost its claim to another worker, whose result stands`);
      return DONE;
    }
    // Building the progress line is a noticeable part of a short step: only when it is read.
    if (ctx.logger !== SILENT_LOGGER) logStep(log, run, next);
    if (next.phase === "running" || next.phase === "finishing") await queueStep(next, env);
    return DONE;
  } catch (error) {
    // Give the step back at once, so the retry need not wait for the lease to run out.
    await ctx.state.compareAndSet(key, await keeper.stop(), text).catch(() => undefined);
    const reason = describeError(error);
    log.warn(`step ${run.step} failed and will be retried: ${reason}`);
    return { status: "retry", reason };
  }
}

/** Handles the chunk of `run.step`, or finishes the run; returns the record after it. */
async function advance<Instances>(
  ctx: RuntimeContext<Instances>,
  entry: Extract<DispatchEntry<Instances>, { kind: "queryIter" }>,
  iterator: Iterator,
  run: IterRun,
  log: Logger,
): Promise<IterRun> {
  const { claim: _claim, ...base } = run;
  const customData = run.customData;

  if (run.phase === "finishing") {
    await iterator.handleFinish(run.totalCount, customData);
    return { ...base, phase: "finished", updatedAt: ctx.now() };
  }

  const chunkSize = entry.options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const source = sourceOf(ctx, run.query);
  // One entry more than the chunk tells whether another step is needed, without an empty one.
  const fetched = await source.fetch(run.query, run.cursor ?? undefined, chunkSize + 1);
  const count = Math.min(fetched.length, chunkSize);
  /** The cursor after the first `handled` entries of the chunk. */
  const cursorAfter = (handled: number) =>
    handled === 0 ? run.cursor : cursorOf(run.query, fetched[handled - 1]);

  let errors = run.errors;
  for (let i = 0; i < count; i++) {
    const item = fetched[i];
    // The common case costs a call, and an await only for an asynchronous handleEntry.
    try {
      const handled: unknown = iterator.handleEntry(item, customData);
      if (typeof (handled as PromiseLike<void> | undefined)?.then === "function") await handled;
      continue;
    } catch (error) {
      log.warn(`an entry failed (attempt 1 of 2): ${describeError(error)}`);
    }
    const outcome = await retryEntry(iterator, item, customData, log);
    if (outcome.stop) {
      return {
        ...base,
        phase: "stopped",
        cursor: cursorAfter(i),
        customData,
        totalCount: run.totalCount + i,
        errors: errors + 1,
        updatedAt: ctx.now(),
        stopReason: outcome.reason,
      };
    }
    if (outcome.failed) errors++;
  }

  return {
    ...base,
    phase: fetched.length > chunkSize ? "running" : "finishing",
    step: run.step + 1,
    cursor: cursorAfter(count),
    customData,
    totalCount: run.totalCount + count,
    errors,
    updatedAt: ctx.now(),
  };
}

/**
 * An entry that failed once: it is tried once more, then goes to `handleError`, which says
 * whether the run goes on. `handleError` throwing counts as "stop".
 */
async function retryEntry(
  iterator: Iterator,
  item: unknown,
  customData: unknown,
  log: Logger,
): Promise<{ stop: false; failed: boolean } | { stop: true; reason: string }> {
  let error: unknown;
  try {
    await iterator.handleEntry(item, customData);
    return { stop: false, failed: false };
  } catch (caught) {
    error = caught;
    log.warn(`an entry failed (attempt 2 of 2): ${describeError(caught)}`);
  }
  let goOn: boolean;
  try {
    goOn = await iterator.handleError(item, customData, error);
  } catch (caught) {
    log.error(`handleError failed, so the run stops: ${describeError(caught)}`);
    goOn = false;
  }
  if (goOn) return { stop: false, failed: true };
  return { stop: true, reason: `an entry failed twice: ${describeError(error)}` };
}

function logStep(log: Logger, before: IterRun, after: IterRun): void {
  const progress = progressOf(after);
  const counts = `${after.totalCount} entries, ${after.errors} errors, ${progress.ratePerSecond}/s`;
  if (after.phase === "finished") log.info(`finished: ${counts}`);
  else if (after.phase === "stopped")
    log.warn(`stopped at step ${before.step}: ${after.stopReason}`);
  else log.info(`step ${before.step} done: ${counts}`);
}

function stepProblem<Instances>(
  entry: Extract<DispatchEntry<Instances>, { kind: "queryIter" }>,
  id: string,
  payload: unknown,
): string | undefined {
  const shape = runShapeProblem(payload);
  if (shape !== undefined) return shape;
  const run = payload as IterRun;
  if (run.iterator !== id) return `the step names ${run.iterator}, not ${id}`;
  const data = entry.validate(run.customData);
  return data === undefined ? undefined : `its custom data do not match ${id}: ${data}`;
}

function iteratorEntry<Instances>(ctx: RuntimeContext<Instances>, id: string) {
  const entry = Object.hasOwn(ctx.table, id) ? ctx.table[id] : undefined;
  return entry?.kind === "queryIter" ? entry : undefined;
}

function sourceOf<Instances>(ctx: RuntimeContext<Instances>, query: IterQuery): QuerySource {
  const source = Object.hasOwn(ctx.querySources, query.source)
    ? ctx.querySources[query.source]
    : undefined;
  if (!source) {
    throw new TypeError(
      `No query source ${JSON.stringify(query.source)}: name it in the runtime's querySources`,
    );
  }
  return source as QuerySource;
}
