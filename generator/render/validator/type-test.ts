/** The checks that fit in one expression, which a union can try together in one condition. */
import type { TypeDesc } from "../../model/types.js";

/**
 * The one-expression test of `x` against a type, or its negation; undefined for types that need
 * more than one expression.
 *
 * Numbers: any number passes, NaN and the infinities included. TypeScript's `number` admits
 * them, a typed stub can queue them, and refusing them here would fail such a task forever.
 * Dates are different: an invalid Date is a value no task can mean, so it is refused.
 */
export function typeTest(type: TypeDesc, x: string, positive: boolean): string | undefined {
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

/** The tests of members that `typeTest` can express, which are the only ones passed here. */
export function typeTests(members: readonly TypeDesc[], x: string, positive: boolean): string[] {
  return members.map((member) => {
    const text = typeTest(member, x, positive);
    if (text === undefined) throw new Error(`No one-expression test for ${member.kind}`);
    return text;
  });
}

/** The clauses that refuse anything but a non-array object. */
export function notObject(x: string): string[] {
  return [`typeof ${x} !== "object"`, `${x} === null`, `Array.isArray(${x})`];
}

/** A literal type's value as code; only finite numbers have a literal type to check against. */
export function literalCode(value: string | number | boolean): string {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error(`Cannot render the literal type ${String(value)}`);
  }
  return JSON.stringify(value);
}
