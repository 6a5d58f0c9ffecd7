import path from "node:path";

import { suite } from "uvu";
import * as assert from "uvu/assert";

import { openEmbeddedQueue, type EmbeddedQueueOptions } from "../runtime/embedded/index.js";
import type { Delivery } from "../runtime/transport.js";
import { sleep, task, tempDir, waitFor } from "./helpers/embedded-helpers.js";
import { recordingLogger } from "./helpers/runtime-fixture.js";

const LEASE_MS = 60_000;

const Leases = suite("EmbeddedQueue leases");
let temp: ReturnType<typeof tempDir>;

Leases.before.each(() => {
  temp = tempDir();
});

Leases.after.each(() => {
  temp.remove();
});

function fileQueue(options: Partial<EmbeddedQueueOptions> = {}) {
  return openEmbeddedQueue({ path: path.join(temp.dir, "tasks.sqlite"), pollMs: 5, ...options });
}

/** A handler that never settles, as a worker that hangs or died would. */
function hang(seen: Delivery[]) {
  return (delivery: Delivery) => {
    seen.push(delivery);
    return new Promise<never>(() => {});
  };
}

Leases("delivers a task again once a dead worker's lease expires, as an attempt", async () => {
  const stuck = fileQueue({ leaseMs: LEASE_MS });
  const stuckSeen: Delivery[] = [];
  await stuck.enqueue(task("a"));
  await stuck.start(hang(stuckSeen));
  await waitFor(() => stuckSeen.length === 1);

  // A second worker on the file, with a clock past the first one's lease.
  let skew = LEASE_MS - 5000;
  const rescuer = fileQueue({ leaseMs: LEASE_MS, now: () => Date.now() + skew });
  const rescued: Delivery[] = [];
  await rescuer.start(async (delivery) => {
    rescued.push(delivery);
    return { status: "done" };
  });
  await sleep(40);
  assert.is(rescued.length, 0, "delivered while the lease held");

  skew = LEASE_MS + 1000;
  await waitFor(() => rescued.length === 1, 1000, "the redelivery");
  assert.is(rescued[0]?.attempt, 1);
  assert.is(rescued[0]?.id, stuckSeen[0]?.id);

  // The first worker gives up its lease, which is no longer its own: the done outcome stands.
  await stuck.stop({ graceMs: 0 });
  await waitFor(() => rescuer.counts().queued === 0);
  assert.equal(rescuer.counts(), { queued: 0, leased: 0, failed: 0, tombstones: 0 });
  await rescuer.stop();
});

Leases("fails a task for good when lease expiries use up its retries", async () => {
  const stuck = fileQueue({ leaseMs: LEASE_MS });
  await stuck.enqueue(task("kills its worker", { maxRetries: 0 }));
  await stuck.start(hang([]));
  await waitFor(() => stuck.counts().leased === 1);

  const later = fileQueue({ now: () => Date.now() + LEASE_MS + 1 });
  let runs = 0;
  await later.start(async () => {
    runs++;
    return { status: "done" };
  });
  await waitFor(() => later.counts().failed === 1);

  assert.is(runs, 0);
  assert.match(later.listFailed()[0]?.reason ?? "", /the lease expired/);
  await later.stop();
  await stuck.stop({ graceMs: 0 });
});

Leases(
  "renews the lease of a delivery that outlasts it, so no one else runs it meanwhile",
  async () => {
    const shortLease = { leaseMs: 150 };
    const slow = fileQueue(shortLease);
    await slow.enqueue(task("takes four leases"));
    let slowRuns = 0;
    await slow.start(async () => {
      slowRuns++;
      await sleep(600);
      return { status: "done" };
    });
    await waitFor(() => slowRuns === 1);

    // Another worker on the file, polling all the while: it would take the task over as soon as
    // a lease ran out.
    const other = fileQueue(shortLease);
    const otherSeen: Delivery[] = [];
    try {
      await other.start(async (delivery) => {
        otherSeen.push(delivery);
        return { status: "done" };
      });
      await waitFor(() => slow.counts().queued === 0, 3000, "the slow task to finish");

      assert.is(slowRuns, 1);
      assert.is(otherSeen.length, 0, "delivered a second time while it ran");
      assert.equal(other.counts(), { queued: 0, leased: 0, failed: 0, tombstones: 0 });
    } finally {
      await other.stop();
      await slow.stop();
    }
  },
);

Leases("warns when a running delivery's lease was taken over by another worker", async () => {
  const log = recordingLogger();
  const stuck = fileQueue({ leaseMs: 300, logger: log });
  const stuckSeen: Delivery[] = [];
  await stuck.enqueue(task("a"));
  await stuck.start(hang(stuckSeen));
  await waitFor(() => stuckSeen.length === 1);

  // As if the first worker had been frozen past its lease: a worker whose clock is ahead claims
  // the task, and the first one's next renewal finds the lease gone.
  const rescuer = fileQueue({ leaseMs: 300, now: () => Date.now() + 10_000 });
  const lost = () => log.lines.filter((line) => line.includes("lease ran out"));
  try {
    await rescuer.start(async () => ({ status: "done" }));
    await waitFor(() => rescuer.counts().queued === 0, 1000, "the rescue");
    await waitFor(() => lost().length > 0, 1000, "a warning");
    // Further renewals leave the lost task alone, so it is reported once.
    await sleep(250);

    assert.equal(lost(), [
      `warn [task ${stuckSeen[0]?.id}] Its lease ran out while it was running and another ` +
        `worker took it over; this delivery's outcome will not be recorded`,
    ]);
  } finally {
    await rescuer.stop();
    await stuck.stop({ graceMs: 0 });
  }
});

Leases("stop() gives back the leases of unfinished deliveries", async () => {
  const first = fileQueue({ leaseMs: LEASE_MS });
  const seen: Delivery[] = [];
  await first.enqueue(task("slow"));
  await first.enqueue(task("quick"));
  await first.start((delivery) =>
    delivery.body === "quick" ? Promise.resolve({ status: "done" }) : hang(seen)(delivery),
  );
  await waitFor(() => seen.length === 1);
  await first.stop({ graceMs: 20 });

  const second = fileQueue({ leaseMs: LEASE_MS });
  assert.equal(second.counts(), { queued: 1, leased: 0, failed: 0, tombstones: 0 });
  const redelivered: Delivery[] = [];
  await second.start(async (delivery) => {
    redelivered.push(delivery);
    return { status: "done" };
  });
  await waitFor(() => redelivered.length === 1, 500, "the released task");

  assert.is(redelivered[0]?.body, "slow");
  assert.is(redelivered[0]?.attempt, 0, "a released lease is not a failed attempt");
  await second.stop();
});

Leases("stop() waits for running deliveries within the grace period", async () => {
  const queue = fileQueue();
  await queue.enqueue(task("a"));
  let finished = false;
  await queue.start(async () => {
    await sleep(50);
    finished = true;
    return { status: "done" };
  });
  await waitFor(() => queue.counts().leased === 1);
  await queue.stop({ graceMs: 2000 });

  assert.ok(finished);
  const reopened = fileQueue();
  assert.equal(reopened.counts(), { queued: 0, leased: 0, failed: 0, tombstones: 0 });
  await reopened.stop();
});

Leases("two queues on one file never deliver one task at the same time", async () => {
  const queues = [fileQueue({ concurrency: 8 }), fileQueue({ concurrency: 8 })];
  const running = new Set<string>();
  const runs = new Map<string, number>();
  let overlaps = 0;

  for (let i = 0; i < 300; i++) await queues[0]?.enqueue(task(`t${i}`));
  for (const queue of queues) {
    await queue.start(async (delivery) => {
      if (running.has(delivery.id)) overlaps++;
      running.add(delivery.id);
      runs.set(delivery.id, (runs.get(delivery.id) ?? 0) + 1);
      await sleep(Math.random() * 3);
      running.delete(delivery.id);
      return { status: "done" };
    });
  }
  await waitFor(() => queues[0]?.counts().queued === 0, 10_000, "the 300 tasks");

  assert.is(overlaps, 0);
  assert.is(runs.size, 300);
  assert.ok([...runs.values()].every((n) => n === 1));
  for (const queue of queues) await queue.stop();
});

Leases.run();
