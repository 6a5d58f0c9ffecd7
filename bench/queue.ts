/**
 * The queue benchmark: the embedded queue against raw BullMQ on the local Redis, enqueuing and
 * running the same number of no-op tasks at each worker concurrency, in the same run.
 *
 *   node --import tsx bench/queue.ts [--queue-jobs 20000] [--queue-concurrency 1,50]
 *
 * Prints a table and writes the `## Queue` section of `bench/RESULTS.md`. Exits with 1 when the
 * embedded queue, with its default durability, is slower than BullMQ at any concurrency.
 */
import { writeResultsSection } from "./results-file.js";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import {
  renderQueueSection,
  renderQueueTable,
  totalMs,
  QUEUE_HEADING,
  type QueueFacts,
} from "./queue-report.js";
import { runBullmq, runEmbedded, type QueueRun } from "./queue-runners.js";

const USAGE =
  "usage: node --import tsx bench/queue.ts [--queue-jobs 20000] [--queue-concurrency 1,50]";

/** The embedded contestant the goal is judged on: the default durability. */
const DEFAULT_CONTESTANT = "embedded, synchronous=normal";

/** Runs the benchmark and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { jobs, concurrencies } = parseOptions(argv);
  const benchDir = path.dirname(fileURLToPath(import.meta.url));
  const workDir = path.join(benchDir, "work", "queue");
  fs.mkdirSync(workDir, { recursive: true });
  const facts: QueueFacts = {
    date: new Date(),
    command: [
      "node",
      ...process.execArgv,
      path.relative(path.dirname(benchDir), script()),
      ...argv,
    ].join(" "),
    redisVersion: redisVersion(),
  };

  const runs: QueueRun[] = [];
  for (const concurrency of concurrencies) {
    progress(`${jobs} jobs at concurrency ${concurrency}: embedded (normal, full), then BullMQ`);
    runs.push(await runEmbedded(workDir, "normal", jobs, concurrency));
    runs.push(await runEmbedded(workDir, "full", jobs, concurrency));
    runs.push(await runBullmq(jobs, concurrency));
  }

  process.stdout.write(`\n${renderQueueTable(runs)}\n`);
  const resultsFile = path.join(benchDir, "RESULTS.md");
  writeResultsSection(resultsFile, QUEUE_HEADING, renderQueueSection(facts, runs));
  progress(`wrote the Queue section of ${path.relative(process.cwd(), resultsFile)}`);

  return goalHolds(runs, concurrencies) ? 0 : 1;
}

function goalHolds(runs: readonly QueueRun[], concurrencies: readonly number[]): boolean {
  return concurrencies.every((concurrency) => {
    const find = (contestant: string) =>
      runs.find((run) => run.contestant === contestant && run.concurrency === concurrency);
    const embedded = find(DEFAULT_CONTESTANT);
    const bullmq = find("BullMQ");
    const holds =
      embedded !== undefined && bullmq !== undefined && totalMs(embedded) <= totalMs(bullmq);

    if (!holds) progress(`GOAL MISSED: the embedded queue is slower than BullMQ at ${concurrency}`);
    return holds;
  });
}

function parseOptions(argv: readonly string[]): { jobs: number; concurrencies: number[] } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "queue-jobs": { type: "string", default: "20000" },
      "queue-concurrency": { type: "string", default: "1,50" },
    },
  });

  return {
    jobs: positiveInteger("--queue-jobs", values["queue-jobs"]),
    concurrencies: values["queue-concurrency"]
      .split(",")
      .map((text) => positiveInteger("--queue-concurrency", text.trim())),
  };
}

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Expected a positive integer for ${option}, got "${text}"\n${USAGE}`);
  }
  return value;
}

function redisVersion(): string {
  try {
    const info = execFileSync("redis-cli", ["-h", "127.0.0.1", "INFO", "server"], {
      encoding: "utf8",
    });
    return /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

function script(): string {
  return process.argv[1] ?? "bench/queue.ts";
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(entry).href;
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      progress(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
