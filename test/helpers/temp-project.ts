import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Generation, type GenerateResult } from "../../generator/generate.js";

/** The repository root, which temp projects import as `taskgen`. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: true,
  },
  include: ["src"],
};

export interface TempProject {
  readonly root: string;
  /** Absolute path of a file of the project. */
  path(relative: string): string;
  write(relative: string, text: string): void;
  read(relative: string): string;
  exists(relative: string): boolean;
  cleanup(): void;
}

/**
 * A throwaway project in the OS temp folder: an ESM package.json, a strict NodeNext tsconfig
 * including `src`, the given files, and `node_modules/taskgen` linked to this repository.
 */
export function tempProject(files: Readonly<Record<string, string>>): TempProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "taskgen-test-"));
  const at = (relative: string) => path.join(root, relative);
  const write = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(at(relative)), { recursive: true });
    fs.writeFileSync(at(relative), text);
  };

  write("package.json", JSON.stringify({ type: "module" }, null, 2));
  write("tsconfig.json", JSON.stringify(TSCONFIG, null, 2));
  for (const [relative, text] of Object.entries(files)) write(relative, text);
  fs.mkdirSync(at("node_modules"));
  fs.symlinkSync(REPO_ROOT, at("node_modules/taskgen"), "dir");

  return {
    root,
    path: at,
    write,
    read: (relative) => fs.readFileSync(at(relative), "utf8"),
    exists: (relative) => fs.existsSync(at(relative)),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** A generation of the project with the default output places. */
export function generation(root: string): Generation {
  return new Generation({
    tsconfig: path.join(root, "tsconfig.json"),
    outDir: path.join(root, "src/generated"),
    cronFile: path.join(root, "cron.yaml"),
  });
}

/** One generation run of the project; writes nothing. */
export function generate(root: string): GenerateResult {
  return generation(root).run();
}

/** Runs `body` with a temp project of `files`, removing it afterwards. */
export async function withProject<T>(
  files: Readonly<Record<string, string>>,
  body: (project: TempProject) => T | Promise<T>,
): Promise<T> {
  const project = tempProject(files);
  try {
    return await body(project);
  } finally {
    project.cleanup();
  }
}
