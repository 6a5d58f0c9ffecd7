/**
 * The BullMQ transport benchmark: taskgen's BullMQ transport against raw BullMQ on the local
 * Redis, in the same run. Throughput: each enqueues the same number of no-op tasks, one awaited
 * call at a time, then runs them at each worker concurrency. Pickup latency: one task at a
 * time, from the call that enqueues it to the call of the handler, at concurrency 1.
 *
 *   node --import tsx bench/bullmq.ts [--queue-jobs 20000] [--queue-concurrency 1,50]
 *
 * Prints the tables and writes the `## BullMQ transport` section of `bench/RESULTS.md`. Exits
 * with 1 when the transport is below 0.9x raw BullMQ's throughput at any concurrency, or adds
 * more than 0.1 ms to the median pickup latency.
 */
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { Queue, RedisConnection, Worker, type RedisClient } from "bullmq";

import { openBullmqTransport } from "../runtime/bullmq/index.js";
import type { QueuedTask } from "../runtime/transport.js";
import { jobsPerSecond, totalMs } from "./queue-report.js";
import { REDIS, runBullmq, type QueueRun } from "./queue-runners.js";
import { writeResultsSection } from "./results-file.js";

const HEADING = "## BullMQ transport";
const USAGE =
  "usage: node --import tsx bench/bullmq.ts [--queue-jobs 20000] [--queue-concurrency 1,50]";
const TRANSPORT = "taskgen BullMQ transport";
const RAW = "BullMQ";
const THROUGHPUT_GOAL = 0.9;
const LATENCY_GOAL_MS = 0.1;
/** Pickup samples per contestant, taken in alternating blocks so drift hits both alike. */
const LATENCY_SAMPLES = 2000;
const LATENCY_BLOCK = 100;
const LATENCY_WARMUP = 200;
const QUEUE = "bench";
/** Runs of each contestant at each concurrency, alternating; the faster one counts. */
const ROUNDS = 3;

/** A contestant's fastest run at one concurrency, with all its runs. */
interface BestRun extends QueueRun {
  readonly rounds: readonly QueueRun[];
}

interface Latency {
  readonly contestant: string;
  readonly samplesMs: number[];
}

/** Enqueues one task and resolves with the milliseconds until its handler was called. */
type Pickup = () => Promise<number>;

/** Runs the benchmark and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { jobs, concurrencies } = parseOptions(argv);
  const prefix = `taskgen-bench-${process.pid}`;
  const connection = new RedisConnection(REDIS, { blocking: false });
  connection.on("error", (error: unknown) => progress(`Redis: ${String(error)}`));
  const client = await connection.client;

  try {
    const runs: BestRun[] = [];
    for (const concurrency of concurrencies) {
      progress(
        `${jobs} jobs at concurrency ${concurrency}: raw BullMQ and the transport, ${ROUNDS} times each`,
      );
      const raw: QueueRun[] = [];
      const transport: QueueRun[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        raw.push(await runBullmq(jobs, concurrency));
        transport.push(await runTransport(prefix, jobs, concurrency));
        await deleteKeys(client, prefix);
      }
      runs.push(fastest(raw), fastest(transport));
    }

    progress(`pickup latency, ${LATENCY_SAMPLES} tasks one at a time for each`);
    const latencies = await measureLatencies(prefix);

    const section = renderSection(argv, await redisVersion(client), runs, latencies);
    process.stdout.write(`\n${section}\n`);
    const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "RESULTS.md");
    writeResultsSection(resultsFile, HEADING, section);
    progress(`wrote the BullMQ transport section of ${path.relative(process.cwd(), resultsFile)}`);

    return goals(runs, latencies).every((goal) => goal.pass) ? 0 : 1;
  } finally {
    await deleteKeys(client, prefix);
    await connection.close();
  }
}

function fastest(rounds: readonly QueueRun[]): BestRun {
  const best = rounds.reduce((a, b) => (totalMs(b) < totalMs(a) ? b : a));
  return { ...best, rounds };
}

/** The transport's counterpart of `runBullmq`: its run ends when Redis holds no task. */
async function runTransport(prefix: string, jobs: number, concurrency: number) {
  const transport = openBullmqTransport({
    connection: REDIS,
    prefix,
    queues: [QUEUE],
    concurrency,
    cron: false,
  });

  try {
    const enqueueStart = performance.now();
    for (let i = 0; i < jobs; i++) await transport.enqueue(noop(i));
    const enqueueMs = performance.now() - enqueueStart;

    const runStart = performance.now();
    let handled = 0;
    let allHandled = () => {};
    const done = new Promise<void>((resolve) => (allHandled = resolve));
    await transport.start(async () => {
      if (++handled === jobs) allHandled();
      return { status: "done" };
    });
    await done;
    // The last outcomes are written after their handler returned.
    while ((await transport.counts(QUEUE)).active > 0) await sleep(1);
    const runMs = performance.now() - runStart;

    return { contestant: TRANSPORT, concurrency, jobs, enqueueMs, runMs };
  } finally {
    await transport.stop();
  }
}

async function measureLatencies(prefix: string): Promise<Latency[]> {
  const raw = await rawPickup(prefix);
  const transport = await transportPickup(prefix);
  const contestants = [
    { contestant: RAW, pickup: raw.pickup, samplesMs: [] as number[] },
    { contestant: TRANSPORT, pickup: transport.pickup, samplesMs: [] as number[] },
  ];

  try {
    for (const { pickup } of contestants) {
      for (let i = 0; i < LATENCY_WARMUP; i++) await pickup();
    }
    for (let block = 0; block < LATENCY_SAMPLES / LATENCY_BLOCK; block++) {
      for (const { pickup, samplesMs } of contestants) {
        for (let i = 0; i < LATENCY_BLOCK; i++) samplesMs.push(await pickup());
      }
    }
    return contestants.map(({ contestant, samplesMs }) => ({ contestant, samplesMs }));
  } finally {
    await raw.close();
    await transport.close();
  }
}

async function rawPickup(prefix: string) {
  const name = `${QUEUE}-raw`;
  const queue = new Queue(name, { connection: REDIS, prefix });
  let picked: ((at: number) => void) | undefined;
  const worker = new Worker(name, async () => picked?.(performance.now()), {
    connection: REDIS,
    prefix,
    concurrency: 1,
  });
  await worker.waitUntilReady();

  const pickup: Pickup = async () => {
    const handled = new Promise<number>((resolve) => (picked = resolve));
    const start = performance.now();
    await queue.add("noop", { i: 0 }, { removeOnComplete: true });
    return (await handled) - start;
  };
  return { pickup, close: () => Promise.all([worker.close(), queue.close()]) };
}

async function transportPickup(prefix: string) {
  const transport = openBullmqTransport({
    connection: REDIS,
    prefix,
    queues: [QUEUE],
    concurrency: 1,
    cron: false,
  });
  let picked: ((at: number) => void) | undefined;
  await transport.start(async () => {
    picked?.(performance.now());
    return { status: "done" };
  });

  const pickup: Pickup = async () => {
    const handled = new Promise<number>((resolve) => (picked = resolve));
    const start = performance.now();
    await transport.enqueue(noop(0));
    return (await handled) - start;
  };
  return { pickup, close: () => transport.stop() };
}

interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly pass: boolean;
}

function goals(runs: readonly QueueRun[], latencies: readonly Latency[]): Goal[] {
  const concurrencies = [...new Set(runs.map((run) => run.concurrency))];
  const throughput = concurrencies.map((concurrency) => {
    const ratio = throughputRatio(runs, concurrency);
    return {
      goal: `throughput at concurrency ${concurrency} at least ${THROUGHPUT_GOAL}x raw BullMQ's`,
      measured: `${ratio.toFixed(2)}x`,
      pass: ratio >= THROUGHPUT_GOAL,
    };
  });
  const added = addedLatencyMs(latencies);

  return [
    ...throughput,
    {
      goal: `pickup latency p50 at most ${LATENCY_GOAL_MS} ms above raw BullMQ's`,
      measured: `${added >= 0 ? "+" : ""}${added.toFixed(3)} ms`,
      pass: added <= LATENCY_GOAL_MS,
    },
  ];
}

/** Raw BullMQ's enqueue + run time over the transport's: above 1x the transport is faster. */
function throughputRatio(runs: readonly QueueRun[], concurrency: number): number {
  const find = (contestant: string) =>
    runs.find((run) => run.contestant === contestant && run.concurrency === concurrency);
  const raw = find(RAW);
  const transport = find(TRANSPORT);
  return raw && transport ? totalMs(raw) / totalMs(transport) : 0;
}

function addedLatencyMs(latencies: readonly Latency[]): number {
  const p50 = (contestant: string) =>
    percentile(latencies.find((l) => l.contestant === contestant)?.samplesMs ?? [], 0.5);
  return p50(TRANSPORT) - p50(RAW);
}

function renderSection(
  argv: readonly string[],
  redis: string,
  runs: readonly BestRun[],
  latencies: readonly Latency[],
): string {
  const command = ["node", ...process.execArgv, "bench/bullmq.ts", ...argv].join(" ");
  const cpus = os.cpus();

  return [
    HEADING,
    `Measured on ${new Date().toISOString()} with:\n\n\`\`\`\n${command}\n\`\`\``,
    `Machine: ${cpus.length} CPUs (${cpus[0]?.model ?? "unknown CPU"}), Linux ${os.release()}; ` +
      `Node ${process.version}; Redis ${redis} on 127.0.0.1:6379 with its default configuration.`,
    "### Throughput",
    table(
      [
        "contestant",
        "concurrency",
        "enqueue jobs/s",
        "run jobs/s",
        "enqueue + run jobs/s",
        "vs raw",
        "every run, enqueue + run jobs/s",
      ],
      runs.map((run) => [
        run.contestant,
        String(run.concurrency),
        rate(jobsPerSecond(run.jobs, run.enqueueMs)),
        rate(jobsPerSecond(run.jobs, run.runMs)),
        rate(jobsPerSecond(run.jobs, totalMs(run))),
        run.contestant === RAW ? "1.00x" : `${throughputRatio(runs, run.concurrency).toFixed(2)}x`,
        run.rounds.map((round) => rate(jobsPerSecond(round.jobs, totalMs(round)))).join(" / "),
      ]),
    ),
    `Each contestant enqueues ${(runs[0]?.jobs ?? 0).toLocaleString("en-US")} no-op tasks, one ` +
      "awaited call at a time, then runs them at the given worker concurrency; the contestants " +
      `alternate, ${ROUNDS} runs each, and the fastest run of each is compared: other load on ` +
      "the machine only ever slows a run. Raw BullMQ is the Queue benchmark's contestant " +
      "(`Queue.add` with `removeOnComplete`, an empty processor, timed to the last `completed` " +
      "event). The transport enqueues `QueuedTask`s through `enqueue` (with its attempts and " +
      "backoff; its workers remove completed jobs and keep failed ones) and its run ends when " +
      "its handler saw every task and Redis holds no active job. The ratio is raw BullMQ's " +
      "enqueue + run time over the transport's.",
    "### Pickup latency",
    table(
      ["contestant", "p50", "p90", "p99"],
      latencies.map(({ contestant, samplesMs }) => [
        contestant,
        ...[0.5, 0.9, 0.99].map((p) => `${percentile(samplesMs, p).toFixed(3)} ms`),
      ]),
    ),
    `${LATENCY_SAMPLES.toLocaleString("en-US")} tasks for each contestant, one at a time at ` +
      `concurrency 1, in alternating blocks of ${LATENCY_BLOCK} after ${LATENCY_WARMUP} ` +
      "unmeasured ones: from just before the enqueue call to the handler's (the processor's) " +
      "first line, in the same process.",
    "### Goals",
    table(
      ["goal", "measured", "result"],
      goals(runs, latencies).map((g) => [g.goal, g.measured, g.pass ? "pass" : "fail"]),
    ),
  ].join("\n\n");
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, header.map(() => "---"), ...rows]
    .map((row) => `| ${row.join(" | ")} |`)
    .join("\n");
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function noop(i: number): QueuedTask {
  return { route: "deferred", queue: QUEUE, body: `{"i":${i}}`, signature: "" };
}

async function deleteKeys(client: RedisClient, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, { MATCH: `${prefix}:*`, COUNT: 1000 });
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

async function redisVersion(client: RedisClient): Promise<string> {
  return /redis_version:(\S+)/.exec(await client.info())?.[1] ?? "unknown";
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

function rate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString("en-US");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
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
