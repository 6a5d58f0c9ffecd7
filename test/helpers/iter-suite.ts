/**
 * The query iterator suite, run against each database: a kit makes the `rows` table
 * (`id` primary key, `grp` not null) and the query source over it.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";

import type { QuerySource } from "../../runtime/query/query-source.js";
import { recordingLogger } from "./runtime-fixture.js";
import { waitFor } from "./embedded-helpers.js";

export interface DbKit {
  readonly name: string;
  readonly source: QuerySource;
  /** Replaces the `rows` table with rows 1..count, `grp` = id % 7. */
  fillRows(count: number): Promise<void>;
  /** Runs DDL for the refusal tests. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const fixture = Promise.all([
  import("taskgen"),
  import("taskgen/embedded"),
  import("../fixtures/iter-app/src/app.js"),
  import("../fixtures/iter-app/src/generated/dispatch.js"),
]).then(([taskgen, embedded, app, dispatch]) => ({
  ...taskgen,
  ...embedded,
  ...app,
  dispatchTable: dispatch.dispatchTable,
}));

const ROWS = { source: "db", table: "rows", orderBy: [{ field: "id" }] } as const;

export function iteratorSuite(makeKit: () => Promise<DbKit>): void {
  const Iter = suite("query iterators");
  let kit: DbKit;
  let stop: (() => Promise<void>) | undefined;

  Iter.before(async () => {
    kit = await makeKit();
  });
  Iter.after(async () => kit.close());
  Iter.after.each(async () => {
    await stop?.();
    stop = undefined;
  });

  /** A runtime on an in-memory embedded queue, over the kit's source, possibly made faulty. */
  async function start(
    options: { failFetch?: number; logger?: ReturnType<typeof recordingLogger> } = {},
  ) {
    const f = await fixture;
    f.seen.clear();
    f.finishes.length = 0;
    f.hooks.beforeEntry = () => {};
    const source: QuerySource = options.failFetch
      ? {
          check: (q) => kit.source.check(q),
          fetch: async (q, cursor, limit) => {
            if (Math.random() < options.failFetch!) throw new Error("injected fetch failure");
            return kit.source.fetch(q, cursor, limit);
          },
        }
      : kit.source;
    const queue = f.openEmbeddedQueue({
      path: ":memory:",
      concurrency: 4,
      pollMs: 5,
      backoff: { baseMs: 1, maxMs: 5 },
      maxRetries: 1000,
    });
    const runtime = f.createRuntime({
      table: f.dispatchTable,
      instances: {},
      transport: queue,
      secret: "an iterator test secret",
      querySources: { db: source },
      ...(options.logger && { logger: options.logger }),
    });
    await runtime.start();
    stop = () => runtime.stop();
    return { ...f, runtime, queue };
  }

  async function finished(runtime: { iterProgress(run: string): Promise<unknown> }, run: string) {
    let state: unknown;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      state = ((await runtime.iterProgress(run)) as { state: string } | undefined)?.state;
      if (state === "finished" || state === "stopped") return state;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the run did not end; it is ${String(state)}`);
  }

  Iter(
    `${"100,000 rows, chunk size 100: each handled once, handleFinish once with 100000"}`,
    async () => {
      await kit.fillRows(100_000);
      const { runtime, CountRows, seen, finishes } = await start();

      const run = await CountRows.startIterOnQuery(ROWS, { counted: 0 });
      assert.is(await finished(runtime, run), "finished");

      assert.is(seen.size, 100_000);
      assert.ok(
        [...seen.values()].every((n) => n === 1),
        "no row was handled twice",
      );
      assert.equal(finishes, [{ totalCount: 100_000, customData: { counted: 100_000 } }]);
      const progress = await runtime.iterProgress(run);
      assert.is(progress?.totalCount, 100_000);
      assert.is(progress?.errors, 0);
      assert.is(progress?.step, 1000, "steps 0 to 999 handled the chunks, step 1000 finished");
      assert.ok((progress?.ratePerSecond ?? 0) > 0);
    },
  );

  Iter("with failing steps and failing entries: none skipped, handleFinish once", async () => {
    await kit.fillRows(20_000);
    const { runtime, CountRows, seen, finishes, hooks } = await start({ failFetch: 0.2 });
    const failedOnce = new Set<number>();
    hooks.beforeEntry = (id) => {
      // Every 97th row fails its first attempt; the second attempt passes.
      if (id % 97 === 0 && !failedOnce.has(id)) {
        failedOnce.add(id);
        throw new Error(`row ${id} failed once`);
      }
    };

    const run = await CountRows.startIterOnQuery(ROWS, { counted: 0 });
    assert.is(await finished(runtime, run), "finished");

    const missing = Array.from({ length: 20_000 }, (_, i) => i + 1).filter((id) => !seen.has(id));
    assert.equal(missing, []);
    assert.is(finishes.length, 1);
    assert.is(finishes[0]?.totalCount, 20_000, "each row counted once, whatever was retried");
    const twice = [...seen.values()].filter((n) => n > 1).length;
    process.stdout.write(`\n  ${kit.name} faults: ${twice} rows handled twice\n`);
  });

  Iter("a stopped run records where it stopped and resumes there", async () => {
    await kit.fillRows(40);
    const { runtime, StrictWalk, seen, finishes, hooks } = await start();
    let broken = true;
    hooks.beforeEntry = (id) => {
      if (id === 23 && broken) throw new Error("row 23 is broken");
    };

    const run = await StrictWalk.startIterOnQuery(ROWS);
    assert.is(await finished(runtime, run), "stopped");
    const stopped = await runtime.iterProgress(run);
    assert.equal(stopped?.cursor, [22], "stopped after the last good row");
    assert.is(stopped?.totalCount, 22);
    assert.is(stopped?.errors, 1);
    assert.match(stopped?.stopReason ?? "", /row 23 is broken/);
    assert.equal(finishes, [], "a stopped run does not finish");

    broken = false;
    assert.is(await runtime.resumeIter(run), true);
    assert.is(await finished(runtime, run), "finished");
    assert.equal(finishes, [{ totalCount: 40, customData: undefined }]);
    assert.is(seen.get(22), 1);
    assert.is(seen.get(24), 1);
  });

  /**
   * A runtime whose transport only records what is queued (refusing taken names), so a test
   * delivers each step itself, as often and as concurrently as it likes.
   */
  async function startByHand(
    options: { source?: QuerySource; iteratorStepLeaseSeconds?: number } = {},
  ) {
    const f = await fixture;
    f.seen.clear();
    f.finishes.length = 0;
    f.hooks.beforeEntry = () => {};
    const queued: { body: string; signature: string; name?: string }[] = [];
    const runtime = f.createRuntime({
      table: f.dispatchTable,
      instances: {},
      transport: {
        enqueue: async (task) => {
          if (queued.some((q) => q.name === task.name))
            return { queued: false, reason: "duplicate" };
          queued.push(task);
          return { queued: true, id: String(queued.length) };
        },
        start: async () => {},
        stop: async () => {},
      },
      secret: "an iterator test secret",
      querySources: { db: options.source ?? kit.source },
      ...(options.iteratorStepLeaseSeconds !== undefined && {
        iteratorStepLeaseSeconds: options.iteratorStepLeaseSeconds,
      }),
    });
    stop = () => runtime.stop();
    const delivery = (i: number) => ({
      id: String(i),
      route: "queryIter" as const,
      queue: "default",
      attempt: 0,
      ...queued[i]!,
    });
    return { ...f, runtime, queued, delivery };
  }

  Iter("one step delivered twice at once is run by one worker only", async () => {
    await kit.fillRows(10);
    const { runtime, queued, delivery, ...f } = await startByHand();

    await f.CountRows.startIterOnQuery(ROWS, { counted: 0 });
    const outcomes = await Promise.all([
      runtime.deliver(delivery(0)),
      runtime.deliver(delivery(0)),
    ]);
    assert.equal(outcomes.map((o) => o.status).sort(), ["done", "retry"]);
    assert.is(f.seen.size, 10);
    assert.ok([...f.seen.values()].every((n) => n === 1));

    // A retry of the step after it queued its successor queues nothing new: no fork.
    assert.is((await runtime.deliver(delivery(0))).status, "done");
    assert.is(queued.length, 2);
    assert.equal(
      queued.map((q) => q.name),
      [queued[0]!.name, queued[0]!.name!.replace(/-0$/, "-1")],
    );
  });

  Iter("a step that outlasts its claim's lease keeps the claim while it runs", async () => {
    await kit.fillRows(10);
    let slowFetches = 1;
    const slowSource: QuerySource = {
      check: (q) => kit.source.check(q),
      fetch: async (q, cursor, limit) => {
        if (slowFetches-- > 0) await new Promise((resolve) => setTimeout(resolve, 600));
        return kit.source.fetch(q, cursor, limit);
      },
    };
    // A lease of 150 ms, renewed every 50 ms, under a step that takes 600.
    const { runtime, delivery, ...f } = await startByHand({
      source: slowSource,
      iteratorStepLeaseSeconds: 0.15,
    });

    await f.CountRows.startIterOnQuery(ROWS, { counted: 0 });
    const first = runtime.deliver(delivery(0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await runtime.deliver(delivery(0));

    assert.is(second.status, "retry", "a second worker took the step over while it ran");
    assert.is((await first).status, "done");
    assert.is(f.seen.size, 10);
    assert.ok(
      [...f.seen.values()].every((n) => n === 1),
      "no row was handled twice",
    );
  });

  Iter("queries that cannot be resumed by cursor are refused when the run starts", async () => {
    await kit.fillRows(3);
    await kit.exec("DROP TABLE IF EXISTS loose");
    await kit.exec("CREATE TABLE loose (id INTEGER NOT NULL, maybe INTEGER, grp INTEGER NOT NULL)");
    const { CountRows } = await start();
    const refusals: [object, RegExp][] = [
      [{ ...ROWS, orderBy: [] }, /has no orderBy/],
      [{ ...ROWS, orderBy: [{ field: "grp" }] }, /not unique in rows/],
      [{ ...ROWS, table: "loose", orderBy: [{ field: "maybe" }] }, /loose\.maybe may be null/],
      [{ ...ROWS, table: "loose", orderBy: [{ field: "id" }] }, /not unique in loose/],
      [{ ...ROWS, table: "nowhere" }, /no table nowhere/],
      [{ ...ROWS, orderBy: [{ field: "size" }] }, /rows has no column size/],
      [{ ...ROWS, table: 'rows"; DROP TABLE rows; --' }, /not a plain identifier/],
      [{ ...ROWS, source: "elsewhere" }, /No query source "elsewhere"/],
    ];
    for (const [query, reason] of refusals) {
      try {
        await CountRows.startIterOnQuery(query as never, { counted: 0 });
        assert.unreachable(`accepted ${JSON.stringify(query)}`);
      } catch (error) {
        assert.match(String(error), reason);
      }
    }
  });

  Iter("filters and a mixed order walk the same entries as a sort would", async () => {
    await kit.fillRows(500);
    const { runtime, StrictWalk, finishes } = await start();
    const order: number[] = [];
    const f = await fixture;
    f.hooks.handled = (id) => order.push(id);
    try {
      const run = await StrictWalk.startIterOnQuery({
        source: "db",
        table: "rows",
        where: [
          { field: "grp", op: "in", value: [1, 2, 3] },
          { field: "id", op: ">", value: 10 },
        ],
        orderBy: [{ field: "grp", direction: "desc" }, { field: "id" }],
      });
      assert.is(await finished(runtime, run), "finished");
    } finally {
      f.hooks.handled = (id) => f.seen.set(id, (f.seen.get(id) ?? 0) + 1);
    }
    const expected = Array.from({ length: 500 }, (_, i) => i + 1)
      .filter((id) => [1, 2, 3].includes(id % 7) && id > 10)
      .sort((a, b) => (b % 7) - (a % 7) || a - b);
    assert.equal(order, expected);
    assert.equal(finishes, [{ totalCount: expected.length, customData: undefined }]);
  });

  Iter("a forged or unknown step is a logged permanent failure", async () => {
    const logger = recordingLogger();
    const { runtime, signTaskBody } = await start({ logger });
    const forged = JSON.stringify({ v: 1, task: "Nowhere", payload: {} });
    const outcome = await runtime.deliver({
      id: "x",
      route: "queryIter",
      body: forged,
      signature: signTaskBody(forged, "an iterator test secret"),
      queue: "default",
      attempt: 0,
    });
    assert.is(outcome.status, "failed");
    const bad = JSON.stringify({ v: 1, task: "CountRows", payload: { run: "x", step: -1 } });
    const second = await runtime.deliver({
      id: "y",
      route: "queryIter",
      body: bad,
      signature: signTaskBody(bad, "an iterator test secret"),
      queue: "default",
      attempt: 0,
    });
    assert.is(second.status, "failed");
    assert.match(logger.lines.join("\n"), /Refused a query iterator step/);
  });

  Iter.run();
}
