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

test.run();
