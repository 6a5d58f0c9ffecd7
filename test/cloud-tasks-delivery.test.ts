import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { test } from "uvu";
import * as assert from "uvu/assert";

import { cloudTasksTransport, type CloudTasksTarget } from "../runtime/cloud-tasks/index.js";
import type { HandlerOptions } from "../runtime/handler/handle-task-request.js";
import {
  deliverCloudTasks,
  FakeCloudTasksClient,
  type SimulatedAttempt,
} from "./helpers/cloud-tasks-fake-client.js";
import { AUDIENCE, SERVICE_ACCOUNT, tokenSigner } from "./helpers/cloud-tasks-oidc.js";
import { runtimeFixture, SECRET } from "./helpers/runtime-fixture.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAX_ATTEMPTS = 5;

let current: { stop(): Promise<void> } | undefined;
test.after.each(async () => {
  await current?.stop();
  current = undefined;
});

/** The fixture app on the Cloud Tasks transport with a fake client, and its task handler. */
async function setup(target: CloudTasksTarget, handlerOptions: HandlerOptions) {
  const f = await runtimeFixture;
  f.log.length = 0;
  const client = new FakeCloudTasksClient();
  const transport = cloudTasksTransport({
    target,
    project: "demo-project",
    location: "europe-west1",
    queueNames: { mail: "prod-mail" },
    client,
  });
  const mailer = new f.Mailer();
  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: { Mailer: mailer },
    transport,
    secret: SECRET,
  });
  current = runtime;
  await runtime.start();
  return { ...f, client, mailer, runtime, web: f.createWebHandler(runtime, handlerOptions) };
}

/** Statuses of the attempts of the task whose body names `task`. */
function statusesOf(attempts: readonly SimulatedAttempt[], task: string): number[] {
  const sent = (attempt: SimulatedAttempt) => {
    const request = attempt.request.task.appEngineHttpRequest ?? attempt.request.task.httpRequest!;
    return Buffer.from(request.body).toString("utf8");
  };
  return attempts.filter((a) => sent(a).includes(`"task":"${task}"`)).map((a) => a.status);
}

test("App Engine target end to end: queues, versions, and each task's own retry limit", async () => {
  const f = await setup(
    { kind: "appEngine", service: "worker", version: "v1" },
    { trustAppEngineTasks: { sourceAddresses: ["0.1.0.2"] } },
  );
  await f.mailer.send("ana@example.com", new Date("2026-01-02T03:04:05Z"), 3n);
  await f.mailer.preview(1);
  await f.mailer.chain(1);
  await f.mailer.flaky();
  await f.mailer.fragile();

  const attempts = await deliverCloudTasks(f.client, f.web, { maxAttempts: MAX_ATTEMPTS });

  assert.equal(
    f.log.filter((line) => line !== "cold"),
    [
      "warm",
      "send ana@example.com 2026-01-02T03:04:05.000Z 3",
      "preview 1",
      "chain 1",
      ...["flaky", "flaky", "flaky"],
      "fragile",
      "chain 0",
    ],
  );
  assert.equal(statusesOf(attempts, "Mailer.flaky"), [500, 500, 200], "@retry(2): three runs");
  assert.equal(statusesOf(attempts, "Mailer.fragile"), [200], "@noRetry: one run");
  assert.equal(
    statusesOf(attempts, "Mailer.coldStart"),
    Array(MAX_ATTEMPTS).fill(500),
    "no limit of its own: the queue's maxAttempts ends it",
  );

  const routing = (task: string) =>
    attempts.find((a) => statusesOf([a], task).length > 0)!.request.task.appEngineHttpRequest!
      .appEngineRouting;
  assert.equal(routing("Mailer.preview"), { service: "worker", version: "beta" });
  assert.equal(routing("Mailer.chain"), { service: "worker", version: "v1" });
  const send = attempts.find((a) => statusesOf([a], "Mailer.send").length > 0)!;
  assert.ok(send.request.parent.endsWith("/queues/prod-mail"));
});

test("HTTP target end to end: delivered with an OIDC token the handler checks", async () => {
  const signer = tokenSigner();
  const oidc = {
    audience: AUDIENCE,
    serviceAccountEmail: SERVICE_ACCOUNT,
    certificates: signer.keys,
  };
  const f = await setup(
    { kind: "http", url: `${AUDIENCE}/`, serviceAccountEmail: SERVICE_ACCOUNT },
    { oidc },
  );
  await f.mailer.chain(1);
  const http = f.client.requests.at(-1)!.task.httpRequest!;
  assert.equal(http.oidcToken, { serviceAccountEmail: SERVICE_ACCOUNT, audience: AUDIENCE });

  const attempts = await deliverCloudTasks(f.client, f.web, {
    maxAttempts: MAX_ATTEMPTS,
    token: () =>
      signer.token({ aud: http.oidcToken.audience, email: http.oidcToken.serviceAccountEmail }),
  });
  assert.ok(f.log.includes("chain 1") && f.log.includes("chain 0") && f.log.includes("warm"));
  assert.equal(statusesOf(attempts, "Mailer.chain"), [200, 200]);

  f.log.length = 0;
  await f.mailer.chain(0);
  const unsigned = await deliverCloudTasks(f.client, f.web, { maxAttempts: 1 });
  assert.ok(
    unsigned.every((attempt) => attempt.status === 403),
    "no token, no run",
  );
  assert.equal(f.log, []);
});

test("no client library and no network at import, at start, or in a handler without oidc", () => {
  const script = `
    import net from "node:net";
    import { createRequire } from "node:module";
    const calls = [];
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (...args) { calls.push("connect"); return connect.apply(this, args); };
    globalThis.fetch = async () => { calls.push("fetch"); throw new Error("no network"); };
    const loaded = () => Object.keys(createRequire(import.meta.url).cache)
      .filter((file) => /google-auth-library|google-gax|@google-cloud/.test(file)).length;

    const { cloudTasksTransport } = await import(${JSON.stringify(source("runtime/cloud-tasks/index.ts"))});
    const configured = cloudTasksTransport({ target: { kind: "appEngine" },
      env: { GOOGLE_CLOUD_PROJECT: "p", CLOUD_TASKS_LOCATION: "europe-west1" } });
    await configured.start(async () => ({ status: "done" }));
    await configured.stop();
    let missing;
    await cloudTasksTransport({ target: { kind: "appEngine" }, env: {} }).start().catch((e) => { missing = e.name; });

    const taskgen = await import("taskgen");
    const transport = { enqueue: async () => ({ queued: true, id: "" }), start: async () => {}, stop: async () => {} };
    const runtime = taskgen.createRuntime({ table: {}, instances: {}, transport, secret: "a secret long enough" });
    const request = (options, headers = {}) => taskgen.handleTaskRequest(runtime, { method: "POST",
      path: "/_tasks/deferred", headers, body: async () => "{}" }, options);
    const plain = (await request({})).status;
    const oidc = { audience: "a", serviceAccountEmail: "s@x", certificates: {} };
    const noToken = (await request({ oidc })).status;
    const beforeOidc = loaded();
    const withOidc = (await request({ oidc }, { authorization: "Bearer a.b.c" })).status;
    console.log(JSON.stringify({ calls, missing, plain, noToken, beforeOidc, withOidc, afterOidc: loaded() }));
  `;
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      cwd: REPO,
      encoding: "utf8",
    },
  );
  assert.is(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!);

  assert.equal(result.calls, [], "nothing reached the network");
  assert.is(result.missing, "CloudTasksConfigError");
  assert.is(result.plain, 403);
  assert.is(result.noToken, 403);
  assert.is(result.beforeOidc, 0, "neither @google-cloud/tasks nor google-auth-library loaded");
  assert.is(result.withOidc, 403);
  assert.ok(result.afterOidc > 0, "google-auth-library is loaded once oidc is used");
});

function source(relative: string): string {
  return pathToFileURL(path.join(REPO, relative)).href;
}

test.run();
