/**
 * The child process of the embedded queue's crash test.
 *
 *   node --import tsx test/helpers/embedded-crash-child.ts <db> run <count>
 *   node --import tsx test/helpers/embedded-crash-child.ts <db> drain
 *
 * `run` enqueues `count` tasks, prints `enqueued` once every enqueue has resolved, and runs them
 * until the parent kills it. `enqueue` does the same but runs nothing, waiting to be killed. `drain` runs what is left and exits when nothing is queued. Each
 * delivery records its task in the `crash_runs` table of the same file, in its own commit, so
 * the record survives the kill.
 */
import Database from "better-sqlite3";

import { openEmbeddedQueue } from "../../runtime/embedded/index.js";
import { sleep, task } from "./embedded-helpers.js";

// uvu's file pattern also matches this helper: run only when started as the child.
if (process.argv[1]?.endsWith("embedded-crash-child.ts")) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}

async function main(): Promise<void> {
  const [dbPath, mode, countText] = process.argv.slice(2);
  if (dbPath === undefined || (mode !== "run" && mode !== "enqueue" && mode !== "drain")) {
    throw new Error("usage: embedded-crash-child.ts <db> run|enqueue <count> | <db> drain");
  }

  const queue = openEmbeddedQueue({ path: dbPath, concurrency: 10, leaseMs: 1000, pollMs: 20 });
  const records = new Database(dbPath);
  records.pragma("busy_timeout = 5000");
  records.exec("CREATE TABLE IF NOT EXISTS crash_runs (task TEXT NOT NULL, pid INTEGER NOT NULL)");
  const record = records.prepare<[string, number]>("INSERT INTO crash_runs VALUES (?, ?)");

  if (mode === "run" || mode === "enqueue") {
    const count = Number(countText);
    for (let start = 0; start < count; start += 100) {
      const chunk = Array.from({ length: Math.min(100, count - start) }, (_, i) => start + i);
      await Promise.all(chunk.map((i) => queue.enqueue(task(`t${i}`, { name: `crash-${i}` }))));
    }
    process.stdout.write("enqueued\n");
  }
  if (mode === "enqueue") {
    setInterval(() => {}, 60_000);
    return;
  }

  await queue.start(async (delivery) => {
    await sleep(5);
    record.run(delivery.body, process.pid);
    return { status: "done" };
  });

  if (mode === "drain") {
    while (queue.counts().queued > 0) await sleep(20);
    await queue.stop();
    records.close();
  }
}
