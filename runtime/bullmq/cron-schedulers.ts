/**
 * Cron groups as BullMQ job schedulers: one scheduler per group on the cron queue, whose jobs
 * tick the group. BullMQ makes one job per period however many processes run, and the state
 * store's claims keep each periodic task to one run per interval even when ticks overlap.
 */
import { Queue, Worker, type RedisClient } from "bullmq";

import type { CronSchedule, TransportHooks } from "../transport.js";

import type { BullmqTransportContext } from "./bullmq-transport-options.js";
import { describeError } from "../describe-error.js";

interface CronJobData {
  readonly group: string;
}

/** Failed ticks kept on the cron queue for inspection. */
const KEEP_FAILED_TICKS = 100;

export class CronSchedulers {
  readonly #ctx: BullmqTransportContext;
  readonly #queue: Queue<CronJobData>;
  readonly #worker: Worker<CronJobData>;

  /**
   * Brings the schedulers in step with `hooks.cronSchedules` (upserting each group with its
   * period, removing those of groups that no longer exist), then runs the ticks they produce.
   * A group's first tick comes at once when its scheduler is new; an upsert with the same
   * period keeps the scheduler's next tick, so restarts and rolling deploys add no ticks.
   */
  static async start(
    ctx: BullmqTransportContext,
    client: RedisClient,
    hooks: TransportHooks,
  ): Promise<CronSchedulers | undefined> {
    const queue = new Queue<CronJobData>(ctx.cronQueue, { connection: client, prefix: ctx.prefix });
    // The shared connection's errors are logged by the transport's listener.
    queue.on("error", (error) =>
      ctx.logger.debug(`[queue ${ctx.cronQueue}] ${describeError(error)}`),
    );

    try {
      await synchronise(queue, hooks.cronSchedules);
    } catch (error) {
      await queue.close();
      throw new Error(`Setting up the cron schedulers failed: ${describeError(error)}`, {
        cause: error,
      });
    }
    if (hooks.cronSchedules.length > 0) return new CronSchedulers(ctx, queue, hooks);

    // No cron group: the stale schedulers are gone, and there is nothing to tick.
    await queue.close();
    return undefined;
  }

  private constructor(
    ctx: BullmqTransportContext,
    queue: Queue<CronJobData>,
    hooks: TransportHooks,
  ) {
    this.#ctx = ctx;
    this.#queue = queue;
    this.#worker = new Worker<CronJobData>(
      ctx.cronQueue,
      async (job) => {
        await hooks.runCron(job.data.group);
      },
      {
        connection: ctx.connection,
        prefix: ctx.prefix,
        concurrency: Math.max(1, hooks.cronSchedules.length),
      },
    );
    this.#worker.on("failed", (job, error) => {
      ctx.logger.error(`The cron tick of ${job?.data.group} failed: ${describeError(error)}`);
    });
    this.#worker.on("error", (error) => {
      ctx.logger.error(`[queue ${ctx.cronQueue}] ${describeError(error)}`);
    });
  }

  /**
   * Stops taking ticks and waits for a running one at most `graceMs`; one still running then
   * comes back through BullMQ's stalled-job check, and its claims keep it from running twice.
   */
  async stop(graceMs: number): Promise<void> {
    const closed = this.#worker.close();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });

    await Promise.race([closed, timeout]);
    clearTimeout(timer);
    await this.#queue.close();
    this.#ctx.logger.debug("Stopped the cron ticks");
  }
}

async function synchronise(
  queue: Queue<CronJobData>,
  schedules: readonly CronSchedule[],
): Promise<void> {
  const groups = new Set(schedules.map((schedule) => schedule.group));

  for (const { group, everyMs } of schedules) {
    await queue.upsertJobScheduler(
      group,
      { every: everyMs },
      {
        name: group,
        data: { group },
        opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: KEEP_FAILED_TICKS } },
      },
    );
  }
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const id = scheduler.id ?? scheduler.key;
    if (!groups.has(id)) await queue.removeJobScheduler(id);
  }
}
