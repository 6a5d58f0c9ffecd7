import { suite } from "uvu";
import * as assert from "uvu/assert";

import { Key } from "../runtime/index.js";
import {
  CodecError,
  decodeEnvelope,
  encodeEnvelope,
  type Envelope,
} from "../runtime/codec/index.js";

/** The CodecError `run` throws, checked to be one. */
function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    assert.instance(error, CodecError);
    return error as CodecError;
  }

  throw new Error("Expected a CodecError");
}

function encodePayload(payload: unknown): string {
  return encodeEnvelope({ v: 1, task: "t", payload });
}

function decodePayload(payloadJson: string): unknown {
  return decodeEnvelope(`{"v":1,"task":"t","payload":${payloadJson}}`).payload;
}

function cycle(): object {
  const order: Record<string, unknown> = { lines: [{}] };

  (order.lines as Record<string, unknown>[])[0]!.order = order;
  return order;
}

const refusals = suite("encodeEnvelope refusals");

// [case, payload, path, a piece of the message]
const REFUSED: readonly (readonly [string, unknown, string, string])[] = [
  ["a function", [() => 1], "payload[0]", "it is a function"],
  ["a class", { job: class Job {} }, "payload.job", "it is a function"],
  ["a symbol", { a: { b: Symbol("s") } }, "payload.a.b", "it is a symbol"],
  ["a Map", { "odd key": new Map() }, 'payload["odd key"]', "Object.fromEntries(map)"],
  ["a Set", [[new Set()]], "payload[0][0]", "pass [...set] instead"],
  ["a RegExp", [/x/], "payload[0]", "it is a RegExp"],
  ["an Error", [new Error("x")], "payload[0]", "it is an Error"],
  ["a Promise", [Promise.resolve()], "payload[0]", "it is a Promise"],
  ["a class instance", [new (class Invoice {})()], "payload[0]", "it is an Invoice"],
  ["an object with a custom prototype", [Object.create({})], "payload[0]", "it is an Object"],
  ["a boxed number", [Object(1)], "payload[0]", "it is a Number"],
  ["another typed array", [new Float64Array(1)], "payload[0]", "only Uint8Array can travel"],
  ["an ArrayBuffer", [new ArrayBuffer(1)], "payload[0]", "only Uint8Array can travel"],
  ["an invalid Date", { at: new Date(NaN) }, "payload.at", "it is an invalid Date"],
  ["a symbol key", [{ [Symbol("s")]: 1 }], "payload[0]", "the symbol key Symbol(s)"],
  ["a cycle", cycle(), "payload.lines[0].order", "a cycle"],
  ["a self-containing array", ((a: unknown[]) => (a.push(a), a))([]), "payload[0]", "a cycle"],
];

for (const [name, payload, path, message] of REFUSED) {
  refusals(`refuses ${name} at its path`, () => {
    const error = codecError(() => encodePayload(payload));

    assert.is(error.path, path);
    assert.ok(error.message.startsWith(`Cannot encode ${path}: `), error.message);
    assert.ok(error.message.includes(message), error.message);
  });
}

refusals("names the path in env.custom", () => {
  const error = codecError(() =>
    encodeEnvelope({ v: 1, task: "t", payload: [], env: { custom: { hook: () => 1 } } }),
  );

  assert.is(error.path, "env.custom.hook");
});

refusals("ignores non-enumerable symbol keys, as JSON does", () => {
  const payload = Object.defineProperty({ a: 1 }, Symbol("hidden"), { value: 2 });

  assert.equal(decodeEnvelope(encodePayload(payload)).payload, { a: 1 });
});

refusals("refuses nesting deeper than maxDepth", () => {
  const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

  encodeEnvelope({ v: 1, task: "t", payload: nested(4) }, { maxDepth: 4 });

  const error = codecError(() =>
    encodeEnvelope({ v: 1, task: "t", payload: nested(5) }, { maxDepth: 4 }),
  );

  assert.is(error.path, "payload[0][0][0][0]");
});

refusals("refuses an envelope beyond maxBytes", () => {
  const error = codecError(() =>
    encodeEnvelope({ v: 1, task: "t", payload: "é".repeat(600) }, { maxBytes: 1000 }),
  );

  assert.match(error.message, /takes 1231 bytes, more than the limit of 1000/);
});

refusals("refuses a huge sparse array before walking it", () => {
  const error = codecError(() => encodePayload([, new Array(1e9)]));

  assert.is(error.path, "payload[1]");
  assert.match(error.message, /an array of 1000000000 items/);
});

refusals("checks the envelope members for untyped callers", () => {
  const bad = (envelope: unknown) => codecError(() => encodeEnvelope(envelope as Envelope)).path;

  assert.is(bad({ v: 2, task: "t", payload: 1 }), "v");
  assert.is(bad({ v: 1, task: "", payload: 1 }), "task");
  assert.is(bad({ v: 1, task: "t", payload: 1, env: { user: 5 } }), "env.user");
  assert.is(bad({ v: 1, task: "t", payload: 1, meta: { a: NaN } }), 'meta["a"]');
  assert.is(bad({ v: 1, task: "t", payload: 1, meta: new Map() }), "meta");
});

const malformed = suite("decodeEnvelope errors");

// [case, payload JSON, path, a piece of the message]
const MALFORMED: readonly (readonly [string, string, string, string])[] = [
  ["an unknown tag", '[{"$x":1}]', "payload[0]", 'unknown tag "$x"'],
  ["a tag with company", '{"a":{"$d":"x","b":1}}', "payload.a", "shares its object"],
  ["$u not 0", '{"$u":null}', "payload", 'the tag "$u" should hold 0'],
  ["$n not a name", '[{"$n":"1"}]', "payload[0]", '"NaN", "Infinity"'],
  ["$i not decimal", '[{"$i":"0x10"}]', "payload[0]", "a decimal integer"],
  ["$i with a leading zero", '[{"$i":"01"}]', "payload[0]", "a decimal integer"],
  ["$d not a date", '{"at":{"$d":"yesterday"}}', "payload.at", "as toISOString writes it"],
  ["$d on 30 February", '[{"$d":"2024-02-30T00:00:00.000Z"}]', "payload[0]", "toISOString"],
  ["$d without milliseconds", '[{"$d":"2024-02-03T00:00:00Z"}]', "payload[0]", "toISOString"],
  ["$b not base64", '[{"$b":"a*=="}]', "payload[0]", "standard base64"],
  ["$b unpadded", '[{"$b":"AQI"}]', "payload[0]", "standard base64"],
  ["$k not an array", '[{"$k":"agpteS1wcm9qZWN0"}]', "payload[0]", "[project, namespace"],
  ["$k without a path", '[{"$k":["p",""]}]', "payload[0]", "[project, namespace"],
  ["$k with a bad id", '[{"$k":["p","","A",1.5]}]', "payload[0]", "invalid key"],
  ["$k with an empty kind", '[{"$k":["p","","",1]}]', "payload[0]", "invalid key"],
  ["$k with a nested object", '[{"$k":["p","","A",{"x":1}]}]', "payload[0]", "in its path"],
  ["$o not an object", '[{"$o":[1]}]', "payload[0]", 'the tag "$o" should hold an object'],
  ["a bad tag inside $o", '{"$o":{"$d":{"$n":"x"}}}', "payload.$d", '"NaN"'],
  ["an odd member name in the path", '{"a b":[{"$u":1}]}', 'payload["a b"][0]', "$u"],
];

for (const [name, payloadJson, path, message] of MALFORMED) {
  malformed(`refuses ${name}`, () => {
    const error = codecError(() => decodePayload(payloadJson));

    assert.is(error.path, path);
    assert.ok(error.message.startsWith(`Malformed envelope at ${path}: `), error.message);
    assert.ok(error.message.includes(message), error.message);
  });
}

// [case, envelope text, path, a piece of the message]
const BAD_ENVELOPES: readonly (readonly [string, string, string, string])[] = [
  ["not JSON", "{", "", "it is not JSON"],
  ["not an object", "[1]", "", "should be an object"],
  ["version 2", '{"v":2,"task":"t","payload":1,"new":1}', "v", "Unsupported envelope version 2"],
  ["version as a string", '{"v":"1","task":"t","payload":1}', "v", 'version "1"'],
  ["no version", '{"task":"t","payload":1}', "v", "Unsupported envelope version undefined"],
  ["an empty task id", '{"v":1,"task":"","payload":1}', "task", "non-empty string"],
  ["a numeric task id", '{"v":1,"task":7,"payload":1}', "task", "non-empty string"],
  ["no payload", '{"v":1,"task":"t"}', "payload", "it has no payload"],
  ["an unknown member", '{"v":1,"task":"t","payload":1,"eta":5}', "", 'unknown member "eta"'],
  ["env not an object", '{"v":1,"task":"t","payload":1,"env":"u"}', "env", "an object"],
  ["an unknown env member", '{"v":1,"task":"t","payload":1,"env":{"x":1}}', "env", '"x"'],
  ["a numeric user", '{"v":1,"task":"t","payload":1,"env":{"user":5}}', "env.user", "a string"],
  ["a bad custom", '{"v":1,"task":"t","payload":1,"env":{"custom":{"$u":2}}}', "env.custom", "$u"],
  ["a meta object", '{"v":1,"task":"t","payload":1,"meta":{"a":{}}}', 'meta["a"]', "strings"],
];

for (const [name, text, path, message] of BAD_ENVELOPES) {
  malformed(`refuses an envelope with ${name}`, () => {
    const error = codecError(() => decodeEnvelope(text));

    assert.is(error.path, path);
    assert.ok(error.message.includes(message), error.message);
  });
}

malformed("refuses what is not a string", () => {
  assert.is(codecError(() => decodeEnvelope(null as unknown as string)).path, "");
});

malformed("accepts keys with small ids as $i tags", () => {
  const key = decodePayload('{"$k":["p","","A",{"$i":"7"}]}');

  assert.ok(Key.from(["A", 7n], { project: "p" }).equals(key as Key));
});

refusals.run();
malformed.run();
