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

const HOUR = 3600_000;

let harness: EmulatorHarness | undefined;
test.after.each(async () => {
  await harness?.close();
  harness = undefined;
});

async function setup(options: Parameters<typeof emulatorHarness>[0] = {}) {
  harness = await emulatorHarness(options);
  return harness;
}

/** An App Engine task for later, so that it stays in the queue. */
function laterTask(name?: string, body = "payload") {
  return {
    ...(name ? { name: `${QUEUE}/tasks/${name}` } : {}),
    appEngineHttpRequest: { relativeUri: "/_tasks/deferred", body: Buffer.from(body) },
    scheduleTime: timestamp(Date.now() + HOUR),
  };
}

test("CreateTask, GetTask, ListTasks and DeleteTask", async () => {
  const { client } = await setup();

  const [named] = await client.createTask({ parent: QUEUE, task: laterTask("mail-1") });
  const [generated] = await client.createTask({ parent: QUEUE, task: laterTask() });
  assert.is(named.name, `${QUEUE}/tasks/mail-1`);
  assert.match(generated.name ?? "", new RegExp(`^${QUEUE}/tasks/\\d+$`));
  assert.is(named.view, "BASIC");
  assert.is(named.appEngineHttpRequest?.httpMethod, "POST", "POST is the default method");

  const [basic] = await client.getTask({ name: nameOf(named) });
  assert.is(basic.appEngineHttpRequest?.body?.length ?? 0, 0, "BASIC leaves the body out");
  const [full] = await client.getTask({ name: nameOf(named), responseView: "FULL" });
  assert.is(Buffer.from(full.appEngineHttpRequest?.body ?? "").toString(), "payload");
  assert.is(full.dispatchCount, 0);

  const [listed] = await client.listTasks({ parent: QUEUE });
  assert.equal(listed.map((task) => task.name).sort(), [named.name, generated.name].sort());

  await client.deleteTask({ name: nameOf(named) });
  assert.is(await rpcCode(client.getTask({ name: nameOf(named) })), status.NOT_FOUND);
  assert.is(await rpcCode(client.deleteTask({ name: nameOf(named) })), status.NOT_FOUND);
  const [left] = await client.listTasks({ parent: QUEUE });
  assert.equal(
    left.map((task) => task.name),
    [generated.name],
  );
});

test("ListTasks pages through a queue", async () => {
  const { client } = await setup();
  for (let i = 0; i < 5; i++) await client.createTask({ parent: QUEUE, task: laterTask(`t${i}`) });

  const [first, , response] = await client.listTasks(
    { parent: QUEUE, pageSize: 2 },
    { autoPaginate: false },
  );
  assert.is(first.length, 2);
  assert.ok(response?.nextPageToken, "a token for the next page");
  const names: string[] = [];
  const pages = client.listTasksAsync({ parent: QUEUE, pageSize: 2 }, { autoPaginate: false });
  for await (const task of pages) {
    names.push(task.name ?? "");
  }
  assert.is(names.length, 5, "the client follows the tokens");
});

test("a task name in use is refused with ALREADY_EXISTS: queued, deleted, or run", async () => {
  const { client, app } = await setup();
  const create = (task: object) => rpcCode(client.createTask({ parent: QUEUE, task }));

  assert.is(await create(laterTask("once")), undefined);
  assert.is(await create(laterTask("once")), status.ALREADY_EXISTS, "while queued");
  await client.deleteTask({ name: `${QUEUE}/tasks/once` });
  assert.is(await create(laterTask("once")), status.ALREADY_EXISTS, "after deletion");

  const now = { name: `${QUEUE}/tasks/ran`, appEngineHttpRequest: { relativeUri: "/run" } };
  assert.is(await create(now), undefined);
  await waitFor(() => app.requests.length === 1, 2000, "the task to run");
  await sleep(20);
  assert.is(await create(now), status.ALREADY_EXISTS, "after it ran");
});

test("a task name is free again after the dedup window", async () => {
  const { client } = await setup({ dedupWindowSeconds: 0.2 });
  const create = () => rpcCode(client.createTask({ parent: QUEUE, task: laterTask("again") }));

  assert.is(await create(), undefined);
  await client.deleteTask({ name: `${QUEUE}/tasks/again` });
  assert.is(await create(), status.ALREADY_EXISTS);
  await sleep(250);
  assert.is(await create(), undefined);
});

test("a task for a missing queue: NOT_FOUND, or the queue is made with autoCreateQueues", async () => {
  const other = `${LOCATION}/queues/mail`;
  const { client } = await setup();
  assert.is(
    await rpcCode(client.createTask({ parent: other, task: laterTask() })),
    status.NOT_FOUND,
  );
  await harness?.close();

  const auto = await setup({ autoCreateQueues: true });
  await auto.client.createTask({ parent: other, task: laterTask() });
  const [queue] = await auto.client.getQueue({ name: other });
  assert.is(queue.state, "RUNNING");
});

const INVALID: [string, object][] = [
  ["a malformed parent", { parent: "queues/default", task: laterTask() }],
  [
    "a task named in another queue",
    { parent: QUEUE, task: { ...laterTask(), name: `${LOCATION}/queues/q/tasks/x` } },
  ],
  ["a task id with a dot", { parent: QUEUE, task: laterTask("a.b") }],
  ["no target", { parent: QUEUE, task: { scheduleTime: timestamp(Date.now() + HOUR) } }],
  [
    "a GET with a body",
    {
      parent: QUEUE,
      task: {
        appEngineHttpRequest: { httpMethod: "GET", relativeUri: "/x", body: Buffer.from("b") },
      },
    },
  ],
  [
    "a relative URI without a slash",
    { parent: QUEUE, task: { appEngineHttpRequest: { relativeUri: "x" } } },
  ],
  [
    "an HTTP task without an http(s) URL",
    { parent: QUEUE, task: { httpRequest: { url: "ftp://host/x" } } },
  ],
  [
    "an OIDC token without an account",
    { parent: QUEUE, task: { httpRequest: { url: "http://h/x", oidcToken: { audience: "a" } } } },
  ],
  [
    "a schedule more than 30 days ahead",
    {
      parent: QUEUE,
      task: { ...laterTask(), scheduleTime: timestamp(Date.now() + 31 * 24 * HOUR) },
    },
  ],
  [
    "a dispatch deadline under 15 s",
    { parent: QUEUE, task: { ...laterTask(), dispatchDeadline: { seconds: 5 } } },
  ],
];

test("malformed requests are refused with INVALID_ARGUMENT", async () => {
  const { client } = await setup();
  for (const [what, request] of INVALID) {
    assert.is(await rpcCode(client.createTask(request)), status.INVALID_ARGUMENT, what);
  }
  assert.is(await rpcCode(client.getTask({ name: "tasks/x" })), status.INVALID_ARGUMENT);
});

test("queues: create, get, list, update, pause, resume, purge and delete", async () => {
  const { client } = await setup();
  const name = `${LOCATION}/queues/reports`;

  const [created] = await client.createQueue({ parent: LOCATION, queue: { name } });
  assert.is(created.state, "RUNNING");
  assert.is(created.retryConfig?.maxAttempts, 100, "Cloud Tasks' default retry config");
  assert.is(
    await rpcCode(client.createQueue({ parent: LOCATION, queue: { name } })),
    status.ALREADY_EXISTS,
  );
  const [listed] = await client.listQueues({ parent: LOCATION });
  assert.equal(
    listed.map((queue) => queue.name),
    [QUEUE, name],
  );

  const [updated] = await client.updateQueue({
    queue: { name, retryConfig: { maxAttempts: 5, minBackoff: { seconds: 2 } } },
    updateMask: { paths: ["retry_config.max_attempts"] },
  });
  assert.is(updated.retryConfig?.maxAttempts, 5);
  assert.is(Number(updated.retryConfig?.minBackoff?.nanos), 100_000_000, "not in the mask");

  const [paused] = await client.pauseQueue({ name });
  assert.is(paused.state, "PAUSED");
  const [onlyPaused] = await client.listQueues({ parent: LOCATION, filter: "state: PAUSED" });
  assert.equal(
    onlyPaused.map((queue) => queue.name),
    [name],
  );
  assert.is((await client.resumeQueue({ name }))[0].state, "RUNNING");

  await client.createTask({ parent: name, task: laterTask() });
  const [purged] = await client.purgeQueue({ name });
  assert.ok(purged.purgeTime, "the purge time is reported");
  assert.is((await client.listTasks({ parent: name }))[0].length, 0);

  await client.deleteQueue({ name });
  assert.is(await rpcCode(client.getQueue({ name })), status.NOT_FOUND);
  assert.is(await rpcCode(client.pauseQueue({ name })), status.NOT_FOUND);
  assert.is(
    await rpcCode(client.updateQueue({ queue: { name, retryConfig: { maxAttempts: -2 } } })),
    status.INVALID_ARGUMENT,
  );
});

test.run();
