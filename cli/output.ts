import { formatDiagnostic, type Diagnostic } from "../generator/diagnostics.js";
import type { GenerateResult } from "../generator/generate.js";

/** Exit codes of the CLI; docs/cli.md lists them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where the CLI prints: stdout for results, stderr for diagnostics and progress. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Prints every diagnostic with its code frame, then a one-line count. */
export function printDiagnostics(result: GenerateResult, output: Output): void {
  for (const diagnostic of result.diagnostics) {
    const text = diagnostic.location ? result.sourceText(diagnostic.location.file) : undefined;
    output.err(formatDiagnostic(diagnostic, text));
  }
  const errors = count(result.diagnostics, "error");
  const warnings = count(result.diagnostics, "warning");
  if (errors + warnings > 0) {
    output.err(`taskgen: ${plural(errors, "error")}, ${plural(warnings, "warning")}`);
  }
}

function count(diagnostics: readonly Diagnostic[], severity: Diagnostic["severity"]): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
