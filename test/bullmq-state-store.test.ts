import { suite } from "uvu";
import * as assert from "uvu/assert";

import { RedisStateStore } from "../runtime/bullmq/index.js";
import {
  deleteKeys,
  openTestClient,
  REDIS,
  scanKeys,
  testPrefix,
} from "./helpers/bullmq-helpers.js";

const State = suite("RedisStateStore");
const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;

let prefix = "";
let stores: RedisStateStore[] = [];

/** Two stores on one prefix, each with its own connection: two processes, as Redis sees it. */
function twoClients(): [RedisStateStore, RedisStateStore] {
  const pair: [RedisStateStore, RedisStateStore] = [
    new RedisStateStore({ connection: REDIS, prefix }),
    new RedisStateStore({ connection: REDIS, prefix }),
  ];
  stores.push(...pair);
  return pair;
}

State.before.each(() => {
  prefix = testPrefix("state");
});

State.after.each(async () => {
  await Promise.all(stores.map((store) => store.close()));
  stores = [];
  const { client, close } = await openTestClient();
  await deleteKeys(client, prefix);
  await close();
});

State("claimPeriodic: of many claims from two clients at once, one wins", async () => {
  const [a, b] = twoClients();
  const claims = Array.from({ length: 40 }, (_, i) =>
    (i % 2 === 0 ? a : b).claimPeriodic("Orders.expire", HOUR, T0),
  );

  const won = (await Promise.all(claims)).filter(Boolean).length;
  assert.is(won, 1);
});

State("claimPeriodic: once per interval, counted from the winning claim", async () => {
  const [a, b] = twoClients();
  const cases: [RedisStateStore, number, boolean][] = [
    [a, T0, true],
    [b, T0 + 1, false],
    [a, T0 + HOUR - 1, false],
    [b, T0 + HOUR, true],
    [a, T0 + HOUR + 10, false],
    [a, T0 + 3 * HOUR, true],
  ];

  for (const [store, now, expected] of cases) {
    assert.is(await store.claimPeriodic("Orders.expire", HOUR, now), expected, `at +${now - T0}`);
  }
  assert.ok(await b.claimPeriodic("Orders.other", HOUR, T0 + HOUR), "tasks claim apart");
});

State("claimPeriodic: interval 0 always wins", async () => {
  const [a] = twoClients();
  assert.ok(await a.claimPeriodic("tick", 0, T0));
  assert.ok(await a.claimPeriodic("tick", 0, T0));
});

State("get and set; a missing key reads as undefined", async () => {
  const [a, b] = twoClients();
  assert.is(await a.get("iter:1"), undefined);

  await a.set("iter:1", '{"step":1}');
  assert.is(await b.get("iter:1"), '{"step":1}');
  await b.set("iter:1", "");
  assert.is(await a.get("iter:1"), "", "an empty string is a value");
});

State("compareAndSet: sets only over the expected value or absence", async () => {
  const [a, b] = twoClients();
  const cases: [RedisStateStore, string | undefined, string, boolean, string][] = [
    [a, undefined, "v1", true, "v1"],
    [b, undefined, "v2", false, "v1"],
    [b, "v0", "v2", false, "v1"],
    [b, "v1", "v2", true, "v2"],
    [a, "v1", "v3", false, "v2"],
    [a, "v2", "", true, ""],
    [b, undefined, "v4", false, ""],
    [b, "", "v4", true, "v4"],
  ];

  for (const [store, expected, value, changed, after] of cases) {
    const label = `${String(expected)} -> ${value}`;
    assert.is(await store.compareAndSet("run", expected, value), changed, label);
    assert.is(await a.get("run"), after, label);
  }
});

State("compareAndSet: of racing writers over one value, one wins", async () => {
  const [a, b] = twoClients();
  await a.set("step", "0");

  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).compareAndSet("step", "0", `w${i}`)),
  );
  const winner = results.indexOf(true);
  assert.is(results.filter(Boolean).length, 1);
  assert.is(await a.get("step"), `w${winner}`);
});

State("keys stay under the prefix", async () => {
  const [a] = twoClients();
  await a.set("k", "v");
  await a.claimPeriodic("t", HOUR, T0);

  const { client, close } = await openTestClient();
  const keys = await scanKeys(client, prefix);
  await close();
  assert.equal(keys.sort(), [`${prefix}:periodic`, `${prefix}:value:k`]);
});

State.run();
