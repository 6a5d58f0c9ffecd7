import type { ts } from "../typescript.js";

import type { TypeDesc } from "../model/types.js";
import type { DescribeRequest, TypeContext, TypeDescriber } from "./describe-type.js";
import { asObject } from "./object-types.js";

/** Standard library types that cannot travel, with the advice to give. */
const NON_DATA_GLOBALS: Readonly<Record<string, string>> = {
  Map: "use a plain object type or an array of pairs",
  Set: "use an array",
  WeakMap: "use a plain object type",
  WeakSet: "use an array",
  Promise: "await the value before queueing the task",
  Function: "pass the data the function needs instead",
  RegExp: "pass the pattern as a string",
  Error: "pass the message as a string",
  Buffer: "declare the parameter as Uint8Array",
  ArrayBuffer: "declare the parameter as Uint8Array",
  Symbol: "use a string",
  Object: "declare the object's properties",
  String: "use string",
  Number: "use number",
  Boolean: "use boolean",
};

/**
 * A type name that is not declared in the project: the standard library types that travel
 * (Date, Uint8Array, arrays, Record and the property utilities), or a refusal that says what to
 * use instead.
 */
export function describeLibraryType(
  d: TypeDescriber,
  name: string,
  node: ts.NodeWithTypeArguments,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  const args = node.typeArguments ?? [];
  const arg = (i: number) => {
    const argument = args[i];
    return argument && d.describe(argument, context, request, trail);
  };

  switch (name) {
    case "Date":
      return { kind: "date" };
    case "Uint8Array":
      return { kind: "bytes" };
    case "Array":
    case "ReadonlyArray": {
      const element = arg(0);
      return element && { kind: "array", element };
    }
    case "Record":
      return describeRecord(d, node, context, request, trail);
    case "Partial":
    case "Required":
    case "Readonly":
      return describeMappedProperties(d, name, arg(0), node, context, request, trail);
    case "Pick":
    case "Omit":
      return describePickOmit(d, name, node, context, request, trail);
    case "NonNullable": {
      const inner = arg(0);
      if (!inner) return undefined;
      if (inner.kind !== "union") return inner;
      const kept = inner.members.filter((m) => m.kind !== "null" && m.kind !== "undefined");
      return kept.length === 1 ? kept[0] : { kind: "union", members: kept };
    }
  }
  const advice = NON_DATA_GLOBALS[name];
  return d.refuse(node, context, request, trail, `'${name}'`, advice);
}

export function describeRecord(
  d: TypeDescriber,
  node: ts.NodeWithTypeArguments,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  const [keyNode, valueNode] = node.typeArguments ?? [];
  if (!keyNode || !valueNode) return d.refuse(node, context, request, trail, "a bare Record");

  const key = d.describe(keyNode, context, request, trail);
  const value = d.describe(valueNode, context, request, `${trail}[key]`);
  if (!key || !value) return undefined;
  if (key.kind === "string" || key.kind === "number") {
    return { kind: "object", properties: [], index: value };
  }

  const literals = key.kind === "union" ? key.members : [key];
  if (literals.every((m) => m.kind === "literal" && typeof m.value !== "boolean")) {
    const properties = literals.map((m) => ({
      name: String(m.kind === "literal" ? m.value : ""),
      type: value,
      optional: false,
    }));
    return { kind: "object", properties };
  }
  return d.refuse(node, context, request, trail, "a Record with these keys");
}

export function describeMappedProperties(
  d: TypeDescriber,
  utility: "Partial" | "Required" | "Readonly",
  inner: TypeDesc | undefined,
  node: ts.Node,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  if (!inner) return undefined;
  if (utility === "Readonly" && (inner.kind === "array" || inner.kind === "tuple")) return inner;

  const object = asObject(d, inner);
  if (!object) {
    return d.refuse(node, context, request, trail, `${utility} of a non-object type`);
  }
  if (utility === "Readonly") return object;
  const optional = utility === "Partial";
  const properties = object.properties.map((p) => ({ ...p, optional }));
  return object.index
    ? { kind: "object", properties, index: object.index }
    : { kind: "object", properties };
}

export function describePickOmit(
  d: TypeDescriber,
  utility: "Pick" | "Omit",
  node: ts.NodeWithTypeArguments,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  const [objectNode, keysNode] = node.typeArguments ?? [];
  if (!objectNode || !keysNode) return d.refuse(node, context, request, trail, utility);

  const inner = d.describe(objectNode, context, request, trail);
  const keys = d.describe(keysNode, context, request, trail);
  if (!inner || !keys) return undefined;

  const object = asObject(d, inner);
  const names = (keys.kind === "union" ? keys.members : [keys]).map((k) =>
    k.kind === "literal" ? String(k.value) : undefined,
  );
  if (!object || names.includes(undefined)) {
    return d.refuse(node, context, request, trail, `${utility} with these arguments`);
  }
  const properties = object.properties.filter(
    (p) => names.includes(p.name) === (utility === "Pick"),
  );
  return { kind: "object", properties };
}
