/**
 * App Engine's legacy `Reference` message, the protocol buffer behind legacy URL-safe key strings:
 *
 * ```proto
 * message Reference {
 *   required string app = 13;          // the project id, maybe behind a location prefix ("s~")
 *   required Path path = 14;
 *   optional string name_space = 20;
 *   optional string database_id = 23;
 * }
 * message Path {
 *   repeated group Element = 1 {
 *     required string type = 2;        // the kind
 *     optional int64 id = 3;
 *     optional string name = 4;
 *   }
 * }
 * ```
 *
 * Fields are written in field-number order, as the Python client serialises them, so a key
 * encodes to the same string there and here.
 */

import type { KeyPathElement } from "./key-path.js";
import {
  ProtoReader,
  ProtoWriter,
  WIRE_END_GROUP,
  WIRE_LENGTH_DELIMITED,
  WIRE_START_GROUP,
  WIRE_VARINT,
} from "./protobuf-wire.js";

const REFERENCE_APP = 13;
const REFERENCE_PATH = 14;
const REFERENCE_NAME_SPACE = 20;
const REFERENCE_DATABASE_ID = 23;
const PATH_ELEMENT = 1;
const ELEMENT_TYPE = 2;
const ELEMENT_ID = 3;
const ELEMENT_NAME = 4;

/** The fields of a `Reference` as read; unset strings are empty, unset ids are `0n`. */
export interface LegacyReference {
  readonly app: string;
  readonly nameSpace: string;
  readonly databaseId: string;
  readonly path: readonly RawElement[];
}

/** A path element as read. */
export interface RawElement {
  readonly type: string;
  /** An int64 read as unsigned: values from 2^63 up stand for negative ids. */
  readonly id: bigint;
  readonly name: string;
}

/** Serialises a `Reference` for `app` (the project id), `path` and an optional namespace. */
export function encodeLegacyReference(
  app: string,
  path: readonly KeyPathElement[],
  nameSpace: string | undefined,
): Uint8Array {
  const pathWriter = new ProtoWriter();

  for (const element of path) {
    pathWriter.tag(PATH_ELEMENT, WIRE_START_GROUP).stringField(ELEMENT_TYPE, element.kind);

    if (element.id !== undefined) {
      pathWriter.tag(ELEMENT_ID, WIRE_VARINT).varint(element.id);
    } else if (element.name !== undefined) {
      pathWriter.stringField(ELEMENT_NAME, element.name);
    }

    pathWriter.tag(PATH_ELEMENT, WIRE_END_GROUP);
  }

  const writer = new ProtoWriter()
    .stringField(REFERENCE_APP, app)
    .bytesField(REFERENCE_PATH, pathWriter.finish());

  if (nameSpace !== undefined) {
    writer.stringField(REFERENCE_NAME_SPACE, nameSpace);
  }

  return writer.finish();
}

/**
 * Parses a serialised `Reference`. Unknown fields are skipped; a missing required field throws an
 * `Error` with a lower-case message.
 */
export function decodeLegacyReference(bytes: Uint8Array): LegacyReference {
  const reader = new ProtoReader(bytes);
  let app: string | undefined;
  let nameSpace = "";
  let databaseId = "";
  let path: RawElement[] | undefined;

  while (!reader.done) {
    const tag = reader.field();

    if (tag.field === REFERENCE_APP && tag.wireType === WIRE_LENGTH_DELIMITED) {
      app = reader.string();
    } else if (tag.field === REFERENCE_PATH && tag.wireType === WIRE_LENGTH_DELIMITED) {
      // A message field given twice is merged: its repeated elements add up.
      path = [...(path ?? []), ...decodePath(reader.nested())];
    } else if (tag.field === REFERENCE_NAME_SPACE && tag.wireType === WIRE_LENGTH_DELIMITED) {
      nameSpace = reader.string();
    } else if (tag.field === REFERENCE_DATABASE_ID && tag.wireType === WIRE_LENGTH_DELIMITED) {
      databaseId = reader.string();
    } else {
      reader.skip(tag);
    }
  }

  if (app === undefined) {
    throw new Error("it has no app (project id)");
  }

  if (path === undefined) {
    throw new Error("it has no path");
  }

  return { app, nameSpace, databaseId, path };
}

function decodePath(reader: ProtoReader): RawElement[] {
  const elements: RawElement[] = [];

  while (!reader.done) {
    const tag = reader.field();

    if (tag.field === PATH_ELEMENT && tag.wireType === WIRE_START_GROUP) {
      elements.push(decodeElement(reader));
    } else {
      reader.skip(tag);
    }
  }

  return elements;
}

function decodeElement(reader: ProtoReader): RawElement {
  let type: string | undefined;
  let id = 0n;
  let name = "";

  for (;;) {
    const tag = reader.field();

    if (tag.field === PATH_ELEMENT && tag.wireType === WIRE_END_GROUP) {
      break;
    }

    if (tag.field === ELEMENT_TYPE && tag.wireType === WIRE_LENGTH_DELIMITED) {
      type = reader.string();
    } else if (tag.field === ELEMENT_ID && tag.wireType === WIRE_VARINT) {
      id = reader.varint();
    } else if (tag.field === ELEMENT_NAME && tag.wireType === WIRE_LENGTH_DELIMITED) {
      name = reader.string();
    } else {
      reader.skip(tag);
    }
  }

  if (type === undefined) {
    throw new Error("a path element has no kind");
  }

  return { type, id, name };
}
