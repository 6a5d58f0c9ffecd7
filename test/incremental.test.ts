import { test } from "uvu";
import * as assert from "uvu/assert";

import type { GenerateResult } from "../generator/generate.js";
import { generate, generation, withProject } from "./helpers/temp-project.js";

/**
 * Watch mode keeps each file's analysis until a file it read changes. After every edit below,
 * the kept generation must give exactly what a fresh one gives.
 */
const FILES = {
  "src/line.ts": `import type { Sku } from "./sku.js";
export interface Line { sku: string; quantity: number; code: Sku }
`,
  "src/sku.ts": `export interface Sku { code: string }
`,
  "src/types.ts": `export type Channel = "mail" | "sms";
`,
  "src/barrel.ts": `export { callDeferred as later, QueryIter } from "taskgen";
export * from "./base.js";
`,
  "src/base.ts": `import { QueryIter } from "taskgen";
export abstract class Base<C> extends QueryIter<{ id: number }, C> {}
export class Plain {}
`,
  "src/orders.ts": `import { later } from "./barrel.js";
import type { Line } from "./line.js";
import type { Channel } from "./types.js";
export class Orders {
  @later
  async send(lines: Line[], channel: Channel) { void [lines, channel]; }
}
`,
  "src/reprice.ts": `import { Base } from "./barrel.js";
export class Reprice extends Base<{ factor: number }> { handleEntry() {} }
`,
  "src/mail.ts": `import { callDeferred } from "taskgen";
import type { Line } from "./line.js";
export const mailLines = 1;
export class Mail {
  @callDeferred async lines(lines: Line[]) { void lines; }
}
`,
  "src/other.ts": `export const unrelated = 1;
`,
};

/** Everything a run produces that a user sees, as comparable data. */
function outcome(result: GenerateResult) {
  return {
    diagnostics: result.diagnostics.map((d) => `${d.code} ${d.location?.file}:${d.location?.line}`),
    files: result.files?.map((f) => [f.path, f.text]),
  };
}

const EDITS: readonly [string, string, (text: string) => string][] = [
  ["a type in another file", "src/line.ts", (t) => t.replace("quantity: number", "qty: bigint")],
  ["an alias's union", "src/types.ts", (t) => t.replace(`"sms"`, `"sms" | "push"`)],
  ["a comment in an unrelated file", "src/other.ts", (t) => t + "// note\n"],
  ["a comment in the file that first reads a shared type", "src/mail.ts", (t) => t + "// x\n"],
  [
    "a shared type that cannot travel",
    "src/line.ts",
    (t) => t.replace("sku: string", "sku: () => string"),
  ],
  ["the fix of it", "src/line.ts", (t) => t.replace("sku: () => string", "sku: string")],
  [
    "a nested shared type that cannot travel",
    "src/sku.ts",
    (t) => t.replace("code: string", "code: symbol"),
  ],
  ["the fix of that", "src/sku.ts", (t) => t.replace("code: symbol", "code: string")],
  ["the base class's data", "src/reprice.ts", (t) => t.replace("factor: number", "f: string")],
  [
    "a class that becomes a query iterator",
    "src/base.ts",
    (t) => t.replace("class Plain {}", "class Plain extends Base<string> { handleEntry() {} }"),
  ],
  ["an option only", "src/orders.ts", (t) => t.replace("@later\n", `@later({ queue: "bulk" })\n`)],
  [
    "the barrel's rename",
    "src/barrel.ts",
    (t) => t.replace("callDeferred as later", "noRetry as later"),
  ],
];

test("kept analyses give what a fresh generation gives, edit after edit", async () => {
  await withProject(FILES, (project) => {
    const kept = generation(project.root);
    assert.equal(outcome(kept.run()), outcome(generate(project.root)), "first run");

    for (const [label, file, edit] of EDITS) {
      project.write(file, edit(project.read(file)));
      kept.fileChanged(project.path(file), false);
      assert.equal(outcome(kept.run()), outcome(generate(project.root)), label);
    }
  });
});

test("an edit to a file a task reads changes the output", async () => {
  await withProject(FILES, (project) => {
    const kept = generation(project.root);
    const before = kept.run().files?.find((f) => f.path.endsWith("manifest.json"))?.text;

    project.write("src/line.ts", project.read("src/line.ts").replace("sku: string", "sku: number"));
    kept.fileChanged(project.path("src/line.ts"), false);
    const after = kept.run().files?.find((f) => f.path.endsWith("manifest.json"))?.text;

    assert.ok(before?.includes(`"name": "sku"`));
    assert.is.not(after, before);
  });
});

test.run();
