/**
 * How messages name a type: TypeScript's spelling, shortened to `array` or `object` when a
 * composite type would make the message too long to read.
 */
import type { TupleElementDesc, TypeDesc } from "../../model/types.js";
import { IDENTIFIER } from "./assert-function-name.js";
import { flattenUnion } from "./flatten-union.js";
import type { ObjectDesc } from "./type-desc-kinds.js";
import { literalCode } from "./type-test.js";

/** The name of `type` in a message, e.g. `Date`, `string[]` or `{ id: number }`. */
export function describe(type: TypeDesc): string {
  switch (type.kind) {
    case "date":
      return "Date";
    case "bytes":
      return "Uint8Array";
    case "key":
      return "Key";
    case "literal":
      return literalCode(type.value);
    case "array": {
      const element = describe(type.element);
      const text = type.element.kind === "union" ? `(${element})[]` : `${element}[]`;
      return text.length <= 40 ? text : "array";
    }
    case "tuple": {
      const items = type.elements.map(describeElement);
      if (type.rest) items.push(`...${describe({ kind: "array", element: type.rest })}`);
      const text = `[${items.join(", ")}]`;
      return text.length <= 60 ? text : "array";
    }
    case "object":
      return describeObject(type);
    case "union":
      return unique(flattenUnion(type).map(describe)).join(" | ");
    case "ref":
      return type.name;
    default:
      return type.kind;
  }
}

/** What a union expects: the one name its members share, or `one of A | B`. */
export function describeUnion(members: readonly TypeDesc[]): string {
  const names = unique(members.map(describe));
  return names.length === 1 ? names.join("") : `one of ${names.join(" | ")}`;
}

function describeObject(type: ObjectDesc): string {
  const members = type.properties.map((prop) => {
    const name = IDENTIFIER.test(prop.name) ? prop.name : JSON.stringify(prop.name);
    return `${name}${prop.optional ? "?" : ""}: ${describe(prop.type)}`;
  });
  if (type.index) members.push(`[key: string]: ${describe(type.index)}`);

  const text = members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
  return text.length <= 40 ? text : "object";
}

function describeElement(element: TupleElementDesc): string {
  const mark = element.optional ? "?" : "";
  const type = describe(element.type);
  return element.name ? `${element.name}${mark}: ${type}` : `${type}${mark}`;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
