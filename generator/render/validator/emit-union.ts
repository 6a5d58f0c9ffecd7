import type { TypeDesc } from "../../model/types.js";
import { INDENT, type BodyWriter } from "./body-writer.js";
import { describeUnion } from "./describe.js";
import { emitCheck } from "./emit-check.js";
import { emitRef } from "./emit-ref.js";
import { flattenUnion } from "./flatten-union.js";
import { at, concatenation, expected, joined, propertySegment, type Part } from "./message-part.js";
import type { Site } from "./site.js";
import type { ObjectDesc, RefDesc, UnionDesc } from "./type-desc-kinds.js";
import { literalCode, notObject, typeTest, typeTests } from "./type-test.js";

interface UnionSite extends Site {
  /** The label to break to once a member has matched. */
  readonly u: string;
  /** The message when no member matches. */
  readonly message: readonly Part[];
}

/**
 * A union passes when any member does. Members testable by one expression are tried together
 * first; the others are chosen by a discriminant property, or by the shape of the value (array
 * or object) when that leaves one candidate whose message is then reported, or tried in turn.
 */
export function emitUnion(w: BodyWriter, type: UnionDesc, s: Site): void {
  const members = flattenUnion(type);
  if (members.some((member) => member.kind === "unknown")) return;
  if (members.length === 0) throw new Error("Cannot render a check for an empty union (never)");
  const [only] = members;
  if (only && members.length === 1) return emitCheck(w, only, s);

  const message = at(s.path, expected(describeUnion(members), s.x));
  const simple = members.filter((member) => typeTest(member, s.x, false) !== undefined);
  const complex = members.filter((member) => typeTest(member, s.x, false) === undefined);
  if (complex.length === 0) {
    w.guard(typeTests(simple, s.x, false), "&&", s.f, message);
    return;
  }

  // The complex members sit in a block that a match leaves early; reaching its end fails.
  const u = w.fresh("u");
  const start = w.openLabel(u);
  if (simple.length > 0) {
    w.openIf(typeTests(simple, s.x, true), "||");
    w.breakTo(u);
    w.close();
  }
  emitComplexMembers(w, complex, { ...s, u, message });
  w.closeLabel(u, start);
}

function emitComplexMembers(w: BodyWriter, complex: readonly TypeDesc[], c: UnionSite): void {
  const objects = complex.filter((member): member is ObjectDesc => member.kind === "object");
  const tag = objects.length === complex.length ? discriminant(objects) : undefined;
  const refs = complex.filter((member): member is RefDesc => member.kind === "ref");
  const [onlyRef] = refs;

  if (tag !== undefined) {
    emitDiscriminated(w, objects, tag, c);
  } else if (refs.length === 0) {
    emitByShape(w, complex, c);
  } else if (onlyRef && complex.length === 1) {
    emitOnlyRef(w, onlyRef, c);
  } else {
    // Refs last: a failing ref builds its message, which inline members never do.
    tryMembers(w, [...complex.filter((member) => member.kind !== "ref"), ...refs], c);
    w.fail(c.f, c.message);
  }
}

/** `{ kind: "a", ... } | { kind: "b", ... }`: the tag picks the member, whose message is kept. */
function emitDiscriminated(
  w: BodyWriter,
  objects: readonly ObjectDesc[],
  tag: string,
  c: UnionSite,
): void {
  const { x, f } = c;
  const name = JSON.stringify(tag);
  const tagPath = [...c.path, { text: propertySegment(tag) }];
  const literals = objects.map((object): TypeDesc => ({
    kind: "literal",
    value: tagValue(object, tag),
  }));
  const tagDesc = describeUnion(literals);
  const t = w.fresh("t");

  // The tag must be there before it can pick a member.
  w.guard(notObject(x), "||", f, c.message);
  const missing = `missing required property (expected ${tagDesc})`;
  w.guard([`!hasOwn.call(${x}, ${name})`], "||", f, at(tagPath, [{ text: missing }]));
  w.line(`const ${t}: unknown = (${x} as Record<string, unknown>)[${name}];`);

  w.open(`switch (${t}) {`);
  for (const object of objects) {
    w.open(`case ${literalCode(tagValue(object, tag))}: {`);
    emitCheck(w, object, c);
    w.breakTo(c.u);
    w.close();
  }
  w.open("default: {");
  w.fail(f, at(tagPath, expected(tagDesc, t)));
  w.close();
  w.close();
}

/** Arrays go to the array and tuple members, other objects to the object members. */
function emitByShape(w: BodyWriter, complex: readonly TypeDesc[], c: UnionSite): void {
  const arrays = complex.filter((member) => member.kind === "array" || member.kind === "tuple");
  const objects = complex.filter((member) => member.kind === "object");
  const groups: [readonly TypeDesc[], readonly string[]][] = [
    [arrays, [`Array.isArray(${c.x})`]],
    [objects, [`typeof ${c.x} === "object"`, `${c.x} !== null`, `!Array.isArray(${c.x})`]],
  ];

  for (const [group, clauses] of groups) {
    const [single] = group;
    if (!single) continue;

    // A lone candidate reports its own message; several report the union's.
    w.openIf(clauses, "&&");
    if (group.length === 1) {
      emitCheck(w, single, c);
      w.breakTo(c.u);
    } else {
      tryMembers(w, group, c);
      w.fail(c.f, c.message);
    }
    w.close();
  }

  w.fail(c.f, c.message);
}

/** `Ref | null`: a deep message from the ref is kept, a shallow one becomes the union's. */
function emitOnlyRef(w: BodyWriter, ref: RefDesc, c: UnionSite): void {
  if (c.f) {
    emitRef(w, ref, c);
    return;
  }

  const r = w.fresh("r");
  w.line(`const ${r} = ${w.ref(ref.name)}(${c.x});`);
  w.openIf([`${r} !== undefined`], "||");
  w.line(`return ${r}.startsWith("expected")`);
  w.line(`${INDENT}? ${concatenation(c.message).join(" + ")}`);
  w.line(`${INDENT}: ${joined(c.path, r)};`);
  w.close();
}

/** Each member in its own block: a failed check leaves the block, reaching the end matches. */
function tryMembers(w: BodyWriter, members: readonly TypeDesc[], c: UnionSite): void {
  for (const member of members) {
    if (member.kind === "ref") {
      w.openIf([`${w.ref(member.name)}(${c.x}) === undefined`], "||");
      w.breakTo(c.u);
      w.close();
      continue;
    }

    const m = w.fresh("m");
    const start = w.openLabel(m);
    emitCheck(w, member, { x: c.x, path: c.path, f: { label: m } });
    w.breakTo(c.u);
    w.closeLabel(m, start);
  }
}

/** A required literal property, with a distinct value in every member; the first one found. */
function discriminant(objects: readonly ObjectDesc[]): string | undefined {
  const [first] = objects;
  if (!first || objects.length < 2) return undefined;

  for (const candidate of first.properties) {
    const values = new Set<string>();
    for (const object of objects) {
      const property = object.properties.find((p) => p.name === candidate.name);
      if (!property || property.optional || property.type.kind !== "literal") break;
      values.add(typeof property.type.value + ":" + String(property.type.value));
    }
    if (values.size === objects.length) return candidate.name;
  }
  return undefined;
}

function tagValue(object: ObjectDesc, tag: string): string | number | boolean {
  const type = object.properties.find((property) => property.name === tag)?.type;
  if (type?.kind !== "literal") throw new Error(`Property "${tag}" is not a literal`);
  return type.value;
}
