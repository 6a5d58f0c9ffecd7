import type { BodyWriter } from "./body-writer.js";
import { describe } from "./describe.js";
import { emitCheck } from "./emit-check.js";
import { at, expected, indexSegment, type Part } from "./message-part.js";
import { child, type Site } from "./site.js";
import type { TupleDesc } from "./type-desc-kinds.js";

interface TupleBounds {
  readonly min: number;
  /** Undefined with a rest element. */
  readonly max: number | undefined;
  readonly isArgumentList: boolean;
}

/**
 * A tuple, or the argument list of a task: an array of an allowed length, then each element,
 * then the rest elements in a loop.
 */
export function emitTuple(w: BodyWriter, type: TupleDesc, s: Site): void {
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

/** The length check, worded for the bounds: `at least 1 argument`, `2 to 3 elements`, ... */
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
