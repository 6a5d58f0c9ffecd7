import type { SourceLocation } from "./model/types.js";

/**
 * Stable diagnostic codes. TG1xxx are errors in declarations, TG2xxx warnings, TG3xxx problems
 * with the project or configuration. Codes never change meaning; docs/diagnostics.md lists them.
 */
export const CODES = {
  typeCannotTravel: "TG1001",
  unknownNotAllowed: "TG1002",
  notImportable: "TG1003",
  duplicateId: "TG1004",
  invalidInterval: "TG1005",
  invalidCronName: "TG1006",
  callableWithoutBase: "TG1007",
  invalidOption: "TG1008",
  notPublic: "TG1009",
  conflictingDecorators: "TG1010",
  invalidId: "TG1011",
  unexpectedParameters: "TG1012",
  unsupportedTarget: "TG1013",
  shortInterval: "TG2001",
  removedId: "TG2002",
  projectProblem: "TG3001",
} as const;

export type DiagnosticCode = (typeof CODES)[keyof typeof CODES];

export type Severity = "error" | "warning";

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** Absent for problems that belong to no source line. */
  readonly location?: SourceLocation;
  readonly message: string;
  /** How to fix it, when there is something better to say than the message. */
  readonly hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, line and column so every run reports them the same way. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.location?.file ?? "";
    const fb = b.location?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.location?.line ?? 0;
    const lb = b.location?.line ?? 0;
    if (la !== lb) return la - lb;
    return (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}

/**
 * Formats one diagnostic as `path:line:col - error TG1001: message`, followed by the source line
 * with a caret under the column when the text is at hand, and the hint.
 */
export function formatDiagnostic(diagnostic: Diagnostic, sourceText?: string): string {
  const { location, severity, code, message, hint } = diagnostic;
  const where = location ? `${location.file}:${location.line}:${location.column} - ` : "";
  const lines = [`${where}${severity} ${code}: ${message}`];

  if (location && sourceText !== undefined) {
    const frame = codeFrame(sourceText, location.line, location.column);
    if (frame) lines.push(frame);
  }
  if (hint) lines.push(`  hint: ${hint}`);
  return lines.join("\n");
}

function codeFrame(text: string, line: number, column: number): string | undefined {
  const source = text.split(/\r?\n/)[line - 1];
  if (source === undefined) return undefined;

  const gutter = String(line);
  const pad = " ".repeat(gutter.length);
  const shown = source.replace(/\t/g, " ");
  return `\n${gutter} | ${shown}\n${pad} | ${" ".repeat(Math.max(0, column - 1))}^\n`;
}
