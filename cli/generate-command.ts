import path from "node:path";

import type { GenerateConfig } from "../generator/config.js";
import { hasErrors } from "../generator/diagnostics.js";
import { staleOutputs, writeOutputs } from "../generator/emit/emit.js";
import { Generation } from "../generator/generate.js";
import { diagnosticCounts, EXIT, plural, printDiagnostics, type Output } from "./output.js";
import { watchProject } from "./watch.js";

interface GenerateFlags {
  readonly check: boolean;
  readonly watch: boolean;
}

/**
 * `taskgen generate`: write the outputs, compare them with disk (`--check`), or keep them fresh
 * (`--watch`).
 */
export async function runGenerate(
  config: GenerateConfig,
  flags: GenerateFlags,
  output: Output,
): Promise<number> {
  const generation = new Generation(config);
  if (flags.watch) {
    await watchProject(generation, () => generateOnce(generation, false, output));
    return EXIT.ok;
  }
  return generateOnce(generation, flags.check, output);
}

/** One pass; prints diagnostics and a status line starting with `taskgen: `. */
export function generateOnce(generation: Generation, check: boolean, output: Output): number {
  const started = performance.now();
  const result = generation.run();
  printDiagnostics(result, output);
  const elapsed = `${(performance.now() - started).toFixed(1)} ms`;

  const counts = diagnosticCounts(result.diagnostics);
  if (!result.files || hasErrors(result.diagnostics)) {
    output.err(`taskgen: ${counts}nothing written, fix the errors above (${elapsed})`);
    return EXIT.failed;
  }
  const tasks = counts + plural(result.model?.tasks.length ?? 0, "task");

  if (check) {
    const stale = staleOutputs(result.root, result.files);
    for (const file of stale) output.err(`${file} - stale: run 'taskgen generate' to update it`);
    if (stale.length > 0) {
      output.err(`taskgen: ${plural(stale.length, "file")} out of date (${elapsed})`);
      return EXIT.failed;
    }
    output.err(`taskgen: ${tasks}, all files up to date in ${elapsed}`);
    return EXIT.ok;
  }

  const written = writeOutputs(result.root, result.files);
  const done = `${(performance.now() - started).toFixed(1)} ms`;
  output.err(
    written.length > 0
      ? `taskgen: ${tasks}, wrote ${plural(written.length, "file")} in ${done}`
      : `taskgen: ${tasks}, up to date in ${done}`,
  );
  return EXIT.ok;
}

export function isUnder(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
