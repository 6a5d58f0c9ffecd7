import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";

import { CaptureTransport } from "./helpers/capture-transport.js";

// Loaded as the dispatch table loads the app's modules: see runtime-core.test.ts.
const fixture = Promise.all([
  import("taskgen"),
  import("./fixtures/runtime-app/src/app.js"),
  import("./fixtures/runtime-app/src/generated/dispatch.js"),
]).then(([taskgen, app, dispatch]) => ({ ...taskgen, ...app, ...dispatch }));

const SECRET = "handler test secret, long enough";
const ADMIN = { id: "u1", role: "admin" };

let current: { stop(): Promise<void> } | undefined;
test.after.each(async () => {
  await current?.stop();
  current = undefined;
});

async function setup(
  withAuth = true,
  keys: { secret?: string; previousSecrets?: readonly string[] } = {},
) {
  const f = await fixture;
  f.log.length = 0;
  const transport = new CaptureTransport();
  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: { Mailer: new f.Mailer() },
    transport,
    secret: SECRET,
    ...keys,
    ...(withAuth && {
      authenticate: async (request) =>
        request.headers["authorization"] === "Bearer admin" ? ADMIN : undefined,
    }),
  });
  current = runtime;
  const web = f.createWebHandler(runtime);
  const call = (path: string, init?: RequestInit) => web(new Request(`http://app${path}`, init));
  return { ...f, transport, runtime, call };
}

/** A queued task's body and signature, as the embedded queue or Cloud Tasks would post them. */
async function queuedNotify(f: Awaited<ReturnType<typeof setup>>, user: unknown = "ana") {
  await f.runtime.enqueue("notify", [user as string]);
  const task = f.transport.queued.at(-1)!;
  return { body: task.body, signature: task.signature };
}

function post(body: string, signature: string, extra: Record<string, string> = {}): RequestInit {
  return { method: "POST", body, headers: { "x-taskgen-signature": signature, ...extra } };
}

test("a signed deferred task runs and answers 200; a forged one is refused with 403", async () => {
  const f = await setup();
  const { body, signature } = await queuedNotify(f);

  const ok = await f.call("/_tasks/deferred", post(body, signature));
  assert.is(ok.status, 200);
  assert.equal(f.log, ["notify ana x1"]);

  const forged = body.replace("ana", "eve");
  assert.is((await f.call("/_tasks/deferred", post(forged, signature))).status, 403);
  assert.is((await f.call("/_tasks/deferred", post(body, ""))).status, 403);
  assert.is((await f.call("/_tasks/deferred", { method: "POST", body })).status, 403);
  assert.equal(f.log, ["notify ana x1"], "nothing forged ran");
});

test("a failing task answers 500 so the queue retries; a permanent failure answers 200", async () => {
  const f = await setup();
  await f.runtime.enqueue("Mailer.flaky", []);
  await f.runtime.enqueue("Mailer.refuse", []);
  const [flaky, refuse] = f.transport.queued;

  const retry = await f.call("/_tasks/deferred", post(flaky!.body, flaky!.signature));
  assert.is(retry.status, 500);
  const done = await f.call("/_tasks/deferred", post(refuse!.body, refuse!.signature));
  assert.is(done.status, 200);
  assert.equal(((await done.json()) as { status: string }).status, "failed");

  // @retry(2) holds over HTTP too: the third attempt, as the queue's header counts it, is the last.
  const last = post(flaky!.body, flaky!.signature, { "x-cloudtasks-taskretrycount": "2" });
  assert.is((await f.call("/_tasks/deferred", last)).status, 200);
  await f.runtime.enqueue("Mailer.fragile", []);
  const fragile = f.transport.queued[2]!;
  const once = await f.call("/_tasks/deferred", post(fragile.body, fragile.signature));
  assert.is(once.status, 200, "@noRetry: the first failure is the last");
});

test("cron requests need a fresh signature (or App Engine's header when trusted)", async () => {
  const f = await setup();
  const headers = f.cronRequestHeaders("hourly", SECRET);

  const ok = await f.call("/_tasks/cron/hourly", { headers });
  assert.is(ok.status, 200);
  assert.ok(f.log.includes("hourly"));

  assert.is((await f.call("/_tasks/cron/hourly")).status, 403);
  const stale = f.cronRequestHeaders("hourly", SECRET, Date.now() - 10 * 60_000);
  assert.is((await f.call("/_tasks/cron/hourly", { headers: stale })).status, 403);
  const otherGroup = f.cronRequestHeaders("daily", SECRET);
  assert.is((await f.call("/_tasks/cron/hourly", { headers: otherGroup })).status, 403);
  const appEngine = { "x-appengine-cron": "true" };
  assert.is((await f.call("/_tasks/cron/hourly", { headers: appEngine })).status, 403);

  const unknown = await f.call("/_tasks/cron/nightly", {
    headers: f.cronRequestHeaders("nightly", SECRET),
  });
  assert.is(unknown.status, 200, "an unknown group is a logged permanent failure, not a retry");
  assert.is(((await unknown.json()) as { known: boolean }).known, false);
});

test("rotating the secret: what the previous key signed is accepted, nothing new is", async () => {
  const NEXT = "the next handler secret, also long";
  const oldTask = await queuedNotify(await setup());
  await current?.stop();

  const rotating = await setup(true, { secret: NEXT, previousSecrets: [SECRET] });
  assert.is(
    (await rotating.call("/_tasks/deferred", post(oldTask.body, oldTask.signature))).status,
    200,
  );
  // The same through a transport's worker (embedded, BullMQ), which skips HTTP.
  const delivery = { id: "1", route: "deferred", queue: "default", attempt: 0 } as const;
  assert.is((await rotating.runtime.deliver({ ...delivery, ...oldTask })).status, "done");
  const oldCron = { headers: rotating.cronRequestHeaders("hourly", SECRET) };
  assert.is((await rotating.call("/_tasks/cron/hourly", oldCron)).status, 200);
  const newTask = await queuedNotify(rotating, "bo");
  assert.equal(rotating.log, ["notify ana x1", "notify ana x1", "broken", "tick", "hourly"]);
  await current?.stop();

  // Once the old key is dropped, what it signed is refused; the new key's tasks run.
  const rotated = await setup(true, { secret: NEXT });
  assert.is(
    (await rotated.call("/_tasks/deferred", post(oldTask.body, oldTask.signature))).status,
    403,
  );
  assert.is((await rotated.call("/_tasks/cron/hourly", oldCron)).status, 403);
  assert.is(
    (await rotated.call("/_tasks/deferred", post(newTask.body, newTask.signature))).status,
    200,
  );
  assert.equal(rotated.log, ["notify bo x1"]);
  await current?.stop();

  // And the rotating runtime signed with the new key only: the old one alone refuses its task.
  const old = await setup(true);
  assert.is(
    (await old.call("/_tasks/deferred", post(newTask.body, newTask.signature))).status,
    403,
  );
});

test("list and execute: only for authenticated users canCall allows; 404 when unknown", async () => {
  const f = await setup();
  const admin = { authorization: "Bearer admin" };

  const listed = await f.call("/_tasks/list", { headers: admin });
  assert.equal(await listed.json(), [{ id: "Reindex", name: "Rebuild the index" }]);
  assert.is((await f.call("/_tasks/list")).status, 401);

  const run = (id: string, body: string, headers: Record<string, string> = admin) =>
    f.call(`/_tasks/execute/${id}`, { method: "POST", body, headers });
  assert.is((await run("Reindex", `{"full":true}`)).status, 200);
  assert.is((await run("Reindex", `{"full":"no"}`)).status, 400);
  assert.is((await run("Reindex", `not json`)).status, 400);
  assert.is((await run("Nope", `{}`)).status, 404);
  assert.is((await run("Reindex", `{"full":true}`, {})).status, 401);
  assert.equal(f.log, ["reindex true"]);
});

test("with no authentication hook, nobody may list or run callable tasks", async () => {
  const f = await setup(false);
  assert.is((await f.call("/_tasks/list")).status, 403);
  const run = await f.call("/_tasks/execute/Reindex", { method: "POST", body: `{"full":true}` });
  assert.is(run.status, 403);
  assert.equal(f.log, []);
});

test("the Node http handler answers the same over a real socket", async () => {
  const f = await setup();
  const { body, signature } = await queuedNotify(f, "bo");
  const handler = f.createNodeHandler(f.runtime);
  const server = http.createServer((req, res) => {
    void handler(req, res, () => {
      res.writeHead(418).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    const ok = await fetch(`${base}/_tasks/deferred`, post(body, signature));
    assert.is(ok.status, 200);
    assert.is((await fetch(`${base}/_tasks/deferred`, post(body + " ", signature))).status, 403);
    assert.is((await fetch(`${base}/elsewhere`)).status, 418, "other paths go to the app");
    const huge = "x".repeat(2 * 1024 * 1024);
    assert.is((await fetch(`${base}/_tasks/deferred`, post(huge, signature))).status, 413);
    assert.equal(f.log, ["notify bo x1"]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("10,000 random and mutated requests: no crash, the right status, no task with bad arguments", async () => {
  const f = await setup();
  const { body, signature } = await queuedNotify(f, "zoe");
  const random = mulberry32(7);
  const statuses = new Map<number, number>();
  let validRuns = 0;

  for (let i = 0; i < 10_000; i++) {
    const { request, expect } = mutatedRequest(body, signature, random, f.signTaskBody);
    const response = await f.call("/_tasks/deferred", request);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    assert.ok(expect.includes(response.status), `case ${i}: ${response.status} not in ${expect}`);
    if (expect.length === 1 && expect[0] === 200 && response.status === 200) validRuns++;
  }

  // Every run recorded a string user: the only argument type `notify` accepts.
  assert.ok(f.log.every((line) => /^notify .* x\d+$/.test(line)));
  assert.ok(validRuns > 0 && statuses.get(403)! > 0, JSON.stringify([...statuses]));
});

/**
 * One fuzz case: the real body flipped, cut or replaced, with the real signature, a wrong one
 * or none (403); or a body signed with the right key but broken or ill-typed inside (200,
 * refused without running, or run when still valid).
 */
function mutatedRequest(
  body: string,
  signature: string,
  random: () => number,
  sign: (body: string, secret: string) => string,
): { request: RequestInit; expect: number[] } {
  const pick = Math.floor(random() * 6);
  const at = Math.floor(random() * body.length);
  const mutated =
    pick === 0
      ? body.slice(0, at) + String.fromCharCode(32 + Math.floor(random() * 95)) + body.slice(at + 1)
      : pick === 1
        ? body.slice(0, at)
        : pick === 2
          ? randomText(random)
          : pick === 3
            ? body.replace(`"zoe"`, String(Math.floor(random() * 1000)))
            : pick === 4
              ? body.replace(`"task":"notify"`, `"task":"${randomText(random).slice(0, 8)}"`)
              : body;

  const signed = random() < 0.5;
  if (!signed) {
    const forged =
      random() < 0.5 ? signature.slice(1) + "A" : sign(mutated, "not the secret key!!");
    return { request: post(mutated, forged), expect: [403] };
  }
  // Signed with the right key: decoding and validation stand between the body and the task.
  return { request: post(mutated, sign(mutated, SECRET)), expect: [200] };
}

function randomText(random: () => number): string {
  const length = Math.floor(random() * 40);
  let text = "";
  for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(random() * 0x2500));
  return text;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test.run();
