import { describeError } from "./describe-error.js";
import { entryModule } from "./dispatch-table.js";
import { scopedLogger } from "./logger.js";
import type { RuntimeContext } from "./runtime-options.js";

/** What one cron tick of a group did. */
export interface CronReport {
  readonly group: string;
  /** False when no periodic task belongs to the group: a logged permanent failure. */
  readonly known: boolean;
  readonly ran: readonly string[];
  /** Tasks whose interval has not passed since their last run. */
  readonly skipped: readonly string[];
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
}

/**
 * Runs the due periodic tasks of a cron group, one after another, each isolated from the
 * others' failures. A task with an interval runs only if it wins the state store's atomic
 * claim, so concurrent ticks never run it twice within its interval; interval 0 runs on every
 * tick. Deferred calls made by the tasks are queued, never run in place.
 */
export async function runCronGroup<Instances>(
  ctx: RuntimeContext<Instances>,
  group: string,
): Promise<CronReport> {
  const log = scopedLogger(ctx.logger, `cron ${group}`);
  const ran: string[] = [];
  const skipped: string[] = [];
  const failed: { id: string; reason: string }[] = [];

  const tasks = Object.entries(ctx.table)
    .filter(([, entry]) => entry.kind === "periodic" && entry.options.cronName === group)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (tasks.length === 0) {
    log.error(`No periodic task belongs to the cron group ${JSON.stringify(group)}`);
    return { group, known: false, ran, skipped, failed };
  }

  for (const [id, entry] of tasks) {
    if (entry.kind !== "periodic" || ctx.removedPeriodic.has(id)) continue;
    const intervalMs = (entry.options.intervalSeconds ?? 0) * 1000;
    if (intervalMs > 0 && !(await ctx.state.claimPeriodic(id, intervalMs, ctx.now()))) {
      skipped.push(id);
      continue;
    }
    try {
      await entry.run([], ctx.instances, (await entryModule(entry)) as never);
      ran.push(id);
    } catch (error) {
      const reason = describeError(error);
      log.error(`${id} failed: ${reason}`);
      failed.push({ id, reason });
    }
  }
  log.info(`ran ${ran.length}, skipped ${skipped.length}, failed ${failed.length}`);
  return { group, known: true, ran, skipped, failed };
}
