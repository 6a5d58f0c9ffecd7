import fs from "node:fs";
import path from "node:path";

import type { OutputFile } from "../render/render.js";

/**
 * Writes the files whose bytes changed, each through a temporary file and a rename so a reader
 * never sees half a file. Returns the paths written.
 */
export function writeOutputs(root: string, files: readonly OutputFile[]): string[] {
  const written: string[] = [];
  for (const file of files) {
    const target = path.join(root, file.path);
    if (readOrUndefined(target) === file.text) continue;

    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.text);
    fs.renameSync(temporary, target);
    written.push(file.path);
  }
  return written;
}

/** The paths of files that are missing or differ from what would be generated. */
export function staleOutputs(root: string, files: readonly OutputFile[]): string[] {
  return files
    .filter((file) => readOrUndefined(path.join(root, file.path)) !== file.text)
    .map((file) => file.path);
}

export function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
