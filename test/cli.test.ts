import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

import { runCli } from "../cli/run-cli.js";
import { REPO_ROOT, tempProject, withProject, type TempProject } from "./helpers/temp-project.js";

const MAIN = path.join(REPO_ROOT, "dist/cli/main.js");
const GENERATED = ["dispatch.ts", "stubs.ts", "validators.ts", "manifest.json"];

const SOURCES = {
  "src/mail.ts": `import { callDeferred, PeriodicTask } from "taskgen";
export class Mailer {
  @callDeferred({ queue: "mail" }) async send(to: string) {}
  @PeriodicTask({ interval: "5m", cronName: "hourly" }) static async digest() {}
}
`,
};

/** Runs the CLI in `cwd`, capturing what it prints. */
async function cli(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.cwd();
  const log = console.log;
  console.log = (...args: unknown[]) => out.push(args.join(" "));
  process.chdir(cwd);
  try {
    const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    process.chdir(previous);
    console.log = log;
  }
}

const snapshot = (project: TempProject) => [
  ...GENERATED.map((f) => project.read(`src/generated/${f}`)),
  project.read("cron.yaml"),
];

test.before(async () => {
  if (fs.existsSync(MAIN)) return;
  await new Promise<void>((resolve, reject) =>
    spawn("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" })
      .on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`build: ${code}`))))
      .on("error", reject),
  );
});

test("--help exits 0", async () => {
  await withProject(SOURCES, async ({ root }) => {
    const result = await cli(root, "--help");
    assert.is(result.code, 0);
    assert.ok(result.out.includes("generate"), result.out);
  });
});

test("an unknown command exits 2", async () => {
  await withProject(SOURCES, async ({ root }) => {
    const result = await cli(root, "frobnicate");
    assert.is(result.code, 2);
    assert.ok(result.err.includes("frobnicate"), result.err);
  });
});

test("an unknown flag exits 2 and runs nothing", async () => {
  await withProject(SOURCES, async (project) => {
    const { root } = project;
    const flag = await cli(root, "generate", "--frobnicate");
    assert.is(flag.code, 2);
    assert.ok(flag.err.includes("frobnicate"), flag.err);
    assert.not.ok(project.exists("src/generated"), "nothing generated");
  });
});

test("--check with --watch is a usage error, exit 2", async () => {
  await withProject(SOURCES, async ({ root }) => {
    const both = await cli(root, "generate", "--check", "--watch");
    assert.is(both.code, 2);
    assert.ok(both.err.includes("--check and --watch cannot be combined"), both.err);
  });
});

test("generate writes the outputs and cron.yaml", async () => {
  await withProject(SOURCES, async (project) => {
    const result = await cli(project.root, "generate");
    assert.is(result.code, 0, result.err);
    for (const file of GENERATED) assert.ok(project.exists(`src/generated/${file}`), file);
    assert.ok(project.read("cron.yaml").includes("hourly"));
    assert.match(result.err, /^taskgen: 2 tasks, wrote 5 files/m);
  });
});

test("generate on a declaration error exits 1 and writes nothing", async () => {
  const broken = {
    "src/a.ts": `import { callDeferred } from "taskgen";\nclass A { @callDeferred async go() {} }\n`,
  };
  await withProject(broken, async (project) => {
    const result = await cli(project.root, "generate");
    assert.is(result.code, 1);
    assert.ok(result.err.includes("src/a.ts:2:7 - error TG1003"), result.err);
    assert.not.ok(project.exists("src/generated"));
    assert.not.ok(project.exists("cron.yaml"));
  });
});

test("generate --check passes when fresh and names the stale file after an edit", async () => {
  await withProject(SOURCES, async (project) => {
    assert.is((await cli(project.root, "generate")).code, 0);
    assert.is((await cli(project.root, "generate", "--check")).code, 0);

    project.write("src/mail.ts", SOURCES["src/mail.ts"].replace('"mail"', '"post"'));
    const before = project.read("src/generated/manifest.json");
    const stale = await cli(project.root, "generate", "--check");
    assert.is(stale.code, 1);
    assert.ok(stale.err.includes("src/generated/manifest.json - stale"), stale.err);
    assert.is(project.read("src/generated/manifest.json"), before, "--check writes nothing");
  });
});

test("--out and --cron choose where the outputs go", async () => {
  await withProject(SOURCES, async (project) => {
    const result = await cli(
      project.root,
      "generate",
      "--out",
      "src/gen",
      "--cron",
      "deploy/c.yaml",
    );
    assert.is(result.code, 0, result.err);
    for (const file of GENERATED) assert.ok(project.exists(`src/gen/${file}`), file);
    assert.ok(project.exists("deploy/c.yaml"));
    assert.not.ok(project.exists("src/generated"));
    assert.not.ok(project.exists("cron.yaml"));
  });
});

test("options come from taskgen.config.json; an unknown key exits 2", async () => {
  await withProject(SOURCES, async (project) => {
    const config = { out: "lib/tasks", cron: "ops/cron.yaml" };
    project.write("taskgen.config.json", JSON.stringify(config));
    assert.is((await cli(project.root, "generate")).code, 0);
    assert.ok(project.exists("lib/tasks/manifest.json"));
    assert.ok(project.exists("ops/cron.yaml"));

    project.write("taskgen.config.json", JSON.stringify({ output: "x" }));
    const bad = await cli(project.root, "generate");
    assert.is(bad.code, 2);
    assert.ok(bad.err.includes("Unknown key 'output'"), bad.err);
  });
});

test("list --json prints every task with its place", async () => {
  await withProject(SOURCES, async ({ root }) => {
    const result = await cli(root, "list", "--json");
    assert.is(result.code, 0, result.err);
    const tasks = JSON.parse(result.out) as Record<string, unknown>[];
    assert.is(tasks.length, 2);

    const [digest, send] = tasks;
    assert.equal(
      [digest?.id, digest?.kind, digest?.symbol, digest?.file, digest?.line],
      ["Mailer.digest", "periodic", "Mailer.digest", "src/mail.ts", 4],
    );
    assert.is(digest?.cronName, "hourly");
    assert.is(digest?.intervalSeconds, 300);
    assert.equal(
      [send?.id, send?.kind, send?.symbol, send?.file, send?.line],
      ["Mailer.send", "deferred", "Mailer.send", "src/mail.ts", 3],
    );
    assert.not.ok("cronName" in (send ?? {}));
  });
});

test("two generate runs give byte-identical files", async () => {
  await withProject(SOURCES, async (project) => {
    await cli(project.root, "generate");
    const first = snapshot(project);
    fs.rmSync(project.path("src/generated"), { recursive: true });
    fs.rmSync(project.path("cron.yaml"));

    const second = await cli(project.root, "generate");
    assert.is(second.code, 0);
    assert.equal(snapshot(project), first);
  });
});

test("generate --watch regenerates after a source edit and a new folder", async () => {
  const project = tempProject(SOURCES);
  const child = spawn(process.execPath, [MAIN, "generate", "--watch"], { cwd: project.root });
  let stderr = "";
  const waitFor = (pattern: RegExp, after: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; stderr:\n${stderr}`)), 10_000);
      const check = () => {
        if (!pattern.test(stderr.slice(after))) return;
        clearTimeout(timer);
        child.stderr.off("data", check);
        resolve();
      };
      child.stderr.on("data", check);
      check();
    });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

  try {
    await waitFor(/^taskgen: /m, 0);
    const before = project.read("src/generated/manifest.json");
    assert.ok(before.includes('"mail"'));

    let mark = stderr.length;
    project.write("src/mail.ts", SOURCES["src/mail.ts"].replace('"mail"', '"post"'));
    await waitFor(/^taskgen: .*wrote/m, mark);
    const after = project.read("src/generated/manifest.json");
    assert.ok(after.includes('"post"'), after);

    // A task in a folder that did not exist when watching began.
    mark = stderr.length;
    project.write(
      "src/billing/invoice.ts",
      `import { callDeferred } from "taskgen";\nexport class Invoice {\n  @callDeferred async issue(id: string) {}\n}\n`,
    );
    await waitFor(/^taskgen: .*wrote/m, mark);
    assert.ok(project.read("src/generated/manifest.json").includes('"Invoice.issue"'));
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    project.cleanup();
  }
});

test.run();
