import type { Runtime } from "./create-runtime.js";
import type { DispatchTable } from "./dispatch-table.js";
import type { CronSchedule } from "./transport.js";

/** App Engine cron ticks at most once a minute; so does the local ticker. */
const FINEST_TICK_MS = 60_000;

export interface CronTicker {
  stop(): void;
}

/**
 * Drives the cron groups in this process, as App Engine cron drives them in production: each
 * group ticks on the schedule `cron.yaml` gives it (its smallest interval, rounded down to
 * whole minutes, at least one minute). Several processes may each run a ticker: the state
 * store's claims keep a task to one run per interval; interval-0 tasks run on every tick of
 * every process. Each group also ticks once right after the start, so a process restarted
 * more often than its period still runs the group's due tasks.
 *
 * @example
 * const ticker = startCronTicker(runtime);
 * // on shutdown:
 * ticker.stop();
 */
export function startCronTicker<Instances>(
  runtime: Runtime<Instances>,
  options: { readonly tickMs?: number } = {},
): CronTicker {
  const timers: NodeJS.Timeout[] = [];
  for (const { group, everyMs } of cronSchedules(runtime.context.table)) {
    const tick = () => {
      runtime.runCron(group).catch((error: unknown) => {
        runtime.context.logger.error(`The cron tick of ${group} failed: ${String(error)}`);
      });
    };
    // A ticker alone must not keep the process running.
    const first = setTimeout(tick, 0).unref();
    const timer = setInterval(tick, options.tickMs ?? everyMs).unref();
    timers.push(first, timer);
  }
  return {
    stop: () => {
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

/**
 * Each cron group with its tick period: its smallest interval, rounded down to whole minutes,
 * at least one minute, as `cron.yaml` gives it.
 */
export function cronSchedules<Instances>(table: DispatchTable<Instances>): CronSchedule[] {
  const smallest = new Map<string, number>();
  for (const entry of Object.values(table)) {
    if (entry.kind !== "periodic") continue;
    const group = entry.options.cronName ?? "default";
    const intervalMs = (entry.options.intervalSeconds ?? 0) * 1000;
    const known = smallest.get(group);
    if (intervalMs > 0 && (known === undefined || intervalMs < known)) {
      smallest.set(group, intervalMs);
    } else if (known === undefined) {
      smallest.set(group, Infinity);
    }
  }
  return [...smallest]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([group, intervalMs]) => {
      const minutes = Number.isFinite(intervalMs) ? Math.floor(intervalMs / FINEST_TICK_MS) : 1;
      return { group, everyMs: Math.max(1, minutes) * FINEST_TICK_MS };
    });
}
