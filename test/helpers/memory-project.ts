import path from "node:path";

import type { Diagnostic } from "../../generator/diagnostics.js";
import { buildModel } from "../../generator/model/build-model.js";
import type { ProjectModel } from "../../generator/model/types.js";
import { Scanner } from "../../generator/scan/scanner.js";
import type { SourceHost } from "../../generator/scan/source-store.js";
import { ts } from "../../generator/typescript.js";
import { TSCONFIG } from "./temp-project.js";

const ROOT = "/project";

/**
 * Scans a project that exists only in memory: `files` maps project-relative paths to texts.
 * Nothing touches the disk, so scanner tests are fast and cannot leave files behind.
 */
export function scanInMemory(files: Readonly<Record<string, string>>): {
  model: ProjectModel;
  diagnostics: Diagnostic[];
} {
  const texts = new Map<string, string>([[`${ROOT}/package.json`, `{ "type": "module" }`]]);
  for (const [relative, text] of Object.entries(files)) {
    texts.set(path.posix.join(ROOT, relative), text);
  }

  const host: SourceHost = {
    readFile: (file) => texts.get(file),
    fileExists: (file) => texts.has(file),
    directoryExists: (dir) => [...texts.keys()].some((file) => file.startsWith(dir + "/")),
  };
  const { options } = ts.convertCompilerOptionsFromJson(TSCONFIG.compilerOptions, ROOT);
  const fileNames = [...texts.keys()].filter((file) => /\.(?:m|c)?tsx?$/.test(file)).sort();

  const scanner = new Scanner(
    { root: ROOT, tsconfigPath: `${ROOT}/tsconfig.json`, options, fileNames },
    host,
  );
  return buildModel(scanner.scan());
}
