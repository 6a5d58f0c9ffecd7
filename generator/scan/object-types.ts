import type { PropertyDesc, TypeDesc } from "../model/types.js";
import type { TypeDescriber } from "./describe-type.js";

/** An object description behind refs and merges, or undefined if it is not one. */
export function asObject(
  d: TypeDescriber,
  desc: TypeDesc,
): Extract<TypeDesc, { kind: "object" }> | undefined {
  if (desc.kind === "object") return desc;
  if (desc.kind === "ref") {
    const target = d.definitions.get(desc.name)?.desc;
    return target && asObject(d, target);
  }
  return undefined;
}

/** `A & B`, or an interface with its bases: later properties win, as in TypeScript. */
export function mergeObjects(d: TypeDescriber, parts: readonly TypeDesc[]): TypeDesc | undefined {
  const byName = new Map<string, PropertyDesc>();
  let index: TypeDesc | undefined;
  for (const part of parts) {
    const object = asObject(d, part);
    if (!object) return undefined;
    for (const property of object.properties) byName.set(property.name, property);
    index = object.index ?? index;
  }
  const properties = [...byName.values()];
  return index ? { kind: "object", properties, index } : { kind: "object", properties };
}
