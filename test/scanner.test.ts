import { test } from "uvu";
import * as assert from "uvu/assert";

import type { TaskModel, TypeDesc } from "../generator/model/types.js";
import { scanInMemory } from "./helpers/memory-project.js";

type Files = Readonly<Record<string, string>>;

/** Scans an in-memory project and returns its model; fails the test on any diagnostic. */
async function scan(files: Files) {
  const { model, diagnostics } = scanInMemory(files);
  assert.equal(diagnostics, [], "no diagnostics");
  return model;
}

async function tasksOf(files: Files): Promise<Map<string, TaskModel>> {
  const model = await scan(files);
  return new Map(model.tasks.map((t) => [t.id, t]));
}

/** The single task of a project. */
async function onlyTask(files: Files): Promise<TaskModel> {
  const tasks = [...(await tasksOf(files)).values()];
  assert.is(tasks.length, 1, `one task, found ${tasks.map((t) => t.id).join(", ")}`);
  return tasks[0]!;
}

/** The payload of a one-parameter deferred function `f(x: <type>)`, with extra declarations. */
async function paramType(type: string, declarations = "", more: Files = {}) {
  const model = await scan({
    "src/f.ts": `import { defineDeferred } from "taskgen";\n${declarations}\nexport const f = defineDeferred(async (x: ${type}) => {});\n`,
    ...more,
  });
  const payload = model.tasks[0]?.payload;
  assert.ok(payload?.kind === "tuple", "deferred payload is a tuple");
  return { type: payload.elements[0]?.type, definitions: model.definitions };
}

const prop = (name: string, type: TypeDesc, optional = false) => ({ name, type, optional });
const STRING = { kind: "string" } as const;
const NUMBER = { kind: "number" } as const;
const BOOLEAN = { kind: "boolean" } as const;
const objectOf = (...properties: ReturnType<typeof prop>[]) => ({ kind: "object", properties });

// Decorator forms on methods

test("callDeferred bare and with options, on instance and static methods", async () => {
  const tasks = await tasksOf({
    "src/mail.ts": [
      `import { callDeferred } from "taskgen";`,
      `export class Mailer {`,
      `  @callDeferred`,
      `  async send(to: string) {}`,
      `  @callDeferred({ queue: "mail" })`,
      `  static async bulk(count: number) {}`,
      `}`,
    ].join("\n"),
  });

  const send = tasks.get("Mailer.send");
  assert.equal(send?.kind, "deferred");
  assert.equal(send?.symbol, "Mailer.send");
  assert.equal(send?.location, { file: "src/mail.ts", line: 4, column: 9 });
  assert.equal(send?.target, {
    exportName: "Mailer",
    member: "send",
    isStatic: false,
    file: "src/mail.ts",
  });
  assert.equal(send?.options, {});
  assert.equal(send?.payload, { kind: "tuple", elements: [prop("to", STRING)] });

  const bulk = tasks.get("Mailer.bulk");
  assert.equal(bulk?.kind, "deferred");
  assert.equal(bulk?.location, { file: "src/mail.ts", line: 6, column: 16 });
  assert.is(bulk?.target.isStatic, true);
  assert.equal(bulk?.options, { queue: "mail" });
});

test("noRetry and retry(n) set options.retries", async () => {
  const tasks = await tasksOf({
    "src/jobs.ts": `import { callDeferred, noRetry, retry } from "taskgen";
export class Jobs {
  @noRetry @callDeferred async once() {}
  @callDeferred @retry(3) async thrice() {}
}`,
  });
  assert.is(tasks.get("Jobs.once")?.options.retries, 0);
  assert.is(tasks.get("Jobs.thrice")?.options.retries, 3);
});

test("PeriodicTask durations: strings, seconds and compound; StartupTask", async () => {
  const tasks = await tasksOf({
    "src/cron.ts": `import { PeriodicTask, StartupTask } from "taskgen";
export class Cron {
  @PeriodicTask({ interval: "5m", cronName: "hourly" }) static async a() {}
  @PeriodicTask({ interval: 90 }) static async b() {}
  @PeriodicTask({ interval: "1h30m" }) static async c() {}
  @StartupTask static async boot() {}
}`,
  });
  assert.equal(tasks.get("Cron.a")?.options, { intervalSeconds: 300, cronName: "hourly" });
  assert.equal(tasks.get("Cron.b")?.options, { intervalSeconds: 90, cronName: "default" });
  assert.is(tasks.get("Cron.c")?.options.intervalSeconds, 5400);
  assert.is(tasks.get("Cron.a")?.kind, "periodic");
  assert.is(tasks.get("Cron.boot")?.kind, "startup");
  assert.is(tasks.get("Cron.boot")?.location.line, 6);
});

// Class forms

test("CallableTask directly and through an intermediate class in another file", async () => {
  const tasks = await tasksOf({
    "src/direct.ts": `import { CallableTask, CallableTaskBase } from "taskgen";
@CallableTask
export class Rebuild extends CallableTaskBase<{ full: boolean }> {
  async run() {}
}`,
    "src/base.ts": `import { CallableTaskBase } from "taskgen";
export abstract class AdminTask<I> extends CallableTaskBase<I> {}`,
    "src/indirect.ts": `import { CallableTask } from "taskgen";
import { AdminTask } from "./base.js";
@CallableTask({ id: "admin.purge" })
export class Purge extends AdminTask<{ days: number }> {
  async run() {}
}`,
  });

  const rebuild = tasks.get("Rebuild");
  assert.is(rebuild?.kind, "callable");
  assert.equal(rebuild?.location, { file: "src/direct.ts", line: 3, column: 14 });
  assert.equal(rebuild?.target, { exportName: "Rebuild", isStatic: true, file: "src/direct.ts" });
  assert.equal(rebuild?.payload, objectOf(prop("full", BOOLEAN)));

  const purge = tasks.get("admin.purge");
  assert.is(purge?.kind, "callable");
  assert.is(purge?.symbol, "Purge");
  assert.equal(purge?.payload, objectOf(prop("days", NUMBER)));
});

test("QueryIter subclasses, direct and across three files; abstract ones are not tasks", async () => {
  const tasks = await tasksOf({
    "src/direct.ts": `import { QueryIter } from "taskgen";
export class AllUsers extends QueryIter<string> {}`,
    "src/a.ts": `import { QueryIter } from "taskgen";
export abstract class Walker<C> extends QueryIter<number, C> {}`,
    "src/b.ts": `import { Walker } from "./a.js";
export abstract class Counting extends Walker<{ n: number }> {}`,
    "src/c.ts": `import { Counting } from "./b.js";
export class Leaf extends Counting {}`,
  });

  assert.equal([...tasks.keys()], ["AllUsers", "Leaf"]);
  assert.is(tasks.get("AllUsers")?.kind, "queryIter");
  assert.is(tasks.get("AllUsers")?.payload, undefined);
  assert.is(tasks.get("Leaf")?.kind, "queryIter");
  assert.equal(tasks.get("Leaf")?.location, { file: "src/c.ts", line: 2, column: 14 });
});

test("QueryIter through a generic intermediate class carries its custom data", async () => {
  const task = await onlyTask({
    "src/a.ts": `import { QueryIter } from "taskgen";
export interface Row { id: string }
export abstract class A<C> extends QueryIter<Row, C> {}`,
    "src/b.ts": `import { A } from "./a.js";
export class B extends A<{ n: number }> {}`,
  });
  assert.is(task.id, "B");
  assert.equal(task.payload, objectOf(prop("n", NUMBER)));
});

// Import forms

test("aliased and namespace imports of taskgen", async () => {
  const tasks = await tasksOf({
    "src/alias.ts": `import { callDeferred as later } from "taskgen";
export class A { @later async go() {} }`,
    "src/ns.ts": `import * as tg from "taskgen";
export class N { @tg.callDeferred({ queue: "q" }) async go() {} }`,
  });
  assert.is(tasks.get("A.go")?.kind, "deferred");
  assert.equal(tasks.get("N.go")?.options, { queue: "q" });
});

test("a renamed re-export in the project's own module", async () => {
  const tasks = await tasksOf({
    "src/tasks/x.ts": `export { callDeferred as defer } from "taskgen";`,
    "src/use.ts": `import { defer } from "./tasks/x.js";
export class U { @defer async go() {} }`,
  });
  assert.equal([...tasks.keys()], ["U.go"]);
});

test("re-exports through an export-star barrel", async () => {
  const tasks = await tasksOf({
    "src/tasks/index.ts": `export * from "taskgen";`,
    "src/use.ts": `import { callDeferred } from "./tasks/index.js";
export class U { @callDeferred async go() {} }`,
  });
  assert.equal([...tasks.keys()], ["U.go"]);
});

test("a renamed re-export through an export-star barrel", async () => {
  const tasks = await tasksOf({
    "src/tasks/x.ts": `export { callDeferred as defer } from "taskgen";`,
    "src/tasks/index.ts": `export * from "./x.js";`,
    "src/use.ts": `import { defer } from "./tasks/index.js";
export class U { @defer async go() {} }`,
  });
  assert.equal([...tasks.keys()], ["U.go"]);
});

test("default-exported class with a task", async () => {
  const task = await onlyTask({
    "src/d.ts": `import { callDeferred } from "taskgen";
export default class Thing { @callDeferred async go() {} }`,
  });
  assert.is(task.id, "Thing.go");
  assert.equal(task.target, {
    exportName: "default",
    member: "go",
    isStatic: false,
    file: "src/d.ts",
  });
});

// Function forms

test("defineDeferred, definePeriodic and defineStartup", async () => {
  const tasks = await tasksOf({
    "src/fns.ts": `import { defineDeferred, definePeriodic, defineStartup } from "taskgen";
export const sendMail = defineDeferred(async (to: string) => {}, { queue: "q" });
export const hourly = definePeriodic({ interval: "1h" }, async () => {});
export const warmUp = defineStartup(async () => {});`,
  });

  const send = tasks.get("sendMail");
  assert.is(send?.kind, "deferred");
  assert.equal(send?.location, { file: "src/fns.ts", line: 2, column: 14 });
  assert.equal(send?.target, { exportName: "sendMail", isStatic: true, file: "src/fns.ts" });
  assert.equal(send?.options, { queue: "q" });
  assert.equal(send?.payload, { kind: "tuple", elements: [prop("to", STRING)] });
  assert.equal(tasks.get("hourly")?.options, { intervalSeconds: 3600, cronName: "default" });
  assert.is(tasks.get("warmUp")?.kind, "startup");
});

// Things that are not tasks

test("a project's own callDeferred, and the text in comments and strings, are not tasks", async () => {
  const model = await scan({
    "src/own.ts": `function callDeferred(..._args: unknown[]): any {}
export class Own { @callDeferred async go() {} }`,
    "src/text.ts": `// @callDeferred
/** @callDeferred({ queue: "x" }) */
export const note = "@callDeferred async go() {}";
export class Plain { async go() {} }`,
  });
  assert.equal(model.tasks, []);
});

test("an explicit id option wins over the symbol", async () => {
  const task = await onlyTask({
    "src/m.ts": `import { callDeferred } from "taskgen";
export class M { @callDeferred({ id: "mail/send-v2" }) async send() {} }`,
  });
  assert.is(task.id, "mail/send-v2");
  assert.is(task.symbol, "M.send");
});

// Payload type descriptions

test("payload: primitives and literal unions", async () => {
  assert.equal((await paramType("string")).type, STRING);
  assert.equal((await paramType("boolean")).type, BOOLEAN);
  assert.equal((await paramType("number | null")).type, {
    kind: "union",
    members: [NUMBER, { kind: "null" }],
  });
  assert.equal((await paramType(`"a" | "b" | 3`)).type, {
    kind: "union",
    members: [
      { kind: "literal", value: "a" },
      { kind: "literal", value: "b" },
      { kind: "literal", value: 3 },
    ],
  });
});

test("payload: arrays, readonly arrays and tuples with optional and rest elements", async () => {
  assert.equal((await paramType("number[]")).type, { kind: "array", element: NUMBER });
  assert.equal((await paramType("readonly string[]")).type, { kind: "array", element: STRING });
  assert.equal((await paramType("ReadonlyArray<boolean>")).type, {
    kind: "array",
    element: BOOLEAN,
  });
  assert.equal((await paramType("[a: string, b?: number, ...c: boolean[]]")).type, {
    kind: "tuple",
    elements: [prop("a", STRING), prop("b", NUMBER, true)],
    rest: BOOLEAN,
  });
});

test("payload: Date, bigint, Uint8Array and taskgen Key", async () => {
  assert.equal((await paramType("Date")).type, { kind: "date" });
  assert.equal((await paramType("bigint")).type, { kind: "bigint" });
  assert.equal((await paramType("Uint8Array")).type, { kind: "bytes" });
  assert.equal((await paramType("Key", `import type { Key } from "taskgen";`)).type, {
    kind: "key",
  });
});

test("payload: interfaces across files, optional props, index signatures, extends", async () => {
  const { type, definitions } = await paramType(
    "Order",
    `import type { Order } from "./order.js";`,
    {
      "src/order.ts": `export interface Base { id: string }
export interface Order extends Base {
  note?: string;
  tags: { [key: string]: number };
}`,
    },
  );
  const order = type?.kind === "ref" ? definitions.get(type.name) : type;
  assert.equal(order, {
    kind: "object",
    properties: [
      prop("id", STRING),
      prop("note", STRING, true),
      prop("tags", { kind: "object", properties: [], index: NUMBER }),
    ],
  });
});

test("payload: string and auto-numbered enums", async () => {
  const declarations = `enum Color { Red = "red", Blue = "blue" }\nenum Level { Low, High }`;
  const resolve = async (type: string) => {
    const result = await paramType(type, declarations);
    return result.type?.kind === "ref" ? result.definitions.get(result.type.name) : result.type;
  };
  assert.equal(await resolve("Color"), {
    kind: "union",
    members: [
      { kind: "literal", value: "red" },
      { kind: "literal", value: "blue" },
    ],
  });
  assert.equal(await resolve("Level"), {
    kind: "union",
    members: [
      { kind: "literal", value: 0 },
      { kind: "literal", value: 1 },
    ],
  });
});

test("payload: Record, Partial, Pick and Omit", async () => {
  const declarations = `interface P { a: string; b: number; c: boolean }`;
  assert.equal((await paramType("Record<string, number>")).type, {
    kind: "object",
    properties: [],
    index: NUMBER,
  });
  assert.equal(
    (await paramType("Partial<P>", declarations)).type,
    objectOf(prop("a", STRING, true), prop("b", NUMBER, true), prop("c", BOOLEAN, true)),
  );
  assert.equal(
    (await paramType(`Pick<P, "a" | "c">`, declarations)).type,
    objectOf(prop("a", STRING), prop("c", BOOLEAN)),
  );
  assert.equal(
    (await paramType(`Omit<P, "a">`, declarations)).type,
    objectOf(prop("b", NUMBER), prop("c", BOOLEAN)),
  );
});

test("payload: a recursive interface becomes a ref with a definition", async () => {
  const { type, definitions } = await paramType(
    "Tree",
    `interface Tree { value: number; children: Tree[] }`,
  );
  assert.equal(type, { kind: "ref", name: "Tree" });
  assert.equal(
    definitions.get("Tree"),
    objectOf(prop("value", NUMBER), prop("children", { kind: "array", element: type! })),
  );
});

test.run();
