import { formatDiagnostic, type Diagnostic } from "../generator/diagnostics.js";
import type { GenerateResult } from "../generator/generate.js";

/** Exit codes of the CLI; docs/cli.md lists them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where the CLI prints: stdout for results, stderr for diagnostics and progress. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Prints every diagnostic with its code frame, in one write. */
export function printDiagnostics(result: GenerateResult, output: Output): void {
  if (result.diagnostics.length === 0) return;
  const texts = result.diagnostics.map((diagnostic) => {
    const text = diagnostic.location ? result.sourceText(diagnostic.location.file) : undefined;
    return formatDiagnostic(diagnostic, text);
  });
  output.err(texts.join("\n"));
}

/** "2 errors, 1 warning, " for a status line; empty when there are none. */
export function diagnosticCounts(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const parts = [
    errors > 0 && plural(errors, "error"),
    warnings > 0 && plural(warnings, "warning"),
  ];
  return parts
    .filter(Boolean)
    .map((p) => `${p}, `)
    .join("");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
