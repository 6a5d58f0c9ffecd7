/**
 * The writer that check rendering goes through: it indents, wraps long conditions and messages
 * at the formatter's width, hands out local names, and decides what a failed check does.
 */
import { assertFunctionName } from "./assert-function-name.js";
import { concatenation, type Part } from "./message-part.js";

const MAX_WIDTH = 100;

/** One level of indentation in the generated code. */
export const INDENT = "  ";

/** Where a failed check goes: `return` its message, or `break` out of a union member's block. */
export type OnFail = { readonly label: string } | undefined;

/** The `OnFail` of a top-level check, which returns the message of a failure. */
export const RETURN_MESSAGE: OnFail = undefined;

/** Collects the indented lines of one function body and hands out distinct local names. */
export class BodyWriter {
  readonly lines: string[] = [];
  readonly #usedLabels = new Set<string>();
  #depth = 1;
  #counter = 0;

  constructor(private readonly refFunction: (definitionName: string) => string) {}

  /** A local name not used before in this body: `e1`, `o2`, ... */
  fresh(prefix: string): string {
    this.#counter += 1;
    return prefix + String(this.#counter);
  }

  /** The name of the check function of a definition. */
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

/** Wraps a clause that has its own `||` or `&&`, so that joining clauses keeps its meaning. */
function parenthesize(clause: string): string {
  return clause.includes(" || ") || clause.includes(" && ") ? `(${clause})` : clause;
}
