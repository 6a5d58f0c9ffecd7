import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";

import {
  CodecError,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  decodeEnvelope,
} from "../runtime/codec/index.js";

/** Decodes `text`, allowing only a CodecError to escape. */
function decodeOrCodecError(text: string): boolean {
  try {
    decodeEnvelope(text);
  } catch (error) {
    if (!(error instanceof CodecError)) {
      throw error;
    }
  }

  return true;
}

function isCodecError(error: unknown): boolean {
  return error instanceof CodecError;
}

function withPayload(payloadJson: string): string {
  return `{"v":1,"task":"t","payload":${payloadJson}}`;
}

const hostile = suite("decodeEnvelope on hostile input");

hostile("throws nothing but CodecError for random text", () => {
  fc.assert(fc.property(fc.string({ unit: "binary" }), decodeOrCodecError), { numRuns: 2000 });
});

hostile("throws nothing but CodecError for random JSON envelopes", () => {
  fc.assert(fc.property(fc.json(), decodeOrCodecError), { numRuns: 1000 });
  fc.assert(
    fc.property(fc.json(), (payload) => decodeOrCodecError(withPayload(payload))),
    { numRuns: 1000 },
  );
});

hostile("throws nothing but CodecError for random tags", () => {
  const tagName = fc.constantFrom("$u", "$n", "$i", "$d", "$b", "$k", "$o", "$", "$x", "a");
  const content = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom("NaN", "-0", "12", "-1", "AQID", "2024-02-29T00:00:00.000Z", "+275761-01-01"),
    fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant({ $i: "9223372036854775808" }))),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      content,
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(tagName, tie("value"), { maxKeys: 2 }),
    ),
  }));

  fc.assert(
    fc.property(value, (payload) => decodeOrCodecError(withPayload(JSON.stringify(payload)))),
    { numRuns: 3000 },
  );
});

hostile("refuses deep nesting without overflowing the stack", () => {
  for (const [open, close] of [
    ["[", "]"],
    ['{"a":', "}"],
    ['{"$o":{"a":', "}}"],
  ] as const) {
    const text = withPayload(`${open.repeat(50_000)}1${close.repeat(50_000)}`);
    const error = decodeEnvelope.bind(undefined, text);

    assert.throws(error, (thrown: unknown) => {
      return thrown instanceof CodecError && thrown.message.includes("nests deeper than 256");
    });
  }
});

hostile("accepts exactly maxDepth levels", () => {
  const nested = (depth: number) => withPayload(`${"[".repeat(depth)}${"]".repeat(depth)}`);

  decodeEnvelope(nested(DEFAULT_MAX_DEPTH));
  assert.throws(() => decodeEnvelope(nested(DEFAULT_MAX_DEPTH + 1)), isCodecError);
  decodeEnvelope(nested(3), { maxDepth: 3 });
  assert.throws(() => decodeEnvelope(nested(4), { maxDepth: 3 }), isCodecError);
});

hostile("does not count tag objects as levels", () => {
  decodeEnvelope(withPayload('[[{"$o":{"$a":[]}}]]'), { maxDepth: 4 });
  assert.throws(
    () => decodeEnvelope(withPayload('[[{"$o":{"$a":[]}}]]'), { maxDepth: 3 }),
    isCodecError,
  );
  decodeEnvelope(withPayload('[[{"$d":"2024-01-01T00:00:00.000Z"}]]'), { maxDepth: 2 });
});

hostile("refuses input beyond maxBytes, counting UTF-8 bytes", () => {
  const huge = withPayload(JSON.stringify("x".repeat(DEFAULT_MAX_BYTES)));

  assert.throws(() => decodeEnvelope(huge), /more than the limit of 1048576 bytes/);

  // 700 characters of two bytes each: under 1000 characters, over 1000 bytes.
  const wide = withPayload(JSON.stringify("é".repeat(700)));

  assert.ok(wide.length < 1000);
  assert.throws(() => decodeEnvelope(wide, { maxBytes: 1000 }), isCodecError);
  decodeEnvelope(wide, { maxBytes: 2000 });
});

hostile("keeps __proto__ and constructor as ordinary members", () => {
  const decoded = decodeEnvelope(
    withPayload(
      '{"__proto__":{"polluted":true,"when":{"$d":"2024-01-01T00:00:00.000Z"}},' +
        '"constructor":{"prototype":{"polluted":true}},' +
        '"escaped":{"$o":{"__proto__":{"$u":0},"$x":1}}}',
    ),
  ).payload as Record<string, Record<string, unknown>>;

  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.is(Object.getPrototypeOf(decoded), Object.prototype);
  assert.equal(Object.keys(decoded), ["__proto__", "constructor", "escaped"]);
  assert.ok(Object.hasOwn(decoded, "__proto__"));
  assert.instance(decoded["__proto__"]?.when, Date);
  assert.is(Object.getPrototypeOf(decoded.escaped), Object.prototype);
  assert.ok(Object.hasOwn(decoded.escaped!, "__proto__"));
  assert.is(decoded.escaped!["__proto__"], undefined);
  assert.is(decoded.escaped!.$x, 1);
});

hostile("ignores members added to Object.prototype", () => {
  Object.defineProperty(Object.prototype, "injected", {
    value: { $d: "not a date" },
    enumerable: true,
    configurable: true,
  });

  try {
    const payload = decodeEnvelope(withPayload('{"a":{"$d":"2024-01-01T00:00:00.000Z"}}'))
      .payload as Record<string, unknown>;

    assert.instance(payload.a, Date);
    assert.equal(Object.keys(payload), ["a"]);
  } finally {
    delete (Object.prototype as Record<string, unknown>).injected;
  }
});

hostile.run();
