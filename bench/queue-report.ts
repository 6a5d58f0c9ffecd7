/**
 * Renders the queue benchmark's results and writes them as the `## Queue` section of
 * `bench/RESULTS.md`, leaving the other sections as they are.
 */
import fs from "node:fs";
import os from "node:os";

import type { QueueRun } from "./queue-runners.js";

export interface QueueFacts {
  readonly date: Date;
  readonly command: string;
  readonly redisVersion: string;
}

export const QUEUE_HEADING = "## Queue";

export function jobsPerSecond(jobs: number, ms: number): number {
  return (jobs / ms) * 1000;
}

export function totalMs(run: QueueRun): number {
  return run.enqueueMs + run.runMs;
}

export function renderQueueTable(runs: readonly QueueRun[]): string {
  const header = [
    "contestant",
    "concurrency",
    "enqueue jobs/s",
    "run jobs/s",
    "enqueue + run jobs/s",
    "vs BullMQ (enqueue + run)",
  ];
  const rows = runs.map((run) => {
    const bullmq = runs.find((r) => r.contestant === "BullMQ" && r.concurrency === run.concurrency);
    const ratio = bullmq === undefined ? "" : `${(totalMs(bullmq) / totalMs(run)).toFixed(2)}x`;

    return [
      run.contestant,
      String(run.concurrency),
      formatRate(jobsPerSecond(run.jobs, run.enqueueMs)),
      formatRate(jobsPerSecond(run.jobs, run.runMs)),
      formatRate(jobsPerSecond(run.jobs, totalMs(run))),
      ratio,
    ];
  });

  return [header, header.map(() => "---"), ...rows]
    .map((row) => `| ${row.join(" | ")} |`)
    .join("\n");
}

export function renderQueueSection(facts: QueueFacts, runs: readonly QueueRun[]): string {
  const jobs = runs[0]?.jobs ?? 0;
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";

  return [
    QUEUE_HEADING,
    `Measured on ${facts.date.toISOString()} with:\n\n\`\`\`\n${facts.command}\n\`\`\``,
    `Machine: ${os.cpus().length} CPUs (${cpu}), Linux ${os.release()}; Node ${process.version}; ` +
      `Redis ${facts.redisVersion} on 127.0.0.1:6379 with its default configuration.`,
    renderQueueTable(runs),
    `Each contestant enqueues ${jobs.toLocaleString("en-US")} no-op tasks, one awaited call at a ` +
      "time, then runs them with a worker pool of the given concurrency; all runs are in this one " +
      "process and benchmark run. The embedded queue writes to a fresh SQLite file in " +
      "`bench/work/queue/` (WAL; `synchronous=normal` is the default, `full` fsyncs every commit) " +
      "and its run time ends when the database holds no queued task. BullMQ uses `Queue.add` with " +
      "`removeOnComplete` and a `Worker` with an empty processor; its run time ends at the last " +
      "`completed` event; the queue is obliterated before and after. The ratio is BullMQ's " +
      "enqueue + run time over the contestant's: above 1x the contestant is faster.",
  ].join("\n\n");
}

function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString("en-US");
}
