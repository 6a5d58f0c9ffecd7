import { test } from "uvu";
import * as assert from "uvu/assert";

import { startFixtureRuntime } from "./helpers/runtime-fixture.js";

/** The runtime of the running test; stopped after it, so deferred calls find none. */
let current: { stop(): Promise<void> } | undefined;
test.after.each(async () => {
  await current?.stop();
  current = undefined;
});

async function setup(now?: () => number) {
  const started = await startFixtureRuntime(now ? { now } : {});
  current = started.runtime;
  return started;
}

test("a deferred method call is queued, and the task runs it with the same arguments", async () => {
  const { transport, mailer, runtime, log, Key } = await setup();
  const at = new Date("2026-01-02T03:04:05.000Z");

  await mailer.send("ana@example.com", at, 12345678901234567890n, Key.from(["Order", 7n]));
  assert.equal(log, [], "queued, not run");
  assert.is(transport.queued.length, 1);
  assert.is(transport.queued[0]!.queue, "mail");

  await transport.deliverAll(runtime);
  assert.equal(log, [`send ana@example.com ${at.toISOString()} 12345678901234567890 Order`]);
  assert.equal(
    transport.outcomes.map((o) => o.outcome.status),
    ["done"],
  );
});

test("deferred calls made inside a task are queued again", async () => {
  const { transport, mailer, runtime, log, notify } = await setup();

  await mailer.chain(2);
  await transport.deliverAll(runtime);
  assert.equal(log, ["chain 2", "chain 1", "chain 0"]);
  assert.is(transport.queued.length, 3, "each link was its own task");
});

test("runNow runs a deferred call in place; withCallOptions delays it", async () => {
  const { transport, mailer, log, notify, runNow, withCallOptions } = await setup();

  await runNow(() => mailer.chain(0));
  assert.equal(log, ["chain 0"]);
  assert.is(transport.queued.length, 0);

  const before = Date.now();
  await withCallOptions({ delaySeconds: 60 }, () => notify("bo"));
  assert.ok((transport.queued[0]!.notBefore ?? 0) >= before + 60_000);
});

test("stubs queue through the same path, with per-call options", async () => {
  const { transport, runtime, log, notify, createDeferredStubs } = await setup();
  const stubs = createDeferredStubs((id, args, options) => runtime.enqueue(id, args, options));

  await stubs.notify.with({ name: "notify-cy", queue: "urgent" })("cy", 2);
  await stubs.notify.with({ name: "notify-cy" })("cy", 3);
  assert.is(transport.queued.length, 1, "the second call of the same name was dropped");
  assert.is(transport.queued[0]!.queue, "urgent");

  await transport.deliverAll(runtime);
  assert.equal(log, ["notify cy x2"]);
});

test("arguments its types forbid are refused when queued and when delivered", async () => {
  const { transport, runtime, log, notify, createDeferredStubs } = await setup();

  try {
    await runtime.enqueue("notify", [42]);
    assert.unreachable("enqueue accepted a number for a string parameter");
  } catch (error) {
    assert.match(String(error), /\[0\] \(user\): expected string/);
  }

  // A payload that was queued by hand, bypassing the stub, never reaches the task.
  const good = await setup();
  await notify("dee");
  const queued = good.transport.queued[0]!;
  const forged = queued.body.replace('"dee"', "42");
  const outcome = await good.runtime.deliver({ ...delivery(queued), body: forged });
  assert.is(outcome.status, "failed", "a body that does not match its signature is refused");
  assert.equal(log, []);
  void transport;
});

test("retries: @noRetry fails at once, @retry(2) runs three times, PermanentTaskFailure stops", async () => {
  const { transport, mailer, runtime, log, notify } = await setup();

  await mailer.fragile();
  await mailer.flaky();
  await mailer.refuse();
  await transport.deliverAll(runtime);

  assert.equal(log, ["fragile", "flaky", "flaky", "flaky", "refuse"]);
  // The runtime ends a task at its own limit, whatever retries the transport would allow.
  const statuses = transport.outcomes.map((o) => o.outcome.status);
  assert.equal(statuses, ["failed", "retry", "retry", "failed", "failed"]);
  assert.is(transport.queued[0]!.maxRetries, 0);
  assert.is(transport.queued[1]!.maxRetries, 2);
});

test("a cron tick runs the group's due tasks once per interval, each isolated", async () => {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const { transport, runtime } = await setup(() => now);

  const first = await runtime.runCron("hourly");
  assert.equal(first.ran, ["Mailer.everyTick", "Mailer.hourly"]);
  assert.equal(
    first.failed.map((f) => f.id),
    ["Mailer.broken"],
  );
  assert.equal(transport.queued.length >= 1, true, "the deferred call inside was queued");

  now += 10 * 60_000;
  const second = await runtime.runCron("hourly");
  assert.equal(second.ran, ["Mailer.everyTick"]);
  assert.equal(second.skipped, ["Mailer.broken", "Mailer.hourly"]);

  now += 60 * 60_000;
  const third = await runtime.runCron("hourly");
  assert.equal(third.ran, ["Mailer.everyTick", "Mailer.hourly"]);

  const unknown = await runtime.runCron("nightly");
  assert.is(unknown.known, false);
});

test("20 concurrent cron ticks run each due task exactly once", async () => {
  const { runtime, log } = await setup();

  await Promise.all(Array.from({ length: 20 }, () => runtime.runCron("hourly")));
  assert.is(log.filter((l) => l === "hourly").length, 1);
  assert.is(log.filter((l) => l === "broken").length, 1);
  assert.is(log.filter((l) => l === "tick").length, 20, "interval 0 runs on every tick");
});

test("startup tasks are queued once per start, and one failing does not re-run the others", async () => {
  const { transport, runtime, log, notify, createDeferredStubs } = await setup();
  await runtime.start();
  await runtime.start();

  assert.is(transport.queued.length, 2, "the second start of one process queues nothing new");
  await transport.deliverAll(runtime);
  assert.is(log.filter((l) => l === "warm").length, 1);
  assert.ok(log.filter((l) => l === "cold").length > 1, "the failing one was retried");
});

test("callable tasks: listed and run only for users canCall allows", async () => {
  const { runtime, log } = await setup();
  const admin = { id: "u1", role: "admin" };
  const guest = { id: "u2", role: "guest" };

  assert.equal(await runtime.listCallable(admin), [{ id: "Reindex", name: "Rebuild the index" }]);
  assert.equal(await runtime.listCallable(guest), []);
  assert.equal(await runtime.listCallable(undefined), []);

  assert.equal(await runtime.executeCallable("Reindex", { full: true }, guest), {
    status: "forbidden",
  });
  assert.equal(await runtime.executeCallable("Nope", {}, admin), { status: "not-found" });
  const invalid = await runtime.executeCallable("Reindex", { full: "yes" }, admin);
  assert.is(invalid.status, "invalid");
  assert.equal(await runtime.executeCallable("Reindex", { full: true }, admin), { status: "done" });
  assert.equal(log, ["reindex true"]);
});

function delivery(task: {
  body: string;
  signature: string;
  queue: string;
  route: "deferred" | "queryIter";
}) {
  return {
    id: "t",
    route: task.route,
    body: task.body,
    signature: task.signature,
    queue: task.queue,
    attempt: 0,
  };
}

test("the local cron ticker drives each cron group", async () => {
  const { runtime, log, startCronTicker } = await setup();
  const ticker = startCronTicker(runtime, { tickMs: 10 });
  await new Promise((resolve) => setTimeout(resolve, 80));
  ticker.stop();

  assert.is(log.filter((l) => l === "hourly").length, 1, "once per interval");
  assert.ok(log.filter((l) => l === "tick").length >= 3, "interval 0 on every tick");
});

test.run();
