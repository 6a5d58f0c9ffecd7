import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";

import { ts } from "ts-morph";
import { test } from "uvu";
import * as assert from "uvu/assert";

import type { TypeDesc } from "../generator/model/types.js";
import { renderCheckFunction, VALIDATOR_PRELUDE } from "../generator/render/validator-code.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Stands in for the runtime's datastore key. */
class Key {
  constructor(readonly path: string) {}
}

class Thing {
  a = "x";
}

type Check = (value: unknown) => string | undefined;

const S: TypeDesc = { kind: "string" };
const N: TypeDesc = { kind: "number" };
const B: TypeDesc = { kind: "boolean" };
const NULL: TypeDesc = { kind: "null" };
const UNDEFINED: TypeDesc = { kind: "undefined" };
const DATE: TypeDesc = { kind: "date" };
const UNKNOWN: TypeDesc = { kind: "unknown" };
const lit = (value: string | number | boolean): TypeDesc => ({ kind: "literal", value });
const arr = (element: TypeDesc): TypeDesc => ({ kind: "array", element });
const union = (...members: TypeDesc[]): TypeDesc => ({ kind: "union", members });
const ref = (name: string): TypeDesc => ({ kind: "ref", name });
const obj = (properties: Record<string, TypeDesc>, index?: TypeDesc): TypeDesc => {
  const list = Object.entries(properties).map(([key, type]) => {
    const optional = key.endsWith("?");
    return { name: optional ? key.slice(0, -1) : key, type, optional };
  });
  return index ? { kind: "object", properties: list, index } : { kind: "object", properties: list };
};
const tuple = (elements: [string, TypeDesc, boolean?][], rest?: TypeDesc): TypeDesc => {
  const list = elements.map(([name, type, optional]) => ({ name, type, optional: !!optional }));
  return rest ? { kind: "tuple", elements: list, rest } : { kind: "tuple", elements: list };
};

const NODE = obj({ value: N, next: union(ref("Node"), NULL) });
const TREE = obj({ label: S, "children?": arr(ref("Tree")) });
const SHAPE = union(
  obj({ kind: lit("circle"), radius: N }),
  obj(
    {
      kind: lit("rect"),
      "size?": tuple([
        ["", N],
        ["", N],
      ]),
    },
    S,
  ),
  S,
);

interface Case {
  readonly name: string;
  readonly type: TypeDesc;
  readonly definitions?: Readonly<Record<string, TypeDesc>>;
  readonly accept: readonly unknown[];
  readonly refuse: readonly unknown[];
  /** Refused values with their exact message. */
  readonly messages?: readonly (readonly [unknown, string])[];
}

const CASES: readonly Case[] = [
  {
    name: "string",
    type: S,
    accept: ["", "x"],
    refuse: [1, null, undefined, new String("x"), ["x"]],
    messages: [[3, "expected string, got number 3"]],
  },
  {
    // NaN and the infinities are numbers to TypeScript, so they pass.
    name: "number",
    type: N,
    accept: [0, -1.5, Number.NaN, Infinity],
    refuse: ["1", 1n, null, new Number(1)],
    messages: [["1", 'expected number, got string "1"']],
  },
  { name: "boolean", type: B, accept: [true, false], refuse: [0, "true", null] },
  {
    name: "bigint",
    type: { kind: "bigint" },
    accept: [1n],
    refuse: [1],
    messages: [[1, "expected bigint, got number 1"]],
  },
  { name: "null", type: NULL, accept: [null], refuse: [undefined, 0, ""] },
  { name: "undefined", type: UNDEFINED, accept: [undefined], refuse: [null, 0] },
  {
    name: "date",
    type: DATE,
    accept: [new Date(0)],
    refuse: [new Date(Number.NaN), "2020-01-01", 0, {}],
    messages: [
      [new Date(Number.NaN), "expected Date, got invalid Date"],
      ["2020", 'expected Date, got string "2020"'],
    ],
  },
  {
    name: "bytes",
    type: { kind: "bytes" },
    accept: [new Uint8Array(2), Buffer.from("x")],
    refuse: [[1, 2], new Uint16Array(1), new ArrayBuffer(1)],
    messages: [[new Uint16Array(1), "expected Uint8Array, got Uint16Array"]],
  },
  {
    name: "key",
    type: { kind: "key" },
    accept: [new Key("a")],
    refuse: [{ path: "a" }, "a"],
    messages: [[{ path: "a" }, "expected Key, got object"]],
  },
  {
    name: "unknown",
    type: UNKNOWN,
    accept: [undefined, null, {}, [], new Thing(), Symbol("s")],
    refuse: [],
  },
  {
    name: "literals",
    type: union(lit("a"), lit(1), lit(true)),
    accept: ["a", 1, true],
    refuse: ["b", "1", false, null],
    messages: [[7, 'expected one of "a" | 1 | true, got number 7']],
  },
  {
    name: "single literal",
    type: lit("a"),
    accept: ["a"],
    refuse: ["A"],
    messages: [["b", 'expected "a", got string "b"']],
  },
  {
    name: "array",
    type: arr(S),
    accept: [[], ["a", "b"]],
    refuse: ["a", { length: 0 }, ["a", 1]],
    messages: [
      [["a", 1], "[1]: expected string, got number 1"],
      [{}, "expected string[], got object"],
    ],
  },
  {
    name: "nested arrays",
    type: arr(arr(N)),
    accept: [[[]], [[1], [2, 3]]],
    refuse: [[1], [[1], [2, "x"]]],
    messages: [[[[1], [2, "x"]], '[1][1]: expected number, got string "x"']],
  },
  {
    name: "array of literal union in an object",
    type: obj({ items: arr(union(lit("a"), lit("b"))) }),
    accept: [{ items: [] }, { items: ["a", "b", "a"] }],
    refuse: [{ items: ["a", "c"] }],
    messages: [
      [{ items: ["a", "b", "a", 7] }, '.items[3]: expected one of "a" | "b", got number 7'],
    ],
  },
  {
    name: "tuple with optional and rest",
    type: tuple(
      [
        ["", S],
        ["", N, true],
      ],
      B,
    ),
    accept: [["a"], ["a", 1], ["a", 1, true, false]],
    refuse: [[], "a", ["a", undefined], ["a", 1, "x"], [1]],
    messages: [
      [[], "expected at least 1 element, got 0"],
      [["a", undefined], "[1]: expected number, got undefined"],
      [["a", 1, true, "x"], '[3]: expected boolean, got string "x"'],
    ],
  },
  {
    name: "fixed tuple",
    type: tuple([
      ["", S],
      ["", N],
    ]),
    accept: [["a", 1]],
    refuse: [["a"], ["a", 1, 2], [1, "a"]],
    messages: [
      [["a"], "expected 2 elements, got 1"],
      [[1, 1], "[0]: expected string, got number 1"],
    ],
  },
  {
    name: "tuple of optionals",
    type: tuple([["", S, true]]),
    accept: [[], ["a"]],
    refuse: [[undefined], ["a", "b"]],
    messages: [[["a", "b"], "expected at most 1 element, got 2"]],
  },
  {
    name: "argument tuple",
    type: tuple(
      [
        ["order", { kind: "key" }],
        ["when", DATE],
        ["resend", B, true],
      ],
      S,
    ),
    accept: [
      [new Key("k"), new Date(0)],
      [new Key("k"), new Date(0), true],
      // An optional parameter may be passed `undefined`, even under exactOptionalPropertyTypes.
      [new Key("k"), new Date(0), undefined],
      [new Key("k"), new Date(0), false, "a", "b"],
    ],
    refuse: [[new Key("k")], [new Key("k"), new Date(0), true, 1]],
    messages: [
      [[new Key("k"), "2020"], '[1] (when): expected Date, got string "2020"'],
      [[new Key("k")], "expected at least 2 arguments, got 1"],
      [[new Key("k"), new Date(0), "yes"], '[2] (resend): expected boolean, got string "yes"'],
      [[new Key("k"), new Date(0), true, 1], "[3]: expected string, got number 1"],
    ],
  },
  {
    name: "argument tuple without rest",
    type: tuple([
      ["when", DATE],
      ["note", obj({ text: S }), true],
    ]),
    accept: [[new Date(0)], [new Date(0), { text: "x" }]],
    refuse: [[], [new Date(0), {}, 3]],
    messages: [
      [[new Date(0), {}, 3], "expected 1 to 2 arguments, got 3"],
      [[new Date(0), { text: 1 }], "[1] (note).text: expected string, got number 1"],
    ],
  },
  {
    name: "object",
    type: obj({ a: S, "b?": N }),
    accept: [{ a: "x" }, { a: "x", b: 1 }, Object.assign(Object.create(null), { a: "x" })],
    refuse: [
      {},
      { a: "x", b: undefined },
      { a: "x", c: 1 },
      new Date(0),
      [],
      null,
      new Thing(),
      Object.create({ a: "x" }),
      JSON.parse('{"a": "x", "__proto__": {"b": 1}}'),
    ],
    messages: [
      [{}, ".a: missing required property (expected string)"],
      [{ a: "x", b: undefined }, ".b: expected number, got undefined"],
      [{ a: "x", c: 1 }, ".c: unexpected property"],
      [{ a: "x", b: 1, c: 1 }, ".c: unexpected property"],
      [new Thing(), "expected plain object, got Thing"],
      [new Map(), "expected plain object, got Map"],
      [[], "expected object, got array"],
      [JSON.parse('{"a": "x", "__proto__": {"b": 1}}'), ".__proto__: unexpected property"],
    ],
  },
  {
    name: "optional property admitting undefined",
    type: obj({ "a?": union(S, UNDEFINED) }),
    accept: [{}, { a: undefined }, { a: "x" }],
    refuse: [{ a: null }],
  },
  {
    name: "required property admitting undefined",
    type: obj({ a: union(S, UNDEFINED) }),
    accept: [{ a: undefined }],
    refuse: [{}],
  },
  {
    name: "property names that are not identifiers",
    type: obj({ "a-b": N, "": S }),
    accept: [{ "a-b": 1, "": "x" }],
    refuse: [{ "a-b": 1 }],
    messages: [
      [{ "a-b": "x", "": "" }, '["a-b"]: expected number, got string "x"'],
      [{ "a-b": 1, "": "", "x-y": 1 }, '["x-y"]: unexpected property'],
    ],
  },
  {
    name: "empty object",
    type: obj({}),
    accept: [{}],
    refuse: [{ a: 1 }, []],
    messages: [[{ a: 1 }, ".a: unexpected property"]],
  },
  {
    name: "index signature",
    type: obj({}, N),
    accept: [{}, { x: 1, y: 2 }],
    refuse: [{ x: "1" }, JSON.parse('{"__proto__": {"x": 1}}')],
    messages: [
      [{ x: 1, y: "1" }, '.y: expected number, got string "1"'],
      [JSON.parse('{"__proto__": {"x": 1}}'), ".__proto__: expected number, got object"],
    ],
  },
  {
    name: "properties and an index signature",
    type: obj({ id: S }, union(S, N)),
    accept: [{ id: "a" }, { id: "a", n: 1, s: "s" }],
    refuse: [{ n: 1 }, { id: 1 }, { id: "a", n: true }],
    messages: [[{ id: "a", n: true }, ".n: expected one of string | number, got boolean true"]],
  },
  {
    name: "record of unknown",
    type: obj({ "a?": S }, UNKNOWN),
    accept: [{}, { x: Symbol("s"), y: new Thing() }],
    refuse: [[], { a: 1 }],
  },
  {
    name: "recursion through refs",
    type: ref("Node"),
    definitions: { Node: NODE },
    accept: [
      { value: 1, next: null },
      { value: 1, next: { value: 2, next: null } },
    ],
    refuse: [{ value: 1 }, { value: 1, next: { value: "x", next: null } }],
    messages: [
      [
        { value: 1, next: { value: "x", next: null } },
        '.next.value: expected number, got string "x"',
      ],
      [{ value: 1, next: 5 }, ".next: expected one of Node | null, got number 5"],
      [
        { value: 1, next: { value: 1, next: [] } },
        ".next.next: expected one of Node | null, got array",
      ],
    ],
  },
  {
    name: "refs inside arrays",
    type: arr(ref("Tree")),
    definitions: { Tree: TREE },
    accept: [[], [{ label: "a", children: [{ label: "b" }] }]],
    refuse: [[{ label: "a", children: [{ label: 1 }] }]],
    messages: [
      [
        [{ label: "a", children: [{ label: "b" }, 3] }],
        "[0].children[1]: expected object, got number 3",
      ],
      [
        [{ label: "a", children: [{}] }],
        "[0].children[0].label: missing required property (expected string)",
      ],
    ],
  },
  {
    name: "discriminated union",
    type: SHAPE,
    accept: ["s", { kind: "circle", radius: 1 }, { kind: "rect" }, { kind: "rect", size: [1, 2] }],
    refuse: [{ kind: "circle" }, { kind: "rect", size: [1] }, { kind: "square" }, 5, {}],
    messages: [
      [{ kind: "circle", radius: "1" }, '.radius: expected number, got string "1"'],
      [{ kind: "rect", size: [1, "2"] }, '.size[1]: expected number, got string "2"'],
      [{ kind: "rect", extra: 1 }, ".extra: expected string, got number 1"],
      [{ kind: "circle", radius: 1, extra: 1 }, ".extra: unexpected property"],
      [{ kind: "square" }, '.kind: expected one of "circle" | "rect", got string "square"'],
      [{}, '.kind: missing required property (expected one of "circle" | "rect")'],
    ],
  },
  {
    name: "union chosen by shape",
    type: union(arr(S), obj({ a: S }), NULL),
    accept: [null, [], ["x"], { a: "x" }],
    refuse: [5, [1], { a: 1 }, new Date(0)],
    messages: [
      [{ a: 1 }, ".a: expected string, got number 1"],
      [[1], "[0]: expected string, got number 1"],
      [5, "expected one of string[] | { a: string } | null, got number 5"],
    ],
  },
  {
    name: "union of objects without a discriminant",
    type: union(obj({ a: S }), obj({ b: N }), obj({ a: N, c: B })),
    accept: [{ a: "x" }, { b: 1 }, { a: 1, c: true }],
    refuse: [{ a: 1 }, { a: "x", b: 1 }, {}],
    messages: [
      [
        { a: 1 },
        "expected one of { a: string } | { b: number } | { a: number; c: boolean }, got object",
      ],
    ],
  },
  {
    name: "union of arrays and tuples",
    type: union(
      arr(N),
      tuple([
        ["", S],
        ["", S],
      ]),
    ),
    accept: [[], [1, 2], ["a", "b"]],
    refuse: [["a"], [1, "a"]],
  },
  {
    name: "union of refs and inline members",
    type: union(ref("Node"), arr(S), DATE),
    definitions: { Node: NODE },
    accept: [{ value: 1, next: null }, ["a"], new Date(0)],
    refuse: [{ value: 1 }, [1], new Date(Number.NaN)],
    messages: [[5, "expected one of Node | string[] | Date, got number 5"]],
  },
  {
    name: "nested unions",
    type: union(union(lit("a"), NULL), obj({ v: union(S, arr(union(N, B))) })),
    accept: ["a", null, { v: "x" }, { v: [1, true] }],
    refuse: ["b", { v: [null] }],
    messages: [[{ v: [null] }, ".v[0]: expected one of number | boolean, got null"]],
  },
  {
    name: "union containing unknown",
    type: union(S, UNKNOWN),
    accept: [1, null, undefined, {}],
    refuse: [],
  },
  {
    name: "union inside a union member that is tried",
    type: union(obj({ a: union(lit(1), obj({ b: union(S, ref("Node")) })) }), obj({ c: N })),
    definitions: { Node: NODE },
    accept: [{ a: 1 }, { a: { b: "x" } }, { a: { b: { value: 1, next: null } } }, { c: 1 }],
    refuse: [{ a: 2 }, { a: { b: 1 } }, { a: 1, c: 1 }],
  },
  {
    name: "deeply nested inline types",
    type: obj({ a: obj({ a: arr(obj({ a: arr(arr(obj({ "a?": S }, N))) })) }) }),
    accept: [{ a: { a: [{ a: [[{}, { a: "x", b: 1 }]] }] } }],
    refuse: [{ a: { a: [{ a: [[{ b: "x" }]] }] } }],
    messages: [
      [
        { a: { a: [{ a: [[{}, { b: "x" }]] }] } },
        '.a.a[0].a[0][1].b: expected number, got string "x"',
      ],
    ],
  },
];

const refName = (definition: string) => `check${definition}`;

function renderCase(name: string, c: Case): string {
  const definitions = Object.entries(c.definitions ?? {}).map(([definition, type]) =>
    renderCheckFunction(refName(definition), type, refName),
  );
  return [...definitions, renderCheckFunction(name, c.type, refName)].join("\n");
}

function evaluate(source: string, result: string): unknown {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return new Function("exports", "Key", `${js}\nreturn ${result};`)({}, Key);
}

function compile(c: Case): Check {
  return evaluate(`${VALIDATOR_PRELUDE}\n${renderCase("check", c)}`, "check") as Check;
}

for (const c of CASES) {
  test(`renderCheckFunction: ${c.name}`, () => {
    const check = compile(c);
    for (const value of c.accept) {
      assert.is(check(value), undefined, `accepts ${inspect(value)}`);
    }
    for (const value of c.refuse) {
      assert.type(check(value), "string", `refuses ${inspect(value)}`);
    }
    for (const [value, message] of c.messages ?? []) {
      assert.is(check(value), message);
    }
  });
}

test("renderCheckFunction: own properties only, whatever the prototype holds", () => {
  const check = compile({ name: "", type: obj({ a: S, "b?": N }), accept: [], refuse: [] });
  const proto = Object.prototype as Record<string, unknown>;
  try {
    proto["a"] = "x";
    proto["b"] = "y";
    assert.is(check({}), ".a: missing required property (expected string)");
    assert.is(check({ a: "x" }), undefined);
  } finally {
    delete proto["a"];
    delete proto["b"];
  }
});

test("renderCheckFunction: non-enumerable own properties are checked too", () => {
  const check = compile({ name: "", type: obj({ a: S }), accept: [], refuse: [] });
  const hidden = Object.defineProperty({ a: "x" }, "b", { value: 1, enumerable: false });
  assert.is(check(hidden), ".b: unexpected property");
});

test("renderCheckFunction: emits the expected text for a simple type", () => {
  const text = renderCheckFunction("checkName", S, refName);
  assert.is(
    text,
    [
      "function checkName(v: unknown): string | undefined {",
      '  if (typeof v !== "string") {',
      '    return "expected string, got " + got(v);',
      "  }",
      "  return undefined;",
      "}",
      "",
    ].join("\n"),
  );
  assert.is(
    renderCheckFunction("checkAny", UNKNOWN, refName),
    "function checkAny(_v: unknown): string | undefined {\n  return undefined;\n}\n",
  );
  assert.is(
    renderCheckFunction("checkRoot", ref("Node"), refName),
    "function checkRoot(v: unknown): string | undefined {\n  return checkNode(v);\n}\n",
  );
});

test("renderCheckFunction: output is byte-stable, LF only, 2-space indented", () => {
  for (const c of CASES) {
    const text = renderCase("check", c);
    assert.is(renderCase("check", c), text);
    assert.not.match(text, "\r");
    assert.not.match(text, "\t");
    for (const line of text.split("\n")) {
      const indent = /^ */.exec(line)?.[0].length ?? 0;
      assert.is(indent % 2, 0, line);
    }
  }
});

test("renderCheckFunction: refuses names that clash with the prelude or locals", () => {
  assert.throws(() => renderCheckFunction("got", S, refName), /got/);
  assert.throws(() => renderCheckFunction("e1", S, refName), /e1/);
  assert.throws(() => renderCheckFunction("check-it", S, refName), /check-it/);
  assert.throws(() => renderCheckFunction("checkX", ref("X"), () => "hasOwn"), /hasOwn/);
  assert.throws(() => renderCheckFunction("checkX", union(), refName), /empty union/);
});

test("VALIDATOR_PRELUDE: got() describes received values", () => {
  const got = evaluate(VALIDATOR_PRELUDE, "got") as (value: unknown) => string;
  const table: [unknown, string][] = [
    [null, "null"],
    [undefined, "undefined"],
    [[1], "array"],
    [new Date(0), "Date"],
    [new Date(Number.NaN), "invalid Date"],
    [3, "number 3"],
    [Number.NaN, "number NaN"],
    [true, "boolean true"],
    [5n, "bigint 5n"],
    ["abc", 'string "abc"'],
    ["x".repeat(50), `string "${"x".repeat(40)}"... (50 chars)`],
    [{}, "object"],
    [Object.create(null), "object"],
    [new Key("k"), "Key"],
    [new Uint8Array(1), "Uint8Array"],
    [() => 1, "function"],
    [Symbol("s"), "symbol"],
  ];
  for (const [value, text] of table) assert.is(got(value), text);
});

test("renderCheckFunction: the emitted code type-checks under the strictest settings", () => {
  const functions = CASES.map((c, i) => {
    const rename = (definition: string) => `check${i}${definition}`;
    const definitions = Object.entries(c.definitions ?? {}).map(([definition, type]) =>
      renderCheckFunction(rename(definition), type, rename),
    );
    return [...definitions, renderCheckFunction(`check${i}`, c.type, rename)];
  });
  const source = [
    'export class Key {\n  readonly path: string = "";\n}\n',
    VALIDATOR_PRELUDE,
    ...functions.flat().map((text) => `export ${text}`),
  ].join("\n");

  const dir = mkdtempSync(join(tmpdir(), "taskgen-validators-"));
  try {
    const file = join(dir, "validators.ts");
    writeFileSync(file, source);
    const flags = [
      "--noEmit",
      "--strict",
      "--exactOptionalPropertyTypes",
      "--noUncheckedIndexedAccess",
      "--noImplicitReturns",
      "--noFallthroughCasesInSwitch",
      "--noUnusedLocals",
      "--noUnusedParameters",
      "--noPropertyAccessFromIndexSignature",
      "--allowUnreachableCode",
      "false",
      "--allowUnusedLabels",
      "false",
      "--verbatimModuleSyntax",
      "--module",
      "esnext",
      "--target",
      "es2020",
      "--lib",
      "es2020",
      "--types",
      "",
    ];
    try {
      execFileSync(join(ROOT, "node_modules/.bin/tsc"), [...flags, file], {
        cwd: dir,
        encoding: "utf8",
      });
    } catch (error) {
      const output = (error as { stdout?: string }).stdout ?? String(error);
      assert.unreachable(`tsc refused the generated code:\n${output}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
