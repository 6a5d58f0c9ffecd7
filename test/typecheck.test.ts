import fs from "node:fs";
import path from "node:path";

import { test } from "uvu";
import * as assert from "uvu/assert";

import { copyFixture, generate, typecheck } from "./fixtures/fixture-project.js";

/** The strictest settings a user might compile the generated code with. */
const STRICT_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    noPropertyAccessFromIndexSignature: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    noEmit: true,
  },
  include: ["src/**/*.ts"],
};

const CASE_FILE = "src/stub-call.ts";

const PRELUDE = `import type { Enqueue } from "./generated/stubs.js";
import { createDeferredStubs } from "./generated/stubs.js";
import { OrderStatus, Priority, type Order } from "./types.js";
import type { Receipt } from "./payment.js";

declare const enqueue: Enqueue;
declare const order: Order;
declare const receipt: Receipt;
const stubs = createDeferredStubs(enqueue);
void order;
void receipt;
void OrderStatus;
void Priority;
`;

interface WrongCall {
  readonly name: string;
  readonly code: string;
  readonly call: string;
}

const WRONG_CALLS: readonly WrongCall[] = [
  { name: "wrong argument type", code: "TS2345", call: `stubs.Orders.cancel(42, "fraud");` },
  { name: "missing required argument", code: "TS2554", call: `stubs.Orders.cancel("o-1");` },
  { name: "too many arguments", code: "TS2554", call: `stubs.Orders.cancel("o-1", "fraud", 1);` },
  { name: "wrong union literal", code: "TS2345", call: `stubs.Orders.cancel("o-1", "refund");` },
  {
    name: "string literal for a string enum",
    code: "TS2345",
    call: `stubs.Orders.mailReceipt(receipt, "paid");`,
  },
  {
    name: "Map for an interface",
    code: "TS2740",
    call: `stubs.Orders.send(new Map(), Priority.Low);`,
  },
  {
    name: "wrong tuple element",
    code: "TS2322",
    call: `stubs.importCategories({ name: "a", children: [] }, [new Date(), "2024"]);`,
  },
  {
    name: "unknown call option",
    code: "TS2353",
    call: `stubs.Orders.send.with({ delay: 5 })(order, Priority.High);`,
  },
];

const CORRECT_CALLS = `
await stubs.Orders.cancel("o-1", "fraud");
await stubs.Orders.send(order, Priority.High);
await stubs.Orders.send(order, Priority.Low, "leave at the door");
await stubs.Orders.mailReceipt(receipt, OrderStatus.Paid);
await stubs.Orders.mailReceipt(receipt, null);
await stubs.Orders.send.with({ delaySeconds: 60, queue: "slow" })(order, Priority.Low);
await stubs.importCategories({ name: "root", children: [] }, [new Date(0), new Date()]);
`;

const project = copyFixture("shop");
const generated = generate(project);
fs.writeFileSync(path.join(project, "tsconfig.strict.json"), JSON.stringify(STRICT_TSCONFIG));

test.after(() => fs.rmSync(project, { recursive: true, force: true }));

/** Writes the one case file, type-checks the project with it, then removes it. */
function checkWith(source: string, compiler: "ts6" | "ts7" = "ts7") {
  const file = path.join(project, CASE_FILE);
  fs.writeFileSync(file, source);
  try {
    return typecheck(compiler, project, "tsconfig.strict.json");
  } finally {
    fs.rmSync(file);
  }
}

test("generate succeeds", () => {
  assert.is(generated.status, 0, generated.output);
});

test("generated code type-checks under the strictest flags with TypeScript 7", () => {
  const result = typecheck("ts7", project, "tsconfig.strict.json");
  assert.is(result.status, 0, result.output);
});

test("generated code type-checks under the strictest flags with TypeScript 6", () => {
  const result = typecheck("ts6", project, "tsconfig.strict.json");
  assert.is(result.status, 0, result.output);
});

test("correct stub calls compile", () => {
  const result = checkWith(PRELUDE + CORRECT_CALLS);
  assert.is(result.status, 0, result.output);
});

for (const wrong of WRONG_CALLS) {
  test(`a stub call fails to compile: ${wrong.name}`, () => {
    const result = checkWith(`${PRELUDE}\n${wrong.call}\n`);
    const errors = result.output.split("\n").filter((line) => line.includes(" error TS"));

    assert.is.not(result.status, 0, `expected a compile error for: ${wrong.call}`);
    assert.ok(errors.length > 0, result.output);
    for (const error of errors) {
      assert.ok(error.startsWith(`${CASE_FILE}(`), `error outside the case file: ${error}`);
    }
    assert.ok(
      errors.some((error) => error.includes(`error ${wrong.code}:`)),
      `expected ${wrong.code}, got:\n${result.output}`,
    );
  });
}

test("TaskInstances requires every instance", () => {
  const source = `import type { TaskInstances } from "./generated/dispatch.js";
import { Orders } from "./orders.js";

declare function start(instances: TaskInstances): void;
start({ Orders: new Orders() });
start({});
`;
  const result = checkWith(source);

  assert.is.not(result.status, 0, result.output);
  assert.match(result.output, /^src\/stub-call\.ts\(6,7\): error TS2741: .*'Orders'/m);
  assert.is(result.output.match(/error TS/g)?.length, 1, result.output);
});

test.run();
