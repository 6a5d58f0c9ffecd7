/**
 * The queue benchmark's contestants: the embedded queue and raw BullMQ, each enqueuing `jobs`
 * no-op tasks one awaited call at a time and then draining them with a worker pool.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { Queue, Worker } from "bullmq";

import { openEmbeddedQueue, type Synchronous } from "../runtime/embedded/index.js";

/** One contestant at one concurrency. */
export interface QueueRun {
  readonly contestant: string;
  readonly concurrency: number;
  readonly jobs: number;
  readonly enqueueMs: number;
  readonly runMs: number;
}

export const REDIS = { host: "127.0.0.1", port: 6379 } as const;

/** How often the drain is checked; small against the runs measured. */
const DRAIN_CHECK_MS = 5;

export async function runEmbedded(
  workDir: string,
  synchronous: Synchronous,
  jobs: number,
  concurrency: number,
): Promise<QueueRun> {
  const dbPath = path.join(workDir, `queue-${synchronous}-${concurrency}.sqlite`);
  removeDatabase(dbPath);
  const queue = openEmbeddedQueue({ path: dbPath, concurrency, synchronous });

  try {
    const enqueueStart = performance.now();
    for (let i = 0; i < jobs; i++) {
      await queue.enqueue({ route: "deferred", queue: "bench", body: `{"i":${i}}`, signature: "" });
    }
    const enqueueMs = performance.now() - enqueueStart;

    // Timed until the database says the last outcome is committed, not until the last handler.
    const runStart = performance.now();
    let handled = 0;
    await queue.start(async () => {
      handled++;
      return { status: "done" };
    });
    // Counting rows scans the table: check the handler's count first, the database at the end.
    while (handled < jobs || queue.counts().queued > 0) await sleep(DRAIN_CHECK_MS);
    const runMs = performance.now() - runStart;

    return {
      contestant: `embedded, synchronous=${synchronous}`,
      concurrency,
      jobs,
      enqueueMs,
      runMs,
    };
  } finally {
    await queue.stop();
    removeDatabase(dbPath);
  }
}

export async function runBullmq(jobs: number, concurrency: number): Promise<QueueRun> {
  const name = `taskgen-bench-${process.pid}`;
  const queue = new Queue(name, { connection: REDIS });
  await queue.obliterate({ force: true });

  try {
    const enqueueStart = performance.now();
    for (let i = 0; i < jobs; i++) {
      // Removing finished jobs matches the embedded queue, which deletes them too.
      await queue.add("noop", { i }, { removeOnComplete: true });
    }
    const enqueueMs = performance.now() - enqueueStart;

    const runStart = performance.now();
    let completed = 0;
    const drained = new Promise<void>((resolve) => {
      const worker = new Worker(name, async () => {}, {
        connection: { ...REDIS, maxRetriesPerRequest: null },
        concurrency,
      });
      worker.on("completed", () => {
        if (++completed === jobs) void worker.close().then(resolve);
      });
    });
    await drained;
    const runMs = performance.now() - runStart;

    return { contestant: "BullMQ", concurrency, jobs, enqueueMs, runMs };
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

function removeDatabase(dbPath: string): void {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbPath + suffix, { force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
