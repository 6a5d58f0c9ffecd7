import path from "node:path";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";
import { suite } from "uvu";
import * as assert from "uvu/assert";

import { openEmbeddedQueue } from "../runtime/embedded/index.js";
import { sleep, startScript, task, tempDir, waitFor } from "./helpers/embedded-helpers.js";

const CHILD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "helpers",
  "embedded-crash-child.ts",
);
const TASKS = 2000;

const Crash = suite("EmbeddedQueue crash");

function startChild(args: readonly string[]) {
  return startScript(CHILD, args);
}

/** Rows of the table, or 0 while the child has not created it yet. */
function countRuns(db: Database.Database): number {
  try {
    return (db.prepare("SELECT count(*) AS n FROM crash_runs").get() as { n: number }).n;
  } catch {
    return 0;
  }
}

Crash("loses no task when its worker is killed mid-run", async () => {
  const temp = tempDir();
  const dbPath = path.join(temp.dir, "tasks.sqlite");

  try {
    const first = startChild([dbPath, "run", String(TASKS)]);
    await waitFor(
      () => first.stdout().includes("enqueued"),
      15_000,
      `enqueued (${first.stderr()})`,
    );

    const watcher = new Database(dbPath, { readonly: true });
    await waitFor(() => countRuns(watcher) >= TASKS * 0.3, 15_000, "30 % of the tasks to run");
    first.child.kill("SIGKILL");
    await first.exited;
    const ranBeforeKill = countRuns(watcher);
    assert.ok(ranBeforeKill < TASKS, "the kill came after the last task");

    const second = startChild([dbPath, "drain"]);
    const code = await second.exited;
    assert.is(code, 0, second.stderr());

    const rows = watcher
      .prepare("SELECT task, count(*) AS n FROM crash_runs GROUP BY task")
      .all() as { task: string; n: number }[];
    watcher.close();
    const ran = new Set(rows.map((row) => row.task));
    const missing = Array.from({ length: TASKS }, (_, i) => `t${i}`).filter((t) => !ran.has(t));
    const twice = rows.filter((row) => row.n > 1).length;
    process.stdout.write(
      `\n  crash test: ${ranBeforeKill} of ${TASKS} ran before SIGKILL; ` +
        `${missing.length} lost; ${twice} ran twice\n`,
    );

    assert.equal(missing, []);
    assert.is(rows.length, TASKS);

    const queue = openEmbeddedQueue({ path: dbPath });
    assert.equal(queue.counts(), { queued: 0, leased: 0, failed: 0, tombstones: TASKS });
    await queue.stop();
  } finally {
    await sleep(0);
    temp.remove();
  }
});

Crash("keeps every task whose enqueue resolved when killed right after", async () => {
  const temp = tempDir();
  const dbPath = path.join(temp.dir, "tasks.sqlite");

  try {
    const child = startChild([dbPath, "enqueue", String(TASKS)]);
    await waitFor(
      () => child.stdout().includes("enqueued"),
      15_000,
      `enqueued (${child.stderr()})`,
    );
    child.child.kill("SIGKILL");
    await child.exited;

    const queue = openEmbeddedQueue({ path: dbPath });
    assert.equal(queue.counts(), { queued: TASKS, leased: 0, failed: 0, tombstones: 0 });
    await queue.stop();
  } finally {
    temp.remove();
  }
});

Crash("two processes on one file run each task exactly once", async () => {
  const temp = tempDir();
  const dbPath = path.join(temp.dir, "tasks.sqlite");

  try {
    const queue = openEmbeddedQueue({ path: dbPath });
    await Promise.all(
      Array.from({ length: TASKS }, (_, i) => queue.enqueue(task(`t${i}`, { name: `n${i}` }))),
    );
    await queue.stop();

    const children = [startChild([dbPath, "drain"]), startChild([dbPath, "drain"])];
    for (const child of children) assert.is(await child.exited, 0, child.stderr());

    const db = new Database(dbPath, { readonly: true });
    const perTask = db
      .prepare("SELECT count(*) AS n FROM crash_runs GROUP BY task HAVING n > 1")
      .all();
    const perPid = db.prepare("SELECT pid, count(*) AS n FROM crash_runs GROUP BY pid").all();
    assert.is(countRuns(db), TASKS);
    db.close();

    assert.equal(perTask, [], "tasks delivered twice");
    assert.is(perPid.length, 2, "both processes took tasks");
  } finally {
    temp.remove();
  }
});

Crash.run();
