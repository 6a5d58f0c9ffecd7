import { suite } from "uvu";
import * as assert from "uvu/assert";

import { InvalidKeyError, Key, type DatastoreKeyLike, type KeyPathPart } from "../runtime/index.js";
import { encodeBase64url } from "../runtime/base64url.js";
import { ProtoWriter, WIRE_END_GROUP, WIRE_START_GROUP } from "../runtime/protobuf-wire.js";

// The two examples of reference/viur-tasks.md §4.2, as the Python client writes them.
const USER_ID_KEY = "agpteS1wcm9qZWN0chELEgR1c2VyGICAgICAgIAKDA";
const USER_NAME_KEY = "agpteS1wcm9qZWN0cg4LEgR1c2VyIgRqYW5lDA";

const MAX_ID = 2n ** 63n - 1n;

/** A serialised `Reference` built field by field, for inputs the encoder never writes. */
function reference(write: (writer: ProtoWriter) => void): string {
  const writer = new ProtoWriter();

  write(writer);
  return encodeBase64url(writer.finish());
}

function userPath(): Uint8Array {
  return new ProtoWriter()
    .tag(1, WIRE_START_GROUP)
    .stringField(2, "user")
    .tag(3, 0)
    .varint(7)
    .tag(1, WIRE_END_GROUP)
    .finish();
}

function invalidKeyMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.instance(error, InvalidKeyError);
    return (error as Error).message;
  }

  throw new Error("Expected an InvalidKeyError");
}

const legacy = suite("Key legacy URL-safe string");

legacy("encodes the reference's examples byte for byte", () => {
  const byId = Key.from(["user", 5629499534213120n], { project: "my-project" });
  const byName = Key.from(["user", "jane"], { project: "my-project" });

  assert.is(byId.toLegacyUrlsafe(), USER_ID_KEY);
  assert.is(byName.toLegacyUrlsafe(), USER_NAME_KEY);
});

legacy("decodes the reference's examples", () => {
  const byId = Key.fromLegacyUrlsafe(USER_ID_KEY);
  const byName = Key.fromLegacyUrlsafe(USER_NAME_KEY);

  assert.is(byId.project, "my-project");
  assert.is(byId.namespace, undefined);
  assert.is(byId.kind, "user");
  assert.is(byId.id, 5629499534213120n);
  assert.is(byId.name, undefined);
  assert.is(byName.name, "jane");
  assert.is(byName.id, undefined);
});

const ROUND_TRIPS: [string, KeyPathPart[], { namespace?: string; project: string }][] = [
  ["a root id", ["Order", 1n], { project: "p" }],
  ["the largest id", ["Order", MAX_ID], { project: "p" }],
  ["a number id", ["Order", 42], { project: "p" }],
  ["a name of digits, which stays a name", ["Order", "12"], { project: "p" }],
  ["a unicode name", ["Stadt", "Köln 🏙"], { project: "p" }],
  ["an ancestor path", ["Customer", "acme", "Order", 12n, "Line", 3n], { project: "p" }],
  ["a namespace", ["User", "jane"], { namespace: "tenant-7.eu_1", project: "p" }],
  ["an incomplete key", ["Customer", "acme", "Order"], { project: "p" }],
  ["a domain-scoped project", ["Order", 5n], { project: "example.com:shop" }],
];

for (const [what, path, options] of ROUND_TRIPS) {
  legacy(`round-trips ${what}`, () => {
    const key = Key.from(path, options);
    const decoded = Key.fromLegacyUrlsafe(key.toLegacyUrlsafe());

    assert.ok(decoded.equals(key), `${decoded} should equal ${key}`);
    assert.equal(decoded.path, key.path);
  });
}

legacy("drops a location prefix from the app", () => {
  const prefixed = Key.from(["user", 7n], { project: "s~my-project" }).toLegacyUrlsafe();

  assert.is(Key.fromLegacyUrlsafe(prefixed).project, "my-project");
});

legacy("accepts padding", () => {
  assert.ok(
    Key.fromLegacyUrlsafe(`${USER_NAME_KEY}==`).equals(Key.fromLegacyUrlsafe(USER_NAME_KEY)),
  );
});

legacy("skips fields it does not know", () => {
  const text = reference((writer) => {
    writer.tag(99, 0).varint(1).stringField(13, "p").bytesField(14, userPath());
    writer.tag(98, WIRE_START_GROUP).stringField(1, "x").tag(98, WIRE_END_GROUP);
  });

  assert.equal(Key.fromLegacyUrlsafe(text).path, [{ kind: "user", id: 7n }]);
});

legacy("needs a project to encode", () => {
  const message = invalidKeyMessage(() => Key.from(["user", 7n]).toLegacyUrlsafe());

  assert.match(message, "has no project");
});

const MALFORMED: [string, string, string][] = [
  ["a character outside URL-safe base64", "agpte+1wcm9q", 'holds "+"'],
  ["an impossible length", "agpteS1wc", "not a possible length"],
  ["truncated bytes", USER_ID_KEY.slice(0, -3), "longer than the bytes left"],
  ["no path", reference((w) => w.stringField(13, "p")), "has no path"],
  ["no app", reference((w) => w.bytesField(14, userPath())), "has no app"],
  [
    "a negative id",
    reference((w) => {
      const path = new ProtoWriter()
        .tag(1, WIRE_START_GROUP)
        .stringField(2, "user")
        .tag(3, 0)
        .varint(2n ** 64n - 5n)
        .tag(1, WIRE_END_GROUP);

      w.stringField(13, "p").bytesField(14, path.finish());
    }),
    'the id of "user" is negative',
  ],
  [
    "a parent without id or name",
    reference((w) => {
      const path = new ProtoWriter()
        .tag(1, WIRE_START_GROUP)
        .stringField(2, "Order")
        .tag(1, WIRE_END_GROUP)
        .tag(1, WIRE_START_GROUP)
        .stringField(2, "Line")
        .stringField(4, "a")
        .tag(1, WIRE_END_GROUP);

      w.stringField(13, "p").bytesField(14, path.finish());
    }),
    'the parent "Order" has no id or name',
  ],
  [
    "both an id and a name",
    reference((w) => {
      const path = new ProtoWriter()
        .tag(1, WIRE_START_GROUP)
        .stringField(2, "user")
        .tag(3, 0)
        .varint(7)
        .stringField(4, "jane")
        .tag(1, WIRE_END_GROUP);

      w.stringField(13, "p").bytesField(14, path.finish());
    }),
    "has both an id (7) and a name",
  ],
  [
    "a named database",
    reference((w) => w.stringField(13, "p").bytesField(14, userPath()).stringField(23, "other")),
    'names the database "other"',
  ],
  [
    "invalid UTF-8",
    reference((w) => w.bytesField(13, Uint8Array.of(0xc3, 0x28)).bytesField(14, userPath())),
    "not valid UTF-8",
  ],
  [
    "an unterminated group",
    reference((w) => w.stringField(13, "p").bytesField(14, Uint8Array.of(0x0b, 0x12, 0x01, 0x61))),
    "end in the middle of a field",
  ],
];

for (const [what, text, expected] of MALFORMED) {
  legacy(`rejects ${what}`, () => {
    const message = invalidKeyMessage(() => Key.fromLegacyUrlsafe(text));

    assert.match(message, expected);
    assert.match(message, `Invalid legacy key string ${JSON.stringify(text)}`);
  });
}

legacy("rejects an empty string", () => {
  assert.match(
    invalidKeyMessage(() => Key.fromLegacyUrlsafe("")),
    "cannot be empty",
  );
});

legacy("rejects a value that is not a string", () => {
  const untyped = Key.fromLegacyUrlsafe as (value: unknown) => Key;

  assert.match(
    invalidKeyMessage(() => untyped(42)),
    "is a string, not 42",
  );
});

legacy.run();

const construction = suite("Key construction and accessors");

construction("reads kind, id, name and parent", () => {
  const line = Key.from(["Order", 12n, "Line", "gift"], { namespace: "shop", project: "p" });
  const order = line.parent;

  assert.is(line.kind, "Line");
  assert.is(line.name, "gift");
  assert.is(line.id, undefined);
  assert.ok(line.isComplete);
  assert.ok(order !== undefined);
  assert.is(order.kind, "Order");
  assert.is(order.id, 12n);
  assert.is(order.namespace, "shop");
  assert.is(order.project, "p");
  assert.is(order.parent, undefined);
});

construction("treats empty namespace and project as absent", () => {
  const key = Key.from(["Order", 1n], { namespace: "", project: "" });

  assert.is(key.namespace, undefined);
  assert.is(key.project, undefined);
});

construction("makes an incomplete key from an odd-length path", () => {
  const key = Key.from(["Customer", "acme", "Order"]);

  assert.not.ok(key.isComplete);
  assert.is(key.kind, "Order");
  assert.is(key.parent?.name, "acme");
});

construction("accepts structured path elements", () => {
  const key = new Key([{ kind: "Order", id: 12n }]);

  assert.ok(key.equals(Key.from(["Order", 12])));
  assert.ok(Object.isFrozen(key.path));
});

construction("compares project, namespace and every path element", () => {
  const key = Key.from(["Order", 12n], { project: "p" });

  assert.ok(key.equals(Key.from(["Order", 12], { project: "p" })));
  assert.not.ok(key.equals(Key.from(["Order", "12"], { project: "p" })));
  assert.not.ok(key.equals(Key.from(["Order", 12n])));
  assert.not.ok(key.equals(Key.from(["Order", 12n], { project: "p", namespace: "n" })));
  assert.not.ok(key.equals(Key.from(["Shop", 1n, "Order", 12n], { project: "p" })));
});

construction("prints like a GQL key literal", () => {
  const key = Key.from(["Order", 12n, "Line item", "it's"], { namespace: "shop", project: "p" });

  assert.is(String(key), "Key(PROJECT('p'), NAMESPACE('shop'), Order, 12, `Line item`, 'it\\'s')");
  assert.is(String(Key.from(["Order"])), "Key(Order)");
});

const INVALID_PATHS: [string, unknown, string][] = [
  ["an empty path", [], "at least one element"],
  ["a path that is no array", "Order", "is an array"],
  ["a kind that is no string", [1, 2], "item 0 should be a kind"],
  ["an empty kind", ["", 1], "a kind must be a non-empty string"],
  ["an id of 0", ["Order", 0], "must run from 1 to 2^63 - 1, but is 0"],
  ["a negative id", ["Order", -3n], "but is -3"],
  ["an id past 2^63 - 1", ["Order", MAX_ID + 1n], "but is 9223372036854775808"],
  ["a fractional id", ["Order", 1.5], "but is 1.5"],
  ["an unsafe number id", ["Order", 2 ** 60], "give them as bigint"],
  ["an empty name", ["Order", ""], "must be a non-empty string"],
  ["an incomplete parent", ["Order", undefined, "Line", 1], "should be a string"],
];

for (const [what, path, expected] of INVALID_PATHS) {
  construction(`rejects ${what}`, () => {
    const untyped = Key.from as (path: unknown) => Key;

    assert.match(
      invalidKeyMessage(() => untyped(path)),
      expected,
    );
  });
}

construction("rejects an invalid namespace", () => {
  const message = invalidKeyMessage(() => Key.from(["Order", 1n], { namespace: "a/b" }));

  assert.match(message, 'Invalid namespace "a/b"');
});

construction.run();

const datastore = suite("Key and @google-cloud/datastore keys");

datastore("converts to datastore.key() options", () => {
  const key = Key.from(["Order", 12n, "Line", "gift"], { namespace: "shop", project: "p" });

  assert.equal(key.toDatastoreKey(), { namespace: "shop", path: ["Order", 12, "Line", "gift"] });
  assert.equal(Key.from(["Order"]).toDatastoreKey(), { path: ["Order"] });
});

datastore("refuses to turn a large id into an imprecise number", () => {
  const key = Key.from(["Order", 2n ** 60n]);

  assert.match(
    invalidKeyMessage(() => key.toDatastoreKey()),
    "datastore.int",
  );
});

datastore("wraps ids with the int function given", () => {
  const key = Key.from(["Order", 2n ** 60n]);
  const shape = key.toDatastoreKey((value) => ({ type: "DatastoreInt", value }));

  assert.equal(shape, { path: ["Order", { type: "DatastoreInt", value: "1152921504606846976" }] });
});

datastore("reads datastore.key() options", () => {
  const key = Key.fromDatastoreKey(
    { namespace: "shop", path: ["Order", 12, "Line", "gift"] },
    { project: "p" },
  );

  assert.ok(
    key.equals(Key.from(["Order", 12n, "Line", "gift"], { namespace: "shop", project: "p" })),
  );
});

datastore("reads key.serialized, with Int ids", () => {
  const serialized = { path: ["Order", { type: "DatastoreInt", value: "9223372036854775807" }] };

  assert.is(Key.fromDatastoreKey(serialized).id, MAX_ID);
});

datastore("reads a Key object by its fields, where its path shows ids as strings", () => {
  // The shape a key read from the server has: ids as decimal strings, and a path that hides them.
  const order = { kind: "Order", id: "5629499534213120", path: ["Order", "5629499534213120"] };
  const line: DatastoreKeyLike = { kind: "Line", name: "gift", parent: order, path: [] };
  const key = Key.fromDatastoreKey(line);

  assert.equal(key.path, [
    { kind: "Order", id: 5629499534213120n },
    { kind: "Line", name: "gift" },
  ]);
});

datastore("reads an incomplete key, whose path ends in undefined", () => {
  const incomplete: DatastoreKeyLike = { path: ["Order", undefined] };

  assert.not.ok(Key.fromDatastoreKey(incomplete).isComplete);
});

datastore("round-trips through the datastore shape", () => {
  const key = Key.from(["Customer", "acme", "Order", 12n], { namespace: "shop" });

  assert.ok(Key.fromDatastoreKey(key.toDatastoreKey()).equals(key));
});

datastore("rejects a malformed Int id", () => {
  const message = invalidKeyMessage(() =>
    Key.fromDatastoreKey({ path: ["Order", { value: "12abc" }] }),
  );

  assert.match(message, 'the id "12abc" is not a whole number');
});

datastore.run();
