import path from "node:path";
import { fileURLToPath } from "node:url";

import { suite } from "uvu";
import * as assert from "uvu/assert";

import { openBullmqTransport } from "../runtime/bullmq/index.js";
import {
  deleteKeys,
  eventually,
  openTestClient,
  REDIS,
  testPrefix,
} from "./helpers/bullmq-helpers.js";
import { MS_PER_HOUR } from "./helpers/bullmq-worker-child.js";
import { startScript, waitFor } from "./helpers/embedded-helpers.js";
import { runtimeFixture, SECRET } from "./helpers/runtime-fixture.js";

const CHILD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "helpers",
  "bullmq-worker-child.ts",
);
const TASKS = 10_000;
const WORKERS = 3;
const HOUR = 3_600_000;
/** How long the children tick the cron group, at least: about ten of their hours. */
const TICKING_MS = 10 * MS_PER_HOUR;

const ScaleOut = suite("BullMQ transport, three worker processes");

ScaleOut("run each task once, and each periodic task once per interval", async () => {
  const prefix = testPrefix("scale");
  const { client, close } = await openTestClient();
  const clockStart = Date.now();
  const children = Array.from({ length: WORKERS }, () =>
    startScript(CHILD, [prefix, String(clockStart)]),
  );

  try {
    for (const child of children) {
      await waitFor(() => child.stdout().includes("ready"), 20_000, `ready (${child.stderr()})`);
    }
    const tickingSince = Date.now();
    await enqueueTasks(prefix);
    await eventually(
      async () => (await client.llen(`${prefix}:runs`)) >= TASKS,
      40_000,
      `${TASKS} runs`,
    );
    const runMs = Date.now() - tickingSince;
    await new Promise((resolve) => setTimeout(resolve, TICKING_MS - (Date.now() - tickingSince)));

    for (const child of children) child.child.kill("SIGTERM");
    for (const child of children) assert.is(await child.exited, 0, child.stderr());
    const elapsedHours = ((Date.now() - clockStart) / MS_PER_HOUR) | 0;

    // Each task ran exactly once, and every process took some.
    const runs = (await client.lrange(`${prefix}:runs`, 0, -1)).map((line) => line.split(" "));
    const names = new Set(runs.map(([name]) => name));
    const pids = new Set(runs.map(([, pid]) => pid));
    assert.is(runs.length, TASKS, "runs recorded");
    assert.is(names.size, TASKS, "distinct tasks run");
    assert.is(pids.size, WORKERS, "processes that ran tasks");
    const perPid = [...pids].map((pid) => runs.filter(([, p]) => p === pid).length);
    process.stdout.write(
      `\n  scale-out: ${TASKS} tasks queued and run in ${runMs} ms by ${WORKERS} processes ` +
        `(${perPid.join(" / ")})\n`,
    );

    // Each periodic task was claimed at most once an hour, by whichever process ticked first.
    const claims = (await client.lrange(`${prefix}:claims`, 0, -1)).map((line) => line.split(" "));
    for (const id of ["Mailer.hourly", "Mailer.broken"]) {
      const times = claims
        .filter(([task]) => task === id)
        .map(([, at]) => Number(at))
        .sort((a, b) => a - b);
      const gaps = times.slice(1).map((at, i) => at - (times[i] as number));
      assert.ok(times.length >= 5, `${id} ran in most hours: ${times.length}`);
      assert.ok(times.length <= elapsedHours + 1, `${id} ran at most once an hour`);
      assert.ok(
        gaps.every((gap) => gap >= HOUR),
        `${id} gaps: ${gaps.map((gap) => (gap / HOUR).toFixed(2))}`,
      );
    }
    assert.ok(new Set(claims.map(([, , pid]) => pid)).size >= 2, "claims won by several processes");
    const hourlyClaims = claims.filter(([task]) => task === "Mailer.hourly").length;
    assert.is(Number(await client.get(`${prefix}:hourly-runs`)), hourlyClaims, "runs = claims");
  } finally {
    for (const child of children) child.child.kill("SIGKILL");
    await deleteKeys(client, prefix);
    await close();
  }
});

/** Queues the tasks `t0` … through a runtime that is never started, as a web process would. */
async function enqueueTasks(prefix: string): Promise<void> {
  const f = await runtimeFixture;
  const transport = openBullmqTransport({ connection: REDIS, prefix });
  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: { Mailer: new f.Mailer() },
    transport,
    secret: SECRET,
  });

  try {
    for (let start = 0; start < TASKS; start += 500) {
      const batch = Array.from({ length: Math.min(500, TASKS - start) }, (_, i) => start + i);
      await Promise.all(batch.map((i) => runtime.enqueue("notify", [`u${i}`], { name: `t${i}` })));
    }
  } finally {
    await runtime.stop();
  }
}

ScaleOut.run();
