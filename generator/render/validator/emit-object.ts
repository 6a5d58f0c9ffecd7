import type { TypeDesc } from "../../model/types.js";
import type { BodyWriter } from "./body-writer.js";
import { describe } from "./describe.js";
import { emitCheck } from "./emit-check.js";
import { at, expected, propertySegment } from "./message-part.js";
import { child, type Site } from "./site.js";
import type { ObjectDesc } from "./type-desc-kinds.js";
import { notObject } from "./type-test.js";

/**
 * `{ ... }`: a plain object, its declared properties (required ones present), and then either no
 * other own property or, with an index signature, every other one of the index type.
 */
export function emitObject(w: BodyWriter, type: ObjectDesc, s: Site): void {
  const { x, f } = s;
  const { properties, index } = type;
  const p = w.fresh("p");
  const o = w.fresh("o");
  const n = w.fresh("n");
  w.guard(notObject(x), "||", f, at(s.path, expected("object", x)));

  // Dates, maps and class instances are objects too, but not what TypeScript calls `{ ... }`.
  w.line(`const ${p}: unknown = Object.getPrototypeOf(${x});`);
  const notPlain = [`${p} !== Object.prototype`, `${p} !== null`];
  w.guard(notPlain, "&&", f, at(s.path, expected("plain object", x)));

  const checksIndex = index !== undefined && index.kind !== "unknown";
  const readsValues = checksIndex || properties.some((prop) => prop.type.kind !== "unknown");
  if (readsValues) w.line(`const ${o} = ${x} as Record<string, unknown>;`);

  // Without an index signature, every own property must be declared: count the declared ones.
  const counts = index === undefined && properties.some((prop) => prop.optional);
  const required = properties.filter((prop) => !prop.optional).length;
  if (counts) w.line(`let ${n} = ${required};`);

  for (const prop of properties) {
    const name = JSON.stringify(prop.name);
    const e = w.fresh("e");
    const site = child(s, e, [{ text: propertySegment(prop.name) }]);

    if (!prop.optional) {
      const missing = `missing required property (expected ${describe(prop.type)})`;
      w.guard([`!hasOwn.call(${x}, ${name})`], "||", f, at(site.path, [{ text: missing }]));
      if (prop.type.kind === "unknown") continue;
      w.line(`const ${e}: unknown = ${o}[${name}];`);
      emitCheck(w, prop.type, site);
    } else if (counts || prop.type.kind !== "unknown") {
      w.open(`if (hasOwn.call(${x}, ${name})) {`);
      if (counts) w.line(`${n}++;`);
      if (prop.type.kind !== "unknown") {
        w.line(`const ${e}: unknown = ${o}[${name}];`);
        emitCheck(w, prop.type, site);
      }
      w.close();
    }
  }

  if (index === undefined) emitNoExtraKeys(w, type, s, counts ? n : String(required));
  else if (checksIndex) emitIndexValues(w, type, index, s, o);
}

/**
 * Refuses own properties that are not declared. All own string keys count, enumerable or not,
 * so that the number of declared properties present equals their number exactly when no other
 * key exists; the loop that names the intruder runs only once that has failed.
 */
function emitNoExtraKeys(w: BodyWriter, type: ObjectDesc, s: Site, declaredCount: string): void {
  const ks = w.fresh("ks");
  const k = w.fresh("k");
  const unexpected = (key: string) =>
    at([...s.path, { code: `keySegment(${key})` }], [{ text: "unexpected property" }]);
  w.line(`const ${ks} = Object.getOwnPropertyNames(${s.x});`);

  // A union member drops the message; with nothing declared, the first key is an intruder.
  if (s.f || type.properties.length === 0) {
    w.guard([`${ks}.length !== ${declaredCount}`], "||", s.f, unexpected(`${ks}[0] as string`));
    return;
  }

  w.open(`if (${ks}.length !== ${declaredCount}) {`);
  w.open(`for (const ${k} of ${ks}) {`);
  const clauses = type.properties.map((prop) => `${k} !== ${JSON.stringify(prop.name)}`);
  w.guard(clauses, "&&", s.f, unexpected(k));
  w.close();
  w.close();
}

/** Checks every own property that is not declared against the index signature's type. */
function emitIndexValues(w: BodyWriter, type: ObjectDesc, index: TypeDesc, s: Site, o: string) {
  const ks = w.fresh("ks");
  const i = w.fresh("i");
  const k = w.fresh("k");
  const e = w.fresh("e");
  w.line(`const ${ks} = Object.getOwnPropertyNames(${s.x});`);
  w.open(`for (let ${i} = 0; ${i} < ${ks}.length; ${i}++) {`);
  w.line(`const ${k} = ${ks}[${i}] as string;`);

  // Declared properties were checked against their own types.
  if (type.properties.length > 0) {
    w.openIf(
      type.properties.map((prop) => `${k} === ${JSON.stringify(prop.name)}`),
      "||",
    );
    w.line("continue;");
    w.close();
  }

  w.line(`const ${e}: unknown = ${o}[${k}];`);
  emitCheck(w, index, child(s, e, [{ code: `keySegment(${k})` }]));
  w.close();
}
