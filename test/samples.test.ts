import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAIN = path.join(REPO, "dist/cli/main.js");
const TSC = path.join(REPO, "node_modules/.bin/tsc");

/** The samples' generated files are committed: they must be what taskgen generates today. */
test("samples/hello: committed generated files are up to date", () => {
  const run = spawnSync(
    process.execPath,
    [MAIN, "generate", "--check", "-p", "samples/hello/tsconfig.json"],
    {
      cwd: REPO,
      encoding: "utf8",
    },
  );
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /taskgen: 8 tasks, all files up to date/);
});

test("samples/hello: the app and its generated code type-check under strict settings", () => {
  execFileSync(TSC, ["-p", "samples/hello/tsconfig.json", "--noUnusedLocals"], {
    cwd: REPO,
    encoding: "utf8",
  });
});

test("samples/hello: the demo runs every kind of task over HTTP on the embedded queue", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "samples/hello/src/demo.ts"], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.is(run.status, 0, run.stdout + run.stderr);
  for (const step of [
    "ok   the startup task ran",
    "ok   a deferred call was queued and ran with its arguments",
    "ok   three concurrent cron ticks ran the hourly task once",
    "ok   an admin lists: Rebuild the search index",
    "ok   a guest lists no callable task",
    'ok   an admin started "Rebuild the search index": 200',
    "ok   a forged task request was refused: 403",
    "demo done: every step behaved",
  ]) {
    assert.ok(run.stdout.includes(step), `missing "${step}" in:\n${run.stdout}`);
  }
});

test.run();
