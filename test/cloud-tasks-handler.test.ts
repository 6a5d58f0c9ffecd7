import { test } from "uvu";
import * as assert from "uvu/assert";

import type { HandlerOptions } from "../runtime/handler/handle-task-request.js";
import { CaptureTransport } from "./helpers/capture-transport.js";
import { AUDIENCE, SERVICE_ACCOUNT, tokenSigner } from "./helpers/cloud-tasks-oidc.js";
import { recordingLogger, runtimeFixture, SECRET } from "./helpers/runtime-fixture.js";

const signer = tokenSigner();
const stranger = tokenSigner(signer.kid);
const OIDC = {
  audience: AUDIENCE,
  serviceAccountEmail: SERVICE_ACCOUNT,
  certificates: signer.keys,
};

let current: { stop(): Promise<void> } | undefined;
test.after.each(async () => {
  await current?.stop();
  current = undefined;
});

/** A runtime of the fixture app, a web handler with `options`, and one signed task to post. */
async function setup(options: HandlerOptions) {
  const f = await runtimeFixture;
  f.log.length = 0;
  const logger = recordingLogger();
  const transport = new CaptureTransport();
  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: { Mailer: new f.Mailer() },
    transport,
    secret: SECRET,
    logger,
  });
  current = runtime;
  await runtime.enqueue("notify", ["ana"]);
  const task = transport.queued[0]!;
  const web = f.createWebHandler(runtime, options);

  /** Posts the task with its signature and `headers`; answers the status. */
  const post = async (headers: Record<string, string>, body = task.body) => {
    const init = {
      method: "POST",
      body,
      headers: { "x-taskgen-signature": task.signature, ...headers },
    };
    return (await web(new Request("http://app/_tasks/deferred", init))).status;
  };
  return { ...f, logger, post, web };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

const FORGED: readonly [what: string, headers: Record<string, string>, logged: RegExp][] = [
  ["no token", {}, /there is no bearer token/],
  ["not a bearer token", { authorization: `Basic ${signer.token()}` }, /no bearer token/],
  ["a token that is no JWT", bearer("not.a-jwt"), /not valid/],
  [
    "a token for another audience",
    bearer(signer.token({ aud: "https://other.example" })),
    /Wrong recipient/,
  ],
  [
    "an expired token",
    bearer(signer.token({ iat: now() - 3 * HOUR, exp: now() - 2 * HOUR })),
    /Token used too late/,
  ],
  ["a token from the future", bearer(signer.token({ iat: now() + HOUR })), /Token used too early/],
  ["a token signed by another key", bearer(stranger.token()), /Invalid token signature/],
  ["a token of an unknown key", bearer(tokenSigner("other-kid").token()), /No pem found/],
  [
    "a token of another issuer",
    bearer(signer.token({ iss: "https://evil.example" })),
    /Invalid issuer/,
  ],
  [
    "a token for another account",
    bearer(signer.token({ email: "someone@demo-project.iam.gserviceaccount.com" })),
    /is for "someone@demo-project.iam.gserviceaccount.com", not the expected account/,
  ],
  [
    "a token with an unverified email",
    bearer(signer.token({ email_verified: false })),
    /not verified/,
  ],
];

for (const [what, headers, logged] of FORGED) {
  test(`OIDC mode refuses ${what} with 403, before running anything`, async () => {
    const f = await setup({ oidc: OIDC });
    assert.is(await f.post(headers), 403);
    assert.equal(f.log, [], "the task did not run");

    const line = f.logger.lines.find((l) => l.startsWith("warn [handler] Refused"));
    assert.match(line ?? "", logged);
    const token = headers["authorization"]?.split(" ")[1];
    if (token) assert.not.ok(line!.includes(token), "the token is not logged");
  });
}

test("OIDC mode accepts a good token, and still requires the task's signature", async () => {
  const f = await setup({ oidc: OIDC });
  assert.is(await f.post(bearer(signer.token())), 200);
  assert.equal(f.log, ["notify ana x1"]);

  assert.is(await f.post(bearer(signer.token()), `{"v":1,"task":"notify","payload":["eve"]}`), 403);
  assert.is(await f.post({ ...bearer(signer.token()), "x-taskgen-signature": "" }), 403);
  assert.equal(f.log, ["notify ana x1"], "a good token does not make up for a bad signature");
});

test("OIDC mode: lists of audiences and accounts, and keys from a function", async () => {
  const f = await setup({
    oidc: {
      audience: ["https://old.example", AUDIENCE],
      serviceAccountEmail: ["old@demo-project.iam.gserviceaccount.com", SERVICE_ACCOUNT],
      certificates: async () => ({ ...stranger.keys, "second-kid": signer.keys[signer.kid]! }),
    },
  });
  const second = tokenSigner("second-kid");
  assert.is(await f.post(bearer(stranger.token())), 200);
  assert.is(await f.post(bearer(second.token())), 403, "keys are looked up by kid");
  assert.equal(f.log, ["notify ana x1"]);
});

test("OIDC mode answers 500 (retry) while the token keys cannot be fetched", async () => {
  const f = await setup({
    oidc: {
      ...OIDC,
      certificates: async () => {
        throw new Error("connect ETIMEDOUT");
      },
    },
  });
  assert.is(await f.post(bearer(signer.token())), 500);
  assert.equal(f.log, []);
  assert.ok(f.logger.lines.some((l) => /error .*cannot be fetched: connect ETIMEDOUT/.test(l)));
});

const APP_ENGINE_HEADERS = {
  "x-appengine-queuename": "default",
  "x-appengine-taskname": "12345",
  "x-appengine-taskretrycount": "0",
  "x-appengine-user-ip": "0.1.0.2",
};

test("App Engine mode off: the signature alone decides, App Engine's headers change nothing", async () => {
  const f = await setup({});
  assert.is(await f.post({}), 200);
  assert.is(await f.post(APP_ENGINE_HEADERS), 200);
  assert.is(await f.post({ ...APP_ENGINE_HEADERS, "x-taskgen-signature": "x" }), 403);
  assert.equal(f.log, ["notify ana x1", "notify ana x1"]);
});

test("App Engine mode on: a delivery needs X-AppEngine-QueueName and the signature", async () => {
  const f = await setup({ trustAppEngineTasks: true });
  assert.is(await f.post({}), 403);
  assert.is(await f.post({ ...APP_ENGINE_HEADERS, "x-appengine-queuename": "" }), 403);
  assert.is(await f.post({ ...APP_ENGINE_HEADERS, "x-taskgen-signature": "x" }), 403);
  assert.is(await f.post(APP_ENGINE_HEADERS), 200);
  assert.equal(f.log, ["notify ana x1"]);
  assert.match(
    f.logger.lines.join("\n"),
    /Refused POST \/_tasks\/deferred: there is no X-AppEngine-QueueName/,
  );
});

test("App Engine mode with source addresses: X-AppEngine-User-IP must be one of them", async () => {
  const f = await setup({ trustAppEngineTasks: { sourceAddresses: ["0.1.0.2"] } });
  assert.is(await f.post(APP_ENGINE_HEADERS), 200);
  assert.is(await f.post({ ...APP_ENGINE_HEADERS, "x-appengine-user-ip": "203.0.113.9" }), 403);
  const { "x-appengine-user-ip": _ip, ...withoutAddress } = APP_ENGINE_HEADERS;
  assert.is(await f.post(withoutAddress), 403);
  assert.equal(f.log, ["notify ana x1"]);
});

test("both modes: either App Engine's headers or a good token will do", async () => {
  const f = await setup({ oidc: OIDC, trustAppEngineTasks: true });
  assert.is(await f.post(APP_ENGINE_HEADERS), 200);
  assert.is(await f.post(bearer(signer.token())), 200);
  assert.is(await f.post(bearer(stranger.token({ aud: "x" }))), 403);
  assert.is(await f.post({}), 403);
  assert.equal(f.log, ["notify ana x1", "notify ana x1"]);
});

test("the modes guard deliveries only: cron requests are proven as before", async () => {
  const f = await setup({ oidc: OIDC, trustAppEngineTasks: true });
  const headers = f.cronRequestHeaders("hourly", SECRET);
  const cron = await f.web(new Request("http://app/_tasks/cron/hourly", { headers }));
  assert.is(cron.status, 200);
  assert.ok(f.log.includes("hourly"));
});

test.run();
