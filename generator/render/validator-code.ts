/**
 * Renders the checks that `validators.ts` runs on a decoded payload before its task runs: one
 * function per payload and per named definition, each returning `undefined` for a value of its
 * type and otherwise a message such as `[1] (when): expected Date, got string "2020"`.
 *
 * A message starts either with a path segment (`[` or `.`) or, when the checked value itself is
 * wrong, with `expected`. The prelude's `joinPath` relies on this to prefix the message of a
 * nested check (a `ref`) with the path that leads to it.
 */
import type { TupleElementDesc, TypeDesc } from "../model/types.js";

/**
 * Helpers shared by every check, placed once near the top of `validators.ts`, after the imports.
 * They are exported so that a project compiled with `noUnusedLocals` accepts the file even when
 * no check needs one of them; the check functions must not use these names.
 */
export const VALIDATOR_PRELUDE = String.raw`/** Describes a received value, e.g. "number 3". */
export function got(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") {
    if (value.length <= 40) return "string " + JSON.stringify(value);
    return "string " + JSON.stringify(value.slice(0, 40)) + "... (" + value.length + " chars)";
  }
  if (typeof value === "number" || typeof value === "boolean") {
    return typeof value + " " + String(value);
  }
  if (typeof value === "bigint") return "bigint " + String(value) + "n";
  if (typeof value !== "object") return typeof value;
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "invalid Date" : "Date";
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return "object";
  const ctor: unknown = (proto as { readonly constructor?: unknown }).constructor;
  return typeof ctor === "function" && ctor.name !== "" ? ctor.name : "object";
}

/** Own-property test: never consults the prototype chain, whatever it holds. */
export const hasOwn = Object.prototype.hasOwnProperty;

/** Prefixes the message of a nested check with the path to the value it checked. */
export function joinPath(path: string, message: string): string {
  return message.startsWith("expected") ? path + ": " + message : path + message;
}

/** The path segment of a property found at run time: ".name" or '["odd-name"]'. */
export function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? "." + key : "[" + JSON.stringify(key) + "]";
}
`;

/** Names taken by the prelude or by the locals of check functions (`o1`, `ks2`, ...). */
const RESERVED_NAME = /^(?:got|hasOwn|joinPath|keySegment|v|_v|[a-z]{1,2}\d+)$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_WIDTH = 100;
const INDENT = "  ";

type ArrayDesc = Extract<TypeDesc, { readonly kind: "array" }>;
type TupleDesc = Extract<TypeDesc, { readonly kind: "tuple" }>;
type ObjectDesc = Extract<TypeDesc, { readonly kind: "object" }>;
type UnionDesc = Extract<TypeDesc, { readonly kind: "union" }>;
type RefDesc = Extract<TypeDesc, { readonly kind: "ref" }>;

/** A piece of a message: literal text, or code that runs only once the check has failed. */
type Part = { readonly text: string } | { readonly code: string };

/** Where a failed check goes: `return` its message, or `break` out of a union member's block. */
type OnFail = { readonly label: string } | undefined;

const RETURN_MESSAGE: OnFail = undefined;

/**
 * Renders `function fnName(v: unknown): string | undefined { ... }`, ending with a newline.
 * `refFunction` names the check function of a definition; definitions are rendered with this
 * function too, so recursive types work.
 *
 * The checks are strict: a value passes only if TypeScript would accept it for `type` under
 * `exactOptionalPropertyTypes`. Paths and messages are built only once a check fails.
 */
export function renderCheckFunction(
  fnName: string,
  type: TypeDesc,
  refFunction: (definitionName: string) => string,
): string {
  assertFunctionName(fnName, "check function");
  const w = new BodyWriter(refFunction);

  if (type.kind === "ref") {
    w.line(`return ${w.ref(type.name)}(v);`);
  } else {
    emitCheck(w, type, { x: "v", path: [], f: RETURN_MESSAGE });
    w.line("return undefined;");
  }

  // A type that accepts anything leaves the parameter unused.
  const param = w.lines.length === 1 && type.kind !== "ref" ? "_v" : "v";
  return [`function ${fnName}(${param}: unknown): string | undefined {`, ...w.lines, "}", ""].join(
    "\n",
  );
}

/** Collects the indented lines of one function body and hands out distinct local names. */
class BodyWriter {
  readonly lines: string[] = [];
  readonly #usedLabels = new Set<string>();
  #depth = 1;
  #counter = 0;

  constructor(private readonly refFunction: (definitionName: string) => string) {}

  fresh(prefix: string): string {
    this.#counter += 1;
    return prefix + String(this.#counter);
  }

  ref(definitionName: string): string {
    const name = this.refFunction(definitionName);
    assertFunctionName(name, `check function of "${definitionName}"`);
    return name;
  }

  line(text: string): void {
    this.lines.push(INDENT.repeat(this.#depth) + text);
  }

  open(head: string): void {
    this.line(head);
    this.#depth += 1;
  }

  close(): void {
    this.#depth -= 1;
    this.line("}");
  }

  /** Opens `if (a op b ...) {`, one clause a line when it does not fit. */
  openIf(clauses: readonly string[], op: "||" | "&&"): void {
    const parts = clauses.length === 1 ? clauses : clauses.map(parenthesize);
    const head = `if (${parts.join(` ${op} `)}) {`;
    if (this.#fits(head)) {
      this.open(head);
      return;
    }
    this.open("if (");
    parts.forEach((part, i) => this.line(i < parts.length - 1 ? `${part} ${op}` : part));
    this.#depth -= 1;
    this.open(") {");
  }

  /** `if (clauses) { fail }`. */
  guard(clauses: readonly string[], op: "||" | "&&", f: OnFail, message: readonly Part[]): void {
    this.openIf(clauses, op);
    this.fail(f, message);
    this.close();
  }

  fail(onFail: OnFail, message: readonly Part[]): void {
    this.failWith(onFail, concatenation(message));
  }

  /** Exits with the message computed by `terms` joined with `+`, or breaks to the label. */
  failWith(onFail: OnFail, terms: readonly string[]): void {
    if (onFail) {
      this.breakTo(onFail.label);
      return;
    }
    const single = `return ${terms.join(" + ")};`;
    if (this.#fits(single) || terms.length === 1) {
      this.line(single);
      return;
    }
    this.open("return (");
    terms.forEach((term, i) => this.line(i < terms.length - 1 ? `${term} +` : term));
    this.#depth -= 1;
    this.line(");");
  }

  breakTo(label: string): void {
    this.#usedLabels.add(label);
    this.line(`break ${label};`);
  }

  /** Opens `label: {` and returns what `closeLabel` needs. */
  openLabel(label: string): number {
    this.open(`${label}: {`);
    return this.lines.length - 1;
  }

  /** Closes a labelled block, unwrapping it when nothing breaks to its label. */
  closeLabel(label: string, start: number): void {
    this.close();
    if (this.#usedLabels.has(label)) return;
    const body = this.lines.splice(start).slice(1, -1);
    this.lines.push(...body.map((text) => text.slice(INDENT.length)));
  }

  #fits(text: string): boolean {
    return INDENT.length * this.#depth + text.length <= MAX_WIDTH;
  }
}

/** The value a check looks at: the local holding it, its path, and where a failure goes. */
interface Site {
  readonly x: string;
  readonly path: readonly Part[];
  readonly f: OnFail;
}

function child(s: Site, x: string, segment: readonly Part[]): Site {
  return { x, path: [...s.path, ...segment], f: s.f };
}

function emitCheck(w: BodyWriter, type: TypeDesc, s: Site): void {
  switch (type.kind) {
    case "unknown":
      return;
    case "array":
      return emitArray(w, type, s);
    case "tuple":
      return emitTuple(w, type, s);
    case "object":
      return emitObject(w, type, s);
    case "union":
      return emitUnion(w, type, s);
    case "ref":
      return emitRef(w, type, s);
    default:
      w.guard(tests([type], s.x, false), "||", s.f, at(s.path, expected(describe(type), s.x)));
  }
}

function emitArray(w: BodyWriter, type: ArrayDesc, s: Site): void {
  const { x } = s;
  w.guard([`!Array.isArray(${x})`], "||", s.f, at(s.path, expected(describe(type), x)));
  if (type.element.kind === "unknown") return;

  const i = w.fresh("i");
  const e = w.fresh("e");
  w.open(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`);
  w.line(`const ${e}: unknown = ${x}[${i}];`);
  emitCheck(w, type.element, child(s, e, indexSegment(i)));
  w.close();
}

function emitTuple(w: BodyWriter, type: TupleDesc, s: Site): void {
  const { x } = s;
  const { elements, rest } = type;
  // Parameters have names; TypeScript lets a caller pass `undefined` to an optional parameter.
  const isArgumentList = elements.some((element) => element.name !== "");
  const min = elements.reduce((n, element, i) => (element.optional ? n : i + 1), 0);
  w.guard([`!Array.isArray(${x})`], "||", s.f, at(s.path, expected(describe(type), x)));
  emitTupleLength(w, s, { min, max: rest ? undefined : elements.length, isArgumentList });

  elements.forEach((element, i) => {
    const e = w.fresh("e");
    const site = child(s, e, [{ text: element.name ? `[${i}] (${element.name})` : `[${i}]` }]);
    if (element.type.kind === "unknown") return;
    if (i < min) {
      w.line(`const ${e}: unknown = ${x}[${i}];`);
      emitCheck(w, element.type, site);
    } else if (isArgumentList) {
      w.line(`const ${e}: unknown = ${x}[${i}];`);
      w.open(`if (${e} !== undefined) {`);
      emitCheck(w, element.type, site);
      w.close();
    } else {
      w.open(`if (${x}.length > ${i}) {`);
      w.line(`const ${e}: unknown = ${x}[${i}];`);
      emitCheck(w, element.type, site);
      w.close();
    }
  });
  if (!rest || rest.kind === "unknown") return;

  const i = w.fresh("i");
  const e = w.fresh("e");
  w.open(`for (let ${i} = ${elements.length}; ${i} < ${x}.length; ${i}++) {`);
  w.line(`const ${e}: unknown = ${x}[${i}];`);
  emitCheck(w, rest, child(s, e, indexSegment(i)));
  w.close();
}

interface TupleBounds {
  readonly min: number;
  /** Undefined with a rest element. */
  readonly max: number | undefined;
  readonly isArgumentList: boolean;
}

function emitTupleLength(w: BodyWriter, s: Site, bounds: TupleBounds): void {
  const { min, max } = bounds;
  const length = `${s.x}.length`;
  const noun = (n: number) =>
    (bounds.isArgumentList ? "argument" : "element") + (n === 1 ? "" : "s");
  const lengthMessage = (expectation: string): Part[] =>
    at(s.path, [{ text: `expected ${expectation}, got ` }, { code: length }]);

  if (max === undefined) {
    if (min === 0) return;
    w.guard([`${length} < ${min}`], "||", s.f, lengthMessage(`at least ${min} ${noun(min)}`));
  } else if (min === max) {
    w.guard([`${length} !== ${min}`], "||", s.f, lengthMessage(`${min} ${noun(min)}`));
  } else if (min === 0) {
    w.guard([`${length} > ${max}`], "||", s.f, lengthMessage(`at most ${max} ${noun(max)}`));
  } else {
    const clauses = [`${length} < ${min}`, `${length} > ${max}`];
    w.guard(clauses, "||", s.f, lengthMessage(`${min} to ${max} ${noun(max)}`));
  }
}

function emitObject(w: BodyWriter, type: ObjectDesc, s: Site): void {
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

function emitIndexValues(w: BodyWriter, type: ObjectDesc, index: TypeDesc, s: Site, o: string) {
  const ks = w.fresh("ks");
  const i = w.fresh("i");
  const k = w.fresh("k");
  const e = w.fresh("e");
  w.line(`const ${ks} = Object.getOwnPropertyNames(${s.x});`);
  w.open(`for (let ${i} = 0; ${i} < ${ks}.length; ${i}++) {`);
  w.line(`const ${k} = ${ks}[${i}] as string;`);
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

function emitRef(w: BodyWriter, type: RefDesc, s: Site): void {
  const fn = w.ref(type.name);
  if (s.f) {
    w.guard([`${fn}(${s.x}) !== undefined`], "||", s.f, []);
    return;
  }
  const r = w.fresh("r");
  w.line(`const ${r} = ${fn}(${s.x});`);
  w.openIf([`${r} !== undefined`], "||");
  w.failWith(s.f, [joined(s.path, r)]);
  w.close();
}

/**
 * A union passes when any member does. Members testable by one expression are tried together
 * first; the others are chosen by a discriminant property, or by the shape of the value (array
 * or object) when that leaves one candidate whose message is then reported, or tried in turn.
 */
function emitUnion(w: BodyWriter, type: UnionDesc, s: Site): void {
  const members = flattenUnion(type);
  if (members.some((member) => member.kind === "unknown")) return;
  if (members.length === 0) throw new Error("Cannot render a check for an empty union (never)");
  const [only] = members;
  if (only && members.length === 1) return emitCheck(w, only, s);

  const message = at(s.path, expected(describeUnion(members), s.x));
  const simple = members.filter((member) => test(member, s.x, false) !== undefined);
  const complex = members.filter((member) => test(member, s.x, false) === undefined);
  if (complex.length === 0) {
    w.guard(tests(simple, s.x, false), "&&", s.f, message);
    return;
  }

  const u = w.fresh("u");
  const start = w.openLabel(u);
  if (simple.length > 0) {
    w.openIf(tests(simple, s.x, true), "||");
    w.breakTo(u);
    w.close();
  }
  emitComplexMembers(w, complex, { ...s, u, message });
  w.closeLabel(u, start);
}

interface UnionSite extends Site {
  /** The label to break to once a member has matched. */
  readonly u: string;
  /** The message when no member matches. */
  readonly message: readonly Part[];
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

/** Members of a union with nested unions spread out and repeated members dropped. */
function flattenUnion(type: UnionDesc): TypeDesc[] {
  const members: TypeDesc[] = [];
  const seen = new Set<string>();
  const visit = (member: TypeDesc): void => {
    if (member.kind === "union") {
      member.members.forEach(visit);
      return;
    }
    const key = JSON.stringify(member);
    if (seen.has(key)) return;
    seen.add(key);
    members.push(member);
  };
  type.members.forEach(visit);
  return members;
}

/** The tests of members that `test` can express, which are the only ones passed here. */
function tests(members: readonly TypeDesc[], x: string, positive: boolean): string[] {
  return members.map((member) => {
    const text = test(member, x, positive);
    if (text === undefined) throw new Error(`No one-expression test for ${member.kind}`);
    return text;
  });
}

/**
 * The one-expression test of `x` against a type, or its negation; undefined for types that need
 * more than one expression.
 *
 * Numbers: any number passes, NaN and the infinities included. TypeScript's `number` admits
 * them, a typed stub can queue them, and refusing them here would fail such a task forever.
 * Dates are different: an invalid Date is a value no task can mean, so it is refused.
 */
function test(type: TypeDesc, x: string, positive: boolean): string | undefined {
  const is = positive ? "===" : "!==";
  switch (type.kind) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
      return `typeof ${x} ${is} "${type.kind}"`;
    case "null":
    case "undefined":
      return `${x} ${is} ${type.kind}`;
    case "literal":
      return `${x} ${is} ${literalCode(type.value)}`;
    case "date":
      return positive
        ? `${x} instanceof Date && !Number.isNaN(${x}.getTime())`
        : `!(${x} instanceof Date) || Number.isNaN(${x}.getTime())`;
    case "bytes":
      return positive ? `${x} instanceof Uint8Array` : `!(${x} instanceof Uint8Array)`;
    case "key":
      return positive ? `${x} instanceof Key` : `!(${x} instanceof Key)`;
    default:
      return undefined;
  }
}

/** How messages name a type: TypeScript's spelling, shortened for composite types. */
function describe(type: TypeDesc): string {
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

function describeUnion(members: readonly TypeDesc[]): string {
  const names = unique(members.map(describe));
  return names.length === 1 ? names.join("") : `one of ${names.join(" | ")}`;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function literalCode(value: string | number | boolean): string {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error(`Cannot render the literal type ${String(value)}`);
  }
  return JSON.stringify(value);
}

function expected(description: string, x: string): Part[] {
  return [{ text: `expected ${description}, got ` }, { code: `got(${x})` }];
}

/** The message `tail` at `path`: `path: tail`, or just `tail` for the checked value itself. */
function at(path: readonly Part[], tail: readonly Part[]): Part[] {
  return path.length === 0 ? [...tail] : [...path, { text: ": " }, ...tail];
}

function indexSegment(i: string): Part[] {
  return [{ text: "[" }, { code: i }, { text: "]" }];
}

function notObject(x: string): string[] {
  return [`typeof ${x} !== "object"`, `${x} === null`, `Array.isArray(${x})`];
}

function propertySegment(name: string): string {
  return IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** The message of a nested check `r`, prefixed with `path`. */
function joined(path: readonly Part[], r: string): string {
  return path.length === 0 ? r : `joinPath(${concatenation(path).join(" + ")}, ${r})`;
}

/** The terms of the string expression for `parts`, adjacent texts merged into one literal. */
function concatenation(parts: readonly Part[]): string[] {
  const terms: string[] = [];
  let text: string | undefined;
  for (const part of parts) {
    if ("text" in part) {
      text = (text ?? "") + part.text;
      continue;
    }
    if (text !== undefined) terms.push(JSON.stringify(text));
    text = undefined;
    terms.push(part.code);
  }
  if (text !== undefined) terms.push(JSON.stringify(text));
  return terms;
}

function parenthesize(clause: string): string {
  return clause.includes(" || ") || clause.includes(" && ") ? `(${clause})` : clause;
}

function assertFunctionName(name: string, what: string): void {
  if (!IDENTIFIER.test(name) || RESERVED_NAME.test(name)) {
    throw new Error(`The ${what} cannot be named "${name}": use another identifier`);
  }
}
