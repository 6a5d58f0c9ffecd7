/**
 * The behaviour every transport must show under the runtime, as one suite: each transport's
 * test file runs it with a kit that makes a fresh, empty transport. It drives the fixture apps
 * (test/fixtures/runtime-app and iter-app) end to end: queued, delivered, decoded, run.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";

import type { Runtime } from "taskgen";

import type { Transport } from "../../runtime/transport.js";
import { runtimeFixture, SECRET } from "./runtime-fixture.js";

export interface TransportKit {
  readonly name: string;
  /**
   * A fresh, empty transport. Its retries should back off by a few milliseconds only, and it
   * should deliver to at least a few workers at once.
   */
  create(): Promise<Transport>;
  /**
   * Called with each runtime before it starts: for a transport that delivers over HTTP, to serve
   * the runtime's task handler where the queue sends its requests.
   */
  attach?(runtime: Runtime<unknown>): void;
  /** Runs after each test, once the runtime was stopped. */
  cleanup?(): Promise<void>;
  /** Whether the transport ticks cron groups itself from `TransportHooks` (BullMQ). */
  readonly ticksCron?: boolean;
}

const iterFixture = Promise.all([
  import("../fixtures/iter-app/src/app.js"),
  import("../fixtures/iter-app/src/generated/dispatch.js"),
]);

export function transportContract(kit: TransportKit): void {
  const Contract = suite(`transport contract: ${kit.name}`);
  let stop: (() => Promise<void>) | undefined;

  Contract.after.each(async () => {
    await stop?.();
    stop = undefined;
    await kit.cleanup?.();
  });

  async function start() {
    const f = await runtimeFixture;
    f.log.length = 0;
    const transport = await kit.create();
    const mailer = new f.Mailer();
    const runtime = f.createRuntime({
      table: f.dispatchTable,
      instances: { Mailer: mailer },
      transport,
      secret: SECRET,
    });
    stop = () => runtime.stop({ graceMs: 2_000 });
    kit.attach?.(runtime);
    await runtime.start();
    return { ...f, transport, mailer, runtime };
  }

  /** Waits until the log holds `count` lines matching `line`, at most ten seconds. */
  async function logged(log: readonly string[], line: string | RegExp, count = 1) {
    const matches = () => log.filter((l) => (typeof line === "string" ? l === line : line.test(l)));
    const deadline = Date.now() + 10_000;
    while (matches().length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return matches().length;
  }

  Contract("a deferred call runs with the same arguments, once", async () => {
    const { mailer, log, Key } = await start();
    const at = new Date("2026-02-03T04:05:06.007Z");
    await mailer.send("ana@example.com", at, 2n ** 70n, Key.from(["Order", "a-1"]));
    const line = `send ana@example.com ${at.toISOString()} ${2n ** 70n} Order`;
    assert.is(await logged(log, line), 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.is(log.filter((l) => l === line).length, 1, "delivered once");
  });

  Contract("startup tasks run once per start; a failing one is retried alone", async () => {
    const { log } = await start();
    assert.is(await logged(log, "warm"), 1);
    assert.ok((await logged(log, "cold", 2)) >= 2, "the failing startup task was retried");
    assert.is(log.filter((l) => l === "warm").length, 1);
  });

  Contract(
    "delay, eta, queue and version options; a dedup name drops the second call",
    async () => {
      const { notify, mailer, log, withCallOptions } = await start();
      const queuedAt = Date.now();
      await withCallOptions({ delaySeconds: 1 }, () => notify("delayed"));
      await withCallOptions({ eta: new Date(Date.now() + 1_000) }, () => notify("eta"));
      await withCallOptions({ name: "only-once" }, () => notify("named", 1));
      await withCallOptions({ name: "only-once" }, () => notify("named", 2));
      await withCallOptions({ queue: "urgent" }, () => notify("urgent"));
      await withCallOptions({ targetVersion: "v2" }, () => mailer.preview(1));

      assert.is(await logged(log, "notify urgent x1"), 1, "a call on another queue runs");
      assert.is(await logged(log, "preview 1"), 1, "a call for another version runs");
      assert.is(await logged(log, "notify delayed x1"), 1);
      assert.ok(Date.now() - queuedAt >= 900, "not before its delay");
      assert.is(await logged(log, "notify eta x1"), 1);
      assert.equal(
        log.filter((l) => l.startsWith("notify named")),
        ["notify named x1"],
      );
    },
  );

  Contract(
    "retries: @retry(2) three attempts, @noRetry one, PermanentTaskFailure one",
    async () => {
      const { mailer, log } = await start();
      await mailer.flaky();
      await mailer.fragile();
      await mailer.refuse();
      assert.is(await logged(log, "flaky", 3), 3);
      assert.is(await logged(log, "fragile"), 1);
      assert.is(await logged(log, "refuse"), 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(
        ["flaky", "fragile", "refuse"].map((task) => log.filter((l) => l === task).length),
        [3, 1, 1],
        "no attempt beyond the limit",
      );
    },
  );

  Contract("periodic groups run their due tasks once per interval", async () => {
    const { runtime, log } = await start();
    if (kit.ticksCron) {
      assert.ok((await logged(log, "hourly")) >= 1, "the transport ticked the group itself");
    } else {
      await Promise.all([runtime.runCron("hourly"), runtime.runCron("hourly")]);
    }
    await runtime.runCron("hourly");
    assert.is(log.filter((l) => l === "hourly").length, 1, "once within its interval");
    assert.ok(log.filter((l) => l === "tick").length >= 2, "interval 0 runs on every tick");
    assert.is(await logged(log, "chain 0"), 1, "its deferred call was queued and ran");
  });

  Contract("a query iterator walks every entry once and finishes once", async () => {
    const f = await runtimeFixture;
    const [app, dispatch] = await iterFixture;
    app.seen.clear();
    app.finishes.length = 0;
    const rows = Array.from({ length: 250 }, (_, i) => ({ id: i + 1, grp: i % 3 }));
    const transport = await kit.create();
    const runtime = f.createRuntime({
      table: dispatch.dispatchTable,
      instances: {},
      transport,
      secret: SECRET,
      querySources: { mem: f.memoryQuerySource({ rows }) },
    });
    stop = () => runtime.stop({ graceMs: 2_000 });
    kit.attach?.(runtime);
    await runtime.start();

    const run = await app.CountRows.startIterOnQuery(
      { source: "mem", table: "rows", orderBy: [{ field: "id" }] },
      { counted: 0 },
    );
    const deadline = Date.now() + 20_000;
    while ((await runtime.iterProgress(run))?.state !== "finished" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.is(app.seen.size, 250);
    assert.equal(app.finishes, [{ totalCount: 250, customData: { counted: 250 } }]);
  });

  Contract.run();
}
