import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAIN = path.join(REPO, "dist/cli/main.js");
const TSC = path.join(REPO, "node_modules/.bin/tsc");

for (const [sample, tasks] of [
  ["hello", 8],
  ["shop", 5],
] as const) {
  /** The samples' generated files are committed: they must be what taskgen generates today. */
  test(`samples/${sample}: committed generated files are up to date`, () => {
    const run = spawnSync(
      process.execPath,
      [MAIN, "generate", "--check", "-p", `samples/${sample}/tsconfig.json`],
      { cwd: REPO, encoding: "utf8" },
    );
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stderr, `taskgen: ${tasks} tasks, all files up to date`);
  });

  test(`samples/${sample}: the app and its generated code type-check under strict settings`, () => {
    execFileSync(TSC, ["-p", `samples/${sample}/tsconfig.json`, "--noUnusedLocals"], {
      cwd: REPO,
      encoding: "utf8",
    });
  });
}

test("the demo drives every kind of task of the shop over HTTP on the embedded queue", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "samples/shop/src/demo.ts"], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.is(run.status, 0, run.stdout + run.stderr);
  for (const step of [
    "ok   startup task: ran once after the start",
    "ok   deferred call: order 1 placed (201); its confirmation reached the outbox",
    "ok   an order for an unknown product: 404, and no mail was queued with it",
    'ok   periodic task: 3 concurrent cron ticks of "carts" expired the 3 carts once',
    'ok   callable task: an admin sees "Rebuild the search index", a customer sees none',
    "ok   callable task: refused to a customer (403), bad input refused (400), run for the admin (200)",
    "ok   query iterator: repriced 120 products by 10% in 3 queued steps",
    "ok   a forged task request was refused (403) and sent no mail",
    "demo done: every step behaved",
  ]) {
    assert.ok(run.stdout.includes(step), `missing "${step}" in:\n${run.stdout}`);
  }
});

test.run();
