import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

// Loaded as the dispatch table loads the app's modules: see runtime-core.test.ts.
const fixture = Promise.all([
  import("taskgen"),
  import("taskgen/embedded"),
  import("./fixtures/runtime-app/src/app.js"),
  import("./fixtures/runtime-app/src/generated/dispatch.js"),
]).then(([taskgen, embedded, app, dispatch]) => ({ ...taskgen, ...embedded, ...app, ...dispatch }));

const SECRET = "embedded runtime test secret!!";

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test("deferred calls go through the durable SQLite queue and run on its workers", async () => {
  const f = await fixture;
  f.log.length = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskgen-embedded-"));
  const file = path.join(dir, "tasks.sqlite");
  const queue = f.openEmbeddedQueue({ path: file, backoff: { baseMs: 1, maxMs: 5 } });
  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: { Mailer: new f.Mailer() },
    transport: queue,
    secret: SECRET,
    state: new f.SqliteStateStore(file),
  });

  try {
    await runtime.start();
    const mailer = new f.Mailer();
    await mailer.send("ana@example.com", new Date(0), 7n);
    await mailer.chain(2);
    await mailer.flaky();

    await until(() => f.log.filter((l) => l === "flaky").length === 3 && f.log.includes("chain 0"));
    await until(() => queue.counts().queued === 0 && queue.counts().leased === 0);
    assert.ok(f.log.includes("send ana@example.com 1970-01-01T00:00:00.000Z 7"));
    assert.ok(f.log.includes("warm"), "the startup task ran");
    assert.is(queue.counts().failed, 2, "flaky after its 2 retries, and the failing startup task");

    const report = await runtime.runCron("hourly");
    const again = await runtime.runCron("hourly");
    assert.equal(report.ran, ["Mailer.everyTick", "Mailer.hourly"]);
    assert.equal(again.skipped, ["Mailer.broken", "Mailer.hourly"], "claims kept in SQLite");
  } finally {
    await runtime.stop({ graceMs: 1000 });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("SQLite claims: one winner among stores sharing a file, again once the interval passed", async () => {
  const f = await fixture;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskgen-claims-"));
  const file = path.join(dir, "state.sqlite");
  const stores = Array.from({ length: 4 }, () => new f.SqliteStateStore(file));
  try {
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stores[i % 4]!.claimPeriodic("t", 60_000, 1_000)),
    );
    assert.is(claims.filter(Boolean).length, 1);
    assert.is(await stores[1]!.claimPeriodic("t", 60_000, 30_000), false, "within the interval");
    assert.is(await stores[2]!.claimPeriodic("t", 60_000, 61_000), true, "after it");
    assert.is(await stores[3]!.claimPeriodic("other", 60_000, 61_000), true, "per task");

    await stores[0]!.set("k", "v1");
    await stores[0]!.set("k", "v2");
    assert.is(await stores[1]!.get("k"), "v2");
  } finally {
    for (const store of stores) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
