/**
 * The pieces a failure message is built from. A check keeps its message as parts so that the code
 * computing it (`got(v)`, an index, a key) is emitted only on the path where the check failed.
 */
import { IDENTIFIER } from "./assert-function-name.js";

/** A piece of a message: literal text, or code that runs only once the check has failed. */
export type Part = { readonly text: string } | { readonly code: string };

/** `expected <description>, got <what x is>`. */
export function expected(description: string, x: string): Part[] {
  return [{ text: `expected ${description}, got ` }, { code: `got(${x})` }];
}

/** The message `tail` at `path`: `path: tail`, or just `tail` for the checked value itself. */
export function at(path: readonly Part[], tail: readonly Part[]): Part[] {
  return path.length === 0 ? [...tail] : [...path, { text: ": " }, ...tail];
}

/** The path segment of an array element whose index is held by the local `i`. */
export function indexSegment(i: string): Part[] {
  return [{ text: "[" }, { code: i }, { text: "]" }];
}

/** The path segment of a declared property: `.name`, or `["odd-name"]`. */
export function propertySegment(name: string): string {
  return IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** The message of a nested check `r`, prefixed with `path`. */
export function joined(path: readonly Part[], r: string): string {
  return path.length === 0 ? r : `joinPath(${concatenation(path).join(" + ")}, ${r})`;
}

/** The terms of the string expression for `parts`, adjacent texts merged into one literal. */
export function concatenation(parts: readonly Part[]): string[] {
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
