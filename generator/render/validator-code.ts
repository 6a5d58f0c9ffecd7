/**
 * Renders the checks that `validators.ts` runs on a decoded payload before its task runs: one
 * function per payload and per named definition, each returning `undefined` for a value of its
 * type and otherwise a message such as `[1] (when): expected Date, got string "2020"`.
 *
 * A message starts either with a path segment (`[` or `.`) or, when the checked value itself is
 * wrong, with `expected`. The prelude's `joinPath` relies on this to prefix the message of a
 * nested check (a `ref`) with the path that leads to it.
 *
 * The parts live in `./validator/`: the prelude, the `BodyWriter` that lays out the code, the
 * message parts, and one emitter per kind of type, reached through `emitCheck`.
 */
import type { TypeDesc } from "../model/types.js";
import { assertFunctionName } from "./validator/assert-function-name.js";
import { BodyWriter, RETURN_MESSAGE } from "./validator/body-writer.js";
import { emitCheck } from "./validator/emit-check.js";

export { VALIDATOR_PRELUDE } from "./validator/validator-prelude.js";

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
