import { spawn } from "node:child_process";
import path from "node:path";

import { test } from "uvu";
import * as assert from "uvu/assert";

import { runCli } from "../cli/run-cli.js";
import { waitFor } from "./helpers/embedded-helpers.js";
import { emulatorClient, LOCATION } from "./helpers/emulator-harness.js";
import { REPO_ROOT } from "./helpers/temp-project.js";

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

test("bad option values are usage errors", async () => {
  const port = await cli("emulator", "--port", "70000");
  assert.is(port.code, 2);
  assert.match(port.err, /port must be a whole number from 0 to 65535, not 70000/);

  const target = await cli("emulator", "--target", "localhost:8080?x");
  assert.is(target.code, 2);
  assert.match(target.err, /is not a base URL/);
});

test("`taskgen emulator` prints where it listens, serves, and stops on SIGTERM", async () => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(REPO_ROOT, "cli/main.ts"), "emulator", "--port", "0"].concat([
      "--queue",
      `${LOCATION}/queues/default`,
    ]),
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));

  try {
    await waitFor(() => /requests go to .*\n/.test(stdout), 10_000, "the banner");
    const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
    assert.match(stdout, /App Engine tasks and cron requests go to http:\/\/127\.0\.0\.1:8080/);

    const client = emulatorClient(port);
    const [queues] = await client.listQueues({ parent: LOCATION });
    await client.close();
    assert.equal(
      queues.map((queue) => queue.name),
      [`${LOCATION}/queues/default`],
    );
  } finally {
    child.kill("SIGTERM");
  }
  assert.is(await exited, 0);
});

test.run();
