import { AsyncLocalStorage } from "node:async_hooks";

import Database from "better-sqlite3";
import { test } from "uvu";
import * as assert from "uvu/assert";

import type { QueuedTask } from "../runtime/transport.js";
import {
  recordingLogger,
  runtimeFixture,
  SECRET,
  startFixtureRuntime,
} from "./helpers/runtime-fixture.js";

/** The runtime of the running test; stopped after it, so deferred calls find none. */
let current: { stop(): Promise<void> } | undefined;
test.after.each(async () => {
  await current?.stop();
  current = undefined;
});

async function setup(options: Parameters<typeof startFixtureRuntime>[0] = {}) {
  const started = await startFixtureRuntime(options);
  current = started.runtime;
  return started;
}

function delivery(task: QueuedTask, attempt = 0) {
  const { route, body, signature, queue } = task;
  return { id: "7", route, body, signature, queue, attempt };
}

test("the user, language and custom environment travel, restored in that order", async () => {
  // What the app keeps per request, as apps do with AsyncLocalStorage.
  const request = new AsyncLocalStorage<{ user?: string; lang?: string; tenant?: string }>();
  const restored: string[] = [];
  const { transport, runtime, log, notify } = await setup({
    environment: {
      user: {
        capture: () => request.getStore()?.user,
        restore: (id, run) => {
          restored.push(`user ${id}`);
          return request.run({ user: id }, run);
        },
      },
      language: {
        capture: () => request.getStore()?.lang,
        restore: (lang, run) => {
          restored.push(`lang ${lang} for ${request.getStore()?.user}`);
          return request.run({ ...request.getStore(), lang }, run);
        },
      },
      custom: {
        capture: () => ({ tenant: request.getStore()?.tenant }),
        restore: (value, run) => {
          restored.push(`custom ${JSON.stringify(value)} in ${request.getStore()?.lang}`);
          return run();
        },
      },
    },
  });

  await request.run({ user: "u-5", lang: "de", tenant: "acme" }, () => notify("ana"));
  assert.equal(JSON.parse(transport.queued[0]!.body).env, {
    user: "u-5",
    lang: "de",
    custom: { tenant: "acme" },
  });

  await transport.deliverAll(runtime);
  assert.equal(restored, ["user u-5", "lang de for u-5", 'custom {"tenant":"acme"} in de']);
  assert.equal(log, ["notify ana x1"], "the task ran inside the restored environment");
});

test("a task whose environment this process cannot restore is refused, not run as nobody", async () => {
  const sender = await setup({
    environment: { user: { capture: () => "u-5", restore: (_id, run) => run() } },
  });
  await sender.notify("ana");
  const queued = sender.transport.queued[0]!;
  await sender.runtime.stop();

  const logger = recordingLogger();
  const { runtime, log } = await setup({ logger });
  const outcome = await runtime.deliver(delivery(queued));
  assert.is(outcome.status, "failed");
  assert.equal(log, []);
  assert.match(logger.lines.join("\n"), /no environment\.user hook/);
});

test("a missing or short secret is a clear error where the runtime is created", async () => {
  const f = await runtimeFixture;
  const options = { table: f.dispatchTable, instances: { Mailer: new f.Mailer() } };
  const transport = new f.InlineTransport();
  for (const [secret, message] of [
    [undefined, /secret signs tasks: .* not undefined: is its variable set\?/],
    ["too short", /secret must be at least 16 characters/],
  ] as const) {
    assert.throws(
      () => f.createRuntime({ ...options, transport, secret: secret as unknown as string }),
      message,
    );
  }
  const secret = "a secret that is long enough";
  assert.throws(
    () => f.createRuntime({ ...options, transport, secret, previousSecrets: [secret, "short"] }),
    /previousSecrets\[1\] must be at least 16 characters/,
  );
  const notAList = secret as unknown as string[];
  assert.throws(
    () => f.createRuntime({ ...options, transport, secret, previousSecrets: notAList }),
    /previousSecrets must be an array/,
  );
});

test("the queue: the call's, else the deployment's per task, else the declaration's, else the default", async () => {
  const { transport, mailer, notify, withCallOptions } = await setup({
    queues: { "Mailer.chain": "chains" },
    defaultQueue: "ordinary",
  });

  await mailer.chain(0);
  await mailer.send("ana", new Date(0), 1n);
  await notify("bo");
  await withCallOptions({ queue: "urgent" }, () => mailer.chain(0));
  assert.equal(
    transport.queued.map((t) => t.queue),
    ["chains", "mail", "ordinary", "urgent"],
  );

  const plain = await setup();
  await plain.notify("cy");
  assert.is(plain.transport.queued[0]!.queue, "default");
});

test("target version: the declaration's default, and a call's own", async () => {
  const { transport, mailer, withCallOptions } = await setup();

  await mailer.preview(1);
  await withCallOptions({ targetVersion: "v7" }, () => mailer.preview(2));
  await mailer.chain(0);
  assert.equal(
    transport.queued.map((t) => t.targetVersion),
    ["beta", "v7", undefined],
  );
});

test("delay and eta set when a task may run, and exclude each other", async () => {
  const now = Date.parse("2026-05-01T00:00:00Z");
  const { transport, notify, withCallOptions } = await setup({ now: () => now });
  const eta = new Date("2026-05-02T00:00:00Z");

  await withCallOptions({ eta }, () => notify("ana"));
  await withCallOptions({ delaySeconds: 90 }, () => notify("bo"));
  assert.equal(
    transport.queued.map((t) => t.notBefore),
    [eta.getTime(), now + 90_000],
  );

  try {
    await withCallOptions({ eta, delaySeconds: 5 }, () => notify("cy"));
    assert.unreachable("both delay and eta were accepted");
  } catch (error) {
    assert.match(String(error), /delaySeconds or eta, not both/);
  }
  assert.is(transport.queued.length, 2);
});

test("a warning is logged once, when a task reaches its 25th retry", async () => {
  const logger = recordingLogger();
  const { transport, runtime, mailer } = await setup({ logger });
  await mailer.flaky();
  const task = transport.queued[0]!;

  for (let attempt = 0; attempt <= 30; attempt++) await runtime.deliver(delivery(task, attempt));
  const warnings = logger.lines.filter((line) => line.includes("25th time"));
  assert.equal(warnings, ["warn [task 7] Mailer.flaky is being retried for the 25th time"]);
});

test("a delivery naming an unknown task is a logged permanent failure, not a retry", async () => {
  const logger = recordingLogger();
  const { runtime, signTaskBody } = await setup({ logger });
  const body = JSON.stringify({ v: 1, task: "Mailer.gone", payload: [] });
  const signature = signTaskBody(body, SECRET);

  const outcome = await runtime.deliver(
    delivery({ route: "deferred", body, signature, queue: "default" }),
  );
  assert.is(outcome.status, "failed");
  assert.match(
    logger.lines.join("\n"),
    /error \[task 7\] .*"Mailer\.gone", which is not a deferred/,
  );
});

test("removePeriodicTask takes a task out of its cron group", async () => {
  const { runtime, log } = await setup();

  assert.is(runtime.removePeriodicTask("Mailer.hourly"), true);
  assert.is(runtime.removePeriodicTask("Mailer.send"), false, "not a periodic task");
  const report = await runtime.runCron("hourly");
  assert.equal(report.ran, ["Mailer.everyTick"]);
  assert.not.ok(log.includes("hourly"));
});

test("a call in a transaction runs only if the transaction committed", async () => {
  const { SqliteTransactionMarkers } = await import("taskgen/embedded");
  const db = new Database(":memory:");
  db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY)");
  const markers = new SqliteTransactionMarkers(db);
  let now = Date.parse("2026-05-01T00:00:00Z");
  const { transport, runtime, log, notify, withCallOptions } = await setup({
    transactionMarkers: markers,
    transactionGraceSeconds: 30,
    now: () => now,
  });
  const inTransaction = { transaction: markers.transaction };

  // better-sqlite3 transactions are synchronous: the marker is written before the call awaits.
  let queuedCommitted!: Promise<void>;
  db.transaction(() => {
    db.prepare("INSERT INTO orders (id) VALUES (1)").run();
    queuedCommitted = withCallOptions(inTransaction, () => notify("committed"));
  })();
  let queuedRolledBack!: Promise<void>;
  try {
    db.transaction(() => {
      db.prepare("INSERT INTO orders (id) VALUES (2)").run();
      queuedRolledBack = withCallOptions(inTransaction, () => notify("rolled back"));
      throw new Error("the order could not be placed");
    })();
  } catch {
    // The rollback this test is about.
  }
  await Promise.all([queuedCommitted, queuedRolledBack]);
  assert.is(transport.queued.length, 2, "both calls were queued at once");

  const [committed, rolledBack] = transport.queued as [QueuedTask, QueuedTask];
  assert.is((await runtime.deliver(delivery(committed))).status, "done");
  assert.equal(log, ["notify committed x1"]);
  const left = db.prepare("SELECT count(*) AS n FROM taskgen_tx_markers").get() as { n: number };
  assert.is(left.n, 0, "the marker of a task that ran is removed");

  // Within the grace period the transaction might still be open: try again later.
  assert.is((await runtime.deliver(delivery(rolledBack))).status, "retry");
  now += 31_000;
  const dropped = await runtime.deliver(delivery(rolledBack, 1));
  assert.is(dropped.status, "dropped");
  assert.equal(log, ["notify committed x1"], "the rolled-back call never ran");
  db.close();
});

test("a call in a transaction needs the runtime's transactionMarkers", async () => {
  const { transport, notify, withCallOptions } = await setup();
  const transaction = { writeMarker: () => {} };

  try {
    await withCallOptions({ transaction }, () => notify("ana"));
    assert.unreachable("queued without a way to check the transaction");
  } catch (error) {
    assert.match(String(error), /transactionMarkers/);
  }
  assert.is(transport.queued.length, 0);
});

test.run();
