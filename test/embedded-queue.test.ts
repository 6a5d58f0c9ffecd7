import { suite } from "uvu";
import * as assert from "uvu/assert";

import { openEmbeddedQueue, type EmbeddedQueueOptions } from "../runtime/embedded/index.js";
import type { Delivery, DeliveryOutcome } from "../runtime/transport.js";
import { FakeClock, sleep, task, waitFor } from "./helpers/embedded-helpers.js";

const DONE: DeliveryOutcome = { status: "done" };

function memoryQueue(options: Partial<EmbeddedQueueOptions> = {}) {
  return openEmbeddedQueue({ path: ":memory:", pollMs: 5, ...options });
}

/**
 * Whether no delivery holds a lease: the outcome is written. A test must wait for it before
 * moving the fake clock, since the retry time is computed from the clock at that write.
 */
function settled(queue: ReturnType<typeof memoryQueue>): boolean {
  return queue.counts().leased === 0;
}

const EmbeddedQueue = suite("EmbeddedQueue");

EmbeddedQueue("runs enqueued tasks once each, with their fields", async () => {
  const queue = memoryQueue();
  const seen: Delivery[] = [];

  const result = await queue.enqueue(task("a", { queue: "mail", name: "a-1" }));
  await queue.enqueue(task("b"));
  await queue.start(async (delivery) => {
    seen.push(delivery);
    return DONE;
  });
  await waitFor(() => seen.length === 2);
  await sleep(30);

  assert.ok(result.queued);
  const first = seen.find((delivery) => delivery.body === "a");
  assert.equal(first, {
    id: result.queued ? result.id : "",
    route: "deferred",
    body: "a",
    signature: "sig:a",
    queue: "mail",
    name: "a-1",
    attempt: 0,
  });
  assert.is(seen.length, 2);
  assert.equal(queue.counts(), { queued: 0, leased: 0, failed: 0, tombstones: 1 });
  await queue.stop();
});

EmbeddedQueue("wakes its workers on enqueue instead of waiting for the poll", async () => {
  const queue = memoryQueue({ pollMs: 60_000 });
  let ran = 0;

  await queue.start(async () => {
    ran++;
    return DONE;
  });
  await sleep(20);
  await queue.enqueue(task("a"));
  await waitFor(() => ran === 1, 500, "the delivery");

  await queue.stop();
});

EmbeddedQueue("holds a task until its notBefore time", async () => {
  const clock = new FakeClock();
  const queue = memoryQueue({ now: clock.now });
  const ran: string[] = [];

  await queue.enqueue(task("later", { notBefore: clock.ms + 5000 }));
  await queue.enqueue(task("now"));
  await queue.start(async (delivery) => {
    ran.push(delivery.body);
    return DONE;
  });
  await waitFor(() => ran.length === 1);
  clock.advance(4999);
  await sleep(40);
  assert.equal(ran, ["now"]);

  clock.advance(1);
  await waitFor(() => ran.length === 2, 1000, "the delayed task");
  assert.equal(ran, ["now", "later"]);
  await queue.stop();
});

EmbeddedQueue("refuses a name while its task waits and for the dedup window after", async () => {
  const clock = new FakeClock();
  const queue = memoryQueue({ now: clock.now, dedupWindowMs: 10_000 });
  let ran = 0;

  assert.ok((await queue.enqueue(task("1", { name: "n" }))).queued);
  assert.equal(await queue.enqueue(task("2", { name: "n" })), {
    queued: false,
    reason: "duplicate",
  });
  assert.ok((await queue.enqueue(task("unnamed"))).queued);
  assert.ok((await queue.enqueue(task("unnamed"))).queued);

  await queue.start(async () => {
    ran++;
    return DONE;
  });
  await waitFor(() => ran === 3 && queue.counts().queued === 0);
  assert.equal((await queue.enqueue(task("3", { name: "n" }))).queued, false);

  clock.advance(9999);
  assert.equal((await queue.enqueue(task("4", { name: "n" }))).queued, false);
  clock.advance(1);
  assert.ok((await queue.enqueue(task("5", { name: "n" }))).queued);
  await queue.stop();
});

EmbeddedQueue("dedups within one tick's batch of enqueues", async () => {
  const queue = memoryQueue();

  const results = await Promise.all([
    queue.enqueue(task("1", { name: "same" })),
    queue.enqueue(task("2", { name: "same" })),
  ]);

  assert.equal(
    results.map((result) => result.queued),
    [true, false],
  );
  await queue.stop();
});

EmbeddedQueue("retries with exponential backoff, then fails permanently", async () => {
  const clock = new FakeClock();
  const queue = memoryQueue({ now: clock.now, random: () => 0 });
  const attempts: number[] = [];

  await queue.enqueue(task("flaky", { maxRetries: 2 }));
  await queue.start(async (delivery) => {
    attempts.push(delivery.attempt);
    return { status: "retry", reason: `try ${delivery.attempt}` };
  });
  await waitFor(() => attempts.length === 1 && settled(queue));

  // Waits of 1 s, then 2 s: one millisecond short of each, nothing runs.
  for (const waitMs of [1000, 2000]) {
    clock.advance(waitMs - 1);
    await sleep(30);
    const before = attempts.length;
    clock.advance(1);
    await waitFor(() => attempts.length === before + 1 && settled(queue), 1000, `the retry`);
  }
  await waitFor(() => queue.counts().failed === 1);

  assert.equal(attempts, [0, 1, 2]);
  const [failed] = queue.listFailed();
  assert.is(failed?.body, "flaky");
  assert.is(failed?.attempt, 3);
  assert.is(failed?.reason, "Gave up after 3 failed deliveries: try 2");

  clock.advance(24 * 60 * 60 * 1000);
  await sleep(30);
  assert.is(attempts.length, 3);
  await queue.stop();
});

EmbeddedQueue("uses the queue's default retries when a task sets none", async () => {
  const clock = new FakeClock();
  const queue = memoryQueue({ now: clock.now, maxRetries: 1, backoff: { baseMs: 0 } });
  let runs = 0;

  await queue.enqueue(task("x"));
  await queue.start(async () => {
    runs++;
    return { status: "retry", reason: "again" };
  });
  await waitFor(() => queue.counts().failed === 1);

  assert.is(runs, 2);
  await queue.stop();
});

EmbeddedQueue("treats a handler that throws as a retry with the error message", async () => {
  const clock = new FakeClock();
  const queue = memoryQueue({ now: clock.now, random: () => 0 });
  const attempts: number[] = [];

  await queue.enqueue(task("boom", { maxRetries: 1 }));
  await queue.start(async (delivery) => {
    attempts.push(delivery.attempt);
    throw new Error(`boom ${delivery.attempt}`);
  });
  await waitFor(() => attempts.length === 1 && settled(queue));
  clock.advance(1000);
  await waitFor(() => queue.counts().failed === 1);

  assert.equal(attempts, [0, 1]);
  assert.is(queue.listFailed()[0]?.reason, "Gave up after 2 failed deliveries: boom 1");
  await queue.stop();
});

EmbeddedQueue("keeps a failed task for inspection and does not run it again", async () => {
  const clock = new FakeClock();
  const queue = memoryQueue({ now: clock.now });
  let runs = 0;

  await queue.enqueue(task("bad", { name: "bad-1" }));
  await queue.start(async () => {
    runs++;
    return { status: "failed", reason: "Bad payload" };
  });
  await waitFor(() => queue.counts().failed === 1);
  clock.advance(60 * 60 * 1000);
  await sleep(30);

  assert.is(runs, 1);
  assert.equal(queue.listFailed(), [
    {
      id: "1",
      route: "deferred",
      queue: "default",
      name: "bad-1",
      body: "bad",
      attempt: 0,
      reason: "Bad payload",
    },
  ]);
  assert.is((await queue.enqueue(task("again", { name: "bad-1" }))).queued, false);
  assert.is(queue.purgeFailed(), 1);
  assert.is((await queue.enqueue(task("again", { name: "bad-1" }))).queued, true);
  await queue.stop();
});

EmbeddedQueue("keeps a queue within its own concurrency limit", async () => {
  const queue = memoryQueue({ concurrency: 10, queues: { slow: { concurrency: 2 } } });
  let runningSlow = 0;
  let maxSlow = 0;
  let fastDone = 0;

  for (let i = 0; i < 8; i++) await queue.enqueue(task(`slow-${i}`, { queue: "slow" }));
  for (let i = 0; i < 4; i++) await queue.enqueue(task(`fast-${i}`));
  await queue.start(async (delivery) => {
    if (delivery.queue !== "slow") {
      fastDone++;
      return DONE;
    }
    runningSlow++;
    maxSlow = Math.max(maxSlow, runningSlow);
    await sleep(10);
    runningSlow--;
    return DONE;
  });
  await waitFor(() => fastDone === 4, 200, "the other queue, beside the slow one");
  await waitFor(() => queue.counts().queued === 0);

  assert.is(maxSlow, 2);
  await queue.stop();
});

EmbeddedQueue("rejects tasks it cannot store", async () => {
  const queue = memoryQueue();

  for (const bad of [
    task("x", { queue: "" }),
    task("x", { maxRetries: -1 }),
    task("x", { notBefore: Number.NaN }),
  ]) {
    await queue.enqueue(bad).then(
      () => assert.unreachable(`accepted ${JSON.stringify(bad)}`),
      (error: unknown) => assert.instance(error, Error),
    );
  }
  await queue.stop();
});

EmbeddedQueue.run();
