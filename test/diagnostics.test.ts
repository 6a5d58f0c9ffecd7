import { test } from "uvu";
import * as assert from "uvu/assert";

import { formatDiagnostic, type Diagnostic } from "../generator/diagnostics.js";
import { writeOutputs } from "../generator/emit/emit.js";
import type { SourceLocation } from "../generator/model/types.js";
import { generate, generation, withProject } from "./helpers/temp-project.js";

const IMPORTS = `import { callDeferred, noRetry, PeriodicTask, CallableTask } from "taskgen";`;

/** `src/a.ts` with the taskgen imports on line 1, so `body` starts on line 2. */
const inA = (...body: string[]) => ({ "src/a.ts": [IMPORTS, ...body].join("\n") });

interface Case {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly code: Diagnostic["code"];
  readonly at: Omit<SourceLocation, "file">;
  /** A word the message must contain. */
  readonly says: string;
}

const ERRORS: readonly Case[] = [
  {
    name: "function parameter",
    files: inA(`export class A {`, `  @callDeferred async go(cb: () => void) {}`, `}`),
    code: "TG1001",
    at: { line: 3, column: 30 },
    says: "function",
  },
  {
    name: "Map parameter",
    files: inA(`export class A {`, `  @callDeferred async go(m: Map<string, number>) {}`, `}`),
    code: "TG1001",
    at: { line: 3, column: 29 },
    says: "Map",
  },
  {
    name: "class instance parameter",
    files: inA(
      `class Foo { x = 1 }`,
      `export class A {`,
      `  @callDeferred async go(f: Foo) {}`,
      `}`,
    ),
    code: "TG1001",
    at: { line: 4, column: 29 },
    says: "Foo",
  },
  {
    name: "symbol parameter",
    files: inA(`export class A {`, `  @callDeferred async go(s: symbol) {}`, `}`),
    code: "TG1001",
    at: { line: 3, column: 29 },
    says: "'s'",
  },
  {
    name: "any parameter",
    files: inA(`export class A {`, `  @callDeferred async go(x: any) {}`, `}`),
    code: "TG1002",
    at: { line: 3, column: 29 },
    says: "any",
  },
  {
    name: "unknown parameter",
    files: inA(`export class A {`, `  @callDeferred async go(x: unknown) {}`, `}`),
    code: "TG1002",
    at: { line: 3, column: 29 },
    says: "unknown",
  },
  {
    name: "task on a non-exported class",
    files: inA(`class A {`, `  @callDeferred async go() {}`, `}`),
    code: "TG1003",
    at: { line: 2, column: 7 },
    says: "not exported",
  },
  {
    name: "decorator on a class inside a function",
    files: inA(
      `export function f() {`,
      `  class A {`,
      `    @callDeferred async go() {}`,
      `  }`,
      `  return A;`,
      `}`,
    ),
    code: "TG1003",
    at: { line: 4, column: 5 },
    says: "cannot import",
  },
  {
    name: "two tasks with the same id",
    files: inA(
      `export class A {`,
      `  @callDeferred({ id: "x" }) async a() {}`,
      `  @callDeferred({ id: "x" }) async b() {}`,
      `}`,
    ),
    code: "TG1004",
    at: { line: 4, column: 36 },
    says: "src/a.ts:3:36",
  },
  ...[`"5x"`, "-1", "1.5"].map((interval) => ({
    name: `interval ${interval}`,
    files: inA(
      `export class A {`,
      `  @PeriodicTask({ interval: ${interval} }) static async a() {}`,
      `}`,
    ),
    code: "TG1005" as const,
    at: { line: 3, column: 29 },
    says: interval.replace(/"/g, ""),
  })),
  {
    name: "missing interval",
    files: inA(`export class A {`, `  @PeriodicTask({}) static async a() {}`, `}`),
    code: "TG1005",
    at: { line: 3, column: 34 },
    says: "needs an interval",
  },
  ...["_bad", "a b"].map((cronName) => ({
    name: `cron name "${cronName}"`,
    files: inA(
      `export class A {`,
      `  @PeriodicTask({ interval: "1h", cronName: "${cronName}" }) static async a() {}`,
      `}`,
    ),
    code: "TG1006" as const,
    at: { line: 3, column: 45 },
    says: `"${cronName}"`,
  })),
  {
    name: "CallableTask without CallableTaskBase",
    files: inA(`@CallableTask`, `export class A {`, `  async run() {}`, `}`),
    code: "TG1007",
    at: { line: 2, column: 1 },
    says: "CallableTaskBase",
  },
  {
    name: "non-literal option value",
    files: inA(
      `const Q = "q";`,
      `export class A {`,
      `  @callDeferred({ queue: Q }) async go() {}`,
      `}`,
    ),
    code: "TG1008",
    at: { line: 4, column: 26 },
    says: "literal",
  },
  {
    name: "invalid target version",
    files: inA(`export class A {`, `  @callDeferred({ targetVersion: "V 2" }) async go() {}`, `}`),
    code: "TG1008",
    at: { line: 3, column: 34 },
    says: '"V 2"',
  },
  {
    name: "unknown option name",
    files: inA(`export class A {`, `  @callDeferred({ color: "red" }) async go() {}`, `}`),
    code: "TG1008",
    at: { line: 3, column: 26 },
    says: "'color'",
  },
  {
    name: "private method",
    files: inA(`export class A {`, `  @callDeferred private async go() {}`, `}`),
    code: "TG1009",
    at: { line: 3, column: 31 },
    says: "public",
  },
  {
    name: "callDeferred and PeriodicTask on one method",
    files: inA(
      `export class A {`,
      `  @callDeferred @PeriodicTask({ interval: "1h" }) async go() {}`,
      `}`,
    ),
    code: "TG1010",
    at: { line: 3, column: 17 },
    says: "one kind of task",
  },
  {
    name: "noRetry without callDeferred",
    files: inA(`export class A {`, `  @noRetry async go() {}`, `}`),
    code: "TG1010",
    at: { line: 3, column: 3 },
    says: "@noRetry",
  },
  {
    name: "noRetry on a periodic task, reported once",
    files: inA(
      `export class A {`,
      `  @PeriodicTask({ interval: "1h" }) @noRetry static async go() {}`,
      `}`,
    ),
    code: "TG1010",
    at: { line: 3, column: 37 },
    says: "only to deferred tasks",
  },
  {
    name: "bad id",
    files: inA(`export class A {`, `  @callDeferred({ id: "a b" }) async go() {}`, `}`),
    code: "TG1011",
    at: { line: 3, column: 23 },
    says: `"a b"`,
  },
  {
    name: "periodic method with a required parameter",
    files: inA(
      `export class A {`,
      `  @PeriodicTask({ interval: "1h" }) static async go(n: number) {}`,
      `}`,
    ),
    code: "TG1012",
    at: { line: 3, column: 53 },
    says: "parameters",
  },
];

for (const c of ERRORS) {
  test(`${c.code}: ${c.name}`, async () => {
    await withProject(c.files, ({ root }) => {
      const result = generate(root);
      assert.is(result.files, undefined, "no files on an error");
      assert.is(result.diagnostics.length, 1, JSON.stringify(result.diagnostics));

      const [diagnostic] = result.diagnostics;
      assert.is(diagnostic?.code, c.code);
      assert.is(diagnostic?.severity, "error");
      assert.equal(diagnostic?.location, { file: "src/a.ts", ...c.at });
      assert.ok(diagnostic?.message.includes(c.says), diagnostic?.message);
    });
  });
}

test("TG1002: allowUnknown permits unknown and any", async () => {
  const files = inA(
    `export class A {`,
    `  @callDeferred({ allowUnknown: true }) async go(x: unknown, y: any) {}`,
    `}`,
  );
  await withProject(files, ({ root }) => {
    const result = generate(root);
    assert.equal(result.diagnostics, []);
    assert.ok(result.files);
    assert.equal(result.model?.tasks[0]?.payload, {
      kind: "tuple",
      elements: [
        { name: "x", type: { kind: "unknown" }, optional: false },
        { name: "y", type: { kind: "unknown" }, optional: false },
      ],
    });
  });
});

test("TG2001: a 30 s interval warns and still produces files", async () => {
  const files = inA(
    `export class A {`,
    `  @PeriodicTask({ interval: 30 }) static async go() {}`,
    `}`,
  );
  await withProject(files, ({ root }) => {
    const result = generate(root);
    assert.is(result.diagnostics.length, 1);
    const [warning] = result.diagnostics;
    assert.is(warning?.code, "TG2001");
    assert.is(warning?.severity, "warning");
    assert.equal(warning?.location, { file: "src/a.ts", line: 3, column: 29 });
    assert.ok(result.files && result.files.length > 0);
  });
});

test("TG2002: a task removed since the last written manifest warns", async () => {
  const two = inA(
    `export class A {`,
    `  @callDeferred async kept() {}`,
    `  @callDeferred async dropped() {}`,
    `}`,
  );
  await withProject(two, (project) => {
    const first = generate(project.root);
    assert.ok(first.files);
    writeOutputs(first.root, first.files);

    project.write(
      "src/a.ts",
      inA(`export class A {`, `  @callDeferred async kept() {}`, `}`)["src/a.ts"],
    );
    const second = generation(project.root).run();
    assert.is(second.diagnostics.length, 1);
    const [warning] = second.diagnostics;
    assert.is(warning?.code, "TG2002");
    assert.is(warning?.severity, "warning");
    assert.is(warning?.location, undefined);
    assert.ok(warning?.message.includes(`"A.dropped"`), warning?.message);
    assert.ok(second.files, "a warning does not stop the output");
  });
});

test("TG3001: a broken tsconfig", async () => {
  await withProject(inA(`export class A {}`), (project) => {
    project.write("tsconfig.json", `{ "compilerOptions": { "strict": true, } "include": [] }`);
    const result = generate(project.root);
    assert.is(result.files, undefined);
    assert.ok(result.diagnostics.length > 0);
    for (const d of result.diagnostics) {
      assert.is(d.code, "TG3001");
      assert.is(d.severity, "error");
    }
    assert.ok(result.diagnostics[0]?.location?.file.endsWith("tsconfig.json"));
  });
});

test("errors in several files are reported together, sorted by place", async () => {
  const files = {
    "src/b.ts": `${IMPORTS}\nexport class B {\n  @callDeferred private async go() {}\n}`,
    "src/a.ts": `${IMPORTS}\nexport class A {\n  @callDeferred async go(m: Map<string, number>) {}\n}`,
    "src/c.ts": `${IMPORTS}\nexport class C {\n  @PeriodicTask({ interval: "5x" }) static async go() {}\n}`,
  };
  await withProject(files, ({ root }) => {
    const result = generate(root);
    assert.is(result.files, undefined);
    const found = result.diagnostics.map((d) => `${d.location?.file} ${d.code}`);
    assert.equal(found, ["src/a.ts TG1001", "src/b.ts TG1009", "src/c.ts TG1005"]);
  });
});

test("formatDiagnostic prints the place, the code and a caret under the column", () => {
  const diagnostic: Diagnostic = {
    code: "TG1009",
    severity: "error",
    location: { file: "src/a.ts", line: 2, column: 11 },
    message: "A.go must be public",
    hint: "make it public",
  };
  const text = formatDiagnostic(diagnostic, "export class A {\n  private go() {}\n}\n");
  const lines = text.split("\n");

  assert.is(lines[0], "src/a.ts:2:11 - error TG1009: A.go must be public");
  const source = lines.findIndex((l) => l === "2 |   private go() {}");
  assert.ok(source > 0, text);
  const caret = lines[source + 1] ?? "";
  assert.is(caret.indexOf("^") - "  | ".length, 10, "caret under column 11");
  assert.ok(text.includes("hint: make it public"));

  const noFrame = formatDiagnostic(diagnostic);
  assert.not.ok(noFrame.includes("^"));
});

test.run();
