import { Buffer } from "node:buffer";

import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";

import { Key } from "../runtime/index.js";
import { decodeEnvelope, encodeEnvelope, type Envelope } from "../runtime/codec/index.js";

/**
 * Deep equality as the codec promises it: numbers by `Object.is` (so -0 and NaN count), dates
 * by time, bytes by content (decoded as a plain `Uint8Array`), keys by `Key.equals`, members
 * set to `undefined` distinct from absent ones, plain objects arriving with `Object.prototype`.
 */
function codecEqual(sent: unknown, received: unknown): boolean {
  if (typeof sent !== "object" || sent === null) {
    return Object.is(sent, received);
  }

  if (typeof received !== "object" || received === null) {
    return false;
  }

  if (sent instanceof Date) {
    return received instanceof Date && sent.getTime() === received.getTime();
  }

  if (sent instanceof Uint8Array) {
    return (
      Object.getPrototypeOf(received) === Uint8Array.prototype &&
      Buffer.compare(sent, received as Uint8Array) === 0
    );
  }

  if (sent instanceof Key) {
    return received instanceof Key && sent.equals(received);
  }

  if (Array.isArray(sent)) {
    return (
      Array.isArray(received) &&
      sent.length === received.length &&
      // Holes arrive as undefined items; `Array.from` reads both as undefined.
      Array.from(sent).every(
        (item, index) => index in received && codecEqual(item, received[index]),
      )
    );
  }

  return (
    Object.getPrototypeOf(received) === Object.prototype &&
    sameKeys(Object.keys(sent), Object.keys(received)) &&
    Object.keys(sent).every((key) =>
      codecEqual(
        (sent as Record<string, unknown>)[key],
        (received as Record<string, unknown>)[key],
      ),
    )
  );
}

function sameKeys(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((key, index) => key === right[index]);
}

function roundTrip(payload: unknown): unknown {
  return decodeEnvelope(encodeEnvelope({ v: 1, task: "t", payload })).payload;
}

/** An object with `entries` as own members, `__proto__` included, and the given prototype. */
function objectOf(entries: readonly (readonly [string, unknown])[], prototype: object | null) {
  const object = Object.create(prototype) as Record<string, unknown>;

  for (const [key, value] of entries) {
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  return object;
}

const table = suite("codec round trip, table");

const CASES: readonly (readonly [string, unknown])[] = [
  ["null", null],
  ["booleans", [true, false]],
  ["strings, unicode and lone surrogates", ["", "grüße 🎉", "\ud800", "\u2028", '"$d"']],
  [
    "integers and fractions",
    [0, 1, -1, 0.1, Number.MAX_SAFE_INTEGER, 5e-324, 1.7976931348623157e308],
  ],
  ["-0, NaN and infinities", [-0, NaN, Infinity, -Infinity]],
  ["bigints", [0n, -1n, 2n ** 64n, -(10n ** 40n)]],
  ["undefined at the top", undefined],
  ["undefined items and holes", [undefined, , 1, , undefined]],
  ["a member set to undefined", { a: undefined, b: 1 }],
  ["dates", [new Date(0), new Date(-1), new Date(8.64e15), new Date(-8.64e15), new Date(1.5e12)]],
  ["bytes", [new Uint8Array(), new Uint8Array([0, 1, 254, 255]), new Uint8Array(1000).fill(7)]],
  ["a Buffer, as bytes", Buffer.from("hello")],
  ["a view into a larger buffer", new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3)],
  ["keys", [Key.from(["Order", 12n, "Line", "gift"], { project: "p", namespace: "ns" })]],
  ["incomplete and large-id keys", [Key.from(["Order"]), Key.from(["A", 2n ** 63n - 1n, "B"])]],
  ["a key named with digits", Key.from(["User", "12"])],
  ["objects that look like tags", [{ $d: "2020-01-01T00:00:00.000Z" }, { $u: 0 }, { $o: {} }]],
  ["objects with $ keys among others", { a: 1, $t: [2], $: { $$: 3 } }],
  [
    "awkward member names",
    objectOf(
      [
        ["__proto__", { x: 1 }],
        ["constructor", 2],
        ["", 3],
      ],
      Object.prototype,
    ),
  ],
  ["a null-prototype object", objectOf([["a", 1]], null)],
  ["integer-like member names", { 2: "b", 1: "a", x: "c" }],
  ["a value referenced twice", ((shared) => [shared, shared])({ a: 1 })],
  ["nesting of every kind", { a: [{ b: [new Date(5), { $k: [1n] }] }] }],
];

for (const [name, value] of CASES) {
  table(name, () => {
    assert.ok(codecEqual(value, roundTrip(value)), `${name} came back different`);
  });
}

table("a whole envelope", () => {
  const envelope: Envelope = {
    v: 1,
    task: "orders:confirm",
    payload: ["o-17", new Date(0)],
    env: { user: "u-5", lang: "de", custom: { tenant: 7n } },
    meta: { traceId: "a1b2", attempt: 2, __proto__x: "y" },
  };

  assert.ok(codecEqual(envelope, decodeEnvelope(encodeEnvelope(envelope))));
});

table("leaves optional envelope members absent", () => {
  const decoded = decodeEnvelope(encodeEnvelope({ v: 1, task: "t", payload: [], env: {} }));

  assert.equal(Object.keys(decoded), ["v", "task", "payload", "env"]);
  assert.equal(Object.keys(decoded.env ?? { missing: 1 }), []);
});

const wire = suite("codec wire format");

wire("writes the documented tags", () => {
  const payload = [
    undefined,
    -0,
    NaN,
    -Infinity,
    -42n,
    new Date("2026-08-15T06:50:22.123Z"),
    new Uint8Array([1, 2, 3]),
    Key.from(["Order", 12n, "Line", "gift"], { project: "my-project" }),
    Key.from(["A", 2n ** 60n], { namespace: "ns" }),
    { $d: "not a date" },
    { plain: 1 },
  ];

  assert.is(
    encodeEnvelope({ v: 1, task: "t", payload }),
    '{"v":1,"task":"t","payload":[{"$u":0},{"$n":"-0"},{"$n":"NaN"},{"$n":"-Infinity"},' +
      '{"$i":"-42"},{"$d":"2026-08-15T06:50:22.123Z"},{"$b":"AQID"},' +
      '{"$k":["my-project","","Order",12,"Line","gift"]},' +
      '{"$k":["","ns","A",{"$i":"1152921504606846976"}]},{"$o":{"$d":"not a date"}},{"plain":1}]}',
  );
});

wire("writes far years as toISOString does", () => {
  const text = encodeEnvelope({ v: 1, task: "t", payload: new Date(-8.64e15) });

  assert.is(text, '{"v":1,"task":"t","payload":{"$d":"-271821-04-20T00:00:00.000Z"}}');
});

const property = suite("codec round trip, properties");

const memberName = fc.oneof(
  fc.constantFrom("$t", "$d", "$u", "$o", "$k", "$", "$$", "__proto__", "constructor", "", "0"),
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string().map((name) => `$${name}`),
);

const key = fc
  .record({
    path: fc.array(
      fc.tuple(
        fc.string({ minLength: 1 }),
        fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), fc.string({ minLength: 1 })),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    incomplete: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
    project: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
    namespace: fc.option(fc.stringMatching(/^[0-9A-Za-z._-]{1,20}$/), { nil: undefined }),
  })
  .map(({ path, incomplete, project, namespace }) =>
    Key.from([...path.flat(), ...(incomplete === undefined ? [] : [incomplete])], {
      ...(project === undefined ? {} : { project }),
      ...(namespace === undefined ? {} : { namespace }),
    }),
  );

const leaf = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.string({ unit: "binary" }),
  fc.date({ noInvalidDate: true }),
  fc.uint8Array({ maxLength: 20 }),
  key,
);

const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: object }>((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
  array: fc.oneof(
    fc.array(tie("value"), { maxLength: 5 }),
    fc.sparseArray(tie("value"), { maxLength: 8, maxNumElements: 3 }),
  ),
  object: fc
    .tuple(
      fc.uniqueArray(fc.tuple(memberName, tie("value")), {
        maxLength: 5,
        selector: ([name]) => name,
      }),
      fc.boolean(),
    )
    .map(([entries, nullPrototype]) => objectOf(entries, nullPrototype ? null : Object.prototype)),
}));

property("every value that travels comes back equal", () => {
  fc.assert(
    fc.property(value, (sent) => codecEqual(sent, roundTrip(sent))),
    { numRuns: 2000 },
  );
});

property("env.custom round-trips like the payload", () => {
  fc.assert(
    fc.property(value, (custom) => {
      const text = encodeEnvelope({ v: 1, task: "t", payload: null, env: { custom } });
      const decoded = decodeEnvelope(text).env ?? {};

      // An undefined custom is no custom: envelope members set to undefined are left out.
      return custom === undefined ? !("custom" in decoded) : codecEqual(custom, decoded.custom);
    }),
    { numRuns: 500 },
  );
});

property("encoding is stable: decoding and encoding again gives the same text", () => {
  fc.assert(
    fc.property(value, (payload) => {
      const text = encodeEnvelope({ v: 1, task: "t", payload });

      return encodeEnvelope(decodeEnvelope(text)) === text;
    }),
    { numRuns: 1000 },
  );
});

table.run();
wire.run();
property.run();
