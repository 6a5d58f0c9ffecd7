import { test } from "uvu";
import * as assert from "uvu/assert";

import {
  cloudTaskId,
  cloudTasksTransport,
  CloudTasksConfigError,
  CloudTasksError,
  type CloudTasksTransportOptions,
  type CreateCloudTaskRequest,
} from "../runtime/cloud-tasks/index.js";
import type { QueuedTask, Transport } from "../runtime/transport.js";
import { FakeCloudTasksClient, grpcError } from "./helpers/cloud-tasks-fake-client.js";

const BODY = `{"v":1,"task":"notify","payload":["ana"]}`;
const PARENT = "projects/demo-project/locations/europe-west1/queues";
const SIGNATURE_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "X-Taskgen-Signature": "signature-of-the-body",
};

function queued(overrides: Partial<QueuedTask> = {}): QueuedTask {
  return {
    route: "deferred",
    body: BODY,
    signature: "signature-of-the-body",
    queue: "default",
    ...overrides,
  };
}

/** The transport as the runtime sees it, with a fake client. */
function setup(options: Partial<CloudTasksTransportOptions> = {}) {
  const client = new FakeCloudTasksClient();
  const transport: Transport = cloudTasksTransport({
    target: { kind: "appEngine" },
    project: "demo-project",
    location: "europe-west1",
    client,
    env: {},
    ...options,
  });
  return { client, transport };
}

/** The request with its body as text, for comparing. */
function readable(request: CreateCloudTaskRequest | undefined) {
  const { appEngineHttpRequest: appEngine, httpRequest: http, ...task } = request!.task;
  const text = (body: Uint8Array) => Buffer.from(body).toString("utf8");
  return {
    parent: request!.parent,
    task: {
      ...task,
      ...(appEngine && { appEngineHttpRequest: { ...appEngine, body: text(appEngine.body) } }),
      ...(http && { httpRequest: { ...http, body: text(http.body) } }),
    },
  };
}

const APP_ENGINE_CASES: readonly [
  what: string,
  target: CloudTasksTransportOptions["target"],
  task: Partial<QueuedTask>,
  relativeUri: string,
  routing: { service?: string; version?: string } | undefined,
][] = [
  ["no routing", { kind: "appEngine" }, {}, "/_tasks/deferred", undefined],
  [
    "a query iterator step",
    { kind: "appEngine" },
    { route: "queryIter" },
    "/_tasks/queryIter",
    undefined,
  ],
  [
    "the configured service and version",
    { kind: "appEngine", service: "worker", version: "v7" },
    {},
    "/_tasks/deferred",
    { service: "worker", version: "v7" },
  ],
  [
    "the task's version wins",
    { kind: "appEngine", service: "worker", version: "v7" },
    { targetVersion: "beta" },
    "/_tasks/deferred",
    { service: "worker", version: "beta" },
  ],
  [
    "the task's version without a configured one",
    { kind: "appEngine", version: undefined },
    { targetVersion: "beta" },
    "/_tasks/deferred",
    { version: "beta" },
  ],
];

for (const [what, target, task, relativeUri, routing] of APP_ENGINE_CASES) {
  test(`App Engine target: ${what}`, async () => {
    const { client, transport } = setup({ target });
    const result = await transport.enqueue(queued(task));

    assert.equal(readable(client.requests[0]), {
      parent: `${PARENT}/default`,
      task: {
        appEngineHttpRequest: {
          httpMethod: "POST",
          relativeUri,
          ...(routing && { appEngineRouting: routing }),
          headers: SIGNATURE_HEADERS,
          body: BODY,
        },
      },
    });
    assert.equal(result, { queued: true, id: `${PARENT}/default/tasks/1` });
  });
}

test("HTTP target: the full URL, the body, the signature and an OIDC token", async () => {
  const { client, transport } = setup({
    target: {
      kind: "http",
      url: "https://worker-abc-ew.a.run.app/",
      serviceAccountEmail: "tasks@demo-project.iam.gserviceaccount.com",
    },
  });
  await transport.enqueue(queued({ route: "queryIter", targetVersion: "ignored" }));

  assert.equal(readable(client.requests[0]), {
    parent: `${PARENT}/default`,
    task: {
      httpRequest: {
        httpMethod: "POST",
        url: "https://worker-abc-ew.a.run.app/_tasks/queryIter",
        headers: SIGNATURE_HEADERS,
        body: BODY,
        oidcToken: {
          serviceAccountEmail: "tasks@demo-project.iam.gserviceaccount.com",
          audience: "https://worker-abc-ew.a.run.app",
        },
      },
    },
  });
});

test("HTTP target: a base path of the app's, and an audience of its own", async () => {
  const { client, transport } = setup({
    basePath: "/internal/tasks/",
    target: {
      kind: "http",
      url: "https://api.example.com/v2",
      serviceAccountEmail: "tasks@demo-project.iam.gserviceaccount.com",
      audience: "tasks-audience",
    },
  });
  await transport.enqueue(queued());

  const http = client.requests[0]!.task.httpRequest!;
  assert.is(http.url, "https://api.example.com/v2/internal/tasks/deferred");
  assert.is(http.oidcToken.audience, "tasks-audience");
});

test("a dedup name is a task name in the task's queue; a second one is a duplicate", async () => {
  const { client, transport } = setup();
  const first = await transport.enqueue(queued({ name: "confirm/42" }));
  const again = await transport.enqueue(queued({ name: "confirm/42" }));
  const otherQueue = await transport.enqueue(queued({ name: "confirm/42", queue: "mail" }));
  const unnamed = [await transport.enqueue(queued()), await transport.enqueue(queued())];

  const name = `${PARENT}/default/tasks/${cloudTaskId("confirm/42")}`;
  assert.equal(first, { queued: true, id: name });
  assert.equal(again, { queued: false, reason: "duplicate" });
  assert.ok(otherQueue.queued, "Cloud Tasks names are per queue");
  assert.ok(unnamed.every((result) => result.queued));
  assert.is(client.requests[0]!.task.name, name);
  assert.is(client.requests.length, 4);
});

test("cloudTaskId: allowed characters, deterministic, distinct, at most 500", () => {
  const names = ["confirm/42", "confirm:42", "confirm.42", "iter-r1-0", "iter-r1-1", "", "ß∂", "x"];
  const long = "n".repeat(600);
  const ids = [...names, long, long + "!"].map(cloudTaskId);

  for (const id of ids) assert.ok(/^[A-Za-z0-9_-]{1,500}$/.test(id), id);
  assert.is(new Set(ids).size, ids.length, "names differing in replaced characters stay apart");
  assert.is(cloudTaskId("confirm/42"), cloudTaskId("confirm/42"));
  assert.ok(cloudTaskId("confirm/42").endsWith("-confirm_42"), "the name stays readable");
  assert.is(cloudTaskId(long).length, 500);
  assert.not.equal(
    cloudTaskId("iter-r1-0").slice(0, 4),
    cloudTaskId("iter-r1-1").slice(0, 4),
    "steps of one run do not share a prefix",
  );
});

test("the schedule time comes from notBefore, to the microsecond", async () => {
  const { client, transport } = setup();
  await transport.enqueue(queued({ notBefore: 1_767_225_600_123.4567 }));
  await transport.enqueue(queued({ notBefore: 1_767_225_600_000 }));
  await transport.enqueue(queued());

  const times = client.requests.map((request) => request.task.scheduleTime);
  assert.equal(times, [
    { seconds: 1_767_225_600, nanos: 123_457_000 },
    { seconds: 1_767_225_600, nanos: 0 },
    undefined,
  ]);
});

test("each task goes to its queue, mapped through queueNames", async () => {
  const { client, transport } = setup({ queueNames: { mail: "prod-mail", default: "prod" } });
  await transport.enqueue(queued({ queue: "mail" }));
  await transport.enqueue(queued({ queue: "default" }));
  await transport.enqueue(queued({ queue: "reports-2" }));

  assert.equal(
    client.requests.map((request) => request.parent),
    [`${PARENT}/prod-mail`, `${PARENT}/prod`, `${PARENT}/reports-2`],
  );

  const error = await rejection(transport.enqueue(queued({ queue: "bad_queue" })));
  assert.instance(error, CloudTasksConfigError);
  assert.match(String(error), /"bad_queue".*letters, digits and hyphens.*queueNames/);
  assert.is(client.requests.length, 3, "nothing sent for a bad queue id");
});

test("missing configuration fails start() and enqueue(), naming each missing value", async () => {
  const { client, transport } = setup({ project: undefined, location: undefined });

  const started = await rejection(transport.start(async () => ({ status: "done" })));
  assert.instance(started, CloudTasksConfigError);
  assert.equal((started as CloudTasksConfigError).problems, [
    "no project: set the project option or GOOGLE_CLOUD_PROJECT or GCLOUD_PROJECT",
    "no location: set the location option or CLOUD_TASKS_LOCATION",
  ]);
  assert.instance(await rejection(transport.enqueue(queued())), CloudTasksConfigError);
  assert.is(client.requests.length, 0, "nothing was sent");
});

const BAD_CONFIG: readonly [
  what: string,
  options: Partial<CloudTasksTransportOptions>,
  problem: RegExp,
][] = [
  [
    "an unknown target kind",
    { target: { kind: "cloudRun" } as never },
    /target kind is "cloudRun"/,
  ],
  [
    "an http target without a URL",
    { target: { kind: "http", url: "worker", serviceAccountEmail: "a@b" } },
    /url "worker" is not an http\(s\) URL/,
  ],
  [
    "an http target URL with a query",
    { target: { kind: "http", url: "https://w.example/?k=1", serviceAccountEmail: "a@b" } },
    /has a query or fragment/,
  ],
  [
    "an http target without an account",
    { target: { kind: "http", url: "https://w.example", serviceAccountEmail: "" } },
    /needs the serviceAccountEmail/,
  ],
  ["a bad project", { project: "my project" }, /project "my project" is not a valid project id/],
  ["a bad queue id in queueNames", { queueNames: { mail: "mail.queue" } }, /"mail.queue"/],
  ["a relative base path", { basePath: "tasks" }, /basePath "tasks"/],
];

for (const [what, options, problem] of BAD_CONFIG) {
  test(`configuration: ${what} is refused at start`, async () => {
    const { transport } = setup(options);
    const error = await rejection(transport.start(async () => ({ status: "done" })));
    assert.instance(error, CloudTasksConfigError);
    assert.match(String(error), problem);
  });
}

test("project and location come from the environment when not given", async () => {
  const cases = [
    [{ GOOGLE_CLOUD_PROJECT: "from-google", GCLOUD_PROJECT: "from-gcloud" }, "from-google"],
    [{ GCLOUD_PROJECT: "from-gcloud" }, "from-gcloud"],
  ] as const;
  for (const [env, project] of cases) {
    const { client, transport } = setup({
      project: undefined,
      location: undefined,
      env: { ...env, CLOUD_TASKS_LOCATION: "us-central1" },
    });
    await transport.enqueue(queued());
    assert.is(
      client.requests[0]!.parent,
      `projects/${project}/locations/us-central1/queues/default`,
    );
  }

  const { client, transport } = setup({
    env: { GOOGLE_CLOUD_PROJECT: "env", CLOUD_TASKS_LOCATION: "x" },
  });
  await transport.enqueue(queued());
  assert.is(client.requests[0]!.parent, `${PARENT}/default`, "options win over the environment");
});

test("other refusals of Cloud Tasks are errors with the cause; duplicates only for names", async () => {
  const { client, transport } = setup();
  client.failWith = grpcError(7, "PERMISSION_DENIED: The caller lacks cloudtasks.tasks.create");
  const denied = await rejection(transport.enqueue(queued({ name: "n" })));
  assert.instance(denied, CloudTasksError);
  assert.is((denied as CloudTasksError).code, 7);
  assert.is((denied as CloudTasksError).cause, client.failWith);
  assert.match(String(denied), `in ${PARENT}/default: 7 PERMISSION_DENIED`);

  client.failWith = grpcError(6, "ALREADY_EXISTS");
  assert.instance(await rejection(transport.enqueue(queued())), CloudTasksError);
});

test("start() delivers nothing; stop() leaves an injected client open", async () => {
  const { client, transport } = setup();
  let delivered = 0;
  await transport.start(async () => {
    delivered++;
    return { status: "done" };
  });
  await transport.enqueue(queued());
  await transport.stop();

  assert.is(delivered, 0, "Cloud Tasks calls the HTTP handler, not the transport");
  assert.is(client.closed, 0);
});

test("the requests are valid Cloud Tasks v2 messages for the client library", async () => {
  const { protos } = await import("@google-cloud/tasks");
  const CreateTaskRequest = protos.google.cloud.tasks.v2.CreateTaskRequest;
  const { client, transport } = setup({ target: { kind: "appEngine", service: "worker" } });
  await transport.enqueue(
    queued({ name: "n-1", notBefore: 1_767_225_600_250, targetVersion: "v2" }),
  );
  const http = setup({
    target: { kind: "http", url: "https://w.example", serviceAccountEmail: "a@b.example" },
  });
  await http.transport.enqueue(queued());

  for (const request of [client.requests[0]!, http.client.requests[0]!]) {
    const message = CreateTaskRequest.fromObject(request as never);
    assert.is(CreateTaskRequest.verify(message), null);
    const decoded = CreateTaskRequest.decode(CreateTaskRequest.encode(message).finish());
    const task = decoded.task!;
    const sent = task.appEngineHttpRequest ?? task.httpRequest!;
    assert.is(Buffer.from(sent.body!).toString("utf8"), BODY, "the body travels as its bytes");
    assert.is(sent.httpMethod, protos.google.cloud.tasks.v2.HttpMethod.POST);
    assert.equal(sent.headers, SIGNATURE_HEADERS);
  }

  const appEngine = CreateTaskRequest.fromObject(client.requests[0] as never).task!;
  const { service, version } = appEngine.appEngineHttpRequest!.appEngineRouting!;
  assert.equal({ service, version }, { service: "worker", version: "v2" });
  assert.is(appEngine.name, `${PARENT}/default/tasks/${cloudTaskId("n-1")}`);
  assert.is(Number(appEngine.scheduleTime!.seconds), 1_767_225_600);
  assert.is(appEngine.scheduleTime!.nanos, 250_000_000);
  const oidc = CreateTaskRequest.fromObject(http.client.requests[0] as never).task!.httpRequest!;
  const { serviceAccountEmail, audience } = oidc.oidcToken!;
  assert.equal(
    { serviceAccountEmail, audience },
    { serviceAccountEmail: "a@b.example", audience: "https://w.example" },
  );
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected a rejection");
}

test.run();
