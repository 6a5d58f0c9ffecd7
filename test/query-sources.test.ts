import { test } from "uvu";
import * as assert from "uvu/assert";

import { keysetSelect, type SqlDialect } from "../runtime/query/keyset-sql.js";
import { memoryQuerySource } from "../runtime/query/memory-source.js";
import { queryShapeProblem, type IterQuery } from "../runtime/query/iter-query.js";
import type { QueuedTask } from "../runtime/transport.js";
import { recordingLogger } from "./helpers/runtime-fixture.js";

const iterFixture = Promise.all([
  import("taskgen"),
  import("./fixtures/iter-app/src/app.js"),
  import("./fixtures/iter-app/src/generated/dispatch.js"),
]);

type ExtraOptions = Omit<
  Parameters<typeof import("taskgen").createRuntime>[0],
  "table" | "instances" | "transport" | "secret"
>;

/** The iterator fixture on a runtime whose transport keeps what is queued, to deliver by hand. */
async function manualRuntime(options: ExtraOptions) {
  const [taskgen, app, dispatch] = await iterFixture;
  app.seen.clear();
  app.finishes.length = 0;
  const queued: QueuedTask[] = [];
  const runtime = taskgen.createRuntime({
    table: dispatch.dispatchTable,
    instances: {},
    transport: {
      enqueue: async (task) => {
        queued.push(task);
        return { queued: true, id: String(queued.length) };
      },
      start: async () => {},
      stop: async () => {},
    },
    secret: "an iterator test secret",
    ...options,
  });
  const deliver = (i: number) => runtime.deliver({ id: String(i), attempt: 0, ...queued[i]! });
  return { ...taskgen, ...app, runtime, queued, deliver };
}

const NUMBERED: SqlDialect = { placeholder: (n) => `$${n}`, bind: (value) => value };

test("keyset SQL: one direction compares row values, mixed directions expand", () => {
  const query: IterQuery = {
    source: "db",
    table: "items",
    where: [
      { field: "kind", op: "in", value: ["a", "b"] },
      { field: "gone", op: "is null" },
    ],
    orderBy: [
      { field: "rank", direction: "desc" },
      { field: "id", direction: "desc" },
    ],
  };
  assert.equal(keysetSelect(NUMBERED, query, [5, 9], 10), {
    text:
      'SELECT * FROM "items" WHERE "kind" IN ($1, $2) AND "gone" IS NULL ' +
      'AND ("rank", "id") < ($3, $4) ORDER BY "rank" DESC, "id" DESC LIMIT 10',
    values: ["a", "b", 5, 9],
  });

  const mixed = {
    ...query,
    where: [],
    orderBy: [{ field: "rank", direction: "desc" as const }, { field: "id" }],
  };
  assert.equal(keysetSelect(NUMBERED, mixed, [5, 9], 3), {
    text:
      'SELECT * FROM "items" WHERE (("rank" < $1) OR ("rank" = $2 AND "id" > $3)) ' +
      'ORDER BY "rank" DESC, "id" ASC LIMIT 3',
    values: [5, 5, 9],
  });
  assert.equal(
    keysetSelect(
      NUMBERED,
      { ...mixed, where: [{ field: "id", op: "not in", value: [] }] },
      undefined,
      3,
    ).text,
    'SELECT * FROM "items" WHERE 1 = 1 ORDER BY "rank" DESC, "id" ASC LIMIT 3',
  );
});

test("query shapes that could smuggle SQL are refused", () => {
  const base = { source: "db", table: "t", orderBy: [{ field: "id" }] };
  assert.is(queryShapeProblem(base), undefined);
  for (const [query, reason] of [
    [{ ...base, table: "t; DROP TABLE t" }, /plain identifier/],
    [{ ...base, orderBy: [{ field: "id desc" }] }, /plain identifier/],
    [{ ...base, orderBy: [{ field: "id", direction: "sideways" }] }, /"asc" or "desc"/],
    [{ ...base, where: [{ field: "id", op: "LIKE", value: "%" }] }, /unknown operator/],
    [{ ...base, where: [{ field: "id", op: "in", value: "1, 2" }] }, /list of values/],
    [{ ...base, where: [{ field: "id", op: "=", value: { $ne: 1 } }] }, /cannot be compared/],
    [{ ...base, orderBy: [{ field: "id" }, { field: "id" }] }, /twice/],
  ] as const) {
    assert.match(queryShapeProblem(query) ?? "", reason, JSON.stringify(query));
  }
});

test("memory source: filters, both directions, cursor; refuses ties and missing values", async () => {
  const products = [
    { id: 1, price: 5, tag: "x" },
    { id: 2, price: 3, tag: "y" },
    { id: 3, price: 5, tag: "x" },
    { id: 4, price: 8, tag: "x" },
    { id: 5, price: 3, tag: "x" },
  ];
  const source = memoryQuerySource({ products, holes: [{ id: 1 }, { id: null }] });
  const query: IterQuery = {
    source: "m",
    table: "products",
    where: [{ field: "tag", op: "=", value: "x" }],
    orderBy: [{ field: "price", direction: "desc" }, { field: "id" }],
  };
  assert.is(await source.check(query), undefined);
  const first = await source.fetch(query, undefined, 2);
  assert.equal(
    first.map((p) => p["id"]),
    [4, 1],
  );
  const rest = await source.fetch(query, [5, 1], 10);
  assert.equal(
    rest.map((p) => p["id"]),
    [3, 5],
  );

  assert.match(
    (await source.check({ ...query, orderBy: [{ field: "price" }] })) ?? "",
    /not unique/,
  );
  assert.match(
    (await source.check({ ...query, table: "holes", where: [], orderBy: [{ field: "id" }] })) ?? "",
    /has no id/,
  );
  assert.match((await source.check({ ...query, table: "nope" })) ?? "", /no collection nope/);
});

test("an iterator's steps carry the environment of the call that started it", async () => {
  const rows = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, grp: 0 }));
  let actingUser: string | undefined;
  const logger = recordingLogger();
  const { runtime, queued, deliver, hooks, finishes, StrictWalk } = await manualRuntime({
    querySources: { mem: (await iterFixture)[0].memoryQuerySource({ rows }) },
    logger,
    environment: {
      user: {
        capture: () => actingUser,
        restore: async (id, run) => {
          actingUser = id;
          try {
            return await run();
          } finally {
            actingUser = undefined;
          }
        },
      },
    },
  });
  const users: (string | undefined)[] = [];
  hooks.beforeEntry = () => void users.push(actingUser);
  try {
    actingUser = "admin-7";
    const run = await StrictWalk.startIterOnQuery({
      source: "mem",
      table: "rows",
      orderBy: [{ field: "id" }],
    });
    actingUser = undefined;
    for (let i = 0; i < queued.length; i++) assert.is((await deliver(i)).status, "done");

    assert.is(queued.length, 4, "three chunks of five, then the finishing step");
    assert.equal(users, Array(12).fill("admin-7"));
    assert.equal(finishes, [{ totalCount: 12, customData: undefined }]);
    assert.is((await runtime.iterProgress(run))?.state, "finished");
    assert.ok(
      logger.lines.some((l) =>
        /info \[iter StrictWalk .*\] step 0 done: 5 entries, 0 errors/.test(l),
      ),
    );
  } finally {
    hooks.beforeEntry = () => {};
    await runtime.stop();
  }
});

test("resumeIter restarts a run whose step the transport gave up on", async () => {
  const memory = (await iterFixture)[0].memoryQuerySource({ rows: [{ id: 1, grp: 0 }] });
  let down = true;
  const { runtime, queued, deliver, finishes, StrictWalk } = await manualRuntime({
    querySources: {
      mem: {
        check: (query) => memory.check(query),
        fetch: async (query, cursor, limit) => {
          if (down) throw new Error("the database is down");
          return memory.fetch(query, cursor, limit);
        },
      },
    },
  });
  try {
    const run = await StrictWalk.startIterOnQuery({
      source: "mem",
      table: "rows",
      orderBy: [{ field: "id" }],
    });
    assert.is((await deliver(0)).status, "retry");
    assert.is((await runtime.iterProgress(run))?.state, "running", "the step was given back");

    // Say the transport gave up on that step: the run would wait for ever without a resume.
    down = false;
    assert.is(await runtime.resumeIter(run), true);
    assert.match(queued[1]!.name ?? "", /-1$/, "a new step name");
    assert.is((await deliver(1)).status, "done");
    assert.is((await deliver(2)).status, "done");
    assert.is((await runtime.iterProgress(run))?.state, "finished");
    assert.equal(finishes, [{ totalCount: 1, customData: undefined }]);
    assert.is(await runtime.resumeIter(run), false, "a finished run stays finished");

    // The old step, delivered late, changes nothing.
    assert.is((await deliver(0)).status, "done");
    assert.is(finishes.length, 1);
  } finally {
    await runtime.stop();
  }
});

test.run();
