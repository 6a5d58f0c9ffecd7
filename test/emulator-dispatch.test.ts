import { verify } from "node:crypto";

import { status } from "@grpc/grpc-js";
import { test } from "uvu";
import * as assert from "uvu/assert";

import { sleep, waitFor } from "./helpers/embedded-helpers.js";
import {
  emulatorHarness,
  nameOf,
  LOCATION,
  QUEUE,
  rpcCode,
  timestamp,
  type EmulatorHarness,
} from "./helpers/emulator-harness.js";

let harness: EmulatorHarness | undefined;
test.after.each(async () => {
  await harness?.close();
  harness = undefined;
});

async function setup(options: Parameters<typeof emulatorHarness>[0] = {}) {
  harness = await emulatorHarness(options);
  return harness;
}

/** A queue that retries quickly: 50 ms, then 100 ms apart. */
async function fastRetryQueue(h: EmulatorHarness, id: string, maxAttempts = 10) {
  const name = `${LOCATION}/queues/${id}`;
  await h.client.createQueue({
    parent: LOCATION,
    queue: {
      name,
      retryConfig: {
        maxAttempts,
        minBackoff: { nanos: 50_000_000 },
        maxBackoff: { nanos: 100_000_000 },
      },
    },
  });
  return name;
}

test("an App Engine task goes to the target with its request and App Engine's headers", async () => {
  const h = await setup();
  const [task] = await h.client.createTask({
    parent: QUEUE,
    task: {
      name: `${QUEUE}/tasks/mail-7`,
      appEngineHttpRequest: {
        httpMethod: "PUT",
        relativeUri: "/_tasks/deferred?x=1",
        headers: { "X-Taskgen-Signature": "sig", "X-AppEngine-Forged": "1", Host: "evil" },
        body: Buffer.from('{"hello":1}'),
      },
    },
  });

  await waitFor(() => h.app.requests.length === 1, 2000, "the task");
  const [request] = h.app.requests;
  assert.is(request?.method, "PUT");
  assert.is(request?.url, "/_tasks/deferred?x=1");
  assert.is(request?.body, '{"hello":1}');

  const headers = request?.headers ?? {};
  assert.is(headers["x-taskgen-signature"], "sig", "the task's own headers are sent");
  assert.is(headers["x-appengine-forged"], undefined, "X-AppEngine-* cannot be set by a task");
  assert.ok(headers["host"]?.startsWith("127.0.0.1:"), "Host comes from the target");
  assert.is(headers["x-appengine-queuename"], "default");
  assert.is(headers["x-appengine-taskname"], "mail-7");
  assert.is(headers["x-appengine-taskretrycount"], "0");
  assert.is(headers["x-appengine-taskexecutioncount"], "0");
  const eta = Number(headers["x-appengine-tasketa"]);
  const scheduled = Number(task.scheduleTime?.seconds) + (task.scheduleTime?.nanos ?? 0) / 1e9;
  assert.ok(Math.abs(eta - scheduled) < 0.001, `ETA ${eta} is the schedule time ${scheduled}`);
  assert.is(headers["x-appengine-user-ip"], "0.1.0.2");
  assert.is(headers["content-type"], "application/octet-stream");
  assert.match(headers["user-agent"] ?? "", /AppEngine-Google/);
  assert.is(headers["x-cloudtasks-taskname"], undefined, "App Engine targets get no X-CloudTasks");

  await sleep(20);
  assert.is(await rpcCode(h.client.getTask({ name: nameOf(task) })), status.NOT_FOUND, "2xx: done");
});

test("an HTTP task goes to its url with Cloud Tasks' headers and a verifiable OIDC token", async () => {
  const h = await setup();
  await h.client.createTask({
    parent: QUEUE,
    task: {
      httpRequest: {
        url: `${h.app.url}/_tasks/queryIter`,
        headers: { "Content-Type": "application/json", Authorization: "Bearer forged" },
        body: Buffer.from("{}"),
        oidcToken: { serviceAccountEmail: "tasks@demo.iam.gserviceaccount.com", audience: "aud" },
      },
    },
  });

  await waitFor(() => h.app.requests.length === 1, 2000, "the task");
  const headers = h.app.requests[0]?.headers ?? {};
  assert.is(h.app.requests[0]?.method, "POST");
  assert.is(headers["x-cloudtasks-queuename"], "default");
  assert.match(headers["x-cloudtasks-taskname"] ?? "", /^\d+$/);
  assert.is(headers["x-cloudtasks-taskretrycount"], "0");
  assert.is(headers["x-cloudtasks-taskexecutioncount"], "0");
  assert.ok(Number(headers["x-cloudtasks-tasketa"]) > 0);
  assert.is(headers["x-appengine-queuename"], undefined);
  assert.is(headers["user-agent"], "Google-Cloud-Tasks");
  assert.is(headers["content-type"], "application/json");

  const token = /^Bearer (.+)$/.exec(headers["authorization"] ?? "")?.[1] ?? "";
  const [header = "", payload = "", signature = ""] = token.split(".");
  const { kid } = JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string };
  const key = h.emulator.oidcKeys[kid] ?? "";
  const signed = Buffer.from(`${header}.${payload}`);
  assert.ok(verify("RSA-SHA256", signed, key, Buffer.from(signature, "base64url")), "signed");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<
    string,
    unknown
  >;
  assert.is(claims["aud"], "aud");
  assert.is(claims["email"], "tasks@demo.iam.gserviceaccount.com");
  assert.is(claims["email_verified"], true);
  assert.is(claims["iss"], "https://accounts.google.com");
});

test("a task is not sent before its schedule time", async () => {
  const h = await setup();
  const due = Date.now() + 400;
  await h.client.createTask({
    parent: QUEUE,
    task: { appEngineHttpRequest: { relativeUri: "/later" }, scheduleTime: timestamp(due) },
  });

  await sleep(200);
  assert.is(h.app.requests.length, 0, "not yet");
  await waitFor(() => h.app.requests.length === 1, 2000, "the task");
  assert.ok((h.app.requests[0]?.at ?? 0) >= due, "sent at or after its schedule time");
  assert.is(Number(h.app.requests[0]?.headers["x-appengine-tasketa"]), due / 1000);
});

test("a failed attempt is retried by the queue's retry config, counting retries", async () => {
  const h = await setup();
  const queue = await fastRetryQueue(h, "flaky");
  h.app.respond = () => (h.app.requests.length < 3 ? 500 : 204);
  const [task] = await h.client.createTask({
    parent: queue,
    task: { name: `${queue}/tasks/flaky-1`, appEngineHttpRequest: { relativeUri: "/flaky" } },
  });

  await waitFor(() => h.app.requests.length === 3, 3000, "three attempts");
  const header = (name: string) => h.app.requests.map((request) => request.headers[name]);
  assert.equal(header("x-appengine-taskretrycount"), ["0", "1", "2"]);
  assert.equal(header("x-appengine-taskexecutioncount"), ["0", "1", "2"]);
  assert.equal(header("x-appengine-taskpreviousresponse"), [undefined, "500", "500"]);
  const [first, second, third] = h.app.requests.map((request) => request.at);
  assert.ok((second ?? 0) - (first ?? 0) >= 45, "min backoff before the first retry");
  assert.ok((third ?? 0) - (second ?? 0) >= 95, "doubled before the second");

  await sleep(20);
  assert.is(await rpcCode(h.client.getTask({ name: nameOf(task) })), status.NOT_FOUND);
});

test("a task is dropped once the queue allows no more attempts", async () => {
  const h = await setup();
  const queue = await fastRetryQueue(h, "doomed", 2);
  h.app.respond = () => 500;
  const [task] = await h.client.createTask({
    parent: queue,
    task: { httpRequest: { url: `${h.app.url}/doomed` } },
  });

  await waitFor(() => h.app.requests.length === 2, 2000, "two attempts");
  const [seen] = await h.client.getTask({ name: nameOf(task) }).catch(() => [undefined]);
  assert.ok(!seen || seen.dispatchCount === 2);
  await sleep(300);
  assert.is(h.app.requests.length, 2, "no third attempt");
  assert.is(await rpcCode(h.client.getTask({ name: nameOf(task) })), status.NOT_FOUND);
  assert.equal(
    h.app.requests.map((request) => request.headers["x-cloudtasks-taskexecutioncount"]),
    ["0", "0"],
    "5xx answers are no executions for HTTP targets",
  );
});

test("a paused queue keeps its tasks until resumed; RunTask sends one at once", async () => {
  const h = await setup();
  await h.client.pauseQueue({ name: QUEUE });
  await h.client.createTask({
    parent: QUEUE,
    task: { appEngineHttpRequest: { relativeUri: "/a" } },
  });
  const [later] = await h.client.createTask({
    parent: QUEUE,
    task: {
      appEngineHttpRequest: { relativeUri: "/b" },
      scheduleTime: timestamp(Date.now() + 3600_000),
    },
  });

  await sleep(150);
  assert.is(h.app.requests.length, 0, "paused");
  const [run] = await h.client.runTask({ name: nameOf(later) });
  assert.is(run.dispatchCount, 1);
  await waitFor(() => h.app.requests.length === 1, 2000, "the run task");
  assert.is(h.app.requests[0]?.url, "/b");

  await h.client.resumeQueue({ name: QUEUE });
  await waitFor(() => h.app.requests.length === 2, 2000, "the queued task");
  assert.is(h.app.requests[1]?.url, "/a");
});

test.run();
