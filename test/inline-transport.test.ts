import { test } from "uvu";
import * as assert from "uvu/assert";

import { runtimeFixture, SECRET } from "./helpers/runtime-fixture.js";

/** The runtime of the running test; stopped after it, so deferred calls find none. */
let current: { stop(): Promise<void> } | undefined;
test.after.each(async () => {
  await current?.stop();
  current = undefined;
});

async function setup(options: { autoRun?: boolean; now?: () => number } = {}) {
  const f = await runtimeFixture;
  f.log.length = 0;
  const transport = new f.InlineTransport(options);
  const mailer = new f.Mailer();
  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: { Mailer: mailer },
    transport,
    secret: SECRET,
    ...(options.now && { now: options.now }),
  });
  current = runtime;
  // The fixture's startup tasks run first: out of the way of what each test looks at.
  await runtime.start();
  if (options.autoRun === false) await transport.drain();
  else await new Promise((resolve) => setTimeout(resolve, 20));
  f.log.length = 0;
  transport.failed.length = 0;
  return { ...f, transport, mailer, runtime };
}

test("drain runs queued calls in order, through the codec, and what they queue", async () => {
  const { transport, mailer, log, Key } = await setup({ autoRun: false });
  const at = new Date("2026-03-04T05:06:07.000Z");

  await mailer.send("ana", at, 7n, Key.from(["Order", 1n]));
  await mailer.chain(1);
  assert.equal(log, [], "nothing runs before drain");
  await transport.drain();
  assert.equal(log, [`send ana ${at.toISOString()} 7 Order`, "chain 1", "chain 0"]);
  assert.is(transport.size, 0);
});

test("retries as the task allows, then keeps the failure; names are taken while waiting", async () => {
  const { transport, mailer, log, notify, withCallOptions } = await setup({ autoRun: false });

  await mailer.flaky();
  await mailer.fragile();
  await withCallOptions({ name: "once" }, () => notify("a"));
  await withCallOptions({ name: "once" }, () => notify("b"));
  await transport.drain();

  assert.equal(log.filter((l) => l === "flaky").length, 3, "@retry(2): three attempts");
  assert.equal(log.filter((l) => l === "fragile").length, 1, "@noRetry: one attempt");
  assert.ok(log.includes("notify a x1"));
  assert.not.ok(log.includes("notify b x1"), "the second call of one name was dropped");
  assert.equal(
    transport.failed.map((f) => [f.attempts, f.reason]),
    [
      [1, "Mailer.fragile failed on attempt 1, its last: fragile failed"],
      [3, "Mailer.flaky failed on attempt 3, its last: flaky failed"],
    ],
  );
});

test("delayed calls wait for their time unless drained with all", async () => {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const { transport, notify, log, withCallOptions } = await setup({
    autoRun: false,
    now: () => now,
  });

  await withCallOptions({ delaySeconds: 60 }, () => notify("later"));
  await transport.drain();
  assert.equal(log, []);
  now += 60_000;
  await transport.drain();
  assert.equal(log, ["notify later x1"]);

  await withCallOptions({ delaySeconds: 3600 }, () => notify("much later"));
  await transport.drain({ all: true });
  assert.equal(log, ["notify later x1", "notify much later x1"]);
});

test("auto-run runs a call right after the code that queued it", async () => {
  const { notify, log } = await setup();
  await notify("soon");
  assert.equal(log, [], "not inside the call");
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(log, ["notify soon x1"]);
});

test.run();
