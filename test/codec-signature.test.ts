import { suite } from "uvu";
import * as assert from "uvu/assert";

import { sign, verify } from "../runtime/codec/index.js";

const SECRET = "correct horse battery staple, but longer than that";

const BODY = '{"v":1,"task":"orders:confirm","payload":["o-17"]}';

const signature = suite("sign and verify");

signature("matches RFC 4231 test case 2", () => {
  const expected = Buffer.from(
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    "hex",
  ).toString("base64url");

  assert.is(sign("what do ya want for nothing?", "Jefe"), expected);
});

signature("writes 43 base64url characters", () => {
  assert.match(sign(BODY, SECRET), /^[A-Za-z0-9_-]{43}$/);
});

signature("treats a string secret as its UTF-8 bytes", () => {
  assert.is(sign(BODY, new TextEncoder().encode("grüße")), sign(BODY, "grüße"));
});

signature("accepts its own signature", () => {
  assert.ok(verify(BODY, sign(BODY, SECRET), SECRET));
  assert.ok(verify("", sign("", SECRET), SECRET));
});

signature("refuses a tampered body", () => {
  assert.not.ok(verify(BODY.replace("o-17", "o-18"), sign(BODY, SECRET), SECRET));
  assert.not.ok(verify(`${BODY} `, sign(BODY, SECRET), SECRET));
});

signature("refuses a tampered signature", () => {
  const good = sign(BODY, SECRET);

  for (let index = 0; index < good.length; index++) {
    const swapped = good[index] === "A" ? "B" : "A";
    const tampered = `${good.slice(0, index)}${swapped}${good.slice(index + 1)}`;

    assert.not.ok(verify(BODY, tampered, SECRET), `changed character ${index}`);
  }
});

signature("refuses another secret's signature", () => {
  assert.not.ok(verify(BODY, sign(BODY, SECRET), `${SECRET}!`));
  assert.not.ok(verify(BODY, sign(BODY, new Uint8Array([1])), new Uint8Array([2])));
});

signature("answers false, never throwing, for garbage signatures", () => {
  const good = sign(BODY, SECRET);
  const garbage: unknown[] = [
    "",
    "!",
    `${good}=`,
    `${good}A`,
    good.slice(0, -1),
    good.replace(/[-_]/g, "+"),
    Buffer.from(good, "base64url").toString("base64"),
    Buffer.from(good, "base64url").toString("hex"),
    " ".repeat(43),
    "\u0000".repeat(43),
    "é".repeat(43),
    null,
    undefined,
    42,
    {},
    [good],
    Buffer.from(good),
  ];

  for (const value of garbage) {
    assert.is(verify(BODY, value as string, SECRET), false, `for ${String(value)}`);
  }
});

signature("has one spelling per signature", () => {
  // The last of 43 characters carries 4 bits; a decoder would ignore the 2 left over.
  const good = sign(BODY, SECRET);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(good.at(-1) ?? "");
  const sibling = `${good.slice(0, -1)}${alphabet[last ^ 1]}`;

  assert.equal(Buffer.from(sibling, "base64url"), Buffer.from(good, "base64url"));
  assert.not.ok(verify(BODY, sibling, SECRET));
});

signature("answers false for a body that is not a string", () => {
  assert.not.ok(verify(null as unknown as string, sign("null", SECRET), SECRET));
});

signature("refuses an empty secret, a configuration mistake", () => {
  assert.throws(() => sign(BODY, ""), TypeError);
  assert.throws(() => sign(BODY, new Uint8Array()), TypeError);
  assert.throws(() => verify(BODY, "x", ""), TypeError);
  assert.throws(() => sign(BODY, 42 as unknown as string), TypeError);
});

signature.run();
