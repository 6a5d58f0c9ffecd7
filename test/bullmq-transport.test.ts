import { Queue } from "bullmq";
import { suite } from "uvu";
import * as assert from "uvu/assert";

import { openBullmqTransport, type BullmqTransportOptions } from "../runtime/bullmq/index.js";
import type { Delivery, DeliveryOutcome, Transport } from "../runtime/transport.js";
import {
  deleteKeys,
  eventually,
  openTestClient,
  REDIS,
  testPrefix,
} from "./helpers/bullmq-helpers.js";
import { sleep, task, waitFor } from "./helpers/embedded-helpers.js";

const Bullmq = suite("BullmqTransport");

let prefix = "";
let open: Transport[] = [];

/** A transport on this test's prefix, stopped after the test. */
function transport(options: Partial<BullmqTransportOptions> = {}) {
  const opened = openBullmqTransport({
    connection: REDIS,
    prefix,
    backoff: { baseMs: 1, maxMs: 5 },
    ...options,
  });
  open.push(opened);
  return opened;
}

/** A handler that records each delivery and answers with `outcome`. */
function recorder(outcome: (delivery: Delivery) => DeliveryOutcome = () => ({ status: "done" })) {
  const deliveries: Delivery[] = [];
  const handler = async (delivery: Delivery) => {
    deliveries.push(delivery);
    return outcome(delivery);
  };
  return { deliveries, handler };
}

Bullmq.before.each(() => {
  prefix = testPrefix("transport");
});

Bullmq.after.each(async () => {
  await Promise.all(open.map((t) => t.stop({ graceMs: 100 })));
  open = [];
  const { client, close } = await openTestClient();
  await deleteKeys(client, prefix);
  await close();
});

Bullmq("a name is taken while its task waits and for the window after it ran", async () => {
  const t = transport();
  const first = await t.enqueue(task("a", { name: "n", notBefore: Date.now() + 200 }));
  assert.ok(first.queued);
  assert.equal(await t.enqueue(task("b", { name: "n" })), { queued: false, reason: "duplicate" });
  assert.ok((await t.enqueue(task("c", { name: "n", queue: "other" }))).queued, "per queue");

  const { deliveries, handler } = recorder();
  await t.start(handler);
  await waitFor(() => deliveries.length === 2, 3000, "both tasks");
  assert.equal(await t.enqueue(task("d", { name: "n" })), { queued: false, reason: "duplicate" });
  assert.equal(deliveries.map((d) => [d.body, d.name, d.queue]).sort(), [
    ["a", "n", "default"],
    ["c", "n", "other"],
  ]);
});

Bullmq("with dedupWindowMs 0 a name is free once its task ran", async () => {
  const t = transport({ dedupWindowMs: 0 });
  const { deliveries, handler } = recorder();
  await t.start(handler);

  assert.ok((await t.enqueue(task("a", { name: "n" }))).queued);
  await waitFor(() => deliveries.length === 1, 2000, "the first task");
  await eventually(async () => (await t.counts()).active === 0, 2000, "its completion");
  assert.ok((await t.enqueue(task("b", { name: "n" }))).queued);
});

Bullmq("outcomes: retry within maxRetries, failed at once, a throw retries", async () => {
  const t = transport();
  const { deliveries, handler } = recorder((delivery) => {
    if (delivery.body === "retry") return { status: "retry", reason: "again" };
    if (delivery.body === "failed") return { status: "failed", reason: "never" };
    if (delivery.body === "throws" && delivery.attempt === 0) throw new Error("boom");
    return { status: "done" };
  });
  await t.start(handler);

  await t.enqueue(task("retry", { maxRetries: 2 }));
  await t.enqueue(task("failed", { maxRetries: 5 }));
  await t.enqueue(task("throws"));
  await waitFor(() => deliveries.length === 6, 3000, "six deliveries");
  await sleep(100);

  const attempts = (body: string) =>
    deliveries.filter((d) => d.body === body).map((d) => d.attempt);
  assert.equal(attempts("retry"), [0, 1, 2]);
  assert.equal(attempts("failed"), [0]);
  assert.equal(attempts("throws"), [0, 1]);
  assert.is((await t.counts()).failed, 2, "kept for inspection");
});

Bullmq("stop puts a still-running task back to waiting, not counted as an attempt", async () => {
  const first = transport();
  let started = false;
  let finish = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await first.start(async () => {
    started = true;
    await finished;
    return { status: "done" };
  });
  await first.enqueue(task("slow", { name: "slow" }));
  await waitFor(() => started, 2000, "the delivery");

  const stopAt = Date.now();
  await first.stop({ graceMs: 100 });
  assert.ok(Date.now() - stopAt < 2000, "stop kept to its grace period");

  const second = transport();
  assert.equal(await second.counts(), { waiting: 1, active: 0, delayed: 0, failed: 0 });
  const { deliveries, handler } = recorder();
  await second.start(handler);
  await waitFor(() => deliveries.length === 1, 2000, "the released task");
  assert.is(deliveries[0]?.attempt, 0);
  assert.is(deliveries[0]?.name, "slow");
  finish();
});

Bullmq("cron groups become job schedulers, kept in step with the hooks", async () => {
  const ticks: string[] = [];
  const hooks = (groups: string[]) => ({
    cronSchedules: groups.map((group) => ({ group, everyMs: 60_000 })),
    runCron: async (group: string) => ticks.push(group),
  });
  const cronQueue = new Queue("taskgen-cron", { connection: REDIS, prefix });
  const schedulers = async () =>
    (await cronQueue.getJobSchedulers(0, -1)).map((s) => [s.key, s.every]).sort();

  try {
    await transport({ queues: [] }).start(recorder().handler, hooks(["daily", "hourly"]));
    await waitFor(() => ticks.length === 2, 3000, "the first ticks");
    assert.equal(ticks.sort(), ["daily", "hourly"], "a new scheduler ticks at once");
    assert.equal(await schedulers(), [
      ["daily", 60_000],
      ["hourly", 60_000],
    ]);

    await transport({ queues: [] }).start(recorder().handler, hooks(["hourly"]));
    await sleep(200);
    assert.equal(await schedulers(), [["hourly", 60_000]], "the gone group's scheduler");
    assert.is(ticks.length, 2, "an unchanged scheduler does not tick again at restart");
  } finally {
    await cronQueue.close();
  }
});

Bullmq("without a list, a process works every queue any process queued to", async () => {
  const producer = transport();
  await producer.enqueue(task("early", { queue: "reports" }));

  const worker = transport({ queueDiscoveryMs: 50 });
  const { deliveries, handler } = recorder();
  await worker.start(handler);
  await producer.enqueue(task("late", { queue: "exports" }));
  await waitFor(() => deliveries.length === 2, 3000, "both queues' tasks");

  assert.equal(deliveries.map((d) => `${d.queue} ${d.body}`).sort(), [
    "exports late",
    "reports early",
  ]);
  assert.equal(worker.workedQueues, ["default", "reports", "exports"]);
});

Bullmq("with a list, a process works only the queues listed", async () => {
  const t = transport({ queues: ["mail"] });
  const { deliveries, handler } = recorder();
  await t.start(handler);
  await t.enqueue(task("skipped", { queue: "reports" }));
  await t.enqueue(task("sent", { queue: "mail" }));
  await waitFor(() => deliveries.length === 1, 2000, "the mail task");
  await sleep(100);

  assert.equal(
    deliveries.map((d) => d.body),
    ["sent"],
  );
  assert.is((await t.counts("reports")).waiting, 1);
});

Bullmq("bad tasks and options are refused with the reason", async () => {
  const t = transport();
  const cases: [Parameters<typeof task>[1], RegExp][] = [
    [{ queue: "a:b" }, /contains ":"/],
    [{ queue: "taskgen-cron" }, /queue of the cron ticks/],
    [{ queue: "" }, /needs a queue name/],
    [{ notBefore: Number.NaN }, /notBefore/],
    [{ maxRetries: -1 }, /maxRetries/],
  ];

  for (const [extra, message] of cases) {
    try {
      await t.enqueue(task("x", extra));
      assert.unreachable(`accepted ${JSON.stringify(extra)}`);
    } catch (error) {
      assert.match(String(error), message);
    }
  }
  assert.throws(() => transport({ concurrency: 0 }), /concurrency must be a whole number/);
  assert.throws(() => transport({ queues: ["x:y"] }), /contains ":"/);
});

Bullmq.run();
