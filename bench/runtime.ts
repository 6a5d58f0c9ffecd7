/**
 * The runtime benchmarks: dispatch cost per task and the cold start of a handler process, each
 * against its anchor measured in the same run. Writes the `## Dispatch` and `## Cold start`
 * sections of `bench/RESULTS.md`.
 *
 *   node --import tsx bench/runtime.ts
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { coldStartModulesOk, formatColdStart, measureColdStart } from "./cold-start.js";
import { formatDispatch, measureDispatch } from "./dispatch.js";
import { writeResultsSection } from "./results-file.js";

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "RESULTS.md");

export async function main(): Promise<number> {
  const command = "node --import tsx bench/runtime.ts";
  const when = `Measured on ${new Date().toISOString()} with \`${command}\` (also run by \`npm run bench\`).`;

  process.stderr.write("bench: dispatch, 15 rounds of 100,000 tasks\n");
  const dispatch = await measureDispatch();
  const dispatchText = formatDispatch(dispatch);
  process.stdout.write(`${dispatchText}\n\n`);
  writeResultsSection(RESULTS, "## Dispatch", `## Dispatch\n\n${when}\n\n${dispatchText}`);

  process.stderr.write("bench: cold start, 30 runs of each process\n");
  const coldStart = measureColdStart(30);
  const coldText = formatColdStart(coldStart);
  process.stdout.write(`${coldText}\n`);
  writeResultsSection(RESULTS, "## Cold start", `## Cold start\n\n${when}\n\n${coldText}`);

  return coldStartModulesOk(coldStart) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main();
}
