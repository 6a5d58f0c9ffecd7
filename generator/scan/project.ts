import path from "node:path";
import { ts } from "../typescript.js";

import { CODES, type Diagnostic } from "../diagnostics.js";

/** The files and compiler options of the user's project, as its tsconfig describes them. */
export interface ProjectFiles {
  /** Absolute path of the directory holding the tsconfig; reported paths are relative to it. */
  readonly root: string;
  readonly tsconfigPath: string;
  readonly options: ts.CompilerOptions;
  /** Absolute paths of the source files to scan, sorted; declaration files are left out. */
  readonly fileNames: readonly string[];
}

/**
 * Reads a tsconfig and lists the files it includes, leaving out declaration files and anything
 * under the `exclude` folders (the generated output, which must never be scanned as input).
 */
export function loadProject(
  tsconfigPath: string,
  exclude: readonly string[],
): { project?: ProjectFiles; diagnostics: Diagnostic[] } {
  const absolute = path.resolve(tsconfigPath);
  const read = ts.readConfigFile(absolute, ts.sys.readFile);
  if (read.error) return { diagnostics: [configProblem(read.error)] };

  const root = path.dirname(absolute);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, absolute);
  const fatal = parsed.errors.filter(
    (e) => e.category === ts.DiagnosticCategory.Error && e.code !== NO_INPUTS_FOUND,
  );
  if (fatal.length > 0) return { diagnostics: fatal.map(configProblem) };

  const excluded = exclude.map((dir) => path.resolve(dir) + path.sep);
  const fileNames = parsed.fileNames
    .map((f) => path.resolve(f))
    .filter((f) => !f.endsWith(".d.ts") && !f.endsWith(".d.mts") && !f.endsWith(".d.cts"))
    .filter((f) => !excluded.some((dir) => f.startsWith(dir)))
    .sort();

  return {
    project: { root, tsconfigPath: absolute, options: parsed.options, fileNames },
    diagnostics: [],
  };
}

/** TS18003: the tsconfig matches no input. An empty project simply has no tasks. */
const NO_INPUTS_FOUND = 18003;

function configProblem(error: ts.Diagnostic): Diagnostic {
  const message = ts.flattenDiagnosticMessageText(error.messageText, " ");
  if (!error.file || error.start === undefined) {
    return { code: CODES.projectProblem, severity: "error", message };
  }
  const { line, character } = error.file.getLineAndCharacterOfPosition(error.start);
  return {
    code: CODES.projectProblem,
    severity: "error",
    message,
    location: { file: error.file.fileName, line: line + 1, column: character + 1 },
  };
}
