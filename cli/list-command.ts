import type { GenerateConfig } from "../generator/config.js";
import { hasErrors } from "../generator/diagnostics.js";
import { Generation } from "../generator/generate.js";
import { manifestTasks } from "../generator/render/render.js";
import { diagnosticCounts, EXIT, printDiagnostics, type Output } from "./output.js";

/** `taskgen list [--json]`: the tasks of the project, one line each or as a JSON array. */
export function runList(config: GenerateConfig, json: boolean, output: Output): number {
  const result = new Generation(config).run();
  printDiagnostics(result, output);
  if (!result.model || hasErrors(result.diagnostics)) {
    output.err(`taskgen: ${diagnosticCounts(result.diagnostics)}nothing listed`);
    return EXIT.failed;
  }

  const tasks = manifestTasks(result.model);
  if (json) {
    output.out(JSON.stringify(tasks, null, 2));
    return EXIT.ok;
  }
  for (const task of result.model.tasks) {
    const where = `${task.location.file}:${task.location.line}`;
    const every =
      task.kind === "periodic"
        ? ` every ${task.options.intervalSeconds} s (cron group ${task.options.cronName})`
        : "";
    output.out(`${task.kind.padEnd(9)} ${task.id.padEnd(32)} ${where}${every}`);
  }
  return EXIT.ok;
}
